"""Conversations for the console: a filtered list and one transcript.

The owner reads conversations by their row, without the customer's token: the console is
signed in, and the customer's own access (by token) is unchanged. Filters look for reply
types in the stored JSON, one page at a time, so only the rows shown are parsed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kb.console.period import Period
from kb.store.database import Database
from kb.store.schema import conversations

FILTERS = {"handed-off": '%"type":"handoff"%', "unanswered": '%"type":"fallback"%'}
PAGE = 50


@dataclass
class ConversationRow:
    id: str
    account: str
    created_at: float
    messages: int
    first: str
    handed_off: bool
    unanswered: bool


def _row(r: Any) -> ConversationRow:
    data = json.loads(r.data)
    turns = data.get("turns", [])
    types = {reply.get("type") for t in turns for reply in t.get("replies", [])}
    first = next((t.get("text", "") for t in turns if t.get("text")), "")
    return ConversationRow(r.id, data.get("account", ""), r.created_at, len(turns),
                           first[:140], "handoff" in types, "fallback" in types)


def list_conversations(db: Database, period: Period, kind: str | None,
                       page: int = 1) -> tuple[list[ConversationRow], bool]:
    """One page of conversations with at least one message, newest first; and whether
    there is a next page."""
    c = conversations.c
    query = select(c.id, c.data, c.created_at).where(
        c.created_at >= period.start, c.created_at < period.end, c.updated_at > c.created_at)
    if kind in FILTERS:
        query = query.where(c.data.like(FILTERS[kind]))
    rows = db.rows(query.order_by(c.created_at.desc()).limit(PAGE + 1)
                   .offset((page - 1) * PAGE))
    return [_row(r) for r in rows[:PAGE]], len(rows) > PAGE


def transcript(db: Database, conv_id: str) -> tuple[ConversationRow, list[dict[str, Any]]] | None:
    c = conversations.c
    row = db.first(select(c.id, c.data, c.created_at).where(c.id == conv_id[:64]))
    if row is None:
        return None
    return _row(row), json.loads(row.data).get("turns", [])
