"""The layout of a procedure's step graph, drawn as inline SVG by `_diagram.html`.

The Content-Security-Policy forbids inline scripts, so nothing is drawn in the browser:
the server computes the boxes and curves once per procedure version.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from procedures import graph
from procedures.model import TEMPLATE, Procedure, Step

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 210, 58, 30, 46, 16
LINE_CHARS = 30
KIND_LABELS = {"instruction": "Step", "choice": "Question", "collect": "Asks for",
               "action": "Does", "check": "Checks", "note": "Note", "warning": "Warning",
               "end": "End"}


@dataclass
class Node:
    id: str
    kind: str
    label: str
    lines: list[str]
    title: str
    x: float = 0
    y: float = 0
    w: float = BOX_W
    h: float = BOX_H


@dataclass
class Edge:
    path: str
    label: str = ""
    lx: float = 0
    ly: float = 0
    back: bool = False


@dataclass
class Diagram:
    width: float
    height: float
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    summary: str = ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _wrap(text: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][:width - 1].rstrip() + "…"
    return wrapped


def _edges_of(step: Step) -> list[tuple[str, str]]:
    """(target, label) pairs: where a step leads, and why (an option's label, a
    condition, or a detour such as an error)."""
    labels: dict[str, list[str]] = {}
    if isinstance(step.next, str):
        labels.setdefault(step.next, [])
    elif isinstance(step.next, list):
        for branch in step.next:
            labels.setdefault(branch.then, []).append("" if branch.if_.else_ else "if…")
    for option in step.options:
        labels.setdefault(option.next, []).append(option.label)
    for target in step.targets():
        labels.setdefault(target, ["otherwise"])
    return [(target, " / ".join(dict.fromkeys(x for x in found if x)))
            for target, found in labels.items()]


def diagram(procedure: Procedure) -> Diagram:
    """A layered drawing of the step graph: the start at the top, each step one layer
    below the longest path that reaches it; edges back up (loops) curve on the right."""
    steps = {s.id: s for s in procedure.steps}
    order = {s.id: i for i, s in enumerate(procedure.steps)}
    out = {s.id: [t for t in _edges_of(s) if t[0] in steps] for s in procedure.steps}
    back, _ = graph.loops(procedure)
    layer = graph.depths(procedure)
    layers: dict[int, list[str]] = {}
    for sid in sorted(layer, key=order.__getitem__):
        layers.setdefault(layer[sid], []).append(sid)
    # One sweep of barycentres keeps branches under the step they come from.
    position: dict[str, float] = {}
    preds: dict[str, list[str]] = {sid: [] for sid in layer}
    for sid in layer:
        for target, _ in out[sid]:
            if target in preds and (sid, target) not in back:
                preds[target].append(sid)
    for depth in sorted(layers):
        row = layers[depth]
        if depth:
            row.sort(key=lambda s: (sum(position[p] for p in preds[s]) / len(preds[s])
                                    if preds[s] else 0, order[s]))
        for i, sid in enumerate(row):
            position[sid] = i - (len(row) - 1) / 2
    widest = max(len(row) for row in layers.values())
    width = widest * BOX_W + (widest - 1) * GAP_X + 2 * MARGIN + 40
    center = (width - 40) / 2
    nodes: dict[str, Node] = {}
    for depth, row in layers.items():
        for sid in row:
            step = steps[sid]
            # Placeholders ("{answers.phone}") are only filled in during a run.
            text = TEMPLATE.sub("…", step.text).replace("….", "…") or (
                step.operation or "").replace("_", " ")
            label = KIND_LABELS.get(step.kind, step.kind)
            if step.kind == "end":
                label = f"End: {step.outcome}"
            nodes[sid] = Node(id=sid, kind=step.kind, label=label, lines=_wrap(text),
                              title=f"{label}: {text}" if text else label,
                              x=center + position[sid] * (BOX_W + GAP_X) - BOX_W / 2,
                              y=MARGIN + depth * (BOX_H + GAP_Y))
    edges = []
    for sid in layer:
        a = nodes[sid]
        for target, label in out[sid]:
            b = nodes[target]
            if (sid, target) in back or b.y <= a.y:
                x1, y1 = a.x + a.w, a.y + a.h / 2
                x2, y2 = b.x + b.w, b.y + b.h / 2
                bulge = max(x1, x2) + 30
                path = f"M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} " \
                       f"{x2 + 4:.0f},{y2:.0f}"
                edges.append(Edge(path, label, bulge - 4, (y1 + y2) / 2, back=True))
                continue
            x1, y1 = a.x + a.w / 2, a.y + a.h
            x2, y2 = b.x + b.w / 2, b.y - 4
            mid = (y1 + y2) / 2
            path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
            short = label if len(label) <= 24 else label[:23].rstrip() + "…"
            # Labels sit just above the step they lead to, where fanned-out edges are
            # furthest apart.
            edges.append(Edge(path, short, 0.16 * x1 + 0.84 * x2, y2 - 8))
    height = MARGIN * 2 + (max(layers) + 1) * (BOX_H + GAP_Y) - GAP_Y
    stages = [s for s in dict.fromkeys(step.stage for step in procedure.steps) if s]
    summary = _count(len(procedure.steps), "step")
    if stages:
        summary += f" in {_count(len(stages), 'stage')}: " + "; ".join(stages)
    return Diagram(width=width, height=height,
                   nodes=[nodes[s] for s in layer], edges=edges, summary=summary)
