"""Checks of what an overlay binds: backend operations, their arguments, data references.

The graph checks (`procedures.graph`) make sure every step leads somewhere; these make
sure the steps that act would work when reached: the operation exists on the account
backend, its arguments fit the operation's signature, and every `{answers.x}` or
`{results.y}` names a value that some step can have stored by then. Without them a typo
passes `kb check` and surfaces mid-conversation as "something went wrong". Each problem
is `(step id, message)`, so the overlay reader can point at the step's line.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from procedures import conditions
from procedures.backend import reference
from procedures.engine.formats import FORMATS
from procedures.graph import StepProblem
from procedures.model import TEMPLATE, Condition, Procedure, Step

BUILTIN_RESULTS = frozenset({"error", "labels", "refused"})
"""Results the engine itself stores: `error` is the last backend refusal, `labels` the
label of the option picked at each choice step (by step id)."""



def problems(procedure: Procedure, checked: Iterable[str]) -> list[StepProblem]:
    """Problems of the steps named in `checked` (an overlay's), within the whole
    procedure they belong to (a reference may name a value stored by any of its steps)."""
    wanted = set(checked)
    found: list[StepProblem] = []
    answers = _answer_names(procedure)
    savers = _savers(procedure)
    before = _ancestors(procedure)
    for step in procedure.steps:
        if step.id not in wanted:
            continue
        found += [StepProblem(step.id, message) for message in operation_problems(step)]
        found += [StepProblem(step.id, message) for message in format_problems(step)]
        for where, path in references(step):
            message = _reference_problem(step, where, path, answers, savers, before)
            if message:
                found.append(StepProblem(step.id, message))
    return found


def operation_problems(step: Step) -> list[str]:
    """An action or check step calls an operation of the backend with fitting `args`."""
    if step.kind not in ("action", "check") or not step.operation:
        return []
    operations = reference.operations()
    operation = operations.get(step.operation)
    if operation is None:
        if step.operation in reference.demo_controls():
            return [f"step '{step.id}' calls '{step.operation}', a demo control of the "
                    "backend that does not act for an account"]
        return [f"step '{step.id}' calls '{step.operation}', which is not an operation of "
                f"the account backend{_did_you_mean(step.operation, operations)}"]
    found = []
    takes = ", ".join(operation.names) or "no arguments"
    for name in step.args:
        if name not in operation.names:
            found.append(f"step '{step.id}' gives '{name}' to '{operation.name}', which "
                         f"takes: {takes}{_did_you_mean(name, operation.names)}")
    for name in operation.required:
        if name not in step.args:
            found.append(f"step '{step.id}' does not give '{name}', which "
                         f"'{operation.name}' requires (args: {takes})")
    return found


def format_problems(step: Step) -> list[str]:
    """Every format named after a bar (`{results.rate|percent}`) is one the engine has."""
    found = []
    for text in (step.text, *step.details, *_strings(step.args)):
        for match in TEMPLATE.finditer(text):
            if match.group(2) and match.group(2) not in FORMATS:
                found.append(f"step '{step.id}' formats '{match.group(1)}' as "
                             f"'{match.group(2)}', which is not a format (formats: "
                             f"{', '.join(sorted(FORMATS))})")
    return found


def references(step: Step) -> Iterator[tuple[str, str]]:
    """Every `answers.*` / `results.*` path the step reads, with where it reads it:
    `text` (text and details), `args`, `next` (branch conditions) or `options_from`."""
    for text in (step.text, *step.details):
        yield from (("text", path) for path in _templates(text))
    if step.field is not None and step.field.everything:
        yield from (("field", path) for path in _templates(step.field.everything))
    for value in _strings(step.args):
        yield from (("args", path) for path in _templates(value))
    if isinstance(step.next, list):
        for branch in step.next:
            yield from (("next", path) for path in _condition_paths(branch.if_))
    for option in step.options:
        if option.when is not None:
            yield from (("next", path) for path in _condition_paths(option.when))
    if step.options_from:
        yield "options_from", step.options_from


def _reference_problem(step: Step, where: str, path: str, answers: set[str],
                       savers: dict[str, list[str]], before: dict[str, set[str]]
                       ) -> str | None:
    scope, _, rest = path.partition(".")
    name = rest.split(".")[0]
    if scope == "answers" and name not in answers:
        return (f"step '{step.id}' refers to '{path}', but no collect field or choice step "
                f"is named '{name}'{_did_you_mean(name, answers)}")
    if scope != "results" or name in BUILTIN_RESULTS:
        return None
    steps = savers.get(name, [])
    # An action's own result is there for its text and branches, not for its arguments.
    own = step.id in steps and where != "args"
    if own or any(saver in before[step.id] for saver in steps):
        return None
    if steps:
        return (f"step '{step.id}' refers to '{path}', but '{name}' is saved only by "
                f"steps that cannot come before it: {', '.join(steps)}")
    return (f"step '{step.id}' refers to '{path}', but no step saves a result as "
            f"'{name}'{_did_you_mean(name, savers)}")


def _answer_names(procedure: Procedure) -> set[str]:
    """Collect fields store answers by field name; choices store them by step id."""
    names = {s.field.name for s in procedure.steps if s.kind == "collect" and s.field}
    return names | {s.id for s in procedure.steps if s.kind == "choice"}


def _savers(procedure: Procedure) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for step in procedure.steps:
        if step.save_as:
            found.setdefault(step.save_as, []).append(step.id)
    return found


def _ancestors(procedure: Procedure) -> dict[str, set[str]]:
    """For each step, the steps from which it can be reached (itself only on a loop)."""
    parents: dict[str, list[str]] = {s.id: [] for s in procedure.steps}
    for step in procedure.steps:
        for target in step.targets():
            parents.setdefault(target, []).append(step.id)
    found: dict[str, set[str]] = {}
    for step_id in parents:
        seen: set[str] = set()
        queue = deque(parents[step_id])
        while queue:
            current = queue.popleft()
            if current not in seen:
                seen.add(current)
                queue.extend(parents.get(current, []))
        found[step_id] = seen
    return found


def _templates(text: str) -> list[str]:
    return [match.group(1) for match in TEMPLATE.finditer(text)
            if match.group(1).startswith(("answers.", "results."))]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _condition_paths(condition: Condition) -> Iterator[str]:
    """The run's answers and results a condition reads."""
    return (path for path in conditions.paths(condition)
            if path.startswith(("answers.", "results.")))


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
