"""A procedure drawn for a reader: its stages, its questions and where each answer leads.

A procedure has dozens of steps; a reader wants the shape: "first the prerequisites,
then a question, then one of two ways, then done". So consecutive steps that simply
follow one another are drawn as one box, named by the guide's section (its stage) or by
what the steps do ("Asks for your email address; changes your account"). Questions are
boxes of their own, and the arrows leaving them carry the answers' full labels. Ends say
how the procedure ends in words. Nothing is truncated and nothing needs hovering: every
text is wrapped inside its box, which grows to fit it.

The Content-Security-Policy forbids inline scripts, so nothing is drawn in the browser:
the server computes the boxes and curves once per procedure version (`_diagram.html`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from procedures.model import TEMPLATE, Procedure, Step
from webapp import diagram_layout as layout
from webapp.diagram_layout import Diagram, Node

LINE_CHARS = 31
ENDS = {"done": "Finished", "blocked": "Stops here: not possible",
        "handed-off": "Handed over to our support team", "cancelled": "Cancelled"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 'es' if noun.endswith('x') else 's'}"


SENTENCE = re.compile(r"(?<=[.?!:])\s+(?=[A-Z])")
LONG = 140


def _gist(text: str, question: bool) -> str:
    """A long text by its point: the question itself, or the first sentence, whole."""
    text = _clean(text)
    if len(text) <= LONG:
        return text
    sentences = SENTENCE.split(text)
    if question:
        asked = [s for s in sentences if s.endswith("?")]
        if asked:
            return asked[0]
    return sentences[0]


def _clean(text: str) -> str:
    # Placeholders ("{answers.phone}") are only filled in during a run.
    return " ".join(TEMPLATE.sub("…", text).replace("….", "…").split())


def _links(step: Step) -> list[tuple[str, str]]:
    """(target, answer label) for every way out of a step; the label is empty where the
    step simply moves on, and says "depending on your account" where a check decides."""
    found: dict[str, list[str]] = {}
    for option in step.options:
        found.setdefault(option.next, []).append(option.label)
    if step.options_next:
        found.setdefault(step.options_next, []).append("one of the listed items")
    # Where a check decides, the box says so ("then one of 3 ways"): the same words on
    # every arrow would only crowd them.
    for target in step.targets():
        found.setdefault(target, [])
    return [(t, " / ".join(dict.fromkeys(x for x in labels if x))) for t, labels in found.items()]


def _blocks(procedure: Procedure) -> tuple[dict[str, str], list[list[Step]]]:
    """Steps grouped into boxes: a run of steps that follow one another with no choice
    in between, in one stage. Returns step id -> box id, and the boxes' steps."""
    steps = {s.id: s for s in procedure.steps}
    outs = {s.id: [t for t, _ in _links(s) if t in steps] for s in procedure.steps}
    ins: dict[str, int] = {sid: 0 for sid in steps}
    for targets in outs.values():
        for target in set(targets):
            ins[target] += 1
    start = procedure.start or procedure.steps[0].id
    box_of: dict[str, str] = {}
    boxes: list[list[Step]] = []
    for step in procedure.steps:
        if step.id in box_of:
            continue
        chain = [step]
        box_of[step.id] = step.id
        while _joins(chain[-1], outs) and not _alone(chain[-1]):
            after = steps[outs[chain[-1].id][0]]
            if (after.id in box_of or ins[after.id] != 1 or after.id == start
                    or _alone(after) or after.stage != step.stage):
                break
            chain.append(after)
            box_of[after.id] = step.id
        boxes.append(chain)
    return box_of, boxes


def _joins(step: Step, outs: dict[str, list[str]]) -> bool:
    return len(set(outs[step.id])) == 1


def _alone(step: Step) -> bool:
    """Questions and ends are boxes of their own: they are where the way divides or stops."""
    return step.kind in ("choice", "end")


def _describe(chain: list[Step]) -> tuple[str, str, list[str]]:
    """(kind, heading, text) of one box."""
    first = chain[0]
    if first.kind == "choice":
        return "choice", "Question", [_gist(first.text, True) or "Which way?"]
    if first.kind == "end":
        return f"end-{first.outcome}", ENDS.get(first.outcome or "", "End"), []
    doing = []
    asks = [s.field.label or s.field.name.replace("_", " ") for s in chain
            if s.kind == "collect" and s.field is not None]
    if asks:
        doing.append("Asks for: " + ", ".join(a[:1].lower() + a[1:] for a in asks))
    if any(s.kind == "check" for s in chain):
        doing.append("looks at your account")
    ways_out = set(chain[-1].targets())
    if len(ways_out) > 1 and chain[-1].kind in ("check", "action", "collect"):
        doing.append(f"then goes one of {len(ways_out)} ways, depending on what it finds")
    if any(s.kind == "action" and s.mutates for s in chain):
        doing.append("changes your account")
    elif any(s.kind == "action" for s in chain):
        doing.append("works it out for you")
    shown = [s for s in chain if s.kind in ("instruction", "note", "warning")]
    if first.stage:
        text = [first.stage]
        if shown:
            text.append(_count(len([s for s in shown if s.kind == "instruction"]) or len(shown),
                               "step" if any(s.kind == "instruction" for s in shown)
                               else "explanation"))
        return "stage", "Section of the guide", [*text, "; ".join(doing)] if doing else text
    if doing:
        sentence = "; ".join(doing)
        return "work", "We do it for you", [sentence[:1].upper() + sentence[1:]]
    said = _gist(shown[0].text, False) if shown else ""
    heading = "Warning" if any(s.kind == "warning" for s in shown) else "Explanation"
    return "note", heading, [said] if said else []


@dataclass
class Way:
    """One of the ways a procedure can be taken (the answer to its first question), drawn."""

    label: str
    drawing: Diagram


def ways(procedure: Procedure) -> list[Way]:
    """One drawing per answer to the first question ("Do it for me" / "Show me how"),
    since a reader follows one of them; a procedure that starts otherwise is one drawing."""
    first = procedure.step(procedure.start) if procedure.start else procedure.steps[0]
    if first.kind != "choice" or len(first.options) < 2:
        return [Way("", diagram(procedure))]
    steps = {s.id: s for s in procedure.steps}
    found = []
    for option in first.options:
        seen: list[str] = []
        todo = [option.next]
        while todo:
            sid = todo.pop()
            if sid in seen or sid not in steps or sid == first.id:
                continue
            seen.append(sid)
            todo += steps[sid].targets()
        part = procedure.model_copy(update={
            "start": option.next, "steps": [s for s in procedure.steps if s.id in seen]})
        found.append(Way(option.label, diagram(part)))
    return found


def diagram(procedure: Procedure) -> Diagram:
    """The boxes and arrows of a procedure, top to bottom, loops curving on the right."""
    box_of, chains = _blocks(procedure)
    nodes: dict[str, Node] = {}
    for chain in chains:
        kind, label, text = _describe(chain)
        lines = [line for part in text for line in textwrap.wrap(part, LINE_CHARS)]
        title = f"{label}: {' '.join(text)}" if text else label
        nodes[chain[0].id] = Node(id=chain[0].id, kind=kind, label=label, lines=lines,
                                  title=title, steps=[s.id for s in chain],
                                  h=layout.PAD * 2 + layout.LINE_H * (1 + len(lines)) + 2)
    links: dict[str, dict[str, str]] = {box: {} for box in nodes}
    for chain in chains:
        for target, label in _links(chain[-1]):
            if target in box_of and box_of[target] != chain[0].id:
                found = links[chain[0].id]
                found[box_of[target]] = " / ".join(x for x in (found.get(box_of[target]), label)
                                                   if x)
    _merge_twins(nodes, links, box_of)
    ids = list(nodes)
    start = box_of.get(procedure.start or ids[0], ids[0])
    depth, back = layout.layers(ids, {n: list(t) for n, t in links.items()}, start)
    layers: dict[int, list[str]] = {}
    for node in ids:
        layers.setdefault(depth[node], []).append(node)
    width, tops = layout.place(layers, links, back, nodes)
    edges = layout.edges(links, back, nodes)
    height = tops[max(layers) + 1] - layout.GAP_Y + layout.MARGIN
    stages = [s for s in dict.fromkeys(step.stage for step in procedure.steps) if s]
    questions = sum(1 for chain in chains if chain[0].kind == "choice")
    summary = f"{_count(len(procedure.steps), 'step')}, drawn as {_count(len(nodes), 'box')}"
    if stages:
        summary += f", in {_count(len(stages), 'section')}: " + "; ".join(stages)
    if questions:
        summary += f"; {_count(questions, 'question')} " + ("decides" if questions == 1
                                                              else "decide") + " the way"
    return Diagram(width=width, height=height, nodes=list(nodes.values()), edges=edges,
                   summary=summary)


def _merge_twins(nodes: dict[str, Node], links: dict[str, dict[str, str]],
                 box_of: dict[str, str]) -> None:
    """Boxes that say the same and lead to the same place become one (three ways to send
    an invitation are one "changes your account" box to a reader)."""
    seen: dict[tuple[object, ...], str] = {}
    for box in list(nodes):
        node = nodes[box]
        if node.kind.startswith("end") or node.kind == "choice":
            continue
        key = (node.kind, node.label, tuple(node.lines), tuple(sorted(links[box].items())))
        twin = seen.setdefault(key, box)
        if twin == box:
            continue
        nodes[twin].steps += node.steps
        del nodes[box], links[box]
        for step, owner in box_of.items():
            if owner == box:
                box_of[step] = twin
        for targets in links.values():
            if box in targets:
                label = targets.pop(box)
                targets[twin] = " / ".join(x for x in dict.fromkeys(
                    (targets.get(twin, ""), label)) if x)


