"""Every path of every shipped procedure, driven from scenario files.

Each `tests/fixtures/scenarios/<slug>.yaml` lists scenarios: a demo account, the answers a
user gives (or `back`, `cancel`, `restart`), and what must come out (the outcome, the
changes, the state of the account afterwards, messages). The scenarios of a procedure
must together take every edge of its graph: the edges are enumerated from the procedure
itself, so a new branch without a scenario fails here.

Answer forms in `steps`:
  - "text"                         an answer
  - {back: true} / {cancel: true} / {restart: true}
  - {answer: X, error: "part of the reason"}   expected to be refused with that reason
  - {answer: X, says: "part of a message"}     accepted, and a message contains that text
  - {image: [width, height]}       a real PNG of that size as the answer
  - {image_bytes: "not an image"}  raw bytes as the answer
  - {sms_code: true}               the code the demo backend sent by SMS

A scenario may also list `fail_operations`: backend operations that fail temporarily.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from procedures import engine
from procedures import graph as checks
from procedures.backend import MockBackend, jsonable
from procedures.conditions import MISSING, lookup
from procedures.library import Library
from procedures.model import Procedure
from procedures.run import Event
from procedures.scenarios import Answer, Scenario, ScenarioFile, read
from tests.conftest import FIXTURES, SEED_GUIDES

SCENARIOS = FIXTURES / "scenarios"
LIBRARY = Library(SEED_GUIDES)


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def acting_backend(backend: MockBackend, scenario: Scenario) -> MockBackend:
    """The demo accounts reset for a scenario: the backend itself, or one on the same
    accounts file whose named operations fail temporarily."""
    backend.reset()
    if not scenario.fail_operations:
        return backend
    return MockBackend(backend.path, fail_operations=set(scenario.fail_operations))


def load(path: Path) -> ScenarioFile:
    return read(path)


def edges_of(procedure: Procedure) -> set[tuple[str, str]]:
    return {(step.id, target) for step in procedure.steps for target in step.targets()}


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def to_event(item: str | Answer, backend: MockBackend | None = None,
             account: str = "") -> tuple[Event, Answer]:
    if isinstance(item, str):
        return Event(type="answer", value=item), Answer(answer=item)
    if item.command:
        return Event(type=item.command), item
    if item.sms_code and backend is not None:
        sent = backend.account(account).user.get("sms_verification") or {}
        return Event(type="answer", value=sent.get("code", "")), item
    if item.image is not None:
        return Event(type="answer", value=png(*item.image)), item
    if item.image_bytes is not None:
        return Event(type="answer", value=item.image_bytes.encode()), item
    return Event(type="answer", value=item.answer), item


def play(procedure: Procedure, scenario: Scenario,
         backend: MockBackend) -> tuple[Any, set[tuple[str, str]]]:
    """Run one scenario; return the last result and the graph edges it took."""
    visited: set[tuple[str, str]] = set()
    result = engine.start(procedure, scenario.account, backend)
    trail = [f.step for f in result.funnel if f.type == "step_entered"]
    visited |= set(itertools.pairwise(trail))
    for number, item in enumerate(scenario.steps, start=1):
        event, expect = to_event(item, backend, scenario.account)
        before = result.run.step
        result = engine.advance(procedure, result.run, event, backend)
        entered = [f.step for f in result.funnel if f.type == "step_entered"]
        if event.type == "answer" and entered:
            visited.add((before, entered[0]))
        visited |= set(itertools.pairwise(entered))
        texts = " | ".join(o.text for o in result.outputs)
        where = f"{scenario.name!r}, answer {number} ({item!r})"
        if expect.error is not None:
            assert result.run.error and expect.error in result.run.error, \
                f"{where}: expected refusal {expect.error!r}, got {texts!r}"
            assert result.run.step == before, f"{where}: a refused answer moved the run"
        elif event.type == "answer":
            assert not (result.run.error and result.run.step == before), \
                f"{where}: refused: {result.run.error}"
        if expect.says is not None:
            assert expect.says in texts, f"{where}: {expect.says!r} not in {texts!r}"
    return result, visited


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_every_scenario_and_every_edge(path: Path, tmp_path: Path):
    data = load(path)
    procedure = LIBRARY.get(data.procedure)
    assert checks.problems(procedure) == []
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    taken: set[tuple[str, str]] = set()
    for scenario in data.scenarios:
        acting = acting_backend(backend, scenario)
        result, visited = play(procedure, scenario, acting)
        taken |= visited
        name = scenario.name
        run = result.run
        assert run.status == scenario.outcome, \
            f"{name!r}: ended {run.status} at {run.step}: {run.summary or run.error}"
        for change in scenario.changes or []:
            assert any(change in c for c in run.changes), f"{name!r}: {change!r} not in " \
                                                          f"{run.changes}"
        if scenario.changes == []:
            assert run.changes == [], f"{name!r}: unexpected changes {run.changes}"
        for text in scenario.summary:
            assert text in run.summary, f"{name!r}: {text!r} not in {run.summary!r}"
        state = jsonable(backend.account(scenario.account))
        for dotted, expected in scenario.account_after.items():
            found = lookup(state, dotted)
            assert found is not MISSING, f"{name!r}: no {dotted} in the account"
            assert found == expected, f"{name!r}: {dotted} is {found!r}, not {expected!r}"
    missing = edges_of(procedure) - taken
    assert not missing, f"edges no scenario takes: {sorted(missing)}"


def test_every_shipped_guide_has_an_overlay_and_scenarios():
    covered = {load(p).procedure for p in scenario_files()}
    assert covered == set(LIBRARY.slugs())
    assert all(LIBRARY.has_overlay(slug) for slug in LIBRARY.slugs())


def test_every_overlay_passes_kb_check():
    assert LIBRARY.problems() == []
