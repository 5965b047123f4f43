"""Every walk over a procedure's step graph: the structural checks run when a procedure
is loaded, reachability, the loops, and the questions left on the way to an end.

The checks: one start, every `next` resolves, nothing unreachable, an end reachable from
every step, and every step that waits or acts has somewhere to go. Each problem names the
step ids, so an author can find them. The walks the interfaces need (the progress of a
run, the stages ahead, the diagram's layers) are here too, so there is one notion of
"the way forward" and of "a loop" for all of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any, NamedTuple

from procedures import conditions
from procedures.model import Procedure, Step

FLOWING = ("instruction", "collect", "note", "warning", "action", "check")
WAITING = ("instruction", "choice", "collect")
"""The kinds of step that wait for the user: the questions of a run."""


class StepProblem(NamedTuple):
    """A problem of a procedure and the step it is about (None: the whole procedure), so
    a reader can point at the step's line in its file."""

    step: str | None
    message: str


def problems(procedure: Procedure) -> list[StepProblem]:
    """What is structurally wrong with a procedure, one sentence per problem, each with
    the step it is about (None when it is about the whole procedure)."""
    found: list[StepProblem] = []
    ids = procedure.step_ids()
    seen: set[str] = set()
    for step_id in ids:
        if step_id in seen:
            found.append(StepProblem(step_id, f"step id '{step_id}' is used twice"))
        seen.add(step_id)
    if not procedure.steps:
        return [StepProblem(None, "the procedure has no steps")]
    if procedure.start not in seen:
        found.append(StepProblem(None, f"the start '{procedure.start}' is not a step"))
    for step in procedure.steps:
        for target in step.targets():
            if target not in seen:
                found.append(StepProblem(
                    step.id, f"step '{step.id}' leads to '{target}', which does not exist"))
        if step.kind in FLOWING and step.next is None and not (step.kind in ("action", "check")
                                                               and "ok" in step.routes):
            found.append(StepProblem(step.id, f"step '{step.id}' ({step.kind}) has no next step"))
        if step.kind == "end" and step.targets():
            found.append(StepProblem(step.id, f"end step '{step.id}' leads somewhere"))
    if found:
        return found
    graph = {s.id: s.targets() for s in procedure.steps}
    reachable = reach(graph, [procedure.start or ids[0]])
    unreachable = [i for i in ids if i not in reachable]
    if unreachable:
        found.append(StepProblem(unreachable[0], "unreachable steps: " + ", ".join(unreachable)))
    reverse: dict[str, list[str]] = {i: [] for i in ids}
    for source, targets in graph.items():
        for target in targets:
            reverse[target].append(source)
    ends = [s.id for s in procedure.steps if s.kind == "end"]
    if not ends:
        found.append(StepProblem(None, "the procedure has no end step"))
    else:
        finishing = reach(reverse, ends)
        stuck = [i for i in ids if i not in finishing and i in reachable]
        if stuck:
            found.append(StepProblem(stuck[0], "no end can be reached from: " + ", ".join(stuck)))
    return found


def reach(graph: dict[str, list[str]], starts: Iterable[str]) -> set[str]:
    """The nodes reachable from `starts` (included), breadth first."""
    starts = list(starts)
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for target in graph.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def forward(step: Step) -> list[str]:
    """Where a step normally leads (error routes are detours, not the way forward)."""
    targets = [step.next] if isinstance(step.next, str) else [b.then for b in step.next or []]
    targets += [o.next for o in step.options]
    return targets or step.targets()


def ahead(procedure: Procedure, step_id: str) -> set[str]:
    """The steps reachable the normal way from `step_id`, this one included."""
    graph = {s.id: forward(s) for s in procedure.steps}
    return reach(graph, [step_id]) if step_id in graph else set()


def loops(procedure: Procedure) -> tuple[set[tuple[str, str]], list[str]]:
    """The edges that close a loop (found depth-first from the start: an edge to a step
    still on the way there), and the steps in an order where the others all go forward."""
    steps = {s.id: s for s in procedure.steps}
    out = {sid: [t for t in dict.fromkeys(step.targets()) if t in steps]
           for sid, step in steps.items()}
    start = procedure.start or procedure.steps[0].id
    back: set[tuple[str, str]] = set()
    seen, on_path, done = {start}, {start}, []
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        node, i = stack[-1]
        if i < len(out[node]):
            stack[-1] = (node, i + 1)
            target = out[node][i]
            if target in on_path:
                back.add((node, target))
            elif target not in seen:
                seen.add(target)
                on_path.add(target)
                stack.append((target, 0))
        else:
            stack.pop()
            on_path.discard(node)
            done.append(node)
    return back, done[::-1]


def remaining_questions(procedure: Procedure, step_id: str,
                        data: dict[str, Any] | None = None) -> int:
    """The questions left on the longest way from `step_id` to an end, this one included,
    loops taken once: the "of about N" of a progress indicator. With `data` (a run's
    answers and results), a branch they already decide is followed alone: after "only my
    name", the picture's questions further on are not counted."""
    longest = _questions_ahead(procedure).get(step_id, 0)
    if data is None:
        return longest
    plan = _plan(procedure)
    decided = tuple(_decision(plan.branches[b], data) for b in plan.ahead.get(step_id, ()))
    if all(d is None for d in decided):
        return longest
    key = (step_id, decided)
    found = plan.counted.get(key)
    if found is None:
        choices = {b: d for b, d in zip(plan.ahead[step_id], decided, strict=True)
                   if d is not None}
        found = _count(procedure, step_id, choices)
        if len(plan.counted) < PLAN_ENTRIES:
            plan.counted[key] = found
    return found


class _Plan(NamedTuple):
    """What counting with a run's data needs of a procedure, worked out once: each step
    with branches, as (target, the paths its condition reads, the condition) in order,
    the branching steps ahead of each step, and counts already made."""

    branches: dict[str, list[tuple[str, tuple[str, ...], Any]]]
    ahead: dict[str, tuple[str, ...]]
    counted: dict[tuple[str, tuple[int | None, ...]], int]


_PLANS: dict[int, tuple[Procedure, _Plan]] = {}
PLAN_ENTRIES = 512


def _plan(procedure: Procedure) -> _Plan:
    found = _PLANS.get(id(procedure))
    if found is not None and found[0] is procedure:
        return found[1]
    branches = {s.id: [(b.then, tuple(_paths(b.if_)), b.if_) for b in s.next]
                for s in procedure.steps if isinstance(s.next, list)}
    back, _ = loops(procedure)
    graph = {s.id: [t for t in forward(s) if (s.id, t) not in back] for s in procedure.steps}
    writes = {s.id: _writes(s) for s in procedure.steps}
    ahead: dict[str, tuple[str, ...]] = {}
    for sid in graph:
        reached = reach(graph, [sid])
        produced = {path for r in reached for path in writes[r]}
        # A branch whose data a step still ahead will (re)write cannot be decided yet: a
        # check ahead sets its result anew, a question ahead its answer.
        ahead[sid] = tuple(b for b in branches if b in reached and not any(
            _under(path, produced) for _, paths, _ in branches[b] for path in paths))
    plan = _Plan(branches, {k: v for k, v in ahead.items() if v}, {})
    if len(_PLANS) >= AHEAD_ENTRIES:
        _PLANS.pop(next(iter(_PLANS)), None)
    _PLANS[id(procedure)] = (procedure, plan)
    return plan


def _writes(step: Step) -> set[str]:
    """The data paths a step sets when it runs."""
    found: set[str] = set()
    if step.kind == "collect" and step.field is not None:
        found.add(f"answers.{step.field.name}")
    if step.kind == "choice":
        found.add(f"answers.{step.id}")
    if step.save_as:
        found.add(f"results.{step.save_as}")
    if step.kind == "action":
        found.add("changes")
    return found


def _under(path: str, produced: set[str]) -> bool:
    """Whether `path` reads what one of the `produced` paths sets (it or inside it)."""
    return any(path == p or path.startswith(p + ".") for p in produced)


def _paths(condition: Any) -> Iterable[str]:
    """The data paths a condition reads."""
    if condition.var:
        yield condition.var
    for part in (condition.all_ or []) + (condition.any_ or []):
        yield from _paths(part)
    if condition.not_ is not None:
        yield from _paths(condition.not_)


def _decision(branches: list[tuple[str, tuple[str, ...], Any]],
              data: dict[str, Any]) -> int | None:
    """The branch the data takes, or None while a branch before it reads something the
    run does not hold yet (an answer to come, a result of a later check)."""
    for n, (_, paths, condition) in enumerate(branches):
        if any(conditions.lookup(data, path) is conditions.MISSING for path in paths):
            return None
        if conditions.holds(condition, data):
            return n
    return None


def _count(procedure: Procedure, step_id: str, choices: dict[str, int]) -> int:
    """The longest way's questions from `step_id`, each decided branch followed alone."""
    steps = {s.id: s for s in procedure.steps}
    back, order = loops(procedure)
    longest: dict[str, int] = {}
    for sid in reversed(order):
        step = steps[sid]
        targets = forward(step)
        if sid in choices and isinstance(step.next, list):
            targets = [step.next[choices[sid]].then]
        further = [longest.get(t, 0) for t in targets if (sid, t) not in back]
        longest[sid] = max(further, default=0) + (step.kind in WAITING)
    return longest.get(step_id, 0)


# Every step view shows progress, so the walk is done once per procedure object (the
# library and the snapshot store hand out the same objects turn after turn), not once
# per turn. The object is kept beside its table so that a recycled id() never matches.
_AHEAD: dict[int, tuple[Procedure, dict[str, int]]] = {}
AHEAD_ENTRIES = 256


def _questions_ahead(procedure: Procedure) -> dict[str, int]:
    found = _AHEAD.get(id(procedure))
    if found is not None and found[0] is procedure:
        return found[1]
    steps = {s.id: s for s in procedure.steps}
    back, order = loops(procedure)
    longest: dict[str, int] = {}
    for sid in reversed(order):
        further = [longest.get(t, 0) for t in forward(steps[sid]) if (sid, t) not in back]
        longest[sid] = max(further, default=0) + (steps[sid].kind in WAITING)
    if len(_AHEAD) >= AHEAD_ENTRIES:
        _AHEAD.pop(next(iter(_AHEAD)), None)
    _AHEAD[id(procedure)] = (procedure, longest)
    return longest


def depths(procedure: Procedure) -> dict[str, int]:
    """Each step's depth: the length of the longest loop-free way to it from the start
    (the layer of a step in a drawing of the graph, the start at the top)."""
    back, order = loops(procedure)
    steps = {s.id: s for s in procedure.steps}
    depth = {sid: 0 for sid in order}
    for sid in order:
        for target in dict.fromkeys(steps[sid].targets()):
            if (sid, target) not in back and target in depth:
                depth[target] = max(depth[target], depth[sid] + 1)
    return depth
