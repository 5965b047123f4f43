"""Follow-up suggestions: after an answer, two or three other questions the same guide
answers, offered as buttons.

The questions are phrased from the guide's structure (`kb.chat.phrasing`) and each is
sent back through search once: only those that get this same guide, confidently and
without a "which one do you mean?", are kept, with the section their answer quotes. So
pressing a suggestion never ends in "I don't know". An answer then only filters the kept
list: not the question just asked, not a question of the section just quoted, one
question per section.

The checks cost a few searches per guide, so they are made once per index build (a new
build may rank differently) when the search service opens the build (or by the first
answer, for a build opened before the chat existed): within half a second, the rest in
the background (an answer from a guide not checked yet offers none). They are kept next to
the build (`followups-N.json`), which other server processes, and this one after a
restart, read instead. Answers only read them. A data folder that cannot be written keeps
them in memory only.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.chat.closeness import close_runners_up
from kb.chat.phrasing import Phraser
from kb.search.responses import SearchResponse
from kb.search.service import Searcher
from kb.search.text import is_stopword, words

log = logging.getLogger(__name__)

# Bumped when the phrasing or the checks change, so that kept files are made again.
VERSION = 1
FILE = f"followups-{VERSION}.json"
SHOWN = 3
# The chat's own search (`kb.context`): the same arguments share its cached answers, so
# a pressed suggestion is answered from the cache.
SEARCH_LIMIT = 5
# Two questions sharing this much of their words are the same question.
SAME_QUESTION = 0.8
# The checks made when a build opens, before it answers (all of them for a few dozen
# guides); those of a larger help center go on in the background ...
BUDGET_S = 0.5
# ... resting after each check this many times as long as it took: at most a fifth of
# the interpreter, so a request waits for one check at most.
REST = 4.0

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
        self._builds: weakref.WeakKeyDictionary[Searcher, _Build] = (
            weakref.WeakKeyDictionary())

    def after(self, title: str, asked: str, quoted: str,
              also: tuple[str, ...] = ()) -> list[str]:
        """Up to three questions to offer after an answer from the guide titled `title`
        to the question `asked`, which quoted the section `quoted` and drew on the
        sections `also` (none of them is offered again)."""
        asked_words = _content_words(asked)
        shown: list[str] = []
        sections = {quoted, *also}
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
        """The checked questions of the guide titled `title`, in the guide's order
        (none while its checks are still to be made)."""
        return self.prepare(self._searcher()).get(title)

    def prepare(self, searcher: Searcher) -> _Build:
        """The checked questions of a build's guides: read from the build's file, or
        made now for as many guides as `BUDGET_S` allows and for the others in the
        background. The search service calls this when it opens a new build, so answers
        only read them."""
        with self._lock:
            build = self._builds.get(searcher)
            if build is None or build.pid != os.getpid():
                build = self._builds[searcher] = _Build(searcher)
        return build


class _Build:
    """The checked questions of one build's guides (by title), and the making of them."""

    def __init__(self, searcher: Searcher):
        self.path = Path(searcher.reader.folder) / FILE
        self.pid = os.getpid()
        self.kept: dict[str, list[Suggestion]] = {}
        self.complete = self._read()
        if self.complete:
            return
        try:
            guides = [searcher.reader.stored(n) for n in range(searcher.reader.doc_count)]
            titles = Counter(data["title"] for data in guides)
            # Two guides with one title cannot be told apart by an answer's title.
            todo = [data for data in guides if titles[data["title"]] == 1]
            deadline = time.monotonic() + BUDGET_S
            while todo and time.monotonic() < deadline:
                data = todo.pop(0)
                self.kept[data["title"]] = _checked(searcher, data)
        except Exception:  # suggestions are extras: never a reason for search to fail
            log.exception("no follow-up suggestions for this build of the search index")
            self.complete = True
            return
        if todo:
            threading.Thread(target=self._finish, args=(searcher, todo), daemon=True,
                             name="kb-followups").start()
        else:
            self.complete = True
            self._write()

    def get(self, title: str) -> list[Suggestion]:
        found = self.kept.get(title)
        if found is None and not self.complete and self.path.exists():
            self.complete = self._read()  # another process finished first
            found = self.kept.get(title)
        return found or []

    def _finish(self, searcher: Searcher, todo: list[dict[str, Any]]) -> None:
        """The rest of the checks, resting after each so as to take at most a fifth of
        the interpreter from the requests; stops when another process has written them."""
        try:
            for data in todo:
                if self.path.exists() and self._read():
                    self.complete = True
                    return
                started = time.perf_counter()
                self.kept[data["title"]] = _checked(searcher, data)
                time.sleep(REST * (time.perf_counter() - started))
            self.complete = True
            self._write()
        except Exception:  # Whoosh raises many kinds once a replaced build is closed.
            log.info("follow-up suggestions stopped (the search index changed?)",
                     exc_info=True)

    def _read(self) -> bool:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            self.kept = {title: [Suggestion(*s) for s in found]
                         for title, found in stored.items()}
            return True
        except (OSError, ValueError, TypeError):
            return False  # not made yet (or damaged): made now

    def _write(self) -> None:
        try:
            # Written whole, then renamed: another process reads all of it or nothing.
            temporary = self.path.with_name(f".{FILE}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_text(json.dumps({t: [[s.text, s.anchor, s.source] for s in found]
                                             for t, found in self.kept.items()}),
                                 encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            log.warning("follow-up suggestions are kept in memory only: %s", exc)


def _checked(searcher: Searcher, data: dict[str, Any]) -> list[Suggestion]:
    """The guide's phrased questions that search answers with this guide: one per
    section that answers a question phrased from it, and enough for an answer to offer
    three whichever section it quoted (the others are not checked: that keeps the cost
    down)."""
    sections = [(anchor, heading, level, [s for block in blocks for s in block[4]])
                for anchor, heading, level, blocks in json.loads(data["sections"])]
    body = " ".join(p[3] for p in data["passages"])
    found: list[Suggestion] = []
    seen: set[str] = set()
    for phrased in Phraser(body).questions(data["title"], sections):
        if len({s.anchor for s in found}) > SHOWN:
            break
        if phrased.text.lower() in seen or any(s.source == s.anchor == phrased.anchor
                                                for s in found):
            continue  # its section already has a question that it answers itself
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
    if close_runners_up(response):
        return None
    return top.anchor


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if not is_stopword(w))


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SAME_QUESTION
