"""The guided wizard: one step of a procedure run per page, at a stable URL per run.

A run's token stays in the signed session cookie (run id -> token), never in a URL, so
reopening `/runs/<id>` in the same browser resumes at the same step, even after a server
restart, and another browser gets a 404. Every form carries the revision it was shown
at: a form from an outdated page (another tab moved on) shows the current step with an
explanation instead of acting twice.

A refused answer is shown again in its field (never a secret or a file); uploads, files
a run made and a body over the request limit are handled in `webapp.wizard_files`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from kb.content.guides import SLUG_PATTERN
from kb.errors import RunNotFound, UnknownAccount
from kb.runs.service import RunState
from procedures import engine, graph
from procedures.engine.render import closing
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.model import Procedure
from procedures.run import Event, Run
from webapp import services
from webapp import session as visitor
from webapp import wizard_files as files

blueprint = Blueprint("wizard", __name__)
blueprint.register_error_handler(RequestEntityTooLarge, files.too_large)
blueprint.add_url_rule("/runs/<run_id>/download", "download", files.download)

RUN_ID = files.RUN_ID
SLUG = re.compile(SLUG_PATTERN)
EVENTS = ("answer", "back", "cancel", "restart")
# The messages of a turn travel in the session cookie, which browsers cap at about 4 KB:
# their text is kept under a budget (the signed cookie compresses it), each message
# under its own cap, the earliest left out only when a turn says more than that.
MAX_MESSAGES_CHARS, MAX_MESSAGE_CHARS = 2400, 600
OUTCOMES = {"done": "Done", "blocked": "Stopped: this could not be done",
            "handed-off": "Handed over to our support team", "cancelled": "Cancelled",
            "failed": "Something went wrong"}
STALE = ("This page was out of date (the procedure had moved on, perhaps in another tab), "
         "so nothing was done. Here is the current step.")
# A typed answer shown again after an error is kept this short in the session cookie.
MAX_KEPT_CHARS = 500
# A section heading that numbers itself ("Step 2: Add a product", "Step 3 -").
STEP_NUMBER = re.compile(r"^step\s+\d{1,3}\s*[:.)\-–—]\s*", re.I)
NOT_KEPT = ("password", "image")


@blueprint.post("/runs")
def start():
    slug = request.form.get("procedure", "")
    if not SLUG.match(slug):
        abort(404)
    try:
        state = services.context().guided.start(slug, visitor.account_for_new_run())
    except UnknownProcedure:
        abort(404)
    except UnknownAccount:
        session.pop("account", None)
        abort(400)
    visitor.remember_run(state.id, state.token or "")
    _flash_outputs(state)
    return redirect(url_for(".show", run_id=state.id))


@blueprint.get("/runs/<run_id>")
def show(run_id: str):
    state = _load(run_id)
    messages, lead = _lead(state, get_flashed_messages(with_categories=True))
    return render_template("run.html", state=state, typed=_typed(state), messages=messages,
                           lead=lead, refused_upload=files.refused_upload(state.id),
                           **_page(state))


def _lead(state: RunState, messages: list[tuple[str, str]]) -> tuple[list[tuple[str, str]],
                                                                      str | None]:
    """The messages to show above the step, and the one that announces the step itself.
    "You can then choose to:" alone in a box would be half a sentence: it goes into the
    step, right above what it announces (a choice's options, another step's text)."""
    if state.view is not None and state.view.error is None and messages and \
            messages[-1][0] == "note" and messages[-1][1].rstrip().endswith(":") and \
            "\n" not in messages[-1][1].strip():
        return messages[:-1], messages[-1][1]
    return messages, None


@blueprint.post("/runs/<run_id>")
def act(run_id: str):
    token = visitor.run_token(run_id) if RUN_ID.match(run_id) else None
    if token is None:
        abort(404)
    kind = request.form.get("event", "answer")
    if kind not in EVENTS:
        abort(400)
    try:
        revision = int(request.form.get("revision", ""))
    except ValueError:
        revision = None
    upload = request.files.get("value")
    value = upload.read() if upload is not None else request.form.get("value")
    try:
        if revision is None:
            raise StaleRevision("the form did not say which step it was for")
        state = services.context().guided.send(run_id, token, Event(
            type=kind, value=value if kind == "answer" else None, revision=revision))
    except StaleRevision:
        flash(STALE, "info")
        return redirect(url_for(".show", run_id=run_id))
    except RunNotFound:
        abort(404)
    _keep_typed(run_id, state, value if kind == "answer" else None)
    _flash_outputs(state)
    return redirect(url_for(".show", run_id=run_id))


def _keep_typed(run_id: str, state: RunState, value: object) -> None:
    """Remember a refused answer, to show it again in its field (never a secret)."""
    session.pop("typed", None)
    view = state.view
    field = (view.field if view else None) or {}
    if (view is None or view.error is None or not isinstance(value, str)
            or field.get("secret") or field.get("type") in NOT_KEPT):
        return
    session["typed"] = {"run": run_id, "step": view.step, "value": value[:MAX_KEPT_CHARS]}


def _typed(state: RunState) -> str | None:
    kept = session.pop("typed", None)
    view = state.view
    if (isinstance(kept, dict) and view is not None and view.error is not None
            and kept.get("run") == state.id and kept.get("step") == view.step
            and isinstance(kept.get("value"), str)):
        return str(kept["value"])
    return None


def _load(run_id: str) -> RunState:
    token = visitor.run_token(run_id) if RUN_ID.match(run_id) else None
    try:
        return services.context().guided.get(run_id, token)
    except (RunNotFound, UnknownProcedure):
        abort(404)


def _flash_outputs(state: RunState) -> None:
    """The messages of the turn, for the next page; what that page shows anyway (the
    step's own error, the final summary) is left out."""
    shown = []
    # A sentence ending on a colon and the list of facts under it: one message.
    for output in engine.gathered(state.outputs, state.procedure):
        if output.type == "attachment":
            files.keep_attachment(state.id, output)
            continue
        if state.view and output.type == "error" and output.text == state.view.error:
            continue
        # The final page says these itself: the summary and the list of changes.
        said = output.text == state.run.summary or (output.type == "result"
                                                    and output.text in state.run.changes)
        if state.run.finished and said:
            continue
        shown.append(output)
    texts = [(output.type, output.text if len(output.text) <= MAX_MESSAGE_CHARS else
              output.text[:MAX_MESSAGE_CHARS - 1].rstrip() + "…") for output in shown]
    while sum(len(text) for _, text in texts) > MAX_MESSAGES_CHARS and len(texts) > 1:
        texts.pop(0)
    for kind, text in texts:
        flash(text, kind)


def _support() -> dict[str, str]:
    settings = services.settings()
    return {"email": settings.support_email, "phone": settings.support_phone,
            "hours": settings.support_hours, "reply_time": settings.support_reply_time}


def _page(state: RunState) -> dict[str, Any]:
    """What run.html shows besides the step: buttons, outcome, progress, stages."""
    allowed = engine.allowed_events(state.procedure, state.run)
    outcome = OUTCOMES.get(state.run.status, state.run.status)
    # The final page lists the changes itself, below the summary; and under the heading
    # "Done" a summary opening with "Done." would say it twice.
    summary = closing(state.run.summary)
    if summary.startswith(f"{outcome}. "):
        summary = summary[len(outcome) + 2:]
    page: dict[str, Any] = {
        "allowed": allowed, "outcome": outcome,
        "guide": services.catalog().find(state.run.procedure), "summary": summary,
        "attachments": files.attachments(state.id), "support": _support()}
    if state.view is None:
        return page
    progress = state.view.progress
    if progress is not None:
        # The opening's steps are a stage named after the guide, which the heading says.
        stage = progress.stage if progress.stage != state.procedure.title else ""
        # "Step 2: Add a product · Step 2 of 3": the counter says which step it is.
        stage = STEP_NUMBER.sub("", stage) or stage
        page.update(number=progress.done + 1, total=progress.done + progress.remaining,
                    left=progress.remaining - 1, exact=progress.exact,
                    stage=stage or _way(state.procedure, state.run))
    page.update(stages=stages(state.procedure, state.run, state.view.step))
    if (state.view.field or {}).get("type") == "image":
        page.update(upload=files.upload_view())
    return page


def _way(procedure: Procedure, run: Run) -> str:
    """The way taken at the first question ("Change it for me"): what a step outside the
    guide's sections (one the procedure does for the person) belongs to."""
    first = procedure.step(procedure.start) if procedure.start else None
    if first is None or first.kind != "choice" or run.step == first.id:
        return ""
    chosen = run.answers.get(first.id)
    return next((o.label for o in first.options if o.id == chosen), "")


def stages(procedure: Procedure, run: Run, current: str) -> list[dict[str, object]]:
    """The stages on this run's way: those already answered, then the current step's and
    those still reachable from it, in the procedure's order."""
    steps = {s.id: s for s in procedure.steps}
    ahead = graph.ahead(procedure, current)
    behind = {c.step for c in run.checkpoints}
    names = [s.stage for s in procedure.steps if s.stage and (s.id in ahead or s.id in behind)]
    now = steps[current].stage if current in steps else ""
    past = {steps[sid].stage for sid in behind if sid in steps}
    return [{"name": name, "current": name == now, "done": name in past and name != now}
            for name in dict.fromkeys(names)]
