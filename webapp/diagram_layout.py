"""Where a diagram's boxes and arrows go: rows by longest path (loops set aside, drawn as
curves on the right), each box under the boxes that lead to it, and labels on the
arrows' middles. Pure geometry; what the boxes say is decided in `webapp.diagram`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

BOX_W, GAP_X, GAP_Y, MARGIN = 230, 36, 64, 16
LABEL_CHARS, LINE_H, PAD = 20, 16, 10


@dataclass
class Node:
    id: str
    kind: str
    label: str
    lines: list[str]
    title: str
    steps: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0
    w: float = BOX_W
    h: float = 0


@dataclass
class Edge:
    path: str
    label: list[str] = field(default_factory=list)
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

def layers(nodes: list[str], edges: dict[str, list[str]], start: str) -> tuple[
        dict[str, int], set[tuple[str, str]]]:
    """Longest-path layers over the graph without its loops, and the loops' edges."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        for target in edges[node]:
            if state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                visit(target)
        state[node] = 2
        order.append(node)

    for node in [start, *nodes]:
        if node not in state:
            visit(node)
    depth = {node: 0 for node in nodes}
    for node in reversed(order):
        for target in edges[node]:
            if (node, target) not in back:
                depth[target] = max(depth[target], depth[node] + 1)
    return depth, back

def place(layers: dict[int, list[str]], links: dict[str, dict[str, str]],
           back: set[tuple[str, str]], nodes: dict[str, Node]) -> tuple[
               float, dict[int, float]]:
    """Rows of boxes, each box under the boxes leading to it (one barycentre sweep)."""
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for source, targets in links.items():
        for target in targets:
            if (source, target) not in back:
                preds[target].append(source)
    position: dict[str, float] = {}
    order = {n: i for i, n in enumerate(nodes)}
    for depth in sorted(layers):
        row = layers[depth]
        if depth:
            row.sort(key=lambda n: (sum(position[p] for p in preds[n]) / len(preds[n])
                                    if preds[n] else 0, order[n]))
        for i, node in enumerate(row):
            position[node] = i - (len(row) - 1) / 2
    widest = max(len(row) for row in layers.values())
    width = widest * BOX_W + (widest - 1) * GAP_X + 2 * MARGIN + 60
    center = (width - 60) / 2
    tops: dict[int, float] = {0: MARGIN}
    for depth in range(max(layers) + 1):
        row = layers.get(depth, [])
        tallest = max((nodes[n].h for n in row), default=0)
        for node in row:
            nodes[node].x = center + position[node] * (BOX_W + GAP_X) - BOX_W / 2
            nodes[node].y = tops[depth]
        # Room above the next row for the answers' labels.
        labels = max((len(_label_lines(links[n].get(t, ""))) for n in row for t in links[n]),
                     default=0)
        tops[depth + 1] = tops[depth] + tallest + GAP_Y + max(0, labels - 2) * 13
    return width, tops


def _label_lines(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARS)


def edges(links: dict[str, dict[str, str]], back: set[tuple[str, str]],
           nodes: dict[str, Node]) -> list[Edge]:
    edges = []
    for source, targets in links.items():
        a = nodes[source]
        for target, label in targets.items():
            b = nodes[target]
            lines = _label_lines(label)
            if (source, target) in back or b.y <= a.y:
                x1, y1 = a.x + a.w, a.y + min(a.h / 2, 24)
                x2, y2 = b.x + b.w, b.y + min(b.h / 2, 24)
                bulge = max(x1, x2) + 40
                path = (f"M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} "
                        f"{x2 + 4:.0f},{y2:.0f}")
                edges.append(Edge(path, lines, bulge - 30, (y1 + y2) / 2, back=True))
                continue
            x1, y1 = a.x + a.w / 2, a.y + a.h
            x2, y2 = b.x + b.w / 2, b.y - 4
            mid = (y1 + y2) / 2
            path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
            # Labels sit on the curve's middle, where fanned-out arrows are apart and
            # arrows meeting at one box have not met yet.
            top = mid + 4 - 13 * (len(lines) - 1) / 2
            edges.append(Edge(path, lines, (x1 + x2) / 2, top))
    return edges
