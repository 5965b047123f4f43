"""Statements whose SQL differs between SQLite and PostgreSQL: insert-or-ignore, upserts.

Both dialects speak `INSERT … ON CONFLICT`; SQLAlchemy builds it through each dialect's
own `insert`, chosen here from the connection the statement will run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite


def insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` that can take `on_conflict_do_nothing` / `_do_update`."""
    # Each dialect's module is imported when a statement first runs on it: PostgreSQL's
    # (with its async drivers' modules) costs a one-off process on SQLite 20 ms.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)
