"""SQLite connections kept by the threads that use them, for the prepared statements.

Taking a connection from SQLAlchemy's pool and giving it back (its events, its reset)
cost a chat message more than all its SQL. On SQLite a thread therefore keeps one
pooled connection for its prepared statements (`kb.store.prepared`) and uses it again
for each, until the thread ends, the database is closed, an error makes the connection
suspect, or a connection opened read-only is due to be tried for writing again. Kept
connections are idle between statements: no transaction and no open statement stays
on them, so they hold back neither writers nor WAL checkpoints.

A few threads at most keep one (`LIMIT`); the others take one from the pool for each
statement as before. A connection is never used in another process than the one that
opened it (SQLite forbids carrying one across a fork). PostgreSQL connections are not
kept: each is a server's process, shared through the pool.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine

LIMIT = 4
"""Threads of one process that keep a connection to one database at once."""
_FORKED_AWAY: list[Any] = []
"""Connections a forked child inherited: never used nor closed there (closing one
could drop the parent's locks on the file)."""


class _Kept:
    """One thread's connection, given back to the pool when the thread lets it go."""

    def __init__(self, owner: KeptConnections, pooled: Any):
        self.owner = owner
        self.pooled: Any = pooled
        self.pid = os.getpid()

    def release(self) -> None:
        pooled, self.pooled = self.pooled, None
        if pooled is None:
            return
        if self.pid != os.getpid():
            _FORKED_AWAY.append(pooled)
            return
        with suppress(Exception):  # a pool already disposed closes it instead
            pooled.close()
        self.owner.released()

    def __del__(self) -> None:  # the thread ended (its thread-local data goes)
        self.release()


class KeptConnections:
    """The kept connections of one engine, one per thread, at most LIMIT at once."""

    def __init__(self, engine: Engine, limit: int = LIMIT):
        self._engine = engine
        self._limit = limit
        self._local = threading.local()
        self._lock = threading.Lock()
        self._count = 0
        self._all: weakref.WeakSet[_Kept] = weakref.WeakSet()
        self._closed = False

    def connection(self) -> Any | None:
        """This thread's driver connection, kept for it (taken from the pool the first
        time); None when LIMIT threads keep one already or the database is closed."""
        kept: _Kept | None = getattr(self._local, "kept", None)
        if kept is not None and kept.pooled is not None and kept.pid == os.getpid():
            until = kept.pooled.info.get("read_only_until")
            if until is None or time.monotonic() < until:
                return kept.pooled.dbapi_connection
            self.drop()  # read-only for a while: the pool tries writing again
        with self._lock:
            if self._closed or self._count >= self._limit:
                return None
            self._count += 1
        try:
            pooled = self._engine.raw_connection()
        except BaseException:
            self.released()
            raise
        kept = self._local.kept = _Kept(self, pooled)
        self._all.add(kept)
        return pooled.dbapi_connection

    def drop(self) -> None:
        """Give this thread's connection back (after an error, it may be broken: the
        pool resets or replaces it)."""
        kept: _Kept | None = getattr(self._local, "kept", None)
        self._local.kept = None
        if kept is not None:
            kept.release()

    def released(self) -> None:
        with self._lock:
            self._count -= 1

    def close(self) -> None:
        """Give back every thread's connection (the database is being closed)."""
        with self._lock:
            self._closed = True
        for kept in list(self._all):
            kept.release()
