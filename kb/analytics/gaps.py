"""Content gaps: questions the knowledge base could not answer, kept for the content team.

Every unconfident search (and every chat question answered with "I don't know") is
recorded with where it came from, so that the most frequent unanswered questions can be
listed (`kb gaps`) and turned into new guides or synonyms. Recording is best effort: a
full or read-only data folder costs the record (with a warning), never the answer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from kb.errors import StorageUnavailable
from kb.search.text import words
from kb.store.database import Database, register_schema

log = logging.getLogger(__name__)

register_schema("""
CREATE TABLE IF NOT EXISTS content_gaps (
    id INTEGER PRIMARY KEY,
    query TEXT NOT NULL,
    normalized TEXT NOT NULL,
    source TEXT NOT NULL,
    top_slug TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS content_gaps_normalized ON content_gaps(normalized);
""")


@dataclass(frozen=True)
class Gap:
    normalized: str
    example: str
    count: int
    last_seen: float


class GapLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, query: str, source: str, top_slug: str | None = None) -> None:
        normalized = " ".join(words(query))[:300]
        if not normalized:
            return
        try:
            with self.db.transaction() as conn:
                conn.execute("INSERT INTO content_gaps(query, normalized, source, top_slug, "
                             "created_at) VALUES (?, ?, ?, ?, ?)",
                             (query[:500], normalized, source, top_slug, time.time()))
        except StorageUnavailable:
            log.warning("an unanswered question was not recorded: the data folder cannot "
                        "be written")

    def top(self, limit: int = 20) -> list[Gap]:
        rows = self.db.connection().execute(
            "SELECT normalized, MAX(query) AS example, COUNT(*) AS n, MAX(created_at) AS last "
            "FROM content_gaps GROUP BY normalized ORDER BY n DESC, last DESC LIMIT ?",
            (limit,)).fetchall()
        return [Gap(r["normalized"], r["example"], r["n"], r["last"]) for r in rows]
