"""SQLite, the embedded store: one database file in the data folder, in WAL mode.

WAL lets several server processes read while one writes; `busy_timeout` makes a writer
wait for another instead of failing. Each module that stores something declares its
tables in `SCHEMA` statements applied here, idempotently, when a database is opened.

When the data folder cannot be written (a full disk, a read-only mount), reading goes on:
a database that cannot be opened for writing is opened read-only, with a warning, and a
write that fails for lack of storage raises `StorageUnavailable`, which callers either
shrug off (counters, logs) or answer with "try again later" (a person's run or message).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from kb.errors import StorageUnavailable

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# What SQLite says when the storage, not the statement, is the problem.
STORAGE_PROBLEMS = ("readonly", "read-only", "disk is full", "unable to open",
                    "disk i/o error", "no space")
RETRY_WRITABLE_SECONDS = 30.0
"""How long a connection opened read-only is used before writing is tried again."""
UNAVAILABLE = ("This could not be saved because the server's storage is full or "
               "read-only right now. Nothing was changed; please try again later.")

_SCHEMAS: list[str] = []


def register_schema(sql: str) -> None:
    """Tables of a module (CREATE ... IF NOT EXISTS), created on every open database."""
    if sql not in _SCHEMAS:
        _SCHEMAS.append(sql)


def storage_failure(error: BaseException) -> bool:
    """Whether an error means the data folder cannot be written (full, read-only)."""
    if isinstance(error, OSError):
        return True
    return isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        problem in str(error).lower() for problem in STORAGE_PROBLEMS)


def open_connection(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection for reading and writing or, when the folder cannot be written, one
    for reading only (with a warning): the knowledge base can still be read. The flag
    says whether it can write."""
    writable = True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        _use_wal(conn)
    except (OSError, sqlite3.Error) as exc:
        if not storage_failure(exc) or not path.exists():
            raise StorageUnavailable(UNAVAILABLE) from exc
        log.warning("%s cannot be written (%s): reading only; nothing will be saved",
                    path, exc)
        # Immutable: in a folder nobody can write, nobody changes the file, and SQLite
        # then needs no shared-memory file beside it (which it could not create).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        writable = False
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn, writable


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
        retry_at = getattr(self._local, "retry_writable_at", None)
        if conn is not None and retry_at is not None and time.monotonic() >= retry_at:
            # Read-only for a while: the disk may have been freed or remounted since.
            conn.close()
            conn = None
            self._applied.clear()
        if conn is None:
            conn, writable = open_connection(self.path)
            self._local.conn = conn
            self._local.retry_writable_at = (
                None if writable else time.monotonic() + RETRY_WRITABLE_SECONDS)
        if len(self._applied) != len(_SCHEMAS):
            with self._lock:
                for i, sql in enumerate(_SCHEMAS):
                    if i not in self._applied:
                        self._apply(conn, sql)
                        self._applied.add(i)
        return conn

    @staticmethod
    def _apply(conn: sqlite3.Connection, sql: str) -> None:
        """Create a module's tables; on storage that cannot be written, go on with the
        tables the file has (reading them works; writing will say it cannot)."""
        try:
            conn.executescript(sql)
        except sqlite3.Error as exc:
            if not storage_failure(exc):
                raise
            log.warning("tables could not be created (%s); reading only", exc)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so two writers
        never both read a row and then both update it. Raises StorageUnavailable (and
        writes nothing) when the data folder is full or read-only."""
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if storage_failure(exc):
                raise StorageUnavailable(UNAVAILABLE) from exc
            raise
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and storage_failure(exc):
                raise StorageUnavailable(UNAVAILABLE) from exc
            raise

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
