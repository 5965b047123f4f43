"""Rows written in batches: the logs that searches, chat questions and procedure steps add to.

A question asked, an unanswered one, a step of a procedure reached: each is a row in a
log that nobody waits for. Writing each in a transaction of its own (or in the turn's
own transaction) made the log a large part of what a search or a step costs, so rows are
kept in memory and inserted together, by a thread of their own (`IdleThread`: started
once and kept while rows come in, so no request pays for starting one), at most every
`flush_seconds` (so a quiet server's last rows still reach the owner's console within
seconds), and what is left when the process exits. Readers call `flush` first. Writing
is best effort: a full or read-only database costs the rows (with a warning), never the
answer the person is waiting for; a crash loses at most the last `flush_seconds` of rows.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import Any

from sqlalchemy import Table

from kb.errors import StorageUnavailable
from kb.store.database import Database
from kb.store.idle_thread import IdleThread

log = logging.getLogger(__name__)

# A flushing thread with nothing to write for this long ends (a new one starts with the
# next rows): a process that stops logging keeps no thread for it.
IDLE_SECONDS = 30.0


class BufferedRows:
    """Rows for `table`, inserted in batches; `what` names them in the warning."""

    def __init__(self, db: Database, table: Table, what: str, flush_seconds: float = 0.0):
        self.db = db
        self.table = table
        self.what = what
        self.flush_seconds = flush_seconds
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._flushed = float("-inf")
        self._at_exit = False
        self._due: float | None = None
        """When the thread is to write what is pending (None: nothing is scheduled)."""
        self._writer = IdleThread("kb-buffered-rows", self._write_when_due, IDLE_SECONDS)
        db.closing.append(self._close)

    def add(self, row: dict[str, Any]) -> None:
        self.add_all([row])

    def add_all(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        with self._lock:
            self._pending.extend(rows)
            if self.flush_seconds > 0:
                # Written by the flushing thread, never on the request's path.
                self._schedule(self.flush_seconds - (time.monotonic() - self._flushed))
                return
        self.flush()

    def _schedule(self, wait: float) -> None:
        """Have the thread flush in `wait` seconds, unless a flush is due already (lock
        held)."""
        if self._due is not None and self._writer.running():
            return
        # (A forked child inherits the schedule, not the thread that kept it.)
        if self._due is None:
            self._due = time.monotonic() + max(wait, 0.0)
        self._writer.wake()
        if not self._at_exit:
            # A short-lived process (`kb search`) writes what is pending as it exits.
            atexit.register(self.flush)
            self._at_exit = True

    def _write_when_due(self) -> None:
        """The thread's work: wait until the flush is due, then flush."""
        with self._lock:
            due = self._due
        if due is not None:
            time.sleep(max(due - time.monotonic(), 0.0))
        try:
            self.flush()
        except Exception:  # rows the database refused: they are lost, not the thread
            log.warning("%s could not be recorded", self.what, exc_info=True)

    def _close(self) -> None:
        """The database is closing: write what is pending, and let the thread end."""
        self.flush()
        self._writer.stop()

    def flush(self) -> None:
        """Write what is pending; when it returns, every row added before it was called
        is in the database (a write the thread began is waited for)."""
        with self._writing:
            with self._lock:
                pending, self._pending = self._pending, []
                self._flushed = time.monotonic()
                self._due = None
            if not pending or self.db.gone():
                return
            try:
                with self.db.transaction() as conn:
                    conn.execute(self.table.insert(), pending)
            except StorageUnavailable:
                log.warning("%d %s were not recorded: the database cannot be written",
                            len(pending), self.what)
