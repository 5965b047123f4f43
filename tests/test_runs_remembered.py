"""The run a process remembers after saving it is the run every other process loads.

`RunStore` keeps the run it saved and hands it out again while the row still holds the
JSON it wrote, instead of validating that JSON again. That is only right if the run
reads back from its JSON as exactly the same run: every value in it JSON data already
(answers as the fields give them, backend results through `jsonable`), and its log and
trails within what is stored. Every scenario of every shipped procedure is played here,
and after each step the saved run is compared with its JSON read back, so a value of
another type (a Decimal, a date, a tuple) slipping into runs fails here first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.runs.store import _as_stored
from procedures import engine
from procedures.backend import MockBackend
from procedures.run import Run
from tests.test_procedure_paths import LIBRARY, acting_backend, load, scenario_files, to_event


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_every_step_of_every_scenario_reads_back_as_the_run_remembered(path: Path,
                                                                        tmp_path: Path):
    data = load(path)
    procedure = LIBRARY.get(data.procedure)
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    compared = 0
    for scenario in data.scenarios:
        acting = acting_backend(backend, scenario)
        result = engine.start(procedure, scenario.account, acting)
        runs = [result.run]
        for item in scenario.steps:
            event, _ = to_event(item, acting, scenario.account)
            result = engine.advance(procedure, result.run, event, acting)
            runs.append(result.run)
        for number, run in enumerate(runs):
            assert _as_stored(run), f"{scenario.name!r}, step {number}: longer than stored"
            again = Run.model_validate_json(run.model_dump_json())
            assert again == run, (f"{scenario.name!r}, step {number}: the run reads back "
                                  "differently from its JSON")
            compared += 1
    assert compared > len(data.scenarios)
