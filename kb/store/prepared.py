"""Statements compiled once and run on the driver's own cursor, for the hottest paths.

A chat or wizard turn loads and saves a conversation and a run: four short statements
on rows found by primary key. Run through SQLAlchemy, each cost 25 to 90 µs of
bookkeeping (a `Connection`, its events, a result object, a pool checkout with a reset),
several times what SQLite needs to run it. A `Prepared` statement is still written with
SQLAlchemy and compiled by the dialect in use (so its SQL and parameter style are that
database's), once per dialect; only the execution goes to the driver directly.

Driver errors are raised as SQLAlchemy's (`DBAPIError` and its subclasses), as if the
statement had gone through SQLAlchemy, so storage failures are translated the same way
(`kb.store.database`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Dialect, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from kb.store.database import Database


class Prepared:
    """One statement with named bound parameters, compiled on first use per dialect."""

    def __init__(self, statement: Executable):
        self.statement = statement
        # dialect name -> (SQL text, parameter names in order, or None for named style)
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _sql(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
        found = self._compiled.get(dialect.name)
        if found is None:
            assert isinstance(self.statement, ClauseElement)
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            found = self._compiled[dialect.name] = (str(compiled), order)
        return found

    def execute(self, dbapi_conn: Any, dialect: Dialect, params: Mapping[str, Any]) -> Any:
        """Run on a driver connection; the cursor (the caller closes it)."""
        sql, order = self._sql(dialect)
        values: Any = tuple(params[name] for name in order) if order is not None \
            else dict(params)
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(sql, values)
        except dialect.loaded_dbapi.Error as exc:
            cursor.close()
            # As SQLAlchemy would have raised it (OperationalError, IntegrityError...).
            raise DBAPIError.instance(sql, values, exc, dialect.loaded_dbapi.Error,
                                      dialect=dialect) from exc
        return cursor


def first(db: Database, prepared: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row of a query, as a tuple, or None (a pooled connection, read only)."""
    with _driver_connection(db) as (dbapi_conn, dialect):
        cursor = prepared.execute(dbapi_conn, dialect, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
    return tuple(row) if row is not None else None


def rowcount(conn: Connection, prepared: Prepared, params: Mapping[str, Any]) -> int:
    """Run a write inside `conn`'s transaction (`Database.transaction`); rows it changed."""
    dbapi_conn = conn.connection.dbapi_connection
    cursor = prepared.execute(dbapi_conn, conn.dialect, params)
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


@contextmanager
def _driver_connection(db: Database) -> Iterator[tuple[Any, Dialect]]:
    engine = db.engine
    with db.translated():
        pooled = engine.raw_connection()
        try:
            yield pooled.dbapi_connection, engine.dialect
        finally:
            pooled.close()  # back to the pool, which ends any transaction the read began

