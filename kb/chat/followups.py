"""Follow-up suggestions: after an answer, two or three other questions the same guide
answers, offered as buttons.

The questions are phrased from the guide's structure (`kb.chat.phrasing`) and each is
sent back through search once: only those that get this same guide, confidently and
without a "which one do you mean?", are kept, with the section their answer quotes. So
pressing a suggestion never ends in "I don't know". An answer then only filters the kept
list: not the question just asked, not a question of the section just quoted, one
question per section.

The checks cost a few searches per guide, so they are made once per index build (a new
build may rank differently), for every guide at once, when the search service opens the
build (or by the first answer, for a build opened before the chat existed), and kept next
to the build (`followups-N.json`): the other server processes, and this one after a
restart, read them instead. Answers only read them. A data folder that cannot be written
keeps them in memory only.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.chat.phrasing import Phraser
from kb.search.service import Searcher, SearchResponse
from kb.search.text import is_stopword, words

log = logging.getLogger(__name__)

# Bumped when the phrasing or the checks change, so that kept files are made again.
VERSION = 1
FILE = f"followups-{VERSION}.json"
SHOWN = 3
# As the chat decides between answering and asking "which one do you mean?"
# (`kb.chat.engine`): a second guide this close to the first makes the answer a question.
CLOSE_SCORE = 0.75
CLOSE_COVERAGE = 0.9
# The chat's own search (`kb.context`): the same arguments share its cached answers, so
# a pressed suggestion is answered from the cache.
SEARCH_LIMIT = 5
# Two questions sharing this much of their words are the same question.
SAME_QUESTION = 0.8

Kept = dict[str, list["Suggestion"]]


@dataclass(frozen=True)
class Suggestion:
    """A question the guide answers: the section its answer quotes, and the section it
    was phrased from ("" for the guide's title)."""

    text: str
    anchor: str
    source: str


class Followups:
    """The follow-up questions of each guide, for the searcher of the current build."""

    def __init__(self, searcher: Callable[[], Searcher]):
        self._searcher = searcher
        self._lock = threading.Lock()
        self._builds: weakref.WeakKeyDictionary[Searcher, Kept] = weakref.WeakKeyDictionary()

    def after(self, title: str, asked: str, quoted: str) -> list[str]:
        """Up to three questions to offer after an answer from the guide titled `title`
        to the question `asked`, which quoted the section `quoted`."""
        asked_words = _content_words(asked)
        shown: list[str] = []
        sections = {quoted}
        for suggestion in self.suggestions(title):
            if ({suggestion.anchor, suggestion.source} & sections
                    or _same(_content_words(suggestion.text), asked_words)):
                continue
            sections.add(suggestion.anchor)
            shown.append(suggestion.text)
            if len(shown) == SHOWN:
                break
        return shown

    def suggestions(self, title: str) -> list[Suggestion]:
        """Every checked question of the guide titled `title`, in the guide's order."""
        return self.kept().get(title, [])

    def kept(self) -> Kept:
        """The checked questions of every guide of the current build."""
        return self.prepare(self._searcher())

    def prepare(self, searcher: Searcher) -> Kept:
        """The checked questions of every guide of a build: read from the build's file,
        or made (and written there) the first time. The search service calls it when it
        opens a new build, so that answers only read them."""
        with self._lock:
            kept = self._builds.get(searcher)
            if kept is None:
                try:
                    kept = _load(searcher)
                except Exception:  # suggestions are extras: never a reason to fail search
                    log.exception("no follow-up suggestions for this build of the index")
                    kept = {}
                self._builds[searcher] = kept
        return kept


def _load(searcher: Searcher) -> Kept:
    path = Path(searcher.reader.folder) / FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {title: [Suggestion(*s) for s in found] for title, found in stored.items()}
    except (OSError, ValueError, TypeError):
        pass  # not made yet (or damaged): made now
    kept = _check_all(searcher)
    try:
        # Written whole, then renamed: another process reads the old state or the new.
        temporary = path.with_name(f".{FILE}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps({t: [[s.text, s.anchor, s.source] for s in found]
                                         for t, found in kept.items()}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("follow-up suggestions are kept in memory only: %s", exc)
    return kept


def _check_all(searcher: Searcher) -> Kept:
    count = searcher.reader.doc_count
    guides = [searcher.reader.stored(n) for n in range(count)]
    titles = Counter(data["title"] for data in guides)
    # Two guides with one title cannot be told apart by an answer's title: none for them.
    return {data["title"]: _checked(searcher, data) for data in guides
            if titles[data["title"]] == 1}


def _checked(searcher: Searcher, data: dict[str, Any]) -> list[Suggestion]:
    """The guide's phrased questions that search answers with this guide."""
    sections = [(anchor, heading, level, [s for block in blocks for s in block[4]])
                for anchor, heading, level, blocks in json.loads(data["sections"])]
    body = " ".join(p[3] for p in data["passages"])
    found: list[Suggestion] = []
    seen: set[str] = set()
    for phrased in Phraser(body).questions(data["title"], sections):
        if phrased.text.lower() in seen:
            continue
        seen.add(phrased.text.lower())
        response = searcher.search(phrased.text, limit=SEARCH_LIMIT)
        anchor = _answered_by(response, data["title"])
        if anchor is not None:
            found.append(Suggestion(phrased.text, anchor, phrased.anchor))
    return found


def _answered_by(response: SearchResponse, title: str) -> str | None:
    """The section quoted when the chat answers `response` from the guide titled
    `title`; None when it would not answer from it (not confident, another guide, or a
    close second)."""
    if not response.confident or not response.results:
        return None
    top = response.results[0]
    if top.title != title:
        return None
    if any(r.score >= CLOSE_SCORE * top.score and r.coverage >= top.coverage * CLOSE_COVERAGE
           for r in response.results[1:3]):
        return None
    return top.anchor


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if not is_stopword(w))


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SAME_QUESTION
