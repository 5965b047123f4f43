"""Raw SQL in tests, on the knowledge base's database whichever engine it runs on.

Tests look at or change stored rows directly (to age a row, or to check what was kept);
`?` stands for each argument in order, as in the SQL the stores used to write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, text

from kb.store.database import Database


def sql(db: Database, statement: str, *args: Any) -> list[Row[Any]]:
    """Run one statement in its own transaction; its rows, if it returns any."""
    pieces = statement.split("?")
    named = "".join(f"{piece}:p{i}" for i, piece in enumerate(pieces[:-1])) + pieces[-1]
    with db.transaction() as conn:
        result = conn.execute(text(named), {f"p{i}": arg for i, arg in enumerate(args)})
        return list(result.all()) if result.returns_rows else []
