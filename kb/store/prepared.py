"""Statements compiled once and run on the driver's own cursor, for the hottest paths.

A chat or wizard turn loads and saves a conversation and a run: short statements on
rows found by primary key, and two small transactions. Through SQLAlchemy, each
statement cost 25 to 90 µs of bookkeeping (a `Connection`, its events, a result object,
the pool's checkout and reset), several times what SQLite needs to run it. A `Prepared`
statement is still written with SQLAlchemy and compiled by the dialect in use (so its
SQL and parameter style are that database's), once per dialect; only the execution
goes to the driver's connection, taken from the same pool.

Transactions keep the rules of `Database.transaction`: on SQLite the write lock is
taken up front (BEGIN IMMEDIATE); everything commits at the end or rolls back. Driver
errors are raised as SQLAlchemy's (`DBAPIError` and its subclasses), as if the statement
had gone through SQLAlchemy, so storage failures become `StorageUnavailable` the same
way (`Database.translated`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Dialect, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from kb.store.database import Database

T = TypeVar("T")


class Prepared:
    """One statement with named bound parameters, compiled on first use per dialect."""

    def __init__(self, statement: Executable):
        self.statement = statement
        # dialect name -> (SQL text, parameter names in order, or None for named style)
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def sql(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
        """The SQL text for `dialect` and, for a positional parameter style, the order
        in which the named parameters are given."""
        found = self._compiled.get(dialect.name)
        if found is None:
            assert isinstance(self.statement, ClauseElement)
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            found = self._compiled[dialect.name] = (str(compiled), order)
        return found


class Writer:
    """The statements of one transaction, on one driver connection."""

    def __init__(self, dbapi_conn: Any, dialect: Dialect):
        self.dbapi_conn = dbapi_conn
        self.dialect = dialect

    def rowcount(self, prepared: Prepared, params: Mapping[str, Any]) -> int:
        """Run one statement; how many rows it changed."""
        return _run(self.dbapi_conn, self.dialect, prepared, [params], _rowcount)

    def executemany(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run one statement for each of `rows` (e.g. an INSERT of several rows)."""
        if rows:
            _run(self.dbapi_conn, self.dialect, prepared, rows, _rowcount)


_HELD: ContextVar[dict[Database, Any] | None] = ContextVar("held_connections",
                                                             default=None)


@contextmanager
def holding(db: Database) -> Iterator[None]:
    """Inside, this thread's prepared statements on `db` share one pooled connection
    instead of taking one from the pool for each (a chat message runs four or five of
    them). Between statements the connection holds no transaction."""
    held = _HELD.get() or {}
    if db in held or _kept(db) is not None:
        yield  # (on SQLite, the thread's kept connection is shared already)
        return
    with db.translated():
        pooled = db.engine.raw_connection()
    token = _HELD.set({**held, db: pooled})
    try:
        yield
    finally:
        _HELD.reset(token)
        pooled.close()


@contextmanager
def _connection(db: Database) -> Iterator[tuple[Any, bool]]:
    """The driver connection for one statement or transaction, and whether it is held:
    the held one, if any, else the thread's kept one (SQLite), else one from the pool,
    returned after."""
    held = (_HELD.get() or {}).get(db)
    if held is not None:
        yield held.dbapi_connection, True
        return
    kept = _kept(db)
    if kept is not None:
        try:
            yield kept, True
        except DBAPIError:
            assert db.kept is not None
            db.kept.drop()  # it may be broken: the pool resets or replaces it
            raise
        return
    pooled = db.engine.raw_connection()
    try:
        yield pooled.dbapi_connection, False
    finally:
        pooled.close()  # back to the pool, which ends any transaction the read began


def _kept(db: Database) -> Any | None:
    """The thread's kept driver connection to `db` (SQLite), if it may keep one."""
    db.engine  # noqa: B018 (made on first use, with the kept connections)
    return db.kept.connection() if db.kept is not None else None


def first(db: Database, prepared: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row of a query, as a tuple, or None."""
    dialect = db.engine.dialect
    with db.translated(), _connection(db) as (dbapi_conn, held):
        row = _run(dbapi_conn, dialect, prepared, [params], lambda cursor: cursor.fetchone())
        if held and not db.is_sqlite:
            # PostgreSQL began a transaction for the read: end it before the next
            # statement. (SQLite reads outside any transaction.)
            _driver(dialect, "ROLLBACK", dbapi_conn.rollback)
    return tuple(row) if row is not None else None


@contextmanager
def writing(db: Database) -> Iterator[Writer]:
    """One transaction, committed at the end or rolled back on error (as
    `Database.transaction`, without SQLAlchemy's `Connection` around it)."""
    dialect = db.engine.dialect
    with db.translated(), _connection(db) as (dbapi_conn, _):
        if db.is_sqlite:
            _driver(dialect, "BEGIN IMMEDIATE", lambda: dbapi_conn.execute("BEGIN IMMEDIATE"))
        try:
            yield Writer(dbapi_conn, dialect)
        except BaseException:
            # The first error is the one to report (the connection may be gone).
            with suppress(Exception):
                dbapi_conn.rollback()
            raise
        _driver(dialect, "COMMIT", dbapi_conn.commit)
    db.committed()


def _run(dbapi_conn: Any, dialect: Dialect, prepared: Prepared,
         rows: Sequence[Mapping[str, Any]], result: Callable[[Any], T]) -> T:
    sql, order = prepared.sql(dialect)
    values: list[Any] = [tuple(params[name] for name in order) if order is not None
                         else dict(params) for params in rows]
    cursor = dbapi_conn.cursor()
    try:
        if len(values) == 1:
            _driver(dialect, sql, lambda: cursor.execute(sql, values[0]))
        else:
            _driver(dialect, sql, lambda: cursor.executemany(sql, values))
        return result(cursor)
    finally:
        cursor.close()


def _rowcount(cursor: Any) -> int:
    return int(cursor.rowcount)


def _driver(dialect: Dialect, sql: str, call: Callable[[], Any]) -> Any:
    """`call()`, with a driver error raised as SQLAlchemy would have raised it
    (OperationalError, IntegrityError...)."""
    error = dialect.loaded_dbapi.Error
    try:
        return call()
    except error as exc:
        raise DBAPIError.instance(sql, None, exc, error, dialect=dialect) from exc

