"""SQLite, the embedded store: one database file in the data folder, in WAL mode.

WAL lets several server processes read while one writes; `busy_timeout` makes a writer
wait for another instead of failing. Each module that stores something declares its
tables in `SCHEMA` statements applied here, idempotently, when a database is opened.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000

_SCHEMAS: list[str] = []


def register_schema(sql: str) -> None:
    """Tables of a module (CREATE ... IF NOT EXISTS), created on every open database."""
    if sql not in _SCHEMAS:
        _SCHEMAS.append(sql)


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    _use_wal(conn)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a database to WAL once. The switch needs an exclusive lock and SQLite does
    not wait for one (the busy timeout does not apply to it), so two processes opening a
    new database together would make one fail: it is retried until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Database:
    """A database file with one connection per thread, schemas applied on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._applied: set[int] = set()
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path)
        if len(self._applied) != len(_SCHEMAS):
            with self._lock:
                for i, sql in enumerate(_SCHEMAS):
                    if i not in self._applied:
                        conn.executescript(sql)
                        self._applied.add(i)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so two writers
        never both read a row and then both update it."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
