"""Guided runs: start one, read it, send it events. Reached only with the run's token.

A run answers 404 both when its id is unknown and when the token is wrong or missing,
so probing cannot tell them apart. Run answers carry `Cache-Control: no-store`: they hold
the token (on creation) and a user's progress.
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from kb.errors import RunNotFound, UnknownAccount
from kb.runs.service import RunState
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.run import Event
from webapp import services
from webapp.api.base import account_for, bearer_token, blueprint, json_body
from webapp.apischema.requests import RunEvent, StartRun
from webapp.apischema.responses import NewRun, Run
from webapp.errors import ApiError

NOT_FOUND = "no such run (or the token does not match it)"


def _answer(state: RunState, status: int = 200) -> Response:
    answer = NewRun.of(state) if state.token is not None else Run.of(state)
    response = jsonify(answer.body())
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/runs")
def start_run() -> Response:
    body = json_body(StartRun)
    account = account_for(body.account, body.identity) or services.settings().default_account
    try:
        state = services.context().guided.start(body.procedure, account)
    except UnknownProcedure as exc:
        raise ApiError(422, f"'procedure': {exc}", "unknown_procedure") from None
    except UnknownAccount as exc:
        raise ApiError(422, f"'account': {exc}", "unknown_account") from None
    response = _answer(state, 201)
    response.headers["Location"] = url_for("api.get_run", run_id=state.id)
    return response


@blueprint.get("/runs/<run_id>")
def get_run(run_id: str) -> Response:
    try:
        return _answer(services.context().guided.get(run_id, bearer_token()))
    except (RunNotFound, UnknownProcedure):
        raise ApiError(404, NOT_FOUND) from None


@blueprint.post("/runs/<run_id>/events")
def send_event(run_id: str) -> Response:
    # The token is checked before the body, so a stranger learns nothing from errors.
    token = bearer_token()
    guided = services.context().guided
    try:
        current = guided.get(run_id, token)
    except (RunNotFound, UnknownProcedure):
        raise ApiError(404, NOT_FOUND) from None
    body = json_body(RunEvent)
    event = Event(type=body.type, value=body.value, revision=body.revision)
    try:
        return _answer(guided.send(run_id, token, event))
    except (RunNotFound, UnknownProcedure):
        raise ApiError(404, NOT_FOUND) from None
    except StaleRevision:
        seen = body.revision if body.revision is not None else current.run.revision
        raise ApiError(409, f"the event was for revision {seen} but the run has moved on; "
                            "read it again and resend the event", "stale_revision") from None
