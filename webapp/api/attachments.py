"""Files a run gave the person (an export), downloaded with the run's or the chat's token.

`GET /api/v1/runs/<id>/attachments/<name>` takes the run's token, and
`GET /api/v1/conversations/<id>/attachments/<name>` the conversation's token for the file
of its procedure run. Both answer with the file itself, `Content-Disposition:
attachment` and its content type, or the same 404 for an unknown run, a wrong token and
a file the run has not produced, so probing learns nothing.
"""

from __future__ import annotations

from flask import Response

from kb.errors import ConversationNotFound, RunNotFound
from kb.runs.service import RunState
from procedures import engine
from procedures.errors import UnknownProcedure
from webapp import services
from webapp.api.base import bearer_token, blueprint
from webapp.errors import ApiError

NOT_FOUND = "no such file (or the token does not match it)"


def _file(state: RunState, name: str) -> Response:
    found = engine.attachment(state.procedure, state.run, name)
    if found is None:
        raise ApiError(404, NOT_FOUND)
    response = Response(found.content, content_type=found.content_type)
    if found.content_type.startswith("text/"):
        response.headers["Content-Type"] = f"{found.content_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.get("/runs/<run_id>/attachments/<name>")
def run_attachment(run_id: str, name: str) -> Response:
    try:
        state = services.context().guided.get(run_id, bearer_token())
    except (RunNotFound, UnknownProcedure):
        raise ApiError(404, NOT_FOUND) from None
    return _file(state, name)


@blueprint.get("/conversations/<conv_id>/attachments/<name>")
def conversation_attachment(conv_id: str, name: str) -> Response:
    context = services.context()
    try:
        conv = context.chat.history(conv_id, bearer_token())
        if conv.run is None:
            raise ApiError(404, NOT_FOUND)
        state = context.guided.get(conv.run.id, conv.run.token)
    except (ConversationNotFound, RunNotFound, UnknownProcedure):
        raise ApiError(404, NOT_FOUND) from None
    return _file(state, name)
