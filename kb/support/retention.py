"""Forgetting on schedule: `kb purge` removes what is older than `KB_RETENTION_DAYS`.

Conversations, runs, recorded events (questions, result clicks, funnel events, content
gaps, helpful votes), tickets (with their outbox and delivery log) and the web site's
remembered runs (a visitor id beside a run's token, `visitor_runs`) older than the
retention period are deleted. A remembered run whose run was used within the period
stays, so a visitor still working on it is not locked out of it. Guide view counters
hold no personal data and are kept.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, delete, select

from kb.store import schema
from kb.store.database import Database

DAY_S = 86_400.0
# table -> the column that says when a row was last touched
TABLES = {
    "conversations": "updated_at", "runs": "updated_at", "funnel_events": "created_at",
    "questions": "created_at", "result_clicks": "created_at", "content_gaps": "created_at",
    "guide_feedback": "created_at", "tickets": "created_at",
}


def purge(db: Database, days: int, now: float | None = None) -> dict[str, int]:
    """Delete rows older than `days`; return how many per table. `days` 0 keeps all."""
    if days <= 0:
        return {}
    cutoff = (now if now is not None else time.time()) - days * DAY_S
    removed = {}
    with db.transaction() as conn:
        # Outbox entries and their log go with their ticket (ON DELETE CASCADE).
        for table, column in TABLES.items():
            t = schema.metadata.tables[table]
            removed[table] = conn.execute(delete(t).where(t.c[column] < cutoff)).rowcount
        removed["visitor_runs"] = _forget_remembered_runs(conn, cutoff)
    return removed


def _forget_remembered_runs(conn: Connection, cutoff: float) -> int:
    """Delete the remembered runs (`visitor_runs`: a browser's visitor id beside a run's
    token) remembered before `cutoff`, unless their run was used since."""
    v, r = schema.visitor_runs, schema.runs
    in_use = select(r.c.id).where(r.c.id == v.c.run_id, r.c.updated_at >= cutoff).exists()
    return conn.execute(delete(v).where(v.c.at < cutoff, ~in_use)).rowcount
