"""Follow-up suggestions: after an answer, two or three other questions the same guide
answers, offered as buttons.

The questions are phrased from the guide's structure (`kb.chat.phrasing`) and each is
sent back through search once: only those that get this same guide, confidently and
without a "which one do you mean?", are kept, with the section their answer quotes. So
pressing a suggestion never ends in "I don't know". This is done once per guide and per
index build (a new build may rank differently), on the first answer from the guide; an
answer afterwards only filters the kept list: not the question just asked, not the
section just quoted, one question per section.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.chat.phrasing import Phrased, Phraser
from kb.search.service import Searcher, SearchResponse
from kb.search.text import is_stopword, words

SHOWN = 3
# As the chat decides between answering and asking "which one do you mean?"
# (`kb.chat.engine`): a second guide this close to the first makes the answer a question.
CLOSE_SCORE = 0.75
CLOSE_COVERAGE = 0.9
# The chat's own search (`kb.context`): the same arguments share its cached answers.
SEARCH_LIMIT = 5
# Two questions sharing this much of their words are the same question.
SAME_QUESTION = 0.8


@dataclass(frozen=True)
class Suggestion:
    """A question the guide answers, and the section that answers it."""

    text: str
    anchor: str


class Followups:
    """The follow-up questions of each guide, for the searcher of the current build."""

    def __init__(self, searcher: Callable[[], Searcher]):
        self._searcher = searcher
        self._lock = threading.Lock()
        # Per build (a Searcher), dropped with it: each guide's phrased questions, the
        # section search answers each question with (None: not from that guide), and
        # the guides' documents by title.
        self._phrased: weakref.WeakKeyDictionary[Searcher, dict[str, list[Phrased]]] = (
            weakref.WeakKeyDictionary())
        self._checked: weakref.WeakKeyDictionary[
            Searcher, dict[tuple[str, str], str | None]] = weakref.WeakKeyDictionary()
        self._docs: weakref.WeakKeyDictionary[Searcher, dict[str, list[int]]] = (
            weakref.WeakKeyDictionary())

    def after(self, slug: str, title: str, asked: str, quoted: str) -> list[str]:
        """Up to three questions to offer after an answer from guide `slug` (titled
        `title`) to the question `asked`, which quoted the section `quoted`.

        Questions are checked through search in the guide's order and only until three
        are found, each once per build: a first answer from a guide costs a few
        searches, later ones none."""
        searcher = self._searcher()
        asked_words = _content_words(asked)
        shown: list[str] = []
        sections = {quoted}
        for phrased in self.phrased(searcher, slug, title):
            if phrased.anchor in sections or _same(_content_words(phrased.text), asked_words):
                continue
            anchor = self._answered(searcher, slug, phrased.text)
            if anchor is None or anchor in sections:
                continue
            sections.update((anchor, phrased.anchor))
            shown.append(phrased.text)
            if len(shown) == SHOWN:
                break
        return shown

    def suggestions(self, slug: str, title: str) -> list[Suggestion]:
        """Every question of the guide that search answers with it (for checks and the
        documentation; the chat uses `after`)."""
        searcher = self._searcher()
        found = []
        for phrased in self.phrased(searcher, slug, title):
            anchor = self._answered(searcher, slug, phrased.text)
            if anchor is not None:
                found.append(Suggestion(phrased.text, anchor))
        return found

    def phrased(self, searcher: Searcher, slug: str, title: str) -> list[Phrased]:
        """The questions phrased from the guide's structure, without duplicates."""
        with self._lock:
            known = self._phrased.setdefault(searcher, {})
            if slug in known:
                return known[slug]
        data = self._stored(searcher, title)
        found: list[Phrased] = []
        if data is not None:
            sections = [(anchor, heading, level,
                         [s for block in blocks for s in block[4]])
                        for anchor, heading, level, blocks in json.loads(data["sections"])]
            body = " ".join(p[3] for p in data["passages"])
            seen: set[str] = set()
            for phrased in Phraser(body).questions(data["title"], sections):
                if phrased.text.lower() not in seen:
                    seen.add(phrased.text.lower())
                    found.append(phrased)
        with self._lock:
            known[slug] = found
        return found

    def _answered(self, searcher: Searcher, slug: str, question: str) -> str | None:
        with self._lock:
            checked = self._checked.setdefault(searcher, {})
            if (slug, question) in checked:
                return checked[(slug, question)]
        anchor = _answered_by(searcher.search(question, limit=SEARCH_LIMIT), slug)
        with self._lock:
            checked[(slug, question)] = anchor
        return anchor

    def _stored(self, searcher: Searcher, title: str) -> dict[str, Any] | None:
        """The guide's stored data, found by title (the stored data does not repeat the
        slug). Two guides with one title give none: search decides between them, and a
        question phrased from the other guide would be checked against the wrong one."""
        with self._lock:
            by_title = self._docs.get(searcher)
        if by_title is None:
            by_title = {}
            for docnum in range(searcher.reader.doc_count):
                by_title.setdefault(searcher.reader.stored(docnum)["title"], []).append(docnum)
            with self._lock:
                self._docs[searcher] = by_title
        docnums = by_title.get(title, [])
        return searcher.reader.stored(docnums[0]) if len(docnums) == 1 else None


def _answered_by(response: SearchResponse, slug: str) -> str | None:
    """The section quoted when the chat answers `response` from guide `slug`; None when
    it would not answer from it (not confident, another guide, or a close second)."""
    if not response.confident or not response.results:
        return None
    top = response.results[0]
    if top.slug != slug:
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
