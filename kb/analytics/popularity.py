"""What readers do with guides: how often each is viewed, and whether it helped them.

Views are one counter per guide (an upsert, cheap enough for every page view); the
"Was this helpful?" answers are kept one row per answer, so they can be counted by guide
and by period later. Both live in the knowledge base's database, shared by every
server process. Counting is best effort: when the data folder is full or read-only, the
counts are dropped with a warning and the page is shown all the same.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from kb.errors import StorageUnavailable
from kb.store import dialect
from kb.store.database import Database
from kb.store.schema import guide_feedback, guide_views

log = logging.getLogger(__name__)


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
                upsert = dialect.insert(conn, guide_views)
                conn.execute(upsert.on_conflict_do_update(
                    index_elements=["slug"],
                    set_={"views": guide_views.c.views + upsert.excluded.views,
                          "last_viewed": upsert.excluded.last_viewed}),
                    [{"slug": slug, "views": count, "last_viewed": now}
                     for slug, count in sorted(pending.items())])
        except StorageUnavailable:
            log.warning("%d guide views were not counted: the data folder cannot be "
                        "written", sum(pending.values()))

    def most_viewed(self, limit: int = 5) -> list[Viewed]:
        """The most viewed guides, most first; ties go to the most recently viewed."""
        self.flush()
        v = guide_views.c
        rows = self.db.rows(select(v.slug, v.views)
                            .order_by(v.views.desc(), v.last_viewed.desc())
                            .limit(max(0, int(limit))))
        return [Viewed(r.slug, r.views) for r in rows]

    def views(self, slug: str) -> int:
        self.flush()
        row = self.db.first(select(guide_views.c.views).where(guide_views.c.slug == slug))
        return int(row.views) if row else 0

    def record_feedback(self, slug: str, helpful: bool) -> int:
        """Store one answer; returns its id, for the reader's "what was missing" (0 when
        the data folder cannot be written: the vote is lost, the page still answers)."""
        try:
            with self.db.transaction() as conn:
                inserted = conn.execute(guide_feedback.insert().values(
                    slug=slug[:MAX_SLUG], helpful=int(bool(helpful)), created_at=time.time()))
                key = inserted.inserted_primary_key  # typed Optional by SQLAlchemy 2.0.5x
                return int(key[0]) if key else 0
        except StorageUnavailable:
            log.warning("feedback on %s was not kept: the data folder cannot be written",
                        slug[:MAX_SLUG])
            return 0

    def record_missing(self, feedback_id: int, text: str) -> None:
        """What a reader who answered "No" says was missing from the guide (optional,
        short), kept with their answer in the `comment` column."""
        f = guide_feedback.c
        try:
            with self.db.transaction() as conn:
                conn.execute(guide_feedback.update()
                             .where(f.id == int(feedback_id), f.helpful == 0)
                             .values(comment=" ".join(text.split())[:MAX_MISSING]))
        except StorageUnavailable:
            log.warning("a reader's comment was not kept: the data folder cannot be written")

    def missing(self, slug: str, limit: int = 50) -> list[str]:
        """What readers said was missing from a guide, newest first."""
        f = guide_feedback.c
        rows = self.db.rows(
            select(f.comment).where(f.slug == slug, f.comment.is_not(None), f.comment != "")
            .order_by(f.created_at.desc(), f.id.desc()).limit(max(0, int(limit))))
        return [str(r.comment) for r in rows]

    def feedback(self, slug: str) -> Feedback:
        f = guide_feedback.c
        row = self.db.first(select(func.coalesce(func.sum(f.helpful), 0).label("yes"),
                                   func.count().label("n")).where(f.slug == slug))
        yes, n = (int(row.yes), int(row.n)) if row else (0, 0)
        return Feedback(helpful=yes, not_helpful=n - yes)

