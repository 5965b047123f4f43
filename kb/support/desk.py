"""The support desk: opens tickets, tells the customer what happens next, delivers.

`open` stores the ticket and its outbox entries first and only then tries to deliver, in
a background thread (a slow mail server must not hold up the customer's reply). What is
not delivered stays in the outbox: `deliver(force=True)` (`kb outbox --retry`) and the
web app's retry loop (every `RETRY_EVERY_S`) send it later.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from functools import cached_property

from kb.settings import Settings
from kb.store.database import Database
from kb.support.channels import Channel, configured
from kb.support.outbox import Attempt, Outbox
from kb.support.tickets import Line, Ticket, TicketContent, TicketStore

RETRY_EVERY_S = 60.0


class SupportDesk:
    def __init__(self, settings: Settings, db: Database, background: bool = True):
        self.settings = settings
        self.tickets = TicketStore(db)
        self.outbox = Outbox(db, self.tickets)
        # Tests and the command line deliver in the foreground, to see the outcome.
        self.background = background
        self._lock = threading.Lock()
        self._loop_pid: int | None = None

    @cached_property
    def channels(self) -> dict[str, Channel]:
        return configured(self.settings)

    def open(self, content: TicketContent) -> Ticket:
        """Store a ticket (with its deliveries queued), then start delivering it."""
        ticket = self.tickets.open(content, list(self.channels))
        self._send(ticket.reference)
        return ticket

    def add(self, reference: str, text: str) -> Ticket | None:
        """Add what the customer says after the hand-off to their open ticket, and send
        the ticket again with it; None when the ticket is closed or gone."""
        ticket = self.tickets.add(reference, Line(who="customer", text=text, at=time.time()),
                                  list(self.channels))
        if ticket is not None:
            self._send(ticket.reference)
        return ticket

    def added(self, ticket: Ticket) -> str:
        """The reply to a message added to a ticket: where it went."""
        if not self.channels:
            return (f"I've added this to your request {ticket.reference}; the help "
                    "center's owner can read it in the console.")
        return (f"I've added this to your request {ticket.reference}; our support team "
                "gets it with the rest of our conversation.")

    def pending(self, ticket: Ticket) -> str:
        """The reply to a request for a person while this conversation's request is
        open: where it is, and how to add to it."""
        where = ("is already with our support team" if self.channels else
                 "is saved, and the help center's owner can read it in the console")
        return (f"Your request {ticket.reference} {where}. Tell me here anything you want "
                "to add, and I'll add it to the request.")

    def _send(self, reference: str) -> None:
        if not self.channels:
            return
        if self.background:
            threading.Thread(target=self._deliver_quietly, daemon=True,
                             name=f"deliver {reference}").start()
        else:
            self.deliver()

    def deliver(self, force: bool = False) -> list[Attempt]:
        """Send what is due in the outbox (everything unsent with `force`)."""
        with self._lock:
            return self.outbox.deliver(self.channels, force=force)

    def _deliver_quietly(self) -> None:
        # A background retry must never kill the process: an entry that fails stays in
        # the outbox with its reason, and the loop tries again.
        with contextlib.suppress(Exception):
            self.deliver()

    def start_retry_loop(self, every_s: float = RETRY_EVERY_S) -> None:
        """Retry the outbox every `every_s` seconds, in a daemon thread of this process
        (started again in a forked worker, where the parent's thread does not exist)."""
        if not self.channels or self._loop_pid == os.getpid():
            return
        self._loop_pid = os.getpid()
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every_s):
                self._deliver_quietly()

        threading.Thread(target=loop, daemon=True, name="outbox retry").start()

    # -- what the customer is told -----------------------------------------------------
    def confirmation(self, ticket: Ticket) -> str:
        """The hand-off reply: the reference, who will answer, when."""
        s = self.settings
        if not self.channels:
            # Said in the customer's words: how the owner connects a team (an e-mail
            # address, a webhook) is for the owner's documentation, not for this reply.
            return (f"Your request is saved with the reference {ticket.reference}. This "
                    "demo has no support team connected yet, so nobody is notified: the "
                    "help center's owner can read your request in the console."
                    + self.phone_sentence())
        text = (f"I've passed our conversation to a person. Your reference is "
                f"{ticket.reference}. Our support team will reply to {ticket.content.email}"
                + (f" {s.support_reply_time}." if s.support_reply_time else "."))
        if s.support_hours:
            text += f" They answer {s.support_hours}."
        return text + self.phone_sentence()

    def contact_text(self) -> str:
        """How to reach people, from the settings; plain about it when nothing is set."""
        s = self.settings
        ways = []
        if s.support_email:
            ways.append(f"by e-mail at {s.support_email}")
        if s.support_phone:
            ways.append(f"by phone on {s.support_phone}")
        if not ways:
            return ("No support contact is configured for this help center yet, but you "
                    "can still leave a request for a person here.")
        text = "Our support team answers " + " and ".join(ways)
        return text + (f", {s.support_hours}." if s.support_hours else ".")

    def phone_sentence(self) -> str:
        phone = self.settings.support_phone
        return f" If it is urgent, call {phone}." if phone else ""
