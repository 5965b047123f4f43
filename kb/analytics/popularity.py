"""What readers do with guides: how often each is viewed, and whether it helped them.

Views are one counter per guide (an upsert, cheap enough for every page view); the
"Was this helpful?" answers are kept one row per answer, so they can be counted by guide
and by period later. Both live in the knowledge base's SQLite database, shared by every
server process. Counting is best effort: when the data folder is full or read-only, the
counts are dropped with a warning and the page is shown all the same.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass

from kb.errors import StorageUnavailable
from kb.store.database import Database, register_schema

log = logging.getLogger(__name__)

register_schema("""
CREATE TABLE IF NOT EXISTS guide_views (
    slug TEXT PRIMARY KEY,
    views INTEGER NOT NULL,
    last_viewed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS guide_feedback (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    created_at REAL NOT NULL,
    missing TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS guide_feedback_slug ON guide_feedback(slug);
""")

MAX_SLUG = 120
MAX_MISSING = 1000


@dataclass(frozen=True)
class Viewed:
    slug: str
    views: int


@dataclass(frozen=True)
class Feedback:
    """How many readers said a guide helped them, and how many said it did not."""

    helpful: int = 0
    not_helpful: int = 0

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful


class Popularity:
    """Guide views and answers. With `flush_seconds`, views are counted in memory and
    written at most that often (every page view would otherwise be a write transaction,
    and server processes would queue for the database's write lock); reading the counts
    writes what is pending first. A process that dies loses at most that much counting.
    """

    def __init__(self, db: Database, flush_seconds: float = 0.0):
        self.db = db
        self.flush_seconds = flush_seconds
        self._pending: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._flushed = time.monotonic()

    def record_view(self, slug: str) -> None:
        with self._lock:
            self._pending[slug[:MAX_SLUG]] += 1
            due = time.monotonic() - self._flushed >= self.flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        """Write the views counted in memory."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._flushed = time.monotonic()
        if not pending:
            return
        now = time.time()
        try:
            with self.db.transaction() as conn:
                conn.executemany(
                    "INSERT INTO guide_views(slug, views, last_viewed) VALUES (?, ?, ?) "
                    "ON CONFLICT(slug) DO UPDATE SET views = views + excluded.views, "
                    "last_viewed = excluded.last_viewed",
                    [(slug, count, now) for slug, count in pending.items()])
        except StorageUnavailable:
            log.warning("%d guide views were not counted: the data folder cannot be "
                        "written", sum(pending.values()))

    def most_viewed(self, limit: int = 5) -> list[Viewed]:
        """The most viewed guides, most first; ties go to the most recently viewed."""
        self.flush()
        rows = self.db.connection().execute(
            "SELECT slug, views FROM guide_views ORDER BY views DESC, last_viewed DESC "
            "LIMIT ?", (max(0, int(limit)),)).fetchall()
        return [Viewed(r["slug"], r["views"]) for r in rows]

    def views(self, slug: str) -> int:
        self.flush()
        row = self.db.connection().execute(
            "SELECT views FROM guide_views WHERE slug = ?", (slug,)).fetchone()
        return row["views"] if row else 0

    def record_feedback(self, slug: str, helpful: bool) -> int:
        """Store one answer; returns its id, for the reader's "what was missing" (0 when
        the data folder cannot be written: the vote is lost, the page still answers)."""
        try:
            with self.db.transaction() as conn:
                _add_missing_column(conn)
                cursor = conn.execute(
                    "INSERT INTO guide_feedback(slug, helpful, created_at) VALUES (?, ?, ?)",
                    (slug[:MAX_SLUG], int(bool(helpful)), time.time()))
                return int(cursor.lastrowid or 0)
        except StorageUnavailable:
            log.warning("feedback on %s was not kept: the data folder cannot be written",
                        slug[:MAX_SLUG])
            return 0

    def record_missing(self, feedback_id: int, text: str) -> None:
        """What a reader who answered "No" says was missing from the guide (optional,
        short), kept with their answer in the `missing` column."""
        try:
            with self.db.transaction() as conn:
                _add_missing_column(conn)
                conn.execute(
                    "UPDATE guide_feedback SET missing = ? WHERE id = ? AND helpful = 0",
                    (" ".join(text.split())[:MAX_MISSING], int(feedback_id)))
        except StorageUnavailable:
            log.warning("a reader's comment was not kept: the data folder cannot be written")

    def missing(self, slug: str, limit: int = 50) -> list[str]:
        """What readers said was missing from a guide, newest first. A read: a database
        made before the column existed simply has no comments yet."""
        try:
            rows = self.db.connection().execute(
                "SELECT missing FROM guide_feedback WHERE slug = ? AND missing != '' "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (slug, max(0, int(limit)))).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r["missing"] for r in rows]

    def feedback(self, slug: str) -> Feedback:
        row = self.db.connection().execute(
            "SELECT COALESCE(SUM(helpful), 0) AS yes, COUNT(*) AS n FROM guide_feedback "
            "WHERE slug = ?", (slug,)).fetchone()
        return Feedback(helpful=row["yes"], not_helpful=row["n"] - row["yes"])


def _add_missing_column(conn: sqlite3.Connection) -> None:
    """Databases made before readers could say what was missing lack the column."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(guide_feedback)")}
    if "missing" not in columns:
        conn.execute("ALTER TABLE guide_feedback ADD COLUMN missing TEXT NOT NULL DEFAULT ''")
