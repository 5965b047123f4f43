"""WAL checkpoints of a SQLite database, made beside the requests instead of inside one.

In WAL mode SQLite appends every commit to the `-wal` file and copies it back into the
database file (a checkpoint) when the file has grown past `wal_autocheckpoint` pages.
By default that copy, and its two fsyncs, are made by whichever commit crosses the
line: a chat message that took a quarter of a millisecond then took three or four.

Here each connection's own threshold is raised (`BACKSTOP_PAGES`, a safety net only),
and after every `EVERY_COMMITS` commits of this process a background thread makes a
PASSIVE checkpoint: it copies what no reader still needs, never waits for a lock and
never blocks a writer, so several server processes can each run one. The fsyncs still
slow down the disk writes of commits made meanwhile, so the thread waits for a quiet
moment (no commit for `QUIET_SECONDS`, at most `LATEST_SECONDS`): between requests on a
server, not in the middle of one. When the last connection to the file closes, SQLite
checkpoints what is left (as it always did).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable

from kb.store.idle_thread import IdleThread

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 10_000
"""`wal_autocheckpoint` of each connection: reached only if the background checkpoints
cannot keep up (about 40 MB of WAL with 4 KB pages)."""
EVERY_COMMITS = 500
"""Commits of this process between two background checkpoints: a chat message dirties
five to ten pages, so the WAL stays within a few thousand pages (10-20 MB), and its
fsyncs come a few times less often than with SQLite's default of 1000 pages."""
QUIET_SECONDS = 0.05
"""A checkpoint waits for this long without a commit..."""
LATEST_SECONDS = 2.0
"""... but not longer than this, under a steady load."""
IDLE_SECONDS = 30.0
"""A checkpoint thread with nothing to do for this long ends (a new one starts when
needed), so an idle process keeps no thread around for it."""


class Checkpointer:
    """Counts commits and, every `every` of them, has a thread checkpoint the WAL with a
    connection from `connect` (kept while the thread runs)."""

    def __init__(self, connect: Callable[[], sqlite3.Connection],
                 every: int = EVERY_COMMITS):
        self._connect = connect
        self._every = every
        self._commits = 0
        # One connection for the thread's life, kept on the thread: opening one per
        # checkpoint cost more than the checkpoint, on the same cores as the requests.
        self._kept = threading.local()
        self._worker = IdleThread("kb-wal-checkpoint", self._checkpoint_when_quiet,
                                  IDLE_SECONDS, self._release)
        self.done = 0
        """Checkpoints made (for tests and benchmarks)."""

    def committed(self) -> None:
        """Note one commit; every `every` commits, wake (or start) the thread."""
        self._commits += 1  # a lost increment under a race only delays a checkpoint
        if self._commits % self._every == 0:
            self._signal()

    def _signal(self) -> None:
        self._worker.wake()

    def _checkpoint_when_quiet(self) -> None:
        self._quiet_moment()
        self._kept.conn = self.checkpoint(getattr(self._kept, "conn", None))

    def _release(self) -> None:
        conn = getattr(self._kept, "conn", None)
        if conn is not None:
            conn.close()
            self._kept.conn = None

    def _quiet_moment(self) -> None:
        """Wait until no commit was made for QUIET_SECONDS, or LATEST_SECONDS passed."""
        latest = time.monotonic() + LATEST_SECONDS
        while time.monotonic() < latest:
            seen = self._commits
            time.sleep(QUIET_SECONDS)
            if self._commits == seen:
                return

    def checkpoint(self, conn: sqlite3.Connection | None = None
                   ) -> sqlite3.Connection | None:
        """One PASSIVE checkpoint now, on `conn` or a new connection; returns the
        connection to use next time. A failure is only logged (the next checkpoint, or
        SQLite's own at the backstop, copies the pages) and its connection closed."""
        try:
            if conn is None:
                conn = self._connect()
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.done += 1
            return conn
        except Exception as exc:  # a read-only disk, a closing database...
            log.debug("background WAL checkpoint skipped: %s", exc)
            if conn is not None:
                conn.close()
            return None
