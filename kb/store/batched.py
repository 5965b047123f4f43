"""Rows written in batches: the logs that searches, chat questions and procedure steps add to.

A question asked, an unanswered one, a step of a procedure reached: each is a row in a
log that nobody waits for. Writing each in a transaction of its own (or in the turn's
own transaction) made the log a large part of what a search or a step costs, so rows are
kept in memory and inserted together, by a thread of their own, at most every
`flush_seconds` (so a quiet server's last rows still reach the owner's console within
seconds), and what is left when the process exits. The thread is started once and kept
while rows come in (it ends after IDLE_SECONDS without any): starting one for each flush
cost the request that happened to start it up to several milliseconds, once a second. Readers call
`flush` first. Writing is best effort: a full or read-only database costs the rows (with
a warning), never the answer the person is waiting for; a crash loses at most the last
`flush_seconds` of rows.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from typing import Any

from sqlalchemy import Table

from kb.errors import StorageUnavailable
from kb.store.database import Database

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
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        """The process the thread runs in (a forked child has none of its own yet)."""
        self._wake = threading.Event()
        self._closed = False
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
        held). The thread is started when there is none in this process."""
        pid = os.getpid()
        if self._thread_pid != pid:
            # A forked child inherits the schedule but not the thread that kept it.
            self._thread, self._thread_pid, self._due = None, pid, None
        if self._due is not None:
            return
        self._due = time.monotonic() + max(wait, 0.0)
        if self._thread is None or not self._thread.is_alive():
            self._wake = threading.Event()
            self._thread = threading.Thread(target=self._work, args=(self._wake,),
                                            name="kb-buffered-rows", daemon=True)
            self._thread.start()
            if not self._at_exit:
                # A short-lived process (`kb search`) writes what is pending as it exits.
                atexit.register(self.flush)
                self._at_exit = True
        self._wake.set()

    def _work(self, wake: threading.Event) -> None:
        """The thread: wait to be woken, wait until the flush is due, flush; end when
        woken by nothing for IDLE_SECONDS."""
        while True:
            woken = wake.wait(IDLE_SECONDS)
            with self._lock:
                if self._closed or (not woken and self._due is None):
                    if self._thread is threading.current_thread():
                        self._thread = None
                    return
                wake.clear()
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
        with self._lock:
            self._closed = True
            self._wake.set()

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
