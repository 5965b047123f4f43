"""Content gaps: questions the knowledge base could not answer, kept for the content team.

Every unconfident search (and every chat question answered with "I don't know") is
recorded with where it came from, so that the most frequent unanswered questions can be
listed (`kb gaps`) and turned into new guides or synonyms. Recording is best effort: a
full or read-only data folder costs the record (with a warning), never the answer.

Records are written in batches (`kb.store.batched`): an unanswered question is common,
and a transaction of its own for each one made it the most expensive part of answering
"I don't know". Reading flushes first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import func, select

from kb.search.text import words
from kb.store.batched import BufferedRows
from kb.store.database import Database
from kb.store.schema import content_gaps


@dataclass(frozen=True)
class Gap:
    normalized: str
    example: str
    count: int
    last_seen: float


class GapLog:
    def __init__(self, db: Database, flush_seconds: float = 0.0):
        self.db = db
        self.rows = BufferedRows(db, content_gaps, "unanswered questions", flush_seconds)

    def record(self, query: str, source: str, top_slug: str | None = None) -> None:
        normalized = " ".join(words(query))[:300]
        if normalized:
            self.rows.add({"query": query[:500], "normalized": normalized, "source": source,
                           "top_slug": top_slug, "created_at": time.time()})

    def flush(self) -> None:
        self.rows.flush()

    def top(self, limit: int = 20) -> list[Gap]:
        self.flush()
        g = content_gaps.c
        n, last = func.count().label("n"), func.max(g.created_at).label("last")
        rows = self.db.rows(
            select(g.normalized, func.max(g.query).label("example"), n, last)
            .group_by(g.normalized).order_by(n.desc(), last.desc()).limit(limit))
        return [Gap(r.normalized, r.example, r.n, r.last) for r in rows]
