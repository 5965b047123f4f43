"""Run logic: `start` and `advance`, pure functions of (procedure, run, event), and the
way a run moves through the step graph (automatic steps, backend calls, back, restart).

The engine keeps no state and does no storage: the caller loads the run, calls `advance`,
stores the new run (with its revision) and shows the outputs. The account backend is
passed in and called for action and check steps; everything the backend answers, success
or refusal, leads somewhere and produces a message, never silence.

A turn runs automatically through notes, warnings, actions, checks and branches until a
step needs the user (instruction, choice, collect) or the procedure ends.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from procedures import conditions, fields, graph
from procedures.backend import BackendError, jsonable
from procedures.engine.render import as_sentence, capital, render, resolve, summary
from procedures.engine.view import match_option, options_of
from procedures.errors import FieldError, StaleRevision, VersionMismatch
from procedures.graph import WAITING
from procedures.model import Option, Procedure, Step
from procedures.run import MAX_REFUSED_IN_A_ROW, REDACTED, Checkpoint, Event, Frame, Run

MAX_AUTOMATIC_STEPS = 200
REFUSED = "refused"
"""Where the run keeps, for one turn, a value its question refused (`_keep_refused`)."""
DONE_WORDS = {"done", "ok", "okay", "next", "continue", "yes", "y", "did it", "finished",
              "ready", "go on"}


@dataclass(frozen=True)
class Output:
    """One message for the user: `say`, `note`, `warning`, `error` or `result`."""

    type: str
    text: str
    step: str | None = None
    name: str | None = None
    """An attachment's file name (type `attachment`); `content_type` is its type."""
    content_type: str | None = None
    url: str | None = None
    """Where an attachment is downloaded: set by the service that knows the run's id."""
    items: tuple[str, ...] = ()
    """The steps of the list items said with this note (`engine.lists.gathered`)."""

    def to_json(self) -> dict[str, str | None]:
        found = {"type": self.type, "text": self.text, "step": self.step}
        if self.type == "attachment":
            found |= {"name": self.name, "content_type": self.content_type, "url": self.url}
        return found


@dataclass(frozen=True)
class Funnel:
    """An analytics event: started, step_entered, rejected, completed, blocked,
    handed_off, cancelled, failed, back, restarted."""

    type: str
    procedure: str
    step: str | None = None
    detail: str = ""


@dataclass
class Advance:
    """What a turn produced: the new run, messages to show, analytics events."""

    run: Run
    outputs: list[Output] = field(default_factory=list)
    funnel: list[Funnel] = field(default_factory=list)


# -- public functions --------------------------------------------------------------------

def start(procedure: Procedure, account: str, backend: Any,
          answers: dict[str, Any] | None = None, section: str | None = None) -> Advance:
    """A new run at the procedure's start, advanced to its first question. `section`: the
    one section of the guide the run goes through (a question that section answered): it
    goes there after the guide's prerequisites, and ends, done, where the section ends."""
    first = procedure.start or procedure.steps[0].id
    scoped = section if section and graph.section_entry(procedure, section) else None
    run = Run(procedure=procedure.id, version=procedure.version, account=account,
              salt=secrets.token_hex(8),
              frames=[Frame(procedure=procedure.id, version=procedure.version,
                            step=first)],
              answers=dict(answers or {}), section=scoped)
    result = Advance(run=run, funnel=[Funnel("started", procedure.id)])
    _log(run, "start")
    _flow(procedure, result, backend, {})
    return _finish(procedure, result, {})


def advance(procedure: Procedure, run: Run, event: Event, backend: Any) -> Advance:
    """The run after `event`. The input run is not modified."""
    if run.version != procedure.version or run.procedure != procedure.id:
        raise VersionMismatch(f"run of {run.procedure}@{run.version} advanced with "
                              f"{procedure.id}@{procedure.version}")
    if event.revision is not None and event.revision != run.revision:
        raise StaleRevision(f"the run is at revision {run.revision}, the event was for "
                            f"revision {event.revision}")
    run = run.changeable()
    result = Advance(run=run)
    transient: dict[str, Any] = {}
    if run.finished and event.type != "restart":
        result.outputs.append(Output("error", f"This procedure has already ended "
                                              f"({run.status}). Say “restart” to do it again."))
        return _finish(procedure, result, transient, changed=False)
    run.error = None
    run.results.pop(REFUSED, None)
    _log(run, event.type, run.step)
    if event.type == "cancel":
        run.status = "cancelled"
        run.summary = summary(run, "Cancelled: nothing more will be done.")
        result.outputs.append(Output("say", run.summary))
        result.funnel.append(Funnel("cancelled", procedure.id, run.step))
    elif event.type == "restart":
        _restart(procedure, result, backend, transient)
    elif event.type == "back":
        _back(procedure, result)
    elif event.type == "interrupt":
        run.paused = True
    elif event.type == "resume":
        run.paused = False
        result.outputs.append(Output("say", "Let's continue where you left off."))
    else:
        run.paused = False
        asked = run.step
        _answer(procedure, result, event.value, backend, transient)
        _keep_refused(procedure, run, asked, event.value)
    return _finish(procedure, result, transient)


def _keep_refused(procedure: Procedure, run: Run, asked: str | None, value: Any) -> None:
    """A refused value stays with the question for one turn, so an interface can show
    it again to be corrected instead of an empty field (never a secret or an upload)."""
    if run.error is None or run.step != asked or asked is None:
        return
    step = procedure.step(asked)
    if step.kind == "collect" and step.field is not None and isinstance(value, str) \
            and not fields.is_transient(step.field):
        run.results[REFUSED] = {"step": asked, "value": value[:step.field.max_length or 200]}


# -- events ------------------------------------------------------------------------------

TOO_MANY_REFUSED = (f"That makes {MAX_REFUSED_IN_A_ROW} answers in a row that could not be "
                    "used, so this question takes no more answers for now. Your progress "
                    "is kept: you can go back, start again from the beginning, or ask our "
                    "support team for help.")


def _answer(procedure: Procedure, result: Advance, value: Any, backend: Any,
            transient: dict[str, Any]) -> None:
    run = result.run
    step = procedure.step(run.step or "")
    if len(run.log) < 2 or run.log[-2].get("event") != "answer":
        run.refused_in_a_row = 0  # "in a row": back, restart or resume in between resets
    if run.refused_in_a_row >= MAX_REFUSED_IN_A_ROW:
        # A script or a stuck person: stop growing the run, keep it where it is.
        _reject(result, step, TOO_MANY_REFUSED)
        return
    snapshot = dict(run.answers)
    if step.kind == "instruction":
        said = str(value).strip().lower().rstrip(".!") if value is not None else ""
        if said not in DONE_WORDS and match_option(options_of(step, run), value) is None:
            _reject(result, step, "When you have done this step, answer “done” (or “back”, "
                                  "“cancel”).")
            return
        target = _next(step, run)
    elif step.kind == "choice":
        option = match_option(options_of(step, run), value)
        if option is None:
            _reject(result, step, _choose_among(options_of(step, run)))
            return
        run.answers[step.id] = option.value if option.value is not None else option.id
        run.results.setdefault("labels", {})[step.id] = option.label  # shown in reviews
        target = option.next
    elif step.kind == "collect" and step.field is not None:
        if step.field.everything and isinstance(value, str) and fields.says_all(value):
            # "all of it" for an amount whose whole the run knows: that amount, checked
            # and reviewed as if it had been typed.
            whole = render(step.field.everything, run)
            value = value if "{" in whole else whole
        try:
            clean = fields.validate(step.field, value)
        except FieldError as exc:
            run.attempts[step.id] = run.attempts.get(step.id, 0) + 1
            limit = step.field.max_attempts
            if limit and run.attempts[step.id] >= limit and "too_many_attempts" in step.routes:
                run.refused_in_a_row = 0
                result.outputs.append(Output("error", f"{capital(str(exc))}."))
                _go(procedure, result, step.routes["too_many_attempts"], backend, transient)
                return
            _reject(result, step, f"{capital(str(exc))}.")
            return
        spec = step.field
        if spec.same_as and not _same(run, spec.same_as, clean):
            other = spec.same_as.replace("_", " ")
            _reject(result, step, f"This does not match the {other}; please type it again.")
            return
        if fields.is_transient(spec):
            transient[spec.name] = clean
            run.answers[spec.name] = REDACTED
            if isinstance(clean, str):
                run.digests[spec.name] = _digest(run, clean)
        else:
            run.answers[spec.name] = clean
        target = _next(step, run)
    else:
        _reject(result, step, "This step does not take an answer.")
        return
    run.refused_in_a_row = 0
    run.checkpoints.append(Checkpoint(step=step.id, answers=snapshot))
    _go(procedure, result, target, backend, transient)


def _choose_among(options: list[Option]) -> str:
    """What a choice says to an answer that is none of its options, as a person would
    say it: "Please choose “Yes” or “No”.", and numbered when there are more (a number
    is an answer too)."""
    labels = [o.label.rstrip(".") for o in options]
    if len(labels) == 1:
        return f"Please choose “{labels[0]}”."
    if len(labels) == 2:
        return f"Please choose “{labels[0]}” or “{labels[1]}”."
    listed = "; ".join(f"{i}. {label}" for i, label in enumerate(labels, 1))
    return f"Please choose one of: {listed}."


def _reject(result: Advance, step: Step, reason: str) -> None:
    # The reason alone is sent: the question is still on screen, repeating it is noise.
    result.run.refused_in_a_row += 1
    result.run.error = reason
    result.outputs.append(Output("error", reason, step.id))
    result.funnel.append(Funnel("rejected", result.run.procedure, step.id, reason))


def _back(procedure: Procedure, result: Advance) -> None:
    run = result.run
    if not run.checkpoints:
        result.outputs.append(Output("error", "There is no earlier question to go back to."))
        return
    last = run.checkpoints[-1]
    if last.barrier is not None:
        result.outputs.append(Output("error", f"You can't go back past this point: "
                                              f"{last.barrier.rstrip('. ')}. That change is "
                                              "already made in your account."))
        return
    run.checkpoints.pop()
    run.answers = dict(last.answers)
    run.attempts.pop(last.step, None)
    run.frames[-1].step = last.step
    result.funnel.append(Funnel("back", procedure.id, last.step))


def _restart(procedure: Procedure, result: Advance, backend: Any,
             transient: dict[str, Any]) -> None:
    run = result.run
    run.status, run.summary, run.paused = "active", "", False
    run.answers, run.results, run.attempts, run.checkpoints = {}, {}, {}, []
    run.frames = [Frame(procedure=procedure.id, version=procedure.version,
                        step=procedure.start or procedure.steps[0].id)]
    message = "Starting again from the beginning."
    if run.changes:
        message += " What was already changed in your account stays as it is."
    result.outputs.append(Output("say", message))
    result.funnel.append(Funnel("restarted", procedure.id))
    _flow(procedure, result, backend, transient)


# -- moving through the graph ------------------------------------------------------------

def _go(procedure: Procedure, result: Advance, target: str | None, backend: Any,
        transient: dict[str, Any]) -> None:
    if target is None:
        _fail(result, "The procedure has no next step here.")
        return
    result.run.frames[-1].step = target
    _flow(procedure, result, backend, transient)


def _flow(procedure: Procedure, result: Advance, backend: Any,
          transient: dict[str, Any]) -> None:
    """Run automatic steps until one needs the user or the procedure ends."""
    run = result.run
    for _ in range(MAX_AUTOMATIC_STEPS):
        step = procedure.step(run.step or "")
        if run.section and step.stage != run.section:
            outside = graph.outside_section(procedure, step, run.section)
            if outside == "before":
                # The guide's opening and other sections are not gone through; its
                # prerequisites are.
                run.frames[-1].step = graph.way_into_section(procedure, step, run.section) \
                    or step.id
                continue
            if outside == "after":
                _section_done(procedure, result, step)
                return
        result.funnel.append(Funnel("step_entered", procedure.id, step.id))
        if step.kind in WAITING:
            return
        if step.kind in ("note", "warning"):
            result.outputs.append(Output(step.kind, render(step.text, run), step.id))
            target = _next(step, run)
        elif step.kind == "end":
            _end(procedure, result, step)
            return
        else:
            target = _act(procedure, result, step, backend, transient)
            if run.finished:
                return
        if target is None:
            _fail(result, f"Step “{step.id}” leads nowhere.")
            return
        run.frames[-1].step = target
    _fail(result, "The procedure went round in circles and was stopped.")


def _act(procedure: Procedure, result: Advance, step: Step, backend: Any,
         transient: dict[str, Any]) -> str | None:
    """Call the backend for an action or check step; return the step to go to."""
    run = result.run
    args = {name: resolve(value, run, transient) for name, value in step.args.items()}
    operation = getattr(backend, step.operation or "", None)
    if operation is None:
        _fail(result, f"The account service has no operation “{step.operation}”.")
        return None
    try:
        value = jsonable(operation(run.account, **args))
    except BackendError as exc:
        kind = exc.kind
        result.funnel.append(Funnel("action_failed", procedure.id, step.id, kind))
        target = step.routes.get(kind) or step.routes.get("error")
        run.results["error"] = {"kind": kind, "message": exc.message,
                                "field": getattr(exc, "field", None)}
        if target is not None:
            # Shown with the step the route leads to (a re-asked field shows it inline).
            run.error = f"{capital(exc.message)}."
            result.outputs.append(Output("error", run.error, step.id))
            return target
        return _default_recovery(procedure, result, step, exc)
    if step.save_as:
        run.results[step.save_as] = value
        if step.attachment is not None:
            spec = step.attachment
            result.outputs.append(Output("attachment", f"Your file {spec.name} is ready to "
                                         "download.", step.id, spec.name, spec.content_type))
    run.results.pop("error", None)
    if step.mutates:
        # Said to the person as a sentence, whatever the overlay wrote; never the
        # operation's name.
        change = as_sentence(render(step.text, run)) or "The change was made."
        run.changes.append(change)
        for checkpoint in run.checkpoints:
            checkpoint.barrier = checkpoint.barrier or change
        result.outputs.append(Output("result", change, step.id))
    return step.routes.get("ok") or _next(step, run)


def _default_recovery(procedure: Procedure, result: Advance, step: Step,
                      exc: BackendError) -> str | None:
    """Where an unhandled backend refusal leads: the user always gets an explanation."""
    run = result.run
    message = f"{capital(exc.message)}."
    if exc.kind in ("invalid", "unavailable", "conflict") and run.checkpoints:
        # Ask the last question again: the user can correct the value or simply retry.
        # A review only repeated the values: the question before it is the one to ask.
        if len(run.checkpoints) > 1 and procedure.step(run.checkpoints[-1].step).reviews:
            run.checkpoints.pop()
        last = run.checkpoints.pop()
        run.answers = dict(last.answers)
        run.error = message
        result.outputs.append(Output("error", message, last.step))
        return last.step
    run.status = "failed" if exc.kind == "unavailable" else "blocked"
    run.summary = summary(run, message)
    result.outputs.append(Output("error", message, step.id))
    result.funnel.append(Funnel("failed" if run.status == "failed" else "blocked",
                                procedure.id, step.id, exc.kind))
    run.frames[-1].step = step.id
    return None


def _end(procedure: Procedure, result: Advance, step: Step) -> None:
    run = result.run
    run.status = step.outcome or "done"
    run.summary = summary(run, render(step.text, run))
    result.outputs.append(Output("say", run.summary, step.id))
    kind = {"done": "completed", "handed-off": "handed_off"}.get(run.status, run.status)
    result.funnel.append(Funnel(kind, procedure.id, step.id))


def _section_done(procedure: Procedure, result: Advance, step: Step) -> None:
    """A run through one section that has reached the next one: done, and said so."""
    run = result.run
    run.status = "done"
    ahead = f" The guide goes on with “{step.stage}”." if step.stage else ""
    if run.section == procedure.title:
        # The steps that open the guide, before its sections, carry its title as their
        # stage: "the last step of <the guide>" would say the whole guide is done.
        ended = "That was the last of the steps that open the guide."
    else:
        ended = f"That was the last step of “{run.section}”."
    run.summary = summary(run, f"{ended}{ahead}")
    result.outputs.append(Output("say", run.summary))
    result.funnel.append(Funnel("completed", procedure.id, step.id))


def _fail(result: Advance, reason: str) -> None:
    run = result.run
    run.status = "failed"
    run.summary = summary(run, f"Something went wrong on our side: {reason}")
    result.outputs.append(Output("error", run.summary))
    result.funnel.append(Funnel("failed", run.procedure, run.step, reason))


def _finish(procedure: Procedure, result: Advance, transient: dict[str, Any],
            changed: bool = True) -> Advance:
    run = result.run
    # Secrets and uploads never outlive the turn that used them.
    for name in transient:
        if name in run.answers:
            run.answers[name] = REDACTED
    if changed:
        run.revision += 1
    return result


# -- helpers ---------------------------------------------------------------------------

def _next(step: Step, run: Run) -> str | None:
    if isinstance(step.next, list):
        return conditions.first_match(step.next, run.context())
    return step.next


def _digest(run: Run, value: str) -> str:
    return hashlib.sha256(f"{run.salt}:{value}".encode()).hexdigest()


def _same(run: Run, other: str, value: Any) -> bool:
    if other in run.digests:
        return isinstance(value, str) and run.digests[other] == _digest(run, value)
    return bool(run.answers.get(other) == value)


def _log(run: Run, kind: str, step: str | None = None) -> None:
    run.log.append({"event": kind, "step": step, "revision": run.revision})
