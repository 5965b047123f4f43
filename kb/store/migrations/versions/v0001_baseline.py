"""The tables as they were before migrations: created, or adopted when they exist.

A database made by an earlier release has these tables already (each module created its
own with CREATE TABLE IF NOT EXISTS) and no version: every table and index missing is
created, and those present are kept as they are, with their rows.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

C = sa.Column


def _tables(m: sa.MetaData) -> None:
    text, real, integer = sa.Text, sa.Float, sa.Integer

    def guarded(name: str, *extra: sa.Column[Any]) -> sa.Table:
        return sa.Table(name, m, C("id", text, primary_key=True),
                        C("token_hash", text, nullable=False), *extra,
                        C("revision", integer, nullable=False),
                        C("data", text, nullable=False),
                        C("created_at", real, nullable=False),
                        C("updated_at", real, nullable=False))

    guarded("runs", C("procedure", text, nullable=False), C("version", text, nullable=False),
            C("account", text, nullable=False), C("status", text, nullable=False))
    sa.Table("procedure_versions", m, C("id", text, primary_key=True),
             C("version", text, primary_key=True), C("data", text, nullable=False))
    sa.Table("funnel_events", m, C("id", integer, primary_key=True), C("run_id", text),
             C("procedure", text, nullable=False), C("type", text, nullable=False),
             C("step", text), C("detail", text), C("created_at", real, nullable=False),
             sa.Index("funnel_events_procedure", "procedure", "created_at"))
    conversations = guarded("conversations")
    sa.Index("conversations_created", conversations.c.created_at, conversations.c.updated_at)
    sa.Table("content_gaps", m, C("id", integer, primary_key=True),
             C("query", text, nullable=False), C("normalized", text, nullable=False),
             C("source", text, nullable=False), C("top_slug", text),
             C("created_at", real, nullable=False),
             sa.Index("content_gaps_normalized", "normalized"),
             sa.Index("content_gaps_grouped", "normalized", "created_at", "top_slug", "query"))
    sa.Table("guide_views", m, C("slug", text, primary_key=True),
             C("views", integer, nullable=False), C("last_viewed", real, nullable=False))
    sa.Table("guide_feedback", m, C("id", integer, primary_key=True),
             C("slug", text, nullable=False), C("helpful", integer, nullable=False),
             C("created_at", real, nullable=False),
             sa.Index("guide_feedback_slug", "slug"),
             sa.Index("guide_feedback_created", "created_at", "helpful"))
    sa.Table("questions", m, C("id", integer, primary_key=True),
             C("query", text, nullable=False), C("normalized", text, nullable=False),
             C("source", text, nullable=False), C("answered", integer, nullable=False),
             C("results", integer, nullable=False), C("top_slug", text),
             C("created_at", real, nullable=False),
             sa.Index("questions_created", "created_at", "answered"),
             sa.Index("questions_grouped", "normalized", "created_at", "answered",
                      "top_slug", "query"))
    sa.Table("result_clicks", m, C("id", integer, primary_key=True),
             C("query", text, nullable=False), C("normalized", text, nullable=False),
             C("slug", text, nullable=False), C("rank", integer, nullable=False),
             C("created_at", real, nullable=False),
             sa.Index("result_clicks_created", "created_at"))
    sa.Table("tickets", m, C("id", integer, primary_key=True),
             C("reference", text, nullable=False, unique=True),
             C("status", text, nullable=False, server_default=sa.text("'open'")),
             C("source", text, nullable=False), C("email", text, nullable=False),
             C("account", text, nullable=False), C("guide", text), C("procedure", text),
             C("note", text, nullable=False, server_default=sa.text("''")),
             C("data", text, nullable=False), C("created_at", real, nullable=False),
             C("updated_at", real, nullable=False),
             sa.Index("tickets_created", "created_at"),
             sa.Index("tickets_created_source", "created_at", "source"))
    sa.Table("outbox", m, C("id", integer, primary_key=True),
             C("ticket_id", integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"),
                nullable=False),
             C("channel", text, nullable=False),
             C("status", text, nullable=False, server_default=sa.text("'pending'")),
             C("attempts", integer, nullable=False, server_default=sa.text("0")),
             C("next_at", real, nullable=False),
             C("claimed_until", real, nullable=False, server_default=sa.text("0")),
             C("last_error", text, nullable=False, server_default=sa.text("''")),
             C("created_at", real, nullable=False), C("sent_at", real),
             sa.Index("outbox_due", "status", "next_at"))
    sa.Table("delivery_log", m, C("id", integer, primary_key=True),
             C("outbox_id", integer, sa.ForeignKey("outbox.id", ondelete="CASCADE"),
                nullable=False),
             C("ok", integer, nullable=False), C("detail", text, nullable=False),
             C("created_at", real, nullable=False))
    sa.Table("console_owners", m, C("name", text, primary_key=True),
             C("password_hash", text, nullable=False),
             C("created_at", real, nullable=False))
    sa.Table("console_login_failures", m, C("key", text, nullable=False),
             C("created_at", real, nullable=False),
             sa.Index("console_login_failures_key", "key"))


def upgrade() -> None:
    bind = op.get_bind()
    m = sa.MetaData()
    _tables(m)
    for table in m.sorted_tables:
        table.create(bind, checkfirst=True)
        for index in table.indexes:
            index.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    m = sa.MetaData()
    _tables(m)
    m.drop_all(bind)
