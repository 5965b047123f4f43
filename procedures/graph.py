"""Structural checks of a procedure graph, run when a procedure is loaded.

One start, every `next` resolves, nothing unreachable, an end reachable from every step,
and every step that waits or acts has somewhere to go. Each problem names the step ids,
so an author can find them.
"""

from __future__ import annotations

from collections import deque

from procedures.model import Procedure

FLOWING = ("instruction", "collect", "note", "warning", "action", "check")


def problems(procedure: Procedure) -> list[str]:
    found: list[str] = []
    ids = procedure.step_ids()
    seen: set[str] = set()
    for step_id in ids:
        if step_id in seen:
            found.append(f"step id '{step_id}' is used twice")
        seen.add(step_id)
    if not procedure.steps:
        return ["the procedure has no steps"]
    if procedure.start not in seen:
        found.append(f"the start '{procedure.start}' is not a step")
    for step in procedure.steps:
        for target in step.targets():
            if target not in seen:
                found.append(f"step '{step.id}' leads to '{target}', which does not exist")
        if step.kind in FLOWING and step.next is None and not (step.kind in ("action", "check")
                                                               and "ok" in step.routes):
            found.append(f"step '{step.id}' ({step.kind}) has no next step")
        if step.kind == "end" and step.targets():
            found.append(f"end step '{step.id}' leads somewhere")
    if found:
        return found
    graph = {s.id: s.targets() for s in procedure.steps}
    reachable = _reach(graph, [procedure.start or ids[0]])
    unreachable = [i for i in ids if i not in reachable]
    if unreachable:
        found.append("unreachable steps: " + ", ".join(unreachable))
    reverse: dict[str, list[str]] = {i: [] for i in ids}
    for source, targets in graph.items():
        for target in targets:
            reverse[target].append(source)
    ends = [s.id for s in procedure.steps if s.kind == "end"]
    if not ends:
        found.append("the procedure has no end step")
    else:
        finishing = _reach(reverse, ends)
        stuck = [i for i in ids if i not in finishing and i in reachable]
        if stuck:
            found.append("no end can be reached from: " + ", ".join(stuck))
    return found


def _reach(graph: dict[str, list[str]], starts: list[str]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for target in graph.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
