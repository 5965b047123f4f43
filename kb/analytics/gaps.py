"""Content gaps: questions the knowledge base could not answer, kept for the content team.

Every unconfident search (and every chat question answered with "I don't know") is
recorded with where it came from, so that the most frequent unanswered questions can be
listed (`kb gaps`) and turned into new guides or synonyms. Recording is best effort: a
full or read-only data folder costs the record (with a warning), never the answer.

Like the question log, records are buffered and written at most once every
`flush_seconds` (and when the process exits): an unanswered question is common (a third of
real traffic can be), and a transaction of its own for each one made it the most expensive
part of answering "I don't know". Reading flushes first.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kb.errors import StorageUnavailable
from kb.search.text import words
from kb.store.database import Database
from kb.store.schema import content_gaps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gap:
    normalized: str
    example: str
    count: int
    last_seen: float


class GapLog:
    def __init__(self, db: Database, flush_seconds: float = 0.0):
        self.db = db
        self.flush_seconds = flush_seconds
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        # The first record is written at once; later ones at most every flush_seconds.
        self._flushed = float("-inf")
        self._at_exit = False

    def record(self, query: str, source: str, top_slug: str | None = None) -> None:
        normalized = " ".join(words(query))[:300]
        if not normalized:
            return
        row = {"query": query[:500], "normalized": normalized, "source": source,
               "top_slug": top_slug, "created_at": time.time()}
        with self._lock:
            self._pending.append(row)
            due = time.monotonic() - self._flushed >= self.flush_seconds
            if not due and not self._at_exit:
                # A short-lived process (`kb search`) writes what is pending as it exits.
                atexit.register(self.flush)
                self._at_exit = True
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
            self._flushed = time.monotonic()
        if not pending:
            return
        try:
            with self.db.transaction() as conn:
                conn.execute(content_gaps.insert(), pending)
        except StorageUnavailable:
            log.warning("%d unanswered questions were not recorded: the data folder cannot "
                        "be written", len(pending))

    def top(self, limit: int = 20) -> list[Gap]:
        self.flush()
        g = content_gaps.c
        n, last = func.count().label("n"), func.max(g.created_at).label("last")
        rows = self.db.rows(
            select(g.normalized, func.max(g.query).label("example"), n, last)
            .group_by(g.normalized).order_by(n.desc(), last.desc()).limit(limit))
        return [Gap(r.normalized, r.example, r.n, r.last) for r in rows]
