"""Conversations for the console: a filtered list and one transcript.

The owner reads conversations by their row, without the customer's token: the console is
signed in, and the customer's own access (by token) is unchanged. Filters look for reply
types in the stored JSON, one page at a time, so only the rows shown are parsed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import kb.chat.conversations  # noqa: F401 - for its schema
from kb.console.period import Period
from kb.store.database import Database

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
    data = json.loads(r["data"])
    turns = data.get("turns", [])
    types = {reply.get("type") for t in turns for reply in t.get("replies", [])}
    first = next((t.get("text", "") for t in turns if t.get("text")), "")
    return ConversationRow(r["id"], data.get("account", ""), r["created_at"], len(turns),
                           first[:140], "handoff" in types, "fallback" in types)


def list_conversations(db: Database, period: Period, kind: str | None,
                       page: int = 1) -> tuple[list[ConversationRow], bool]:
    """One page of conversations with at least one message, newest first; and whether
    there is a next page."""
    sql = ("SELECT id, data, created_at FROM conversations WHERE created_at >= ? AND "
           "created_at < ? AND updated_at > created_at")
    args: list[Any] = [period.start, period.end]
    if kind in FILTERS:
        sql += " AND data LIKE ?"
        args.append(FILTERS[kind])
    sql += " ORDER BY created_at DESC LIMIT ? OFFSET ?"
    rows = db.connection().execute(sql, (*args, PAGE + 1, (page - 1) * PAGE)).fetchall()
    return [_row(r) for r in rows[:PAGE]], len(rows) > PAGE


def transcript(db: Database, conv_id: str) -> tuple[ConversationRow, list[dict[str, Any]]] | None:
    row = db.connection().execute("SELECT id, data, created_at FROM conversations WHERE "
                                  "id = ?", (conv_id[:64],)).fetchone()
    if row is None:
        return None
    return _row(row), json.loads(row["data"]).get("turns", [])
