"""Conversations of the chat widget: create one, send it messages, read it back.

Like runs, a conversation is reached only with its token in the Authorization header,
and an unknown id and a wrong token get the same 404. A message with a client message id
is applied once, however many times it is sent.
"""

from __future__ import annotations

from flask import Response, jsonify, request, url_for

from kb.errors import ConversationConflict, ConversationNotFound, UnknownAccount
from webapp import services
from webapp.api.base import account_for, bearer_token, blueprint, json_body
from webapp.apischema.requests import NewConversation, NewMessage
from webapp.apischema.responses import ConversationHistory, NewConversationAnswer, Replies
from webapp.errors import ApiError
from webapp.wizard_files import with_upload_limit

NOT_FOUND = "no such conversation (or the token does not match it)"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/conversations")
def create_conversation() -> Response:
    # An empty body is fine: the site's default demo account is used.
    body = json_body(NewConversation) if request.get_data(cache=True) else NewConversation()
    account = account_for(body.account, body.identity)
    try:
        conv_id, token = services.context().chat.create(account)
    except UnknownAccount as exc:
        raise ApiError(422, f"'account': {exc}", "unknown_account") from None
    response = _no_store(jsonify(NewConversationAnswer(id=conv_id, token=token).body()))
    response.status_code = 201
    response.headers["Location"] = url_for("api.list_messages", conv_id=conv_id)
    return response


@blueprint.post("/conversations/<conv_id>/messages")
def post_message(conv_id: str) -> Response:
    chat = services.context().chat
    token = bearer_token()
    try:
        chat.history(conv_id, token)
    except ConversationNotFound:
        raise ApiError(404, NOT_FOUND) from None
    body = json_body(NewMessage)
    if not body.text.strip() and not body.option:
        raise ApiError(422, "'text': the message is empty; type something or choose an "
                            "option", "invalid")
    try:
        replies = chat.post(conv_id, token, body.text, option=body.option,
                            client_id=body.client_id)
    except ConversationNotFound:
        raise ApiError(404, NOT_FOUND) from None
    except ConversationConflict as exc:
        raise ApiError(409, str(exc), "busy") from None
    return _no_store(jsonify(Replies(replies=with_upload_limit(replies)).body()))


@blueprint.get("/conversations/<conv_id>/messages")
def list_messages(conv_id: str) -> Response:
    try:
        conv = services.context().chat.history(conv_id, bearer_token())
    except ConversationNotFound:
        raise ApiError(404, NOT_FOUND) from None
    active = conv.run is not None and not conv.run.finished
    turns = [t.model_copy(update={"replies": with_upload_limit(t.replies)}) for t in conv.turns]
    history = ConversationHistory(messages=turns, account=conv.account,
                                  procedure=conv.run.procedure if active else None)
    return _no_store(jsonify(history.body()))
