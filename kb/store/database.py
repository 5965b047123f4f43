"""The knowledge base's database: transactions for writing, connections for reading.

One `Database` per process names one database (the SQLite file in the data folder, or
the PostgreSQL server of `KB_DATABASE_URL`); its tables are declared in
`kb.store.schema` and kept current by the migrations (`kb.store.migrate`), applied on
first use on SQLite and by `kb db upgrade` on PostgreSQL.

When storage fails, reading goes on where it can: a write that fails for lack of storage
(a full or read-only disk) or because the database server cannot be reached raises
`StorageUnavailable`, which callers either shrug off (counters, logs) or answer with
"try again later" (a person's run or message); nothing is half-written.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Executable, Row
from sqlalchemy.exc import DBAPIError, OperationalError

from kb.errors import StorageUnavailable
from kb.store.checkpoint import Checkpointer
from kb.store.engine import (
    UNAVAILABLE,
    database_url,
    make_engine,
    open_for_checkpoint,
    storage_failure,
)
from kb.store.kept import KeptConnections

log = logging.getLogger(__name__)

UNREACHABLE = ("This could not be done because the database cannot be reached right "
               "now. Nothing was changed; please try again in a moment.")


_MIGRATING = threading.Lock()


class Database:
    """A database named by a SQLite file path or a URL (see `kb.store.engine`); the
    engine is made, and the schema brought up to date (SQLite) or checked (PostgreSQL),
    on first use."""

    def __init__(self, where: Path | str):
        if isinstance(where, str) and "://" in where:
            self.url = database_url(where, Path())
        else:
            self.url = database_url("", Path(where))
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.is_sqlite = self.url.startswith("sqlite")
        self.kept: KeptConnections | None = None
        """On SQLite, the connections threads keep for prepared statements."""
        self.checkpoints: Checkpointer | None = None
        """On SQLite, the WAL checkpoints made beside the requests (`committed`)."""
        self.closing: list[Callable[[], None]] = []
        """Called when the database is closed, before its connections go (to write what
        is kept in memory for it, `kb.store.batched`)."""
        self.closed = False
        self._path: Path | None = None
        if self.is_sqlite:
            path = self._path = Path(self.url[len("sqlite:///"):])
            self.checkpoints = Checkpointer(lambda: open_for_checkpoint(path))

    def gone(self) -> bool:
        """Whether there is nothing to write to any more: the database was closed, or
        its SQLite file was deleted since it was opened (a temporary one)."""
        return self.closed or (self._engine is not None and self._path is not None
                               and not self._path.exists())

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = make_engine(self.url)
                    from kb.store.migrate import prepare

                    kept = KeptConnections(engine) if self.is_sqlite else None
                    # Connections are closed when the Database goes, not left to the
                    # garbage collector (which would drop them without a goodbye).
                    weakref.finalize(self, _dispose, engine, kept)
                    # Alembic keeps its running migration in module-wide state: two
                    # databases opened at once in two threads (a batch writer's timer
                    # and a request) must not migrate at the same time.
                    with self.translated(), _MIGRATING:
                        prepare(engine)
                    self.kept = kept
                    self._engine = engine
        return self._engine

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction, committed at the end or rolled back on error. On SQLite the
        write lock is taken up front (BEGIN IMMEDIATE). Raises StorageUnavailable (and
        writes nothing) when storage is full or read-only, or the server is away."""
        with self.translated(), self.engine.connect() as conn:
            conn.execution_options(kb_write=True)
            with conn.begin():
                yield conn
        self.committed()

    def committed(self) -> None:
        """Called after each commit: on SQLite, the WAL is checkpointed now and then by
        a background thread, not by the commit that happens to fill it."""
        if self.checkpoints is not None:
            self.checkpoints.committed()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reading (nothing it does is committed)."""
        with self.translated(), self.engine.connect() as conn:
            yield conn

    def rows(self, statement: Executable, params: dict[str, Any] | None = None
             ) -> Sequence[Row[Any]]:
        """All rows of one query."""
        with self.reading() as conn:
            return conn.execute(statement, params or {}).all()

    def first(self, statement: Executable, params: dict[str, Any] | None = None
              ) -> Row[Any] | None:
        """The first row of one query, or None."""
        with self.reading() as conn:
            return conn.execute(statement, params or {}).first()

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        """Storage failures raised inside (as SQLAlchemy's `DBAPIError`) become
        `StorageUnavailable`; anything else goes through unchanged."""
        try:
            yield
        except DBAPIError as exc:
            unavailable = self.unavailable(exc)
            if unavailable is not None:
                raise unavailable from exc
            raise

    def unavailable(self, exc: DBAPIError) -> StorageUnavailable | None:
        """The `StorageUnavailable` that a storage failure means, else None."""
        if self.is_sqlite and storage_failure(exc.orig):
            return StorageUnavailable(UNAVAILABLE)
        if not self.is_sqlite and (isinstance(exc, OperationalError)
                                   or exc.connection_invalidated):
            log.warning("the database cannot be reached: %s", exc.orig)
            return StorageUnavailable(UNREACHABLE)
        return None

    def close(self) -> None:
        for then in self.closing:
            then()
        self.closed = True
        if self._engine is not None:
            _dispose(self._engine, self.kept)


def _dispose(engine: Engine, kept: KeptConnections | None) -> None:
    """Close the engine's connections, the kept ones first (given back to the pool)."""
    if kept is not None:
        kept.close()
    engine.dispose()
