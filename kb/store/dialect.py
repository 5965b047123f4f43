"""Statements whose SQL differs between SQLite and PostgreSQL: insert-or-ignore, upserts.

Both dialects speak `INSERT … ON CONFLICT`; SQLAlchemy builds it through each dialect's
own `insert`, chosen here from the connection the statement will run on.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` that can take `on_conflict_do_nothing` / `_do_update`."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
