"""Rows written in batches: the logs that every search or chat question adds to.

A question asked, or an unanswered one, is a row in a log that nobody waits for. Writing
each in a transaction of its own made the log the most expensive part of a search, so
rows are kept in memory and inserted together at most every `flush_seconds` (the first at
once, the rest when the next row arrives after that time, or when the process exits).
Readers call `flush` first. Writing is best effort: a full or read-only database costs
the rows (with a warning), never the answer the person is waiting for.
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

log = logging.getLogger(__name__)


class BufferedRows:
    """Rows for `table`, inserted in batches; `what` names them in the warning."""

    def __init__(self, db: Database, table: Table, what: str, flush_seconds: float = 0.0):
        self.db = db
        self.table = table
        self.what = what
        self.flush_seconds = flush_seconds
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._flushed = float("-inf")
        self._at_exit = False

    def add(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append(row)
            due = time.monotonic() - self._flushed >= self.flush_seconds
            if not due and not self._at_exit:
                # A short-lived process (`kb search`) writes what is pending as it exits.
                atexit.register(self.flush)
                self._at_exit = True
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
            self._flushed = time.monotonic()
        if not pending:
            return
        try:
            with self.db.transaction() as conn:
                conn.execute(self.table.insert(), pending)
        except StorageUnavailable:
            log.warning("%d %s were not recorded: the database cannot be written",
                        len(pending), self.what)
