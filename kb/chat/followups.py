"""Follow-up suggestions: after an answer, two or three other questions the same guide
answers, offered as buttons.

The questions are phrased from the guide's structure (`kb.chat.phrasing`) and each is
sent back through search once: only those that get this same guide, confidently and
without a "which one do you mean?", are kept, with the section their answer quotes. So
pressing a suggestion never ends in "I don't know". An answer then only filters the kept
list: not the question just asked, not a question of the section just quoted, one
question per section.

The checks cost a few searches per guide. They are made once per index build (a new build
may rank differently), by a background thread that goes through every guide when the
build first answers a question in this process: a chat turn only reads what is ready and
never waits for it. Until its guide is reached (a fraction of a second for a small help
center), an answer offers no suggestions.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.chat.phrasing import Phraser
from kb.search.service import Searcher, SearchResponse
from kb.search.text import is_stopword, words

log = logging.getLogger(__name__)

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
# A pause after each check gives the interpreter back to the requests at once.
PAUSE_S = 0.001


@dataclass(frozen=True)
class Suggestion:
    """A question the guide answers: the section its answer quotes, and the section it
    was phrased from ("" for the guide's title)."""

    text: str
    anchor: str
    source: str


@dataclass
class _Build:
    """The suggestions of one build's guides (by title), as they become ready."""

    ready: dict[str, list[Suggestion]] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)
    pid: int = field(default_factory=os.getpid)


class Followups:
    """The follow-up questions of each guide, for the searcher of the current build."""

    def __init__(self, searcher: Callable[[], Searcher]):
        self._searcher = searcher
        self._lock = threading.Lock()
        self._builds: weakref.WeakKeyDictionary[Searcher, _Build] = (
            weakref.WeakKeyDictionary())

    def after(self, title: str, asked: str, quoted: str) -> list[str]:
        """Up to three questions to offer after an answer from the guide titled `title`
        to the question `asked`, which quoted the section `quoted`."""
        kept = self.warm().ready.get(title, [])
        asked_words = _content_words(asked)
        shown: list[str] = []
        sections = {quoted}
        for suggestion in kept:
            if ({suggestion.anchor, suggestion.source} & sections
                    or _same(_content_words(suggestion.text), asked_words)):
                continue
            sections.add(suggestion.anchor)
            shown.append(suggestion.text)
            if len(shown) == SHOWN:
                break
        return shown

    def warm(self) -> _Build:
        """The current build's suggestions, their checks started in the background if
        this process has not started them yet (once per build; again after a fork)."""
        searcher = self._searcher()
        with self._lock:
            build = self._builds.get(searcher)
            if build is None or build.pid != os.getpid():
                build = self._builds[searcher] = _Build()
                threading.Thread(target=self._check_all, args=(weakref.ref(searcher), build),
                                 name="kb-followups", daemon=True).start()
        return build

    def wait(self, timeout: float | None = None) -> bool:
        """Until every guide of the current build is checked (False: timed out)."""
        return self.warm().done.wait(timeout)

    def suggestions(self, title: str) -> list[Suggestion]:
        """Every checked question of a guide, once they are all ready."""
        self.wait()
        return list(self.warm().ready.get(title, []))

    def _check_all(self, ref: weakref.ref[Searcher], build: _Build) -> None:
        try:
            searcher = ref()
            if searcher is None:
                return
            count = searcher.reader.doc_count
            titles = Counter(searcher.reader.stored(n)["title"] for n in range(count))
            for docnum in range(count):
                data = searcher.reader.stored(docnum)
                # Two guides with one title cannot be told apart by the answers' titles.
                if titles[data["title"]] == 1:
                    build.ready[data["title"]] = _checked(searcher, data)
        except Exception:  # Whoosh raises many kinds once a replaced build is closed.
            log.info("follow-up suggestions stopped (the search index changed?)",
                     exc_info=True)
        finally:
            build.done.set()


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
        time.sleep(PAUSE_S)
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
