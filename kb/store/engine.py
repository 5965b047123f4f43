"""The database engine from the settings: a SQLite file by default, PostgreSQL by URL.

SQLite is the embedded default: one file in the data folder in WAL mode (several server
processes read while one writes), with a busy timeout so that a writer waits for another
instead of failing, and WAL checkpoints made off the request path (`kb.store.checkpoint`).
Its connections are made here, not by SQLAlchemy's driver defaults, for two reasons:
the driver must leave transactions to us (`BEGIN IMMEDIATE` takes the write lock up
front), and a file in a folder that cannot be written is still opened, read-only, so
that the knowledge base can be read on a full or read-only disk.

PostgreSQL (`KB_DATABASE_URL=postgresql://…`, also `postgres://` and
`postgresql+psycopg://`) goes through psycopg 3, with a pre-ping on checkout so that a
server restart costs the requests in flight, not the process.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

from kb.errors import StorageUnavailable
from kb.store.checkpoint import BACKSTOP_PAGES

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# What SQLite says when the storage, not the statement, is the problem.
STORAGE_PROBLEMS = ("readonly", "read-only", "disk is full", "unable to open",
                    "disk i/o error", "no space")
RETRY_WRITABLE_SECONDS = 30.0
"""How long a connection opened read-only is used before writing is tried again."""
UNAVAILABLE = ("This could not be saved because the server's storage is full or "
               "read-only right now. Nothing was changed; please try again later.")
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


class BadDatabaseURL(StorageUnavailable):
    """Raised when KB_DATABASE_URL is not a database URL this knowledge base can use."""


def storage_failure(error: BaseException | None) -> bool:
    """Whether an error means the data folder cannot be written (full, read-only)."""
    if isinstance(error, OSError):
        return True
    return isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        problem in str(error).lower() for problem in STORAGE_PROBLEMS)


def database_url(setting: str, default_file: Path) -> str:
    """The SQLAlchemy URL of the database named by KB_DATABASE_URL (empty: the file)."""
    setting = setting.strip()
    if not setting:
        return f"sqlite:///{Path(default_file).resolve()}"
    for scheme in POSTGRES_SCHEMES:
        if setting.startswith(scheme):
            return "postgresql+psycopg://" + setting[len(scheme):]
    if setting.startswith("sqlite:///"):
        return setting
    raise BadDatabaseURL(
        "KB_DATABASE_URL must be empty (the SQLite file in the data folder), "
        "postgresql://user:password@host:port/database or sqlite:///path/to/file; "
        f"it starts with {setting.split(':', 1)[0]!r}")


def make_engine(url: str) -> Engine:
    """An engine for `url` (a SQLite URL, or any PostgreSQL spelling `database_url` takes)."""
    if url.startswith("sqlite:///"):
        return _sqlite_engine(Path(url[len("sqlite:///"):]))
    url = database_url(url, Path())
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                             pool_recycle=1800, connect_args={"connect_timeout": 5})
    except ArgumentError as exc:
        raise BadDatabaseURL(f"KB_DATABASE_URL cannot be read: {exc}") from exc


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", creator=lambda: _open_sqlite(path),
                           pool_size=8, max_overflow=32)

    @event.listens_for(engine, "connect")
    def _remember(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info["read_only_until"] = (
            time.monotonic() + RETRY_WRITABLE_SECONDS
            if getattr(dbapi_conn, "kb_read_only", False) else None)

    @event.listens_for(engine, "checkout")
    def _retry_writable(dbapi_conn: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        until = record.info.get("read_only_until")
        if until is not None and time.monotonic() >= until:
            # Read-only for a while: the disk may have been freed or remounted since.
            raise DisconnectionError("retrying a read-only database for writing")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # The driver leaves transactions to us: a write takes the lock up front, so two
        # writers never both read a row and then both update it; a read begins nothing.
        if conn.get_execution_options().get("kb_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class _SQLiteConnection(sqlite3.Connection):
    kb_read_only = False


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection for reading and writing or, when the folder cannot be written, one
    for reading only (with a warning): the knowledge base can still be read."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False, factory=_SQLiteConnection)
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
                               check_same_thread=False, factory=_SQLiteConnection)
        conn.kb_read_only = True
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints are made beside the requests (kb.store.checkpoint); this is the net.
    conn.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
    return conn


def open_for_checkpoint(path: Path) -> sqlite3.Connection:
    """A connection that only checkpoints the WAL (kb.store.checkpoint)."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)


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
