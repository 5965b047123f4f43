"""Hand-off tickets in SQLite: what a customer asked a person for, with what was said.

A ticket holds the contact email, the account, the guide and procedure concerned, the
procedure's state and answers (secrets masked) and the conversation's transcript. It is
reached by a short reference (`T-48213`) that the customer is told, never by its row id.
Opening a ticket also queues one outbox entry per delivery channel, in the same
transaction, so a ticket is never stored without its deliveries or sent before it is kept.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kb.store.database import Database, register_schema

register_schema("""
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'open',
    source TEXT NOT NULL,
    email TEXT NOT NULL,
    account TEXT NOT NULL,
    guide TEXT,
    procedure TEXT,
    note TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_created ON tickets(created_at);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL,
    claimed_until REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    sent_at REAL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_at);
CREATE TABLE IF NOT EXISTS delivery_log (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    ok INTEGER NOT NULL,
    detail TEXT NOT NULL,
    created_at REAL NOT NULL
);
""")

Status = Literal["open", "closed"]
MAX_NOTE = 4000


class Line(BaseModel):
    """One line of the transcript: who said it and what."""

    model_config = ConfigDict(extra="forbid")

    who: Literal["customer", "assistant"]
    text: str
    at: float = 0.0


class TicketContent(BaseModel):
    """What the support team needs to pick the conversation up without asking again."""

    model_config = ConfigDict(extra="forbid")

    email: str
    account: str
    source: Literal["chat", "wizard"]
    subject: str
    guide: str | None = None
    procedure: str | None = None
    procedure_title: str | None = None
    procedure_status: str | None = None
    procedure_step: str | None = None
    answers: dict[str, str] = {}
    transcript: list[Line] = []


@dataclass(frozen=True)
class Ticket:
    """A stored ticket as the console and the channels read it."""

    reference: str
    status: str
    note: str
    content: TicketContent
    created_at: float
    row: int

    def payload(self) -> dict[str, Any]:
        """The ticket as plain JSON data (the webhook's body, the e-mail's source)."""
        return {"reference": self.reference, "status": self.status,
                "created_at": self.created_at, **self.content.model_dump(mode="json")}


def new_reference() -> str:
    """A short reference a customer can read out on the phone: T- and five digits."""
    return f"T-{secrets.randbelow(90_000) + 10_000}"


class TicketStore:
    """Tickets and their outbox entries."""

    def __init__(self, db: Database):
        self.db = db

    def open(self, content: TicketContent, channels: list[str]) -> Ticket:
        """Store a ticket and queue it on `channels`, in one transaction."""
        now = time.time()
        data = content.model_dump_json()
        with self.db.transaction() as conn:
            for _ in range(20):
                reference = new_reference()
                try:
                    cursor = conn.execute(
                        "INSERT INTO tickets(reference, source, email, account, guide, "
                        "procedure, data, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (reference, content.source, content.email, content.account,
                         content.guide, content.procedure, data, now, now))
                    break
                except sqlite3.IntegrityError:
                    continue  # that reference is taken: draw another
            else:  # pragma: no cover - 20 collisions in 90,000 references
                raise RuntimeError("could not draw a free ticket reference")
            row = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO outbox(ticket_id, channel, next_at, created_at) "
                "VALUES (?, ?, ?, ?)", [(row, channel, now, now) for channel in channels])
        return Ticket(reference, "open", "", content, now, row)

    def get(self, reference: str) -> Ticket | None:
        row = self.db.connection().execute(
            "SELECT * FROM tickets WHERE reference = ?", (reference,)).fetchone()
        return _ticket(row) if row is not None else None

    def by_row(self, row_id: int) -> Ticket | None:
        row = self.db.connection().execute(
            "SELECT * FROM tickets WHERE id = ?", (row_id,)).fetchone()
        return _ticket(row) if row is not None else None

    def update(self, reference: str, status: Status, note: str) -> bool:
        """Set a ticket's status and note; False when there is no such ticket."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE tickets SET status = ?, note = ?, updated_at = ? WHERE reference = ?",
                (status, note[:MAX_NOTE], time.time(), reference))
        return cursor.rowcount == 1

    def list(self, start: float, end: float, status: str | None = None, limit: int = 50,
             offset: int = 0) -> list[Ticket]:
        """Tickets opened in [start, end), newest first."""
        sql = "SELECT * FROM tickets WHERE created_at >= ? AND created_at < ?"
        args: list[Any] = [start, end]
        if status:
            sql += " AND status = ?"
            args.append(status)
        sql += " ORDER BY created_at DESC LIMIT ? OFFSET ?"
        rows = self.db.connection().execute(sql, (*args, limit, offset)).fetchall()
        return [_ticket(r) for r in rows]


def _ticket(row: sqlite3.Row) -> Ticket:
    content = TicketContent.model_validate(json.loads(row["data"]))
    return Ticket(row["reference"], row["status"], row["note"], content, row["created_at"],
                  row["id"])
