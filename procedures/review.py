"""A review before every change to an account, generated from the model.

For every action step whose operation changes the account (`procedures.backend.changes`),
the procedure gets a `choice` step in front of it that lists what will be done with the
values the person gave (formatted: an IBAN masked, an amount with its currency, the label
of a picked option; a secret never), with the options Confirm, "Change the <value>" (back
to the question that asked it; the other answers stay) and "Cancel" (an end saying that
nothing was changed, or the action's `on_decline` step). Overlays write the action only,
never ten copies of the same review; one may write its own review as a choice step with
`reviews: <action id>`, and `problems` then checks that no path reaches the action
without passing through it.

A value that lives for one turn only (a password, an uploaded picture) cannot wait for
the review's answer, so the review then comes before the question that asks for it.
"""

from __future__ import annotations

from collections import deque

from procedures import fields
from procedures.backend.changes import CHANGES, Change, Shown, changes_account
from procedures.graph import StepProblem
from procedures.model import TEMPLATE, Branch, Option, Procedure, Step

CONFIRM = "confirm"
DECLINE = "decline"


def add_reviews(procedure: Procedure) -> Procedure:
    """The procedure with a review before each account-changing action that has none."""
    written = {s.reviews for s in procedure.steps if s.reviews}
    steps = list(procedure.steps)
    for action in procedure.steps:
        if action.kind != "action" or not changes_account(action.operation):
            continue
        steps = [s.model_copy(update={"mutates": True}) if s.id == action.id else s
                 for s in steps]
        if action.id in written:
            continue
        steps = _with_review(Procedure(id=procedure.id, title=procedure.title,
                                       start=procedure.start, steps=steps), action)
    return Procedure(id=procedure.id, title=procedure.title, source=procedure.source,
                     requires=procedure.requires, start=procedure.start, steps=steps)


def problems(procedure: Procedure) -> list[StepProblem]:
    """Account-changing actions that some path reaches without a review just before."""
    found: list[StepProblem] = []
    graph = {s.id: s.targets() for s in procedure.steps}
    for action in procedure.steps:
        if action.kind != "action" or not changes_account(action.operation):
            continue
        reviews = [s for s in procedure.steps if s.reviews == action.id]
        if not reviews:
            found.append(StepProblem(action.id, f"step '{action.id}' calls "
                                     f"'{action.operation}', which changes the account, with "
                                     "no review before it"))
            continue
        skipped = _reach_avoiding(graph, procedure.start or "", {r.id for r in reviews})
        if action.id in skipped:
            found.append(StepProblem(action.id, f"step '{action.id}' calls "
                                     f"'{action.operation}', which changes the account, and "
                                     f"can be reached without its review "
                                     f"'{reviews[0].id}'"))
        for review in reviews:
            if review.kind != "choice" or not any("cancel" in o.label.lower()
                                                  for o in review.options):
                found.append(StepProblem(review.id, f"review '{review.id}' must be a choice "
                                         "with an option to cancel"))
    return found


# -- building one review -------------------------------------------------------------------

def _with_review(procedure: Procedure, action: Step) -> list[Step]:
    change = CHANGES[action.operation or ""]
    point, chain = _review_point(procedure, action)
    producers = _producers(procedure, action)
    details: list[str] = []
    changes: dict[str, Option] = {}
    later: list[str] = []
    for name, shown in change.shows.items():
        if name not in action.args:
            continue
        value = action.args[name]
        whole = TEMPLATE.fullmatch(value) if isinstance(value, str) else None
        path = whole.group(1) if whole else None
        producer = producers.get(path[8:]) if path and path.startswith("answers.") else None
        if producer is not None and producer.id in chain:
            later.append(shown.label.lower())
            continue
        if shown.format == "secret":
            continue
        said = _shown(value, path, producer, shown)
        # An option labelled "Application password “Outlook”" says what it is already.
        named = (producer is not None and producer.kind == "choice"
                 and producer.option_label.lower().startswith(shown.label.lower()))
        details.append(said if named else f"{shown.label}: {said}")
        if producer is not None and producer.id not in changes:
            label = f"Change the {_name_of(producer, shown)}"
            if any(o.label == label for o in changes.values()):
                label = f"Change the {_lower(shown.label)}"
            changes[producer.id] = Option(id=f"change-{len(changes) + 1}", label=label,
                                          next=producer.id)
    # What is asked after the review is said beside the question, not listed among the
    # values to check.
    then = f"After you confirm, I will ask for the {' and the '.join(later)}." if later else ""
    text = (f"{then} Before I {change.does}, please check:".lstrip() if details
            else f"Shall I {change.does}? {then}".rstrip())
    review_id = f"{action.id}.review"
    declined = action.on_decline or f"{action.id}.declined"
    review = Step(id=review_id, kind="choice", stage=action.stage, reviews=action.id,
                  text=text,
                  details=details,
                  options=[Option(id=CONFIRM, label="Confirm", next=point),
                           *changes.values(),
                           Option(id=DECLINE, label="Cancel, change nothing", next=declined)])
    steps: list[Step] = []
    for step in procedure.steps:
        if step.id == point:
            steps.append(review)
        steps.append(step if step.id in chain else _redirect(step, point, review_id))
    if action.on_decline is None:
        steps.append(Step(id=declined, kind="end", outcome="cancelled", stage=action.stage,
                          text=f"Nothing was changed: you chose not to {change.does}."))
    return steps


def _review_point(procedure: Procedure, action: Step) -> tuple[str, set[str]]:
    """Where the review goes (the action, or the first question of a value that lives for
    one turn only and leads straight to it) and the steps from there to the action."""
    transient = {s.field.name for s in procedure.steps
                 if s.kind == "collect" and s.field and fields.is_transient(s.field)}
    used = {m.group(1)[8:] for v in action.args.values() if isinstance(v, str)
            for m in TEMPLATE.finditer(v) if m.group(1).startswith("answers.")}
    if not used & transient:
        return action.id, {action.id}
    parents: dict[str, list[str]] = {}
    for step in procedure.steps:
        for target in step.targets():
            parents.setdefault(target, []).append(step.id)
    point, chain, walked, current = action.id, {action.id}, [action.id], action.id
    while True:
        before = [p for p in dict.fromkeys(parents.get(current, [])) if p not in walked]
        if len(before) != 1:
            break
        step = procedure.step(before[0])
        walked.append(step.id)
        if step.kind == "collect" and step.field and fields.is_transient(step.field):
            point, chain = step.id, set(walked)
        elif not (step.kind in ("check", "note", "warning")
                  or (step.kind == "action" and not changes_account(step.operation))):
            break
        current = step.id
    return point, chain


def _producers(procedure: Procedure, action: Step) -> dict[str, Step]:
    """The step that stores each answer the action may use: a collect by its field name,
    a choice by its id; of several asking the same, the nearest one before the action."""
    parents: dict[str, list[str]] = {}
    for step in procedure.steps:
        for target in step.targets():
            parents.setdefault(target, []).append(step.id)
    distance = {action.id: 0}
    queue = deque([action.id])
    while queue:
        current = queue.popleft()
        for parent in parents.get(current, []):
            if parent not in distance:
                distance[parent] = distance[current] + 1
                queue.append(parent)
    found: dict[str, Step] = {}
    for step in sorted(procedure.steps, key=lambda s: -distance.get(s.id, -1)):
        if step.id not in distance:
            continue
        if step.kind == "collect" and step.field:
            found[step.field.name] = step
        elif step.kind == "choice":
            found[step.id] = step
    return found


def _shown(value: object, path: str | None, producer: Step | None, shown: Shown) -> str:
    if producer is not None and producer.kind == "choice":
        return "{results.labels." + producer.id + "}"
    if path is not None:
        if path.startswith("results.") and path.endswith(".id"):
            return "{" + path[:-3] + "}"
        fmt = "" if shown.format in ("text", "choice") else f"|{shown.format}"
        return "{" + path + fmt + "}"
    if isinstance(value, bool) or value is None:
        return "yes" if value else ("" if shown.format == "days" else "no")
    return shown.words.get(str(value), str(value).replace("_", " ").replace("-", " "))


def _name_of(producer: Step, shown: Shown) -> str:
    if producer.kind == "collect" and producer.field and producer.field.label:
        return _lower(producer.field.label)
    return _lower(shown.label)


def _lower(label: str) -> str:
    """A label inside a sentence: "Amount" reads "amount"; "IBAN", "API token" and
    "PayPal" keep their capitals."""
    first = label.split()[0] if label.split() else label
    return label[:1].lower() + label[1:] if first[1:].islower() else label


def _redirect(step: Step, old: str, new: str) -> Step:
    """`step` with every way to `old` leading to `new` instead."""
    if old not in step.targets():
        return step
    update: dict[str, object] = {}

    def swap(target: str) -> str:
        return new if target == old else target

    if isinstance(step.next, str):
        update["next"] = swap(step.next)
    elif isinstance(step.next, list):
        update["next"] = [Branch.model_validate({"if": b.if_, "then": swap(b.then)})
                          for b in step.next]
    if step.options:
        update["options"] = [o.model_copy(update={"next": swap(o.next)}) for o in step.options]
    if step.options_next:
        update["options_next"] = swap(step.options_next)
    if step.routes:
        update["routes"] = {k: swap(v) for k, v in step.routes.items()}
    return step.model_copy(update=update)


def _reach_avoiding(graph: dict[str, list[str]], start: str, avoid: set[str]) -> set[str]:
    seen: set[str] = set()
    queue = deque([start] if start not in avoid else [])
    while queue:
        current = queue.popleft()
        if current in seen:
            continue
        seen.add(current)
        queue.extend(t for t in graph.get(current, []) if t not in avoid and t not in seen)
    return seen


__all__ = ["CONFIRM", "DECLINE", "Change", "add_reviews", "problems"]
