"""The mock's SQLite file: users and organizations as JSON documents, and counters.

Each operation opens its own connection and runs in one BEGIN IMMEDIATE transaction: the
write lock is taken before anything is read, so two callers (threads or processes) never
both read a balance and both write their own version of it. WAL lets readers go on while
one writer works, and busy_timeout makes a writer wait its turn instead of failing.

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
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple, TypeVar

from procedures.backend.errors import BackendError, NotFound, TemporarilyUnavailable
from procedures.backend.records import OrganizationRecord, UserRecord

BUSY_TIMEOUT_MS = 15_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, position INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, result TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_at);
"""

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


def _storage_failure(error: sqlite3.Error) -> bool:
    return any(problem in str(error).lower() for problem in STORAGE_PROBLEMS)


class Transaction:
    """Reads and writes inside one open transaction; records are saved explicitly."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._committed: list[BackendError] = []

    def user_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM users ORDER BY position")]

    def user(self, name: object) -> UserRecord:
        row = self.conn.execute("SELECT doc FROM users WHERE name = ?",
                                (name if isinstance(name, str) else "",)).fetchone()
        if row is None:
            raise NotFound(f"there is no demo account {name!r}; the demo accounts are: "
                           f"{', '.join(self.user_names())}")
        return UserRecord.model_validate_json(row[0])

    def users(self) -> list[UserRecord]:
        rows = self.conn.execute("SELECT doc FROM users ORDER BY position")
        return [UserRecord.model_validate_json(r[0]) for r in rows]

    def organization(self, org_id: str) -> OrganizationRecord:
        row = self.conn.execute("SELECT doc FROM organizations WHERE id = ?",
                                (org_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no organization {org_id!r}")
        return OrganizationRecord.model_validate_json(row[0])

    def save(self, *records: UserRecord | OrganizationRecord) -> None:
        for record in records:
            if isinstance(record, UserRecord):
                self.conn.execute(
                    "INSERT INTO users (name, position, doc) VALUES (?, "
                    "(SELECT coalesce(max(position), 0) + 1 FROM users), ?) "
                    "ON CONFLICT (name) DO UPDATE SET doc = excluded.doc",
                    (record.name, record.model_dump_json()))
            else:
                self.conn.execute(
                    "INSERT INTO organizations (id, doc) VALUES (?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                    (record.id, record.model_dump_json()))

    def clear(self) -> None:
        """Remove every user and organization (counters stay), before a full reseed."""
        self.conn.execute("DELETE FROM users")
        self.conn.execute("DELETE FROM organizations")

    def next_number(self, counter: str, start: int = 100) -> int:
        """The next value of a named counter; counters survive resets, so references
        handed out once are never handed out again."""
        row = self.conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            (counter, start + 1)).fetchone()
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
        row = self.conn.execute("SELECT fingerprint, result FROM idempotency WHERE key = ?",
                                (key,)).fetchone()
        return Recorded(row[0], row[1]) if row is not None else None

    def record(self, key: str, fingerprint: str, result: str) -> None:
        """Remember the call made under `key` and its outcome, with its effect; keys
        older than KEEP_KEYS_SECONDS are forgotten on the way (the index makes it cheap)."""
        now = time.time()
        self.conn.execute("DELETE FROM idempotency WHERE created_at < ?",
                          (now - KEEP_KEYS_SECONDS,))
        self.conn.execute("INSERT INTO idempotency (key, fingerprint, result, created_at) "
                          "VALUES (?, ?, ?, ?)", (key, fingerprint, result, now))


# The transaction open in this thread (or task), so that an operation's own transaction
# joins the one its keyed call opened instead of waiting for a lock it already holds.
_OPEN: ContextVar[tuple[Store, Transaction] | None] = ContextVar("backend_transaction",
                                                                 default=None)


class Store:
    """The database file; seeds it through `seed` when it is new."""

    def __init__(self, path: Path, seed: Callable[[Transaction], None]):
        self.path = Path(path)
        self._read_only_until = 0.0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._prepare(seed)
        except (OSError, sqlite3.Error, TemporarilyUnavailable) as exc:
            if not self.path.exists() or (isinstance(exc, sqlite3.Error)
                                          and not _storage_failure(exc)):
                raise
            self._read_only_for_now(exc)

    def _prepare(self, seed: Callable[[Transaction], None]) -> None:
        with contextlib.closing(self._connect()[0]) as conn:
            # Persistent in the file; set outside any transaction, as SQLite requires.
            conn.execute("PRAGMA journal_mode=WAL")
        with self.transaction() as tx:
            # One statement at a time: executescript would commit the open transaction.
            for statement in filter(str.strip, SCHEMA.split(";")):
                tx.conn.execute(statement)
            if not tx.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone():
                seed(tx)

    def _read_only_for_now(self, error: BaseException) -> None:
        log.warning("%s cannot be written (%s): the accounts are read-only for now",
                    self.path, error)
        self._read_only_until = time.monotonic() + RETRY_WRITABLE_SECONDS

    def _connect(self) -> tuple[sqlite3.Connection, bool]:
        """A connection and whether it can write: read-only (for a while) when the
        folder cannot be written, so that the accounts can still be read."""
        if time.monotonic() >= self._read_only_until:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA synchronous=NORMAL")
                return conn, True
            except sqlite3.Error as exc:
                conn.close()
                if not _storage_failure(exc):
                    raise
                self._read_only_for_now(exc)
        # Immutable: SQLite then needs no shared-memory file beside it (which it could
        # not create), and nobody can change a file in a folder that cannot be written.
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1",
                               uri=True, isolation_level=None), False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One connection, one BEGIN IMMEDIATE ... COMMIT; rolled back on error unless
        the error was marked with `Transaction.committing`. Opened while another
        transaction of this store is open in the same thread, it is that one: the
        outer one commits or rolls back everything."""
        current = _OPEN.get()
        if current is not None and current[0] is self:
            yield current[1]
            return
        conn, writable = self._connect()
        with contextlib.closing(conn):
            try:
                conn.execute("BEGIN IMMEDIATE" if writable else "BEGIN")
                tx = Transaction(conn)
                opened = _OPEN.set((self, tx))
                try:
                    yield tx
                except BaseException as error:
                    if conn.in_transaction:
                        conn.execute("COMMIT" if tx.keeps(error) else "ROLLBACK")
                    raise
                finally:
                    _OPEN.reset(opened)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                # A full disk or a read-only folder: like a service that cannot be
                # reached, nothing was changed and trying later may work.
                if _storage_failure(exc):
                    raise TemporarilyUnavailable("its storage is full or read-only") from exc
                raise
