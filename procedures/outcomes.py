"""Ends that claim success must have looked at the account: a lint for overlays.

When a guide names a final verification ("Verify your security settings."), the
do-it-for-me flow must not say "done" before reading the account: every way from the
flow's start, and from every change it makes, to a `done` end passes through a `check`
step. A flow that skips it would
tell a person their account is secured while the box above says two-factor is off.
These are warnings (`kb check` prints them without failing): some guides' verification
is the person's own look at the Manager.
"""

from __future__ import annotations

import re
from collections import deque

from procedures.graph import StepProblem
from procedures.model import Procedure
from procedures.overlays import MODE_STEP

VERIFICATION = re.compile(r"^(verify|check|make sure|confirm that|ensure)\b", re.IGNORECASE)


def warnings(procedure: Procedure) -> list[StepProblem]:
    """`done` ends of the do-it-for-me flow that a path reaches without a check since the
    start or since the last change, when the guide itself ends on a verification."""
    if procedure.start != MODE_STEP:
        return []
    mode = procedure.step(MODE_STEP)
    starts = {o.id: o.next for o in mode.options}
    if "do" not in starts or "guide" not in starts:
        return []
    graph = {s.id: s.targets() for s in procedure.steps}
    guide_steps = _reach(graph, starts["guide"], set())
    verification = next((s.text for s in procedure.steps if s.id in guide_steps
                         and s.kind == "instruction" and VERIFICATION.match(s.text)), None)
    if verification is None:
        return []
    checks = {s.id for s in procedure.steps if s.kind == "check"}
    # After the start and after every change, the account must be read again before an
    # end may say the work is done.
    unchecked: set[str] = set()
    for source in [starts["do"], *(s.id for s in procedure.steps if s.mutates)]:
        unchecked |= _reach(graph, source, checks - {source})
    return [StepProblem(step.id, f"end '{step.id}' says the work is done, but a way reaches it "
                                 "without a check of the account, and the guide asks for a "
                                 f"final verification (“{verification}”)")
            for step in procedure.steps
            if step.kind == "end" and step.outcome == "done" and step.id in unchecked
            and step.id not in guide_steps]


def _reach(graph: dict[str, list[str]], start: str, stop: set[str]) -> set[str]:
    """Steps reachable from `start` without passing through a step of `stop`."""
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current in seen or current in stop:
            continue
        seen.add(current)
        queue.extend(graph.get(current, []))
    return seen
