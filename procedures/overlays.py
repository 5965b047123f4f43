"""Overlays: the hand-written part that makes a compiled guide executable.

A guide compiles into "guide me" steps (what to click in the Manager). Its overlay,
`procedures/overlays/<slug>.yaml`, adds a "do it for me" flow: steps that check the
account, collect values, call the account backend and say what changed. Overlay steps
refer to compiled steps by id (`source`), so `kb check` fails when a guide edit removes a
step an overlay relies on, and `procedures.bindings` checks that its operations, their
arguments and its `{answers.x}` / `{results.y}` references would work when reached. The
merged procedure starts with a choice between both modes.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from procedures import bindings, review
from procedures import graph as checks
from procedures.errors import OverlayError
from procedures.model import Option, Procedure, Step
from procedures.source.problems import Problem
from procedures.source.yamlerrors import error_line, error_reason

MODE_STEP = "mode"


class Overlay(BaseModel):
    """An overlay file. `start` is the first step of the do-it-for-me flow."""

    model_config = ConfigDict(extra="forbid")

    procedure: str
    question: str = "How would you like to do this?"
    do_label: str = "Do it for me"
    guide_label: str = "Guide me through the Manager"
    start: str
    steps: list[Step]


def read(path: Path) -> Overlay:
    """The overlay file at `path`, validated. Raises OverlayError with located problems."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OverlayError([Problem(str(path), error_line(exc),
                                    f"invalid YAML: {error_reason(exc)}")]) from None
    try:
        return Overlay.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err["loc"])
            problems.append(Problem(str(path), _line_of_loc(text, data, err["loc"]),
                                    f"{where}: {err['msg']}"))
        raise OverlayError(problems) from None


def merge(compiled: Procedure, overlay: Overlay, path: Path) -> Procedure:
    """The compiled guide plus the overlay's flow, behind a mode choice. Raises
    OverlayError naming the overlay lines that do not fit the compiled guide."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    where = str(path)
    problems: list[Problem] = []
    if overlay.procedure != compiled.id:
        problems.append(Problem(where, _line(text, "procedure"), f"overlay is for "
                                f"'{overlay.procedure}' but the guide is '{compiled.id}'"))
    compiled_ids = set(compiled.step_ids())
    steps: list[Step] = []
    for step in overlay.steps:
        if step.id in compiled_ids or step.id == MODE_STEP:
            problems.append(Problem(where, _line(text, "id", step.id),
                                    f"step id '{step.id}' is already a step of the "
                                    "compiled guide; choose another"))
        if step.source is not None and step.source not in compiled_ids:
            problems.append(Problem(where, _line(text, "source", step.source),
                                    f"step '{step.id}' refers to '{step.source}', which is "
                                    "no longer a step of the guide (its steps: "
                                    f"{', '.join(sorted(compiled_ids))})"))
            steps.append(step)
            continue
        if step.source and not step.text:
            step = step.model_copy(update={"text": compiled.step(step.source).text})
        if step.source and not step.stage:
            # The section of the guide it stands for names the stage in the progress.
            step = step.model_copy(update={"stage": compiled.step(step.source).stage})
        steps.append(step)
    if problems:
        raise OverlayError(problems)
    mode = Step(id=MODE_STEP, kind="choice", text=overlay.question, options=[
        Option(id="do", label=overlay.do_label, next=overlay.start),
        Option(id="guide", label=overlay.guide_label, next=compiled.start or ""),
    ])
    merged = Procedure(id=compiled.id, title=compiled.title, source=compiled.source,
                       requires=compiled.requires, start=MODE_STEP,
                       steps=[mode, *compiled.steps, *steps])
    structural = checks.problems(merged)
    if not structural:
        # Reviews are generated on a sound graph only: they redirect its edges.
        merged = review.add_reviews(merged)
    found = [Problem(where, _line(text, "id", step_id), message) for step_id, message
             in [*structural, *(review.problems(merged) if not structural else []),
                 *bindings.problems(merged, [step.id for step in overlay.steps])]]
    if found:
        raise OverlayError(found)
    return merged


def _line(text: str, key: str, value: str | None = None) -> int:
    """The 1-based line of `key: value` (or of `key:`) in the YAML text, else 1."""
    pattern = rf"^\s*-?\s*{re.escape(key)}:\s*" + (rf"['\"]?{re.escape(value)}['\"]?\s*$"
                                                   if value else "")
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    return 1


def _line_of_loc(text: str, data: object, loc: tuple[int | str, ...]) -> int:
    """Best line for a validation error: the step's `id:` line, else the top-level key."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int) and isinstance(data,
                                                                                     dict):
        steps = data.get("steps") or []
        if loc[1] < len(steps) and isinstance(steps[loc[1]], dict):
            return _line(text, "id", str(steps[loc[1]].get("id", "")))
    return _line(text, str(loc[0])) if loc else 1
