"""Rows reached from outside with an id and a secret token, saved by compare-and-set.

Runs and conversations are both stored this way: created with a fresh id and token (only
the token's hash is kept), loaded only when the token matches (an unknown id and a wrong
token get the same None, so a token cannot be guessed by probing), and saved only if the
row is still at the revision the caller loaded, so two writers never both apply a change
to the same state. The row holds the object as JSON, plus any columns the owner wants
to query by.

Loading and saving are the hot path of every chat and wizard turn (a turn loads and
saves a conversation and a run), so their statements are built and compiled once and
run on the driver's cursor (`kb.store.prepared`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Table, bindparam, insert, select, update

from kb.store.database import Database
from kb.store.prepared import Prepared, Writer, first, writing
from kb.store.tokens import new_id_and_token, token_matches

M = TypeVar("M", bound=BaseModel)
MAX_ID_CHARS = 64


def _no_columns(item: BaseModel) -> dict[str, Any]:
    return {}


# What else a write must commit with the row, in the same transaction: called with the
# connection (a creation) or the transaction's writer (a save) and the row's id.
Also = Callable[[Connection, str], None] | None
AlsoSaved = Callable[[Writer, str], None] | None


class GuardedTable(Generic[M]):
    """One table of `model` objects with columns `id, token_hash, revision, data,
    created_at, updated_at` and the extra ones that `columns` names and fills."""

    def __init__(self, db: Database, table: Table, model: type[M],
                 columns: Callable[[M], dict[str, Any]] = _no_columns):
        self.db = db
        self.table = table
        self.model = model
        self.columns = columns
        t = table
        self._select = Prepared(select(t.c.token_hash, t.c.data)
                                .where(t.c.id == bindparam("key")))
        # One UPDATE per set of written columns (in practice one per table).
        self._updates: dict[tuple[str, ...], Prepared] = {}

    def _update(self, names: tuple[str, ...]) -> Prepared:
        """The compare-and-set UPDATE writing `names`; its parameters are named apart
        from the columns (SQLAlchemy reserves the column names in SET)."""
        statement = self._updates.get(names)
        if statement is None:
            t = self.table
            statement = self._updates[names] = Prepared(
                update(t).where(t.c.id == bindparam("key"),
                                t.c.revision == bindparam("loaded"))
                .values({name: bindparam(f"new_{name}") for name in names}))
        return statement

    def create(self, item: M, revision: int, also: Also = None, data: str | None = None
               ) -> tuple[str, str]:
        """Store a new object; return (id, token). The token is not kept: give it out.
        `also(conn, id)` writes what belongs with it, in the same transaction. `data`
        is the object as JSON, when the caller has it already."""
        item_id, token, token_hash = new_id_and_token()
        now = time.time()
        values = {"id": item_id, "token_hash": token_hash, "revision": revision,
                  "data": item.model_dump_json() if data is None else data,
                  "created_at": now, "updated_at": now,
                  **self.columns(item)}
        with self.db.transaction() as conn:
            conn.execute(insert(self.table).values(values))
            if also is not None:
                also(conn, item_id)
        return item_id, token

    def load(self, item_id: str, token: str | None) -> M | None:
        """The object, or None when the id is unknown or the token does not match it."""
        data = self.load_json(item_id, token)
        return None if data is None else self.model.model_validate_json(data)

    def load_json(self, item_id: str, token: str | None) -> str | None:
        """The object as stored (JSON), or None when the id is unknown or the token does
        not match it."""
        if not token or not isinstance(item_id, str) or len(item_id) > MAX_ID_CHARS:
            return None
        row = first(self.db, self._select, {"key": item_id})
        if row is None or not token_matches(row[0], token):
            return None
        return str(row[1])

    def save(self, item_id: str, item: M, revision: int, loaded_revision: int,
             also: AlsoSaved = None, data: str | None = None) -> bool:
        """Write the object at `revision` if the row is still at `loaded_revision`, and
        then `also(conn, id)` in the same transaction; False (and nothing written) when
        someone else saved in between. `data` is the object as JSON, when the caller
        has it already."""
        with writing(self.db) as writer:
            return self.save_in(writer, item_id, item, revision, loaded_revision, also, data)

    def save_in(self, writer: Writer, item_id: str, item: M, revision: int,
                loaded_revision: int, also: AlsoSaved = None, data: str | None = None
                ) -> bool:
        """`save` inside the caller's transaction (`kb.store.prepared.writing`), which
        the caller rolls back when this returns False."""
        extra = self.columns(item)
        params = {"new_data": item.model_dump_json() if data is None else data,
                  "new_revision": revision, "new_updated_at": time.time(),
                  "key": item_id, "loaded": loaded_revision}
        for name, value in extra.items():
            params[f"new_{name}"] = value
        # One statement: on PostgreSQL a concurrent update makes this one wait, then
        # re-check the revision, so exactly one of two racing saves matches.
        statement = self._update(("data", "revision", "updated_at", *extra))
        if writer.rowcount(statement, params) != 1:
            return False
        if also is not None:
            also(writer, item_id)
        return True
