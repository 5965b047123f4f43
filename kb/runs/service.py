"""Guided procedures as a service: start a run, send it events, read it back.

This is where the pure engine meets storage and the account backend. It is shared by the
web wizard, the JSON API and the chat, so they behave identically. A run whose procedure
changed since it started finishes on its own version (kept as a snapshot); if that
snapshot is gone it is restarted on the new version, with an explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb.errors import RunNotFound, UnknownAccount
from kb.runs.store import RunStore
from procedures import engine
from procedures.engine import Advance, StepView
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.library import Library
from procedures.model import Procedure
from procedures.run import Event, Run


@dataclass
class RunState:
    """A run as callers see it: id, the procedure, the step to show, messages."""

    id: str
    run: Run
    procedure: Procedure
    view: StepView | None
    outputs: list[engine.Output]
    token: str | None = None


class GuidedService:
    def __init__(self, library: Library, store: RunStore, backend: Any):
        self.library = library
        self.store = store
        self.backend = backend

    def procedure(self, slug: str) -> Procedure:
        return self.library.get(slug)

    def start(self, slug: str, account: str) -> RunState:
        procedure = self.library.get(slug)
        self._check_account(account)
        result = engine.start(procedure, account, self.backend)
        run_id, token = self.store.create(result.run, procedure, result.funnel)
        return RunState(run_id, result.run, procedure, engine.view(procedure, result.run),
                        result.outputs, token)

    def get(self, run_id: str, token: str | None) -> RunState:
        """The run as it is. A run whose procedure version is gone (its step may not
        exist any more) is restarted on the current version first, with the
        explanation in its messages, so every caller can show it."""
        run = self._load(run_id, token)
        procedure = self._procedure_of(run)
        if procedure.version == run.version:
            return RunState(run_id, run, procedure, engine.view(procedure, run), [])
        try:
            return self._save(run_id, run.revision, procedure,
                              self._restart_on(procedure, run))
        except StaleRevision:
            # Another request restarted it meanwhile: show the run it left.
            run = self._load(run_id, token)
            return RunState(run_id, run, procedure, engine.view(procedure, run), [])

    def send(self, run_id: str, token: str | None, event: Event) -> RunState:
        """Apply an event. Raises StaleRevision when `event.revision` is out of date."""
        return self.apply(run_id, self._load(run_id, token), event)

    def apply(self, run_id: str, run: Run, event: Event) -> RunState:
        """Apply an event to a run the caller has just read with its token (`get`), so
        it is not read twice in one request; saving is still a compare-and-set against
        the revision read, so a run moved on meanwhile raises StaleRevision."""
        if event.revision is not None and event.revision != run.revision:
            raise StaleRevision(f"the run is at revision {run.revision}")
        procedure = self._procedure_of(run)
        if procedure.version != run.version:
            result = self._restart_on(procedure, run)
        else:
            result = engine.advance(procedure, run, event, self.backend)
        return self._save(run_id, run.revision, procedure, result)

    # -- internals ---------------------------------------------------------------------
    def _save(self, run_id: str, loaded: int, procedure: Procedure,
              result: Advance) -> RunState:
        """Store a turn's run and funnel events (compare-and-set on `loaded`)."""
        self.store.save(run_id, result.run, loaded, result.funnel)
        return RunState(run_id, result.run, procedure, engine.view(procedure, result.run),
                        result.outputs)

    def _load(self, run_id: str, token: str | None) -> Run:
        run = self.store.load(run_id, token)
        if run is None:
            raise RunNotFound("no such run (or the token does not match it)")
        return run

    def _procedure_of(self, run: Run) -> Procedure:
        """The version the run started on if it is still known, else the current one."""
        snapshot = self.store.procedure_version(run.procedure, run.version)
        if snapshot is not None:
            return snapshot
        try:
            return self.library.get(run.procedure)
        except UnknownProcedure:
            raise RunNotFound(f"the procedure '{run.procedure}' no longer exists") from None

    def _restart_on(self, procedure: Procedure, run: Run) -> Advance:
        self.store.remember_procedure(procedure)
        fresh = engine.start(procedure, run.account, self.backend)
        fresh.run.revision = run.revision + 1
        fresh.outputs.insert(0, engine.Output(
            "say", "This procedure was updated since you started it, so it starts again "
                   "from the beginning."))
        return fresh

    def _check_account(self, account: str) -> None:
        names = [a.name for a in self.backend.list_accounts()]
        if account not in names:
            raise UnknownAccount(f"no demo account '{account}' (known: {', '.join(names)})")
