"""Procedure runs in the database: create, load by id and token, save with compare-and-set.

A run is reached only with its token (stored hashed, compared in constant time). Saving
checks the revision the caller loaded: if another process saved in between, the save is
refused (`StaleRevision`) instead of silently overwriting. The procedure a run started on
is kept as a snapshot, so a run can finish on its own version after the guide changes.

Every turn of a run loads it and saves it, nearly always in the same process: the runs
saved or loaded last are remembered with the JSON they were stored as
(`kb.store.remembered`), and a load whose row still holds that JSON gives the remembered
run instead of validating the JSON again. Runs given out by the store are shared: the
engine never changes the run it is given (it advances a copy), and neither may callers.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, select

from kb.store import dialect
from kb.store.batched import BufferedRows
from kb.store.database import Database
from kb.store.guarded import GuardedTable
from kb.store.prepared import Writer, writing
from kb.store.remembered import Remembered
from kb.store.schema import funnel_events, procedure_versions, runs
from procedures.engine import Funnel
from procedures.errors import StaleRevision
from procedures.model import Procedure
from procedures.run import APPLIED_KEPT, CHECKPOINTS_KEPT, LOG_KEPT, Run

REMEMBERED_CHARS = 2_000_000
"""JSON characters of recent runs kept per process, not validated again."""


def _insert_procedure(conn: Connection, procedure: Procedure) -> None:
    # Only the fields that were set: unset condition keys must stay absent to round-trip.
    conn.execute(dialect.insert(conn, procedure_versions).values(
        id=procedure.id, version=procedure.version,
        data=procedure.model_dump_json(by_alias=True, exclude_unset=True),
    ).on_conflict_do_nothing(index_elements=["id", "version"]))


def _funnel_rows(run_id: str, events: Iterable[Funnel]) -> list[dict[str, Any]]:
    """A turn's analytics events (the funnel of each procedure), as rows."""
    now = time.time()
    return [{"run_id": run_id, "procedure": e.procedure, "type": e.type, "step": e.step,
             "detail": e.detail, "created_at": now} for e in events]


RunWrite = Callable[[Writer], None]
"""A run's save, made later in the caller's transaction (`RunStore.deferring`)."""
_DEFERRED: ContextVar[list[RunWrite] | None] = ContextVar("deferred_run_writes",
                                                          default=None)


def _run_columns(run: Run) -> dict[str, Any]:
    """The columns of a run that can be queried without reading its JSON."""
    return {"procedure": run.procedure, "version": run.version, "account": run.account,
            "status": run.status}


def _as_stored(run: Run) -> bool:
    """Whether the run is what loading its JSON gives back: its log and trails are
    within what is stored (longer ones are cut when stored). Its values are JSON data
    already: fields give text and numbers, the backend's results go through `jsonable`."""
    return (len(run.log) <= LOG_KEPT and len(run.checkpoints) <= CHECKPOINTS_KEPT
            and len(run.applied) <= APPLIED_KEPT)


class RunStore:
    """Runs and the procedure versions they started on."""

    def __init__(self, db: Database, remembered_chars: int = REMEMBERED_CHARS,
                 funnel_flush_seconds: float = 0.0):
        self.db = db
        # Funnel events are an analytics log: written in batches once the turn that
        # made them has committed, not in the turn's own transaction, where their rows
        # and index entries cost every step of every run about a sixth of its time.
        # Only committed turns are logged; a crash may lose the last second's events.
        self.funnel = BufferedRows(db, funnel_events, "funnel events", funnel_flush_seconds)
        self._runs = GuardedTable(db, runs, Run, _run_columns)
        self._recent: Remembered[Run] = Remembered(remembered_chars)
        # A snapshot never changes once written, so each process reads it once: every
        # turn of a wizard or chat run needs the procedure it started on.
        self._snapshots: dict[tuple[str, str], Procedure] = {}

    def create(self, run: Run, procedure: Procedure,
               funnel: Iterable[Funnel] = ()) -> tuple[str, str]:
        """Store a new run and its procedure snapshot, in one transaction, and log its
        first funnel events once it has committed; return (id, token)."""
        def also(conn: Connection, run_id: str) -> None:
            if (procedure.id, procedure.version) not in self._snapshots:
                _insert_procedure(conn, procedure)

        data = run.model_dump_json()
        created = self._runs.create(run, run.revision, also, data)
        self.funnel.add_all(_funnel_rows(created[0], funnel))
        self._snapshots[procedure.id, procedure.version] = procedure
        if _as_stored(run):
            self._recent.put(created[0], data, run)
        return created

    def load(self, run_id: str, token: str | None) -> Run | None:
        """The run, or None when the id is unknown or the token does not match it.
        (Shared with other callers: not to be changed.)"""
        data = self._runs.load_json(run_id, token)
        if data is None:
            return None
        run = self._recent.get(run_id, data)
        if run is None:
            run = Run.model_validate_json(data)
            self._recent.put(run_id, data, run)
        return run

    def save(self, run_id: str, run: Run, loaded_revision: int,
             funnel: Iterable[Funnel] = ()) -> None:
        """Write the run if nobody else saved since `loaded_revision` was read, else
        StaleRevision; the funnel events of the turn that made it are logged once it
        has committed. Inside `deferring`, the write is handed to the caller instead."""
        data, rows = run.model_dump_json(), _funnel_rows(run_id, funnel)

        def write(writer: Writer) -> None:
            if not self._runs.save_in(writer, run_id, run, run.revision, loaded_revision,
                                      data=data):
                raise StaleRevision(f"run {run_id} was changed by someone else")
            if rows:
                writer.committed.append(lambda: self.funnel.add_all(rows))
            # Remembered as soon as written: if the transaction is rolled back after
            # all, the row keeps other JSON and the next load validates that.
            if _as_stored(run):
                self._recent.put(run_id, data, run)

        deferred = _DEFERRED.get()
        if deferred is not None:
            deferred.append(write)
            return
        with writing(self.db) as writer:
            write(writer)

    @contextlib.contextmanager
    def deferring(self) -> Iterator[list[RunWrite]]:
        """Inside, saved runs are not written: their writes are collected, in order, for
        the caller to make in its own transaction (a chat message saves its run with
        its conversation, in one commit). A write raises StaleRevision, which rolls
        that transaction back, when the run was changed since it was read."""
        pending: list[RunWrite] = []
        token = _DEFERRED.set(pending)
        try:
            yield pending
        finally:
            _DEFERRED.reset(token)

    def remember_procedure(self, procedure: Procedure) -> None:
        """Keep the procedure's version, for the runs that start on it."""
        if (procedure.id, procedure.version) in self._snapshots:
            return
        with self.db.transaction() as conn:
            _insert_procedure(conn, procedure)
        self._snapshots[procedure.id, procedure.version] = procedure

    def procedure_version(self, procedure_id: str, version: str) -> Procedure | None:
        """The procedure as it was at `version`, if a run ever started on it here."""
        key = (procedure_id, version)
        if key not in self._snapshots:
            v = procedure_versions.c
            row = self.db.first(select(v.data).where(v.id == procedure_id,
                                                     v.version == version))
            if row is None:
                return None
            self._snapshots[key] = Procedure.model_validate(json.loads(row.data))
        return self._snapshots[key]


