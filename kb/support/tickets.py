"""Hand-off tickets in the database: what a customer asked a person for, with what was said.

A ticket holds the contact email, the account, the guide and procedure concerned, the
procedure's state and answers (secrets masked) and the conversation's transcript. It is
reached by a short reference (`T-48213`) that the customer is told, never by its row id.
Opening a ticket also queues one outbox entry per delivery channel, in the same
transaction, so a ticket is never stored without its deliveries or sent before it is kept.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row, select, update

from kb.store import dialect
from kb.store.database import Database
from kb.store.schema import outbox, tickets

Status = Literal["open", "closed"]
MAX_NOTE = 4000
# The transcript a ticket keeps: its last lines.
MAX_LINES = 100


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
                # A taken reference inserts nothing (no error, which would end the
                # transaction on PostgreSQL): draw another.
                row = conn.execute(dialect.insert(conn, tickets).values(
                    reference=reference, source=content.source, email=content.email,
                    account=content.account, guide=content.guide,
                    procedure=content.procedure, data=data, created_at=now, updated_at=now,
                ).on_conflict_do_nothing(index_elements=["reference"])
                    .returning(tickets.c.id)).scalar()
                if row is not None:
                    break
            else:  # pragma: no cover - 20 collisions in 90,000 references
                raise RuntimeError("could not draw a free ticket reference")
            if channels:
                conn.execute(outbox.insert(), [
                    {"ticket_id": row, "channel": channel, "next_at": now, "created_at": now}
                    for channel in channels])
        return Ticket(reference, "open", "", content, now, row)

    def add(self, reference: str, line: Line, channels: list[str]) -> Ticket | None:
        """Add a line to an open ticket's transcript and queue the ticket again on
        `channels` (the team gets it with the line), in one transaction; None when the
        ticket is closed or gone."""
        now = time.time()
        with self.db.transaction() as conn:
            row = conn.execute(select(tickets).where(tickets.c.reference == reference)).first()
            if row is None or row.status != "open":
                return None
            ticket = _ticket(row)
            content = ticket.content.model_copy(update={
                "transcript": [*ticket.content.transcript, line][-MAX_LINES:]})
            conn.execute(update(tickets).where(tickets.c.id == row.id).values(
                data=content.model_dump_json(), updated_at=now))
            if channels:
                conn.execute(outbox.insert(), [
                    {"ticket_id": row.id, "channel": channel, "next_at": now,
                     "created_at": now} for channel in channels])
        return replace(ticket, content=content)

    def get(self, reference: str) -> Ticket | None:
        row = self.db.first(select(tickets).where(tickets.c.reference == reference))
        return _ticket(row) if row is not None else None

    def by_row(self, row_id: int) -> Ticket | None:
        row = self.db.first(select(tickets).where(tickets.c.id == row_id))
        return _ticket(row) if row is not None else None

    def update(self, reference: str, status: Status, note: str) -> bool:
        """Set a ticket's status and note; False when there is no such ticket."""
        with self.db.transaction() as conn:
            cursor = conn.execute(update(tickets).where(tickets.c.reference == reference)
                                  .values(status=status, note=note[:MAX_NOTE],
                                          updated_at=time.time()))
        return cursor.rowcount == 1

    def list(self, start: float, end: float, status: str | None = None, limit: int = 50,
             offset: int = 0) -> list[Ticket]:
        """Tickets opened in [start, end), newest first."""
        t = tickets.c
        query = select(tickets).where(t.created_at >= start, t.created_at < end)
        if status:
            query = query.where(t.status == status)
        rows = self.db.rows(query.order_by(t.created_at.desc()).limit(limit).offset(offset))
        return [_ticket(r) for r in rows]


def _ticket(row: Row[Any]) -> Ticket:
    content = TicketContent.model_validate(json.loads(row.data))
    return Ticket(row.reference, row.status, row.note, content, row.created_at, row.id)
