"""The outbox: each ticket's pending deliveries, retried until they go through.

An entry is claimed before it is sent (an atomic update of `claimed_until`), so two
server processes never send the same ticket twice at once; a failure keeps the reason
and schedules the next attempt later and later (back-off), and every attempt is written
to the delivery log.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update

from kb.store.database import Database
from kb.store.schema import delivery_log, outbox, tickets
from kb.support.channels import Channel
from kb.support.errors import DeliveryFailed
from kb.support.tickets import TicketStore

CLAIM_S = 120.0
BACKOFF_S = 30.0
MAX_BACKOFF_S = 6 * 3600.0


@dataclass(frozen=True)
class Entry:
    """One delivery of one ticket on one channel."""

    row: int
    reference: str
    channel: str
    status: str
    attempts: int
    next_at: float
    last_error: str
    sent_at: float | None


@dataclass(frozen=True)
class Attempt:
    reference: str
    channel: str
    ok: bool
    detail: str


class Outbox:
    def __init__(self, db: Database, tickets: TicketStore):
        self.db = db
        self.tickets = tickets

    def entries(self, pending_only: bool = False, limit: int = 200) -> list[Entry]:
        o = outbox.c
        query = select(outbox, tickets.c.reference).join(tickets, tickets.c.id == o.ticket_id)
        if pending_only:
            query = query.where(o.status != "sent")
        rows = self.db.rows(query.order_by(o.created_at.desc(), o.id.desc()).limit(limit))
        return [Entry(r.id, r.reference, r.channel, r.status, r.attempts, r.next_at,
                      r.last_error, r.sent_at) for r in rows]

    def for_ticket(self, reference: str) -> list[Entry]:
        return [e for e in self.entries(limit=10_000) if e.reference == reference]

    def deliver(self, channels: Mapping[str, Channel], force: bool = False) -> list[Attempt]:
        """Send every entry that is due (every unsent one with `force`)."""
        now = time.time()
        o = outbox.c
        query = select(o.id).where(o.status != "sent", o.claimed_until < now)
        if not force:
            query = query.where(o.next_at <= now)
        attempts = []
        for row in self.db.rows(query.order_by(o.id)):
            attempt = self._attempt(row.id, channels)
            if attempt is not None:
                attempts.append(attempt)
        return attempts

    def _attempt(self, row_id: int, channels: Mapping[str, Channel]) -> Attempt | None:
        now = time.time()
        o = outbox.c
        with self.db.transaction() as conn:
            claimed = conn.execute(
                update(outbox).where(o.id == row_id, o.status != "sent",
                                     o.claimed_until < now)
                .values(claimed_until=now + CLAIM_S)).rowcount
            entry = conn.execute(select(o.ticket_id, o.channel, o.attempts)
                                 .where(o.id == row_id)).first()
        if not claimed or entry is None:
            return None  # another process is on it
        ticket = self.tickets.by_row(entry.ticket_id)
        channel = channels.get(entry.channel)
        if ticket is None:
            return None
        ok, detail = False, ""
        if channel is None:
            detail = (f"the {entry.channel} channel is no longer configured; set it up "
                      "again and retry")
        else:
            try:
                detail, ok = channel.send(ticket), True
            except DeliveryFailed as exc:
                detail = str(exc)
        tries = entry.attempts + 1
        later = min(MAX_BACKOFF_S, BACKOFF_S * 2 ** (tries - 1))
        with self.db.transaction() as conn:
            conn.execute(update(outbox).where(o.id == row_id).values(
                status="sent" if ok else "failed", attempts=tries, next_at=time.time() + later,
                claimed_until=0, last_error="" if ok else detail,
                sent_at=time.time() if ok else None))
            conn.execute(delivery_log.insert().values(outbox_id=row_id, ok=int(ok),
                                                      detail=detail, created_at=time.time()))
        return Attempt(ticket.reference, entry.channel, ok, detail)

    def log(self, reference: str) -> list[tuple[float, str, bool, str]]:
        """Every delivery attempt of a ticket: (when, channel, ok, what happened)."""
        lg = delivery_log.c
        rows = self.db.rows(
            select(lg.created_at, outbox.c.channel, lg.ok, lg.detail)
            .join(outbox, outbox.c.id == lg.outbox_id)
            .join(tickets, tickets.c.id == outbox.c.ticket_id)
            .where(tickets.c.reference == reference).order_by(lg.id))
        return [(r[0], r[1], bool(r[2]), r[3]) for r in rows]
