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

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any, NoReturn, TypeVar

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
        self.committed: list[Callable[[], None]] = []
        """Called, in order, once the transaction has committed (not if it rolls back):
        what may happen only when the writes are sure, such as logging them."""

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


def _ready(db: Database) -> tuple[Any | None, bool]:
    """The driver connection to use without taking one from the pool, if any (the held
    one, else on SQLite the thread's kept one), and whether it is the kept one."""
    held = _HELD.get()
    if held:
        pooled = held.get(db)
        if pooled is not None:
            return pooled.dbapi_connection, False
    kept = _kept(db)
    return kept, kept is not None


def _kept(db: Database) -> Any | None:
    """The thread's kept driver connection to `db` (SQLite), if it may keep one."""
    db.engine  # noqa: B018 (made on first use, with the kept connections)
    return db.kept.connection() if db.kept is not None else None


def _checkout(db: Database) -> Any:
    """A connection from the pool (given back with `close()`)."""
    with db.translated():
        return db.engine.raw_connection()


def _connection(db: Database) -> tuple[Any, Any | None, bool]:
    """The driver connection for one read or transaction, the pooled connection to give
    back afterwards (None when none was taken), and whether it is the kept one."""
    ready, kept = _ready(db)
    pooled = _checkout(db) if ready is None else None
    return (ready if pooled is None else pooled.dbapi_connection), pooled, kept


def _raise_failed(db: Database, exc: DBAPIError, kept: bool) -> NoReturn:
    """Raise for a driver error: `StorageUnavailable` for a storage failure (as
    `Database.translated`), else the error itself. A kept connection is given back to
    the pool first: it may be broken, and the pool resets or replaces it."""
    if kept and db.kept is not None:
        db.kept.drop()
    failure = db.unavailable(exc)
    if failure is None:
        raise exc
    raise failure from exc


def first(db: Database, prepared: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row of a query, as a tuple, or None."""
    dbapi_conn, pooled, kept = _connection(db)
    dialect = db.engine.dialect
    try:
        row = _run(dbapi_conn, dialect, prepared, [params], _fetchone)
        if pooled is None and not db.is_sqlite:
            # PostgreSQL began a transaction for the read on the held connection: end
            # it before the next statement. (SQLite reads outside any transaction; a
            # connection from the pool is reset when it goes back.)
            _driver(dialect, "ROLLBACK", dbapi_conn.rollback)
    except DBAPIError as exc:
        _raise_failed(db, exc, kept)
    finally:
        if pooled is not None:
            pooled.close()  # back to the pool, which ends any transaction the read began
    return tuple(row) if row is not None else None


@contextmanager
def writing(db: Database) -> Iterator[Writer]:
    """One transaction, committed at the end or rolled back on error (as
    `Database.transaction`, without SQLAlchemy's `Connection` around it)."""
    dbapi_conn, pooled, kept = _connection(db)
    dialect = db.engine.dialect
    writer = Writer(dbapi_conn, dialect)
    try:
        if db.is_sqlite:
            _driver(dialect, "BEGIN IMMEDIATE", lambda: dbapi_conn.execute("BEGIN IMMEDIATE"))
        try:
            yield writer
        except BaseException:
            # The first error is the one to report (the connection may be gone).
            with suppress(Exception):
                dbapi_conn.rollback()
            raise
        _driver(dialect, "COMMIT", dbapi_conn.commit)
    except DBAPIError as exc:
        _raise_failed(db, exc, kept)
    finally:
        if pooled is not None:
            pooled.close()
    db.committed()
    for then in writer.committed:
        then()


def _run(dbapi_conn: Any, dialect: Dialect, prepared: Prepared,
         rows: Sequence[Mapping[str, Any]], result: Callable[[Any], T]) -> T:
    sql, order = prepared.sql(dialect)
    if isinstance(dbapi_conn, sqlite3.Connection):
        # The standard library's connection runs a statement on a cursor of its own,
        # which is freed with its last reference: a message's five statements each
        # save making and closing one here.
        try:
            if len(rows) == 1:
                return result(dbapi_conn.execute(sql, _values(rows[0], order)))
            return result(dbapi_conn.executemany(sql, [_values(p, order) for p in rows]))
        except sqlite3.Error as exc:
            raise _sqlalchemy_error(dialect, sql, exc) from exc
    cursor = dbapi_conn.cursor()
    try:
        if len(rows) == 1:
            cursor.execute(sql, _values(rows[0], order))
        else:
            cursor.executemany(sql, [_values(params, order) for params in rows])
        return result(cursor)
    except dialect.loaded_dbapi.Error as exc:
        raise _sqlalchemy_error(dialect, sql, exc) from exc
    finally:
        cursor.close()


def _values(params: Mapping[str, Any], order: tuple[str, ...] | None) -> Any:
    """The parameters as the driver takes them: in order (positional style) or named."""
    return tuple([params[name] for name in order]) if order is not None else dict(params)


def _fetchone(cursor: Any) -> Any:
    return cursor.fetchone()


def _rowcount(cursor: Any) -> int:
    return int(cursor.rowcount)


def _sqlalchemy_error(dialect: Dialect, sql: str, exc: Exception) -> DBAPIError:
    """A driver error as SQLAlchemy would have raised it (OperationalError,
    IntegrityError...), so callers catch one family of errors whichever path ran."""
    error = DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error, dialect=dialect)
    assert isinstance(error, DBAPIError)
    return error


def _driver(dialect: Dialect, sql: str, call: Callable[[], Any]) -> Any:
    """`call()`, with a driver error raised as SQLAlchemy would have raised it."""
    try:
        return call()
    except dialect.loaded_dbapi.Error as exc:
        raise _sqlalchemy_error(dialect, sql, exc) from exc
