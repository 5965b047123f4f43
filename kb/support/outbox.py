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

from kb.store.database import Database
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
        sql = ("SELECT o.*, t.reference FROM outbox o JOIN tickets t ON t.id = o.ticket_id"
               + (" WHERE o.status != 'sent'" if pending_only else "")
               + " ORDER BY o.created_at DESC LIMIT ?")
        rows = self.db.connection().execute(sql, (limit,)).fetchall()
        return [Entry(r["id"], r["reference"], r["channel"], r["status"], r["attempts"],
                      r["next_at"], r["last_error"], r["sent_at"]) for r in rows]

    def for_ticket(self, reference: str) -> list[Entry]:
        return [e for e in self.entries(limit=10_000) if e.reference == reference]

    def deliver(self, channels: Mapping[str, Channel], force: bool = False) -> list[Attempt]:
        """Send every entry that is due (every unsent one with `force`)."""
        now = time.time()
        rows = self.db.connection().execute(
            "SELECT id FROM outbox WHERE status != 'sent' AND claimed_until < ?"
            + ("" if force else " AND next_at <= ?") + " ORDER BY id",
            (now,) if force else (now, now)).fetchall()
        attempts = []
        for row in rows:
            attempt = self._attempt(row["id"], channels)
            if attempt is not None:
                attempts.append(attempt)
        return attempts

    def _attempt(self, row_id: int, channels: Mapping[str, Channel]) -> Attempt | None:
        now = time.time()
        with self.db.transaction() as conn:
            claimed = conn.execute(
                "UPDATE outbox SET claimed_until = ? WHERE id = ? AND status != 'sent' "
                "AND claimed_until < ?", (now + CLAIM_S, row_id, now)).rowcount
            entry = conn.execute("SELECT ticket_id, channel, attempts FROM outbox "
                                 "WHERE id = ?", (row_id,)).fetchone()
        if not claimed or entry is None:
            return None  # another process is on it
        ticket = self.tickets.by_row(entry["ticket_id"])
        channel = channels.get(entry["channel"])
        if ticket is None:
            return None
        ok, detail = False, ""
        if channel is None:
            detail = (f"the {entry['channel']} channel is no longer configured; set it up "
                      "again and retry")
        else:
            try:
                detail, ok = channel.send(ticket), True
            except DeliveryFailed as exc:
                detail = str(exc)
        tries = entry["attempts"] + 1
        later = min(MAX_BACKOFF_S, BACKOFF_S * 2 ** (tries - 1))
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, attempts = ?, next_at = ?, claimed_until = 0, "
                "last_error = ?, sent_at = ? WHERE id = ?",
                ("sent" if ok else "failed", tries, time.time() + later,
                 "" if ok else detail, time.time() if ok else None, row_id))
            conn.execute("INSERT INTO delivery_log(outbox_id, ok, detail, created_at) "
                         "VALUES (?, ?, ?, ?)", (row_id, int(ok), detail, time.time()))
        return Attempt(ticket.reference, entry["channel"], ok, detail)

    def log(self, reference: str) -> list[tuple[float, str, bool, str]]:
        """Every delivery attempt of a ticket: (when, channel, ok, what happened)."""
        rows = self.db.connection().execute(
            "SELECT l.created_at, o.channel, l.ok, l.detail FROM delivery_log l "
            "JOIN outbox o ON o.id = l.outbox_id JOIN tickets t ON t.id = o.ticket_id "
            "WHERE t.reference = ? ORDER BY l.id", (reference,)).fetchall()
        return [(r[0], r[1], bool(r[2]), r[3]) for r in rows]
