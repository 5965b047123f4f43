"""Every table of the knowledge base, declared once (SQLAlchemy Core).

The stores build their statements from these objects; the migrations in
`kb/store/migrations/` create and change them. Timestamps are Unix seconds (floats), as
they always were, so the same rows read the same on SQLite and on PostgreSQL. The mocked
account backend keeps its own tables (procedures/backend/store.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text, text

metadata = MetaData()


def _guarded(name: str, *extra: Column[Any]) -> Table:
    """A table of `kb.store.guarded.GuardedTable`: id, token hash, revision, JSON data."""
    return Table(
        name, metadata,
        Column("id", Text, primary_key=True),
        Column("token_hash", Text, nullable=False),
        *extra,
        Column("revision", Integer, nullable=False),
        Column("data", Text, nullable=False),
        Column("created_at", Float, nullable=False),
        Column("updated_at", Float, nullable=False),
    )


runs = _guarded(
    "runs",
    Column("procedure", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("status", Text, nullable=False),
)

procedure_versions = Table(
    "procedure_versions", metadata,
    Column("id", Text, primary_key=True),
    Column("version", Text, primary_key=True),
    Column("data", Text, nullable=False),
)

funnel_events = Table(
    "funnel_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Text),
    Column("procedure", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("step", Text),
    Column("detail", Text),
    Column("created_at", Float, nullable=False),
    Index("funnel_events_procedure", "procedure", "created_at"),
)

conversations = _guarded("conversations")
# By creation time only: a conversation is rewritten on every message (see migration 0004).
Index("conversations_created", conversations.c.created_at)

content_gaps = Table(
    "content_gaps", metadata,
    Column("id", Integer, primary_key=True),
    Column("query", Text, nullable=False),
    Column("normalized", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("top_slug", Text),
    Column("created_at", Float, nullable=False),
    Index("content_gaps_normalized", "normalized"),
    Index("content_gaps_grouped", "normalized", "created_at", "top_slug", "query"),
)

guide_views = Table(
    "guide_views", metadata,
    Column("slug", Text, primary_key=True),
    Column("views", Integer, nullable=False),
    Column("last_viewed", Float, nullable=False),
)

guide_feedback = Table(
    "guide_feedback", metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", Text, nullable=False),
    Column("helpful", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    # What was missing, left with a "No" (optional).
    Column("comment", Text),
    Index("guide_feedback_slug", "slug"),
    Index("guide_feedback_created", "created_at", "helpful"),
)

questions = Table(
    "questions", metadata,
    Column("id", Integer, primary_key=True),
    Column("query", Text, nullable=False),
    Column("normalized", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("results", Integer, nullable=False),
    Column("top_slug", Text),
    Column("created_at", Float, nullable=False),
    # Covering indexes for the console: counts per day, questions grouped by their words.
    Index("questions_created", "created_at", "answered"),
    Index("questions_grouped", "normalized", "created_at", "answered", "top_slug", "query"),
)

result_clicks = Table(
    "result_clicks", metadata,
    Column("id", Integer, primary_key=True),
    Column("query", Text, nullable=False),
    Column("normalized", Text, nullable=False),
    Column("slug", Text, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("result_clicks_created", "created_at"),
)

tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", Text, nullable=False, unique=True),
    Column("status", Text, nullable=False, server_default=text("'open'")),
    Column("source", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("guide", Text),
    Column("procedure", Text),
    Column("note", Text, nullable=False, server_default=text("''")),
    Column("data", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("tickets_created", "created_at"),
    Index("tickets_created_source", "created_at", "source"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="CASCADE"),
           nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_at", Float, nullable=False),
    Column("claimed_until", Float, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=False, server_default=text("''")),
    Column("created_at", Float, nullable=False),
    Column("sent_at", Float),
    Index("outbox_due", "status", "next_at"),
)

delivery_log = Table(
    "delivery_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"),
           nullable=False),
    Column("ok", Integer, nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

console_owners = Table(
    "console_owners", metadata,
    Column("name", Text, primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

console_login_failures = Table(
    "console_login_failures", metadata,
    Column("key", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("console_login_failures_key", "key"),
)

# The web site's visitors' runs: the signed session cookie carries only the visitor id,
# the run tokens stay here (webapp/session.py).
visitor_runs = Table(
    "visitor_runs", metadata,
    Column("visitor", Text, primary_key=True),
    Column("run_id", Text, primary_key=True),
    Column("token", Text, nullable=False),
    Column("at", Float, nullable=False),
)
