"""Procedure runs in SQLite: create, load by id and token, save with compare-and-set.

A run is reached only with its token (stored hashed, compared in constant time). Saving
checks the revision the caller loaded: if another process saved in between, the save is
refused (`StaleRevision`) instead of silently overwriting. The procedure a run started on
is kept as a snapshot, so a run can finish on its own version after the guide changes.
"""

from __future__ import annotations

import json
import time

from kb.store.database import Database, register_schema
from kb.store.tokens import new_id_and_token, token_matches
from procedures.errors import StaleRevision
from procedures.model import Procedure
from procedures.run import Run

register_schema("""
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    procedure TEXT NOT NULL,
    version TEXT NOT NULL,
    account TEXT NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS procedure_versions (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS funnel_events (
    id INTEGER PRIMARY KEY,
    run_id TEXT,
    procedure TEXT NOT NULL,
    type TEXT NOT NULL,
    step TEXT,
    detail TEXT,
    created_at REAL NOT NULL
);
""")


def _insert_procedure(conn, procedure: Procedure) -> None:
    # Only the fields that were set: unset condition keys must stay absent to round-trip.
    conn.execute("INSERT OR IGNORE INTO procedure_versions(id, version, data) VALUES (?, ?, ?)",
                 (procedure.id, procedure.version,
                  procedure.model_dump_json(by_alias=True, exclude_unset=True)))



class RunStore:
    def __init__(self, db: Database):
        self.db = db
        # A snapshot never changes once written, so each process reads it once: every
        # turn of a wizard or chat run needs the procedure it started on.
        self._snapshots: dict[tuple[str, str], Procedure] = {}

    def create(self, run: Run, procedure: Procedure) -> tuple[str, str]:
        """Store a new run and its procedure snapshot; return (id, token)."""
        run_id, token, token_hash = new_id_and_token()
        now = time.time()
        with self.db.transaction() as conn:
            _insert_procedure(conn, procedure)
            conn.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (run_id, token_hash, run.procedure, run.version, run.account,
                          run.status, run.revision, run.model_dump_json(), now, now))
        return run_id, token

    def load(self, run_id: str, token: str | None) -> Run | None:
        """The run, or None when the id is unknown or the token does not match it."""
        if not token or not isinstance(run_id, str) or len(run_id) > 64:
            return None
        row = self.db.connection().execute(
            "SELECT token_hash, data FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or not token_matches(row["token_hash"], token):
            return None
        return Run.model_validate_json(row["data"])

    def save(self, run_id: str, run: Run, loaded_revision: int) -> None:
        """Write the run if nobody else saved since `loaded_revision` was read."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE runs SET data = ?, status = ?, revision = ?, version = ?, "
                "updated_at = ? WHERE id = ? AND revision = ?",
                (run.model_dump_json(), run.status, run.revision, run.version, time.time(),
                 run_id, loaded_revision))
            if cursor.rowcount != 1:
                raise StaleRevision(f"run {run_id} was changed by someone else")

    def remember_procedure(self, procedure: Procedure) -> None:
        if (procedure.id, procedure.version) in self._snapshots:
            return
        with self.db.transaction() as conn:
            _insert_procedure(conn, procedure)
        self._snapshots[procedure.id, procedure.version] = procedure

    def procedure_version(self, procedure_id: str, version: str) -> Procedure | None:
        key = (procedure_id, version)
        if key not in self._snapshots:
            row = self.db.connection().execute(
                "SELECT data FROM procedure_versions WHERE id = ? AND version = ?",
                key).fetchone()
            if row is None:
                return None
            self._snapshots[key] = Procedure.model_validate(json.loads(row["data"]))
        return self._snapshots[key]

    def record_funnel(self, run_id: str | None, events) -> None:
        if not events:
            return
        now = time.time()
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO funnel_events(run_id, procedure, type, step, detail, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, e.procedure, e.type, e.step, e.detail, now) for e in events])

    def funnel(self, procedure: str) -> dict[str, int]:
        rows = self.db.connection().execute(
            "SELECT type, COUNT(*) AS n FROM funnel_events WHERE procedure = ? GROUP BY type",
            (procedure,)).fetchall()
        return {r["type"]: r["n"] for r in rows}
