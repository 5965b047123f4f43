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
from dataclasses import dataclass, field
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
    walks = _walks(procedure)
    if data is None or step_id not in walks.decidable:
        return walks.longest.get(step_id, 0)
    ahead = walks.decidable[step_id]
    decided = tuple(_decision(walks.branches[b], data) for b in ahead)
    if all(d is None for d in decided):
        return walks.longest.get(step_id, 0)
    key = (step_id, decided)
    found = walks.counted.get(key)
    if found is None:
        choices = {b: d for b, d in zip(ahead, decided, strict=True) if d is not None}
        found = _longest(procedure, walks.back, walks.order, choices).get(step_id, 0)
        if len(walks.counted) < COUNTED_ENTRIES:
            walks.counted[key] = found
    return found


def fixed_way(procedure: Procedure, step_id: str) -> bool:
    """Whether one way only leads from `step_id` to the end (no choice or branch ahead
    leads apart, no loop): the count of questions left is then exact, not "about"."""
    return step_id in _walks(procedure).fixed


# Every step view shows progress, so the walks are done once per procedure object (the
# library and the snapshot store hand out the same objects turn after turn), not once
# per turn. The object is kept beside its walks so that a recycled id() never matches.
_WALKS: dict[int, tuple[Procedure, _Walks]] = {}
WALKS_ENTRIES = 256
COUNTED_ENTRIES = 512


@dataclass
class _Walks:
    """What counting the questions ahead needs of one procedure, worked out once: the
    loops, the longest way from each step, each branching step's branches as (target,
    the paths its condition reads, the condition), the branching steps ahead of each step
    that a run's data may decide, and the counts already made with such decisions."""

    back: set[tuple[str, str]]
    order: list[str]
    longest: dict[str, int]
    branches: dict[str, list[tuple[str, tuple[str, ...], Any]]]
    decidable: dict[str, tuple[str, ...]]
    fixed: set[str] = field(default_factory=set)
    counted: dict[tuple[str, tuple[int | None, ...]], int] = field(default_factory=dict)


def _walks(procedure: Procedure) -> _Walks:
    found = _WALKS.get(id(procedure))
    if found is not None and found[0] is procedure:
        return found[1]
    back, order = loops(procedure)
    branches = {s.id: [(b.then, tuple(conditions.paths(b.if_)), b.if_) for b in s.next]
                for s in procedure.steps if isinstance(s.next, list)}
    graph = {s.id: [t for t in forward(s) if (s.id, t) not in back] for s in procedure.steps}
    writes = {s.id: _writes(s) for s in procedure.steps}
    decidable: dict[str, tuple[str, ...]] = {}
    for sid in graph:
        reached = reach(graph, [sid])
        produced = {path for r in reached for path in writes[r]}
        # A branch whose data a step still ahead will (re)write cannot be decided yet: a
        # check ahead sets its result anew, a question ahead its answer.
        ahead = tuple(b for b in branches if b in reached and not any(
            _under(path, produced) for _, paths, _ in branches[b] for path in paths))
        if ahead:
            decidable[sid] = ahead
    # From these steps there is one way to the end: no choice leads apart, no loop back.
    parting = {sid for sid, targets in graph.items() if len(set(targets)) > 1} | \
        {source for source, _ in back}
    fixed = {sid for sid in graph if reach(graph, [sid]).isdisjoint(parting)}
    walks = _Walks(back, order, _longest(procedure, back, order, {}), branches, decidable,
                   fixed)
    if len(_WALKS) >= WALKS_ENTRIES:
        _WALKS.pop(next(iter(_WALKS)), None)
    _WALKS[id(procedure)] = (procedure, walks)
    return walks


def _longest(procedure: Procedure, back: set[tuple[str, str]], order: list[str],
             choices: dict[str, int]) -> dict[str, int]:
    """The questions on the longest way from each step to an end, loops taken once, each
    branching step in `choices` following only its chosen branch."""
    steps = {s.id: s for s in procedure.steps}
    longest: dict[str, int] = {}
    for sid in reversed(order):
        step = steps[sid]
        targets = forward(step)
        if sid in choices and isinstance(step.next, list):
            targets = [step.next[choices[sid]].then]
        further = [longest.get(t, 0) for t in targets if (sid, t) not in back]
        longest[sid] = max(further, default=0) + (step.kind in WAITING)
    return longest


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


# Steps the compiler makes of a guide's prerequisites ("prerequisites-check" and what it
# leads to): a run through one later section still goes through them.
PREREQUISITE_STEPS = "prerequisites-"


def section_entry(procedure: Procedure, section: str) -> str | None:
    """The first step, in the guide's order, of the section (stage) with this name."""
    return next((s.id for s in procedure.steps if s.stage == section), None)


def outside_section(procedure: Procedure, step: Step, section: str) -> str | None:
    """Where a step of another section stands from `section`, in the guide's order:
    "before" it (to be skipped, unless it is one of the guide's prerequisites), "after"
    it (the section is over), or None (a prerequisite, gone through)."""
    entry = section_entry(procedure, section)
    if entry is None:
        return None
    ids = procedure.step_ids()
    if ids.index(step.id) > ids.index(entry):
        return "after"
    return None if step.id.startswith(PREREQUISITE_STEPS) else "before"


def way_into_section(procedure: Procedure, step: Step, section: str) -> str | None:
    """Where a run through `section` goes from a step before it: the guide's next
    prerequisite step on the way, else the section's first step."""
    entry = section_entry(procedure, section)
    ids = procedure.step_ids()
    if entry is None:
        return None
    between = procedure.steps[ids.index(step.id) + 1:ids.index(entry)]
    return next((s.id for s in between if s.id.startswith(PREREQUISITE_STEPS)), entry)


def questions_in_section(procedure: Procedure, step_id: str, section: str) -> int:
    """The questions left to a run through one section: the current one (a prerequisite
    asked on the way counts too), then the section's, in the guide's order."""
    ids = procedure.step_ids()
    here = ids.index(step_id) if step_id in ids else 0
    current = procedure.steps[here]
    return (current.stage != section and current.kind in WAITING) + sum(
        1 for s in procedure.steps[here:] if s.stage == section and s.kind in WAITING)
