"""Guided procedures as a service: start a run, send it events, read it back.

This is where the pure engine meets storage and the account backend. It is shared by the
web wizard, the JSON API and the chat, so they behave identically. A run whose procedure
changed since it started finishes on its own version (kept as a snapshot); if that
snapshot is gone it is restarted on the new version, with an explanation.

An event changes the account at most once. The engine calls the backend before the run
is saved (a compare-and-set on its revision), so each turn's backend calls are keyed by
the run, its revision and step: a duplicate of the event, a retry, or the same event
sent again after a crash between the backend call and the save gets the outcome of the
first call instead of acting again, and the request that loses the save (409) has
changed nothing. Events sent as part of a client's message (`GuidedService.message`) are
remembered by the run, so a message sent again after its first sending reached the run
is not applied to the run a second time.

The step view of a run is what every turn shows: the one made when a run was saved is
kept with it, so the next turn, which loads that same run (the store gives the very
object it remembered), does not build it again.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from kb.errors import RunNotFound, UnknownAccount
from kb.runs.store import RunStore
from procedures import engine
from procedures.backend.operation import KeyReused
from procedures.engine import Advance, StepView
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.library import Library
from procedures.model import Procedure
from procedures.overlays import MODE_STEP
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


class AlreadyApplied(StaleRevision):
    """Raised when an event of a client message was applied to the run already, by an
    earlier sending of the same message; nothing was done."""


@dataclass
class _Message:
    """The client message whose events are being applied, how many so far, and whether
    an event already applied is answered with the run as it is (`settle`) rather than
    with AlreadyApplied."""

    id: str
    settle: bool = False
    events: int = 0

    def next_event_id(self) -> str:
        self.events += 1
        return f"{self.id}#{self.events}"


_MESSAGE: ContextVar[_Message | None] = ContextVar("client_message", default=None)
VIEWS_KEPT = 2000
"""Step views kept per process, one per run, for the run they were made for."""


class _Views:
    """The step view last made for each run, with the run object it was made for: a
    view is reused only for that very object (runs are never changed in place)."""

    def __init__(self, kept: int = VIEWS_KEPT):
        self._items: OrderedDict[str, tuple[Run, StepView | None]] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def of(self, procedure: Procedure, run_id: str, run: Run) -> StepView | None:
        with self._lock:
            known = self._items.get(run_id)
        if known is not None and known[0] is run:
            return known[1]
        return self.keep(run_id, run, engine.view(procedure, run))

    def keep(self, run_id: str, run: Run, view: StepView | None) -> StepView | None:
        with self._lock:
            self._items[run_id] = (run, view)
            self._items.move_to_end(run_id)
            if len(self._items) > self._kept:
                self._items.popitem(last=False)
        return view


class GuidedService:
    def __init__(self, library: Library, store: RunStore, backend: Any):
        self.library = library
        self.store = store
        self.backend = backend
        self._views = _Views()
        self.before_save: Callable[[str, Advance], None] | None = None
        """Called with the run id and the turn after the engine (and the backend) ran
        and before the run is saved: a test hook to inject a crash right there."""

    def procedure(self, slug: str) -> Procedure:
        return self.library.get(slug)

    def assisted(self) -> list[Procedure]:
        """The procedures with a do-it-for-me flow (they open on the choice of doing it
        for the person or showing them how), by title."""
        found = []
        for slug in self.library.slugs():
            if not self.library.has_overlay(slug):
                continue  # a compiled guide alone shows the way; only an overlay acts
            try:
                procedure = self.library.get(slug)
            except UnknownProcedure:
                continue
            if procedure.start == MODE_STEP:
                found.append(procedure)
        return sorted(found, key=lambda p: p.title)

    def start(self, slug: str, account: str, section: str | None = None) -> RunState:
        """A new run of the guide's procedure; `section`: the one section it goes through
        (`engine.start`)."""
        procedure = self.library.get(slug)
        self._check_account(account)
        result = engine.start(procedure, account, self.backend, section=section)
        run_id, token = self.store.create(result.run, procedure, result.funnel)
        view = self._views.keep(run_id, result.run, engine.view(procedure, result.run))
        return RunState(run_id, result.run, procedure, view,
                        _located(run_id, result.outputs), token)

    def get(self, run_id: str, token: str | None) -> RunState:
        """The run as it is. A run whose procedure version is gone (its step may not
        exist any more) is restarted on the current version first, with the
        explanation in its messages, so every caller can show it."""
        run = self._load(run_id, token)
        procedure = self._procedure_of(run)
        if procedure.version == run.version:
            return RunState(run_id, run, procedure, self._views.of(procedure, run_id, run),
                            [])
        try:
            restarted = self._restart_on(procedure, run, self._keyed(run_id, run))
            return self._save(run_id, run.revision, procedure, restarted)
        except StaleRevision:
            # Another request restarted it meanwhile: show the run it left.
            run = self._load(run_id, token)
            return RunState(run_id, run, procedure, engine.view(procedure, run), [])

    @contextlib.contextmanager
    def message(self, client_id: str | None, settle: bool = False) -> Iterator[None]:
        """Events applied inside belong to the client's message `client_id` (as the
        chat's client message id): each is applied to its run once, however often the
        message is sent; an event applied already raises AlreadyApplied or, with
        `settle`, gives the run as it is. Without an id, events apply as they come."""
        token = _MESSAGE.set(_Message(client_id, settle) if client_id else None)
        try:
            yield
        finally:
            _MESSAGE.reset(token)

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
        message = _MESSAGE.get()
        event_id = message.next_event_id() if message is not None else None
        if message is not None and event_id in run.applied:
            # Sent again after it reached the run: nothing is applied.
            if not message.settle:
                raise AlreadyApplied("this message was applied to the run already")
            return RunState(run_id, run, procedure, engine.view(procedure, run), [])
        backend = self._keyed(run_id, run)
        try:
            if procedure.version != run.version:
                result = self._restart_on(procedure, run, backend)
            else:
                result = engine.advance(procedure, run, event, backend)
        except KeyReused:
            raise StaleRevision("another request changed the run at revision "
                                f"{run.revision}") from None
        if event_id is not None:
            result.run.applied = [*result.run.applied, event_id]
        if self.before_save is not None:
            self.before_save(run_id, result)
        return self._save(run_id, run.revision, procedure, result)

    # -- internals ---------------------------------------------------------------------
    def _keyed(self, run_id: str, run: Run) -> Any:
        """The backend as this turn calls it: keyed by run, revision and step, so the
        same turn made twice acts once. (A backend without keys is used as it is.)"""
        keyed = getattr(self.backend, "keyed", None)
        if keyed is None:
            return self.backend
        return keyed(f"run:{run_id}:{run.revision}:{run.step}")

    def _save(self, run_id: str, loaded: int, procedure: Procedure,
              result: Advance) -> RunState:
        """Store a turn's run and funnel events (compare-and-set on `loaded`)."""
        self.store.save(run_id, result.run, loaded, result.funnel)
        view = self._views.keep(run_id, result.run, engine.view(procedure, result.run))
        return RunState(run_id, result.run, procedure, view,
                        _located(run_id, result.outputs))

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

    def _restart_on(self, procedure: Procedure, run: Run, backend: Any = None) -> Advance:
        self.store.remember_procedure(procedure)
        fresh = engine.start(procedure, run.account,
                             self.backend if backend is None else backend)
        fresh.run.revision = run.revision + 1
        fresh.outputs.insert(0, engine.Output(
            "say", "This procedure was updated since you started it, so it starts again "
                   "from the beginning."))
        return fresh

    def _check_account(self, account: str) -> None:
        names = self.backend.account_names()
        if account not in names:
            raise UnknownAccount(f"no demo account '{account}' (known: {', '.join(names)})")


def _located(run_id: str, outputs: list[engine.Output]) -> list[engine.Output]:
    """An export says where it is downloaded (with the run's token)."""
    return [replace(o, url=f"/api/v1/runs/{run_id}/attachments/{o.name}")
            if o.type == "attachment" and o.name else o for o in outputs]
