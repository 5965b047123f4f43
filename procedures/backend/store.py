"""The mock's database: users and organizations as JSON documents, and counters.

Where it lives: its own SQLite file beside the knowledge base's (the default), or, when
the knowledge base runs on PostgreSQL, the same PostgreSQL database, in tables of its
own (`backend_users`, ...): servers on several machines then share the accounts, and
the record of every payout, as they share runs.

Each operation runs in one transaction that takes the write lock before anything is read
(SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-level advisory lock of the
backend's own): two callers (threads, processes or servers) never both read a balance and
both write their own version of it. On SQLite, WAL lets readers go on while one writer
works, and busy_timeout makes a writer wait its turn instead of failing.

A call that carries an idempotency key is recorded, with its result, in the transaction
that makes its effect (`Transaction.record`): a duplicate of the call, waiting for the
write lock, then finds the record instead of acting again. Transactions opened while one
is already open in the same thread join it, so the key and the effect commit together.

A file in a folder that cannot be written is opened read-only (with a warning): accounts
can still be read, and a change fails as TemporarilyUnavailable, as it does when the
disk is full, with nothing changed.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from procedures.backend.errors import BackendError, NotFound, TemporarilyUnavailable
from procedures.backend.records import OrganizationRecord, UserRecord

BUSY_TIMEOUT_MS = 15_000
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
# Any constant of our own: the key of the advisory lock every writer takes first.
WRITE_LOCK_KEY = 0x6B62_6163_6B65_6E64  # "kbackend"


class Tables(NamedTuple):
    users: Table
    organizations: Table
    counters: Table
    idempotency: Table


def tables(prefix: str) -> tuple[MetaData, Tables]:
    """The backend's tables, named with `prefix` (none in its own SQLite file)."""
    m = MetaData()
    return m, Tables(
        Table(f"{prefix}users", m, Column("name", Text, primary_key=True),
              Column("position", Integer, nullable=False), Column("doc", Text, nullable=False)),
        Table(f"{prefix}organizations", m, Column("id", Text, primary_key=True),
              Column("doc", Text, nullable=False)),
        Table(f"{prefix}counters", m, Column("name", Text, primary_key=True),
              Column("value", Integer, nullable=False)),
        Table(f"{prefix}idempotency", m, Column("key", Text, primary_key=True),
              Column("fingerprint", Text, nullable=False), Column("result", Text, nullable=False),
              Column("created_at", Float, nullable=False),
              Index(f"{prefix}idempotency_age", "created_at")))


RETRY_WRITABLE_SECONDS = 30.0
"""How long the file is used read-only, after a failure to write, before trying again."""
KEEP_KEYS_SECONDS = 7 * 24 * 3600
"""How long a call's key is remembered: far longer than any retry or restart takes."""


class Recorded(NamedTuple):
    """A keyed call already made: what it was (a hash of operation and arguments) and
    its outcome as JSON."""

    fingerprint: str
    result: str

E = TypeVar("E", bound=BackendError)
log = logging.getLogger(__name__)

# What SQLite says when the storage, not the statement, is the problem.
STORAGE_PROBLEMS = ("readonly", "read-only", "disk is full", "unable to open",
                    "disk i/o error")


def _storage_failure(error: BaseException | None) -> bool:
    return isinstance(error, sqlite3.Error) and any(
        problem in str(error).lower() for problem in STORAGE_PROBLEMS)


class Transaction:
    """Reads and writes inside one open transaction; records are saved explicitly."""

    def __init__(self, conn: Connection, t: Tables):
        self.conn = conn
        self.t = t
        self._committed: list[BackendError] = []

    def _insert(self, table: Table) -> Any:
        if self.conn.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def user_names(self) -> list[str]:
        u = self.t.users.c
        return [r[0] for r in self.conn.execute(select(u.name).order_by(u.position))]

    def user(self, name: object) -> UserRecord:
        u = self.t.users.c
        row = self.conn.execute(select(u.doc).where(
            u.name == (name if isinstance(name, str) else ""))).first()
        if row is None:
            raise NotFound(f"there is no demo account {name!r}; the demo accounts are: "
                           f"{', '.join(self.user_names())}")
        return UserRecord.model_validate_json(row[0])

    def users(self) -> list[UserRecord]:
        u = self.t.users.c
        rows = self.conn.execute(select(u.doc).order_by(u.position))
        return [UserRecord.model_validate_json(r[0]) for r in rows]

    def organization(self, org_id: str) -> OrganizationRecord:
        o = self.t.organizations.c
        row = self.conn.execute(select(o.doc).where(o.id == org_id)).first()
        if row is None:
            raise NotFound(f"there is no organization {org_id!r}")
        return OrganizationRecord.model_validate_json(row[0])

    def save(self, *records: UserRecord | OrganizationRecord) -> None:
        users, organizations = self.t.users, self.t.organizations
        for record in records:
            if isinstance(record, UserRecord):
                last = select(func.coalesce(func.max(users.c.position), 0) + 1)
                insert = self._insert(users).values(
                    name=record.name, position=last.scalar_subquery(),
                    doc=record.model_dump_json())
                self.conn.execute(insert.on_conflict_do_update(
                    index_elements=["name"], set_={"doc": insert.excluded.doc}))
            else:
                insert = self._insert(organizations).values(id=record.id,
                                                            doc=record.model_dump_json())
                self.conn.execute(insert.on_conflict_do_update(
                    index_elements=["id"], set_={"doc": insert.excluded.doc}))

    def clear(self) -> None:
        """Remove every user and organization (counters stay), before a full reseed."""
        self.conn.execute(delete(self.t.users))
        self.conn.execute(delete(self.t.organizations))

    def next_number(self, counter: str, start: int = 100) -> int:
        """The next value of a named counter; counters survive resets, so references
        handed out once are never handed out again."""
        counters = self.t.counters
        insert = self._insert(counters).values(name=counter, value=start + 1)
        row = self.conn.execute(insert.on_conflict_do_update(
            index_elements=["name"], set_={"value": counters.c.value + 1})
            .returning(counters.c.value)).first()
        assert row is not None
        return int(row[0])

    def committing(self, error: E) -> E:
        """Mark an error whose changes must still be kept (a counted wrong password):
        `raise tx.committing(error)` commits, then raises."""
        self._committed.append(error)
        return error

    def keeps(self, error: BaseException) -> bool:
        return any(error is kept for kept in self._committed)

    def recorded(self, key: str) -> Recorded | None:
        """The call made earlier under `key`, if any."""
        i = self.t.idempotency.c
        row = self.conn.execute(select(i.fingerprint, i.result).where(i.key == key)).first()
        return Recorded(row[0], row[1]) if row is not None else None

    def record(self, key: str, fingerprint: str, result: str) -> None:
        """Remember the call made under `key` and its outcome, with its effect; keys
        older than KEEP_KEYS_SECONDS are forgotten on the way (the index makes it cheap)."""
        now = time.time()
        table = self.t.idempotency
        self.conn.execute(delete(table).where(table.c.created_at < now - KEEP_KEYS_SECONDS))
        self.conn.execute(table.insert().values(key=key, fingerprint=fingerprint,
                                                result=result, created_at=now))


# The transaction open in this thread (or task), so that an operation's own transaction
# joins the one its keyed call opened instead of waiting for a lock it already holds.
_OPEN: ContextVar[tuple[Store, Transaction] | None] = ContextVar("backend_transaction",
                                                                 default=None)


class _SQLiteConnection(sqlite3.Connection):
    kb_writable = True


class Store:
    """The database (a SQLite file path, or a PostgreSQL URL); seeds it through `seed`
    when it is new."""

    def __init__(self, path: Path | str, seed: Callable[[Transaction], None]):
        self.url = str(path) if str(path).startswith(POSTGRES_SCHEMES) else None
        self.path = Path(path) if self.url is None else Path()
        self._read_only_until = 0.0
        metadata, self.t = tables("backend_" if self.url else "")
        self.engine = self._postgres_engine() if self.url else self._sqlite_engine()
        # Pooled connections are closed when the store goes, not by the garbage collector.
        weakref.finalize(self, self.engine.dispose)
        try:
            if self.url is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._prepare(metadata, seed)
        except (OSError, DBAPIError, TemporarilyUnavailable) as exc:
            if self.url is not None or not self.path.exists() or (
                    isinstance(exc, DBAPIError) and not _storage_failure(exc.orig)):
                raise
            self._read_only_for_now(exc)

    def _postgres_engine(self) -> Engine:
        assert self.url is not None
        url = "postgresql+psycopg://" + self.url.split("://", 1)[1]
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                             connect_args={"connect_timeout": 5})

    def _sqlite_engine(self) -> Engine:
        # Each operation opens its own connection, as it always did (no pool to go stale
        # when the file becomes writable again).
        engine = create_engine(f"sqlite:///{self.path}", creator=self._connect,
                               poolclass=NullPool)

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            writable = getattr(conn.connection.dbapi_connection, "kb_writable", True)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writable else "BEGIN")

        return engine

    def _prepare(self, metadata: MetaData, seed: Callable[[Transaction], None]) -> None:
        if self.url is None:
            self._use_wal()
        with self.transaction() as tx:
            metadata.create_all(tx.conn)
            if tx.conn.execute(select(self.t.users.c.name).limit(1)).first() is None:
                seed(tx)

    def _use_wal(self) -> None:
        """Put the file in WAL mode (persistent; set outside any transaction, as SQLite
        requires). The switch needs an exclusive lock and does not wait on the busy
        timeout, so two processes opening a new file at once would make one fail: it is
        retried until the busy timeout. (The knowledge base's own database does the
        same in `kb.store.engine`; the backend, below `kb` in the layers, cannot call it.)"""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        with contextlib.closing(self._connect()) as raw:
            while True:
                try:
                    if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        raw.execute("PRAGMA journal_mode=WAL")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)

    def _read_only_for_now(self, error: BaseException) -> None:
        log.warning("%s cannot be written (%s): the accounts are read-only for now",
                    self.path, error)
        self._read_only_until = time.monotonic() + RETRY_WRITABLE_SECONDS

    def _connect(self) -> sqlite3.Connection:
        """A connection, read-only (for a while) when the folder cannot be written, so
        that the accounts can still be read."""
        if time.monotonic() >= self._read_only_until:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False,
                                   factory=_SQLiteConnection)
            try:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA synchronous=NORMAL")
                return conn
            except sqlite3.Error as exc:
                conn.close()
                if not _storage_failure(exc):
                    raise
                self._read_only_for_now(exc)
        # Immutable: SQLite then needs no shared-memory file beside it (which it could
        # not create), and nobody can change a file in a folder that cannot be written.
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1",
                               uri=True, isolation_level=None, check_same_thread=False,
                               factory=_SQLiteConnection)
        conn.kb_writable = False
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One connection, one transaction that takes the write lock first, committed at
        the end; rolled back on error unless the error was marked with
        `Transaction.committing`. Opened while another transaction of this store is
        open in the same thread, it is that one: the outer one commits or rolls back."""
        current = _OPEN.get()
        if current is not None and current[0] is self:
            yield current[1]
            return
        try:
            with self.engine.connect() as conn:
                outer = conn.begin()
                if self.url is not None:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": WRITE_LOCK_KEY})
                tx = Transaction(conn, self.t)
                opened = _OPEN.set((self, tx))
                try:
                    yield tx
                except BaseException as error:
                    if outer.is_active:
                        (outer.commit if tx.keeps(error) else outer.rollback)()
                    raise
                finally:
                    _OPEN.reset(opened)
                outer.commit()
        except OperationalError as exc:
            # A full disk, a read-only folder, a database server away: like a service
            # that cannot be reached, nothing was changed and trying later may work.
            if self.url is not None or _storage_failure(exc.orig):
                raise TemporarilyUnavailable("its storage is full or read-only"
                                             if self.url is None else
                                             "its database cannot be reached") from exc
            raise
        except DBAPIError as exc:
            if _storage_failure(exc.orig):
                raise TemporarilyUnavailable("its storage is full or read-only") from exc
            raise
