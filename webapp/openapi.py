"""The OpenAPI 3.1 document of the JSON API, served at `/api/v1/openapi.json`.

Request bodies, query parameters and the procedure schema come from the pydantic models
that validate or produce them (`webapp.apischema`, `procedures.model`), so they cannot
drift; the response shapes written here are checked against real answers by
`tests/test_openapi.py`, which also fails when a route is missing from this document or a
documented path has no route.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from pydantic.json_schema import models_json_schema

from procedures.model import Procedure
from webapp.apischema import NewConversation, NewMessage, RunEvent, SearchParams, StartRun

VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
JSON = "application/json"

STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
BOOL: dict[str, Any] = {"type": "boolean"}
STRINGS: dict[str, Any] = {"type": "array", "items": STR}

DESCRIPTION = """\
The help center's knowledge base and guided procedures, as JSON.

**Errors** always have the shape `{"error": {"code": str, "message": str}}` with a 4xx
status; the message is written for a person, the code for a program:

| status | code | when |
|---|---|---|
| 400 | `invalid_parameter` | a query parameter is not valid (the message names it) |
| 400 | `invalid_json` | the body is not JSON (syntax, encoding, NaN) |
| 404 | `not_found` | no such route, guide, procedure or run, or a wrong/missing run token |
| 405 | `method_not_allowed` | the path exists, the method does not |
| 409 | `stale_revision` | an event was sent for an older revision of the run |
| 413 | `too_large` | the body is over the server's limit (1 MB by default) |
| 415 | `unsupported_media_type` | a body sent without `Content-Type: application/json` |
| 422 | `invalid` | the body is JSON but not the expected object (the message names the field) |
| 422 | `unknown_procedure`, `unknown_account` | a run was asked for something that does not exist |

A refused request changes nothing.

**Runs** are reached only with the token returned when they are created, sent as
`Authorization: Bearer <token>`; a token in the URL is ignored. An unknown run and a wrong
token get the same 404.

**CORS**: pages of the origins configured in `KB_ALLOWED_ORIGINS` (exact match) may call
the API from a browser, with the `Authorization` and `Content-Type` headers.
"""


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": REF.format(model=name)}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _array(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


def _object(properties: dict[str, Any], optional: tuple[str, ...] = (),
            description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object", "additionalProperties": False, "properties": properties,
        "required": [name for name in properties if name not in optional]}
    if description:
        schema["description"] = description
    return schema


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error_response(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/responses/{name}"}


GUIDE_FIELDS: dict[str, Any] = {
    "slug": STR, "title": STR, "category": STR, "summary": STR, "tags": STRINGS,
    "products": STRINGS, "language": STR, "updated": {"type": "string", "format": "date"},
    "procedure": _nullable(STR) | {"description": "The procedure compiled from the guide "
                                                  "(its id is the slug), or null."},
}

RESPONSE_SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": _object({
        "code": STR | {"description": "Stable, for programs: see the table above."},
        "message": STR | {"description": "For people: what went wrong and what to do."},
    })}, description="The one error shape of the API."),
    "SearchResult": _object({
        "slug": STR, "title": STR, "score": {"type": "number"},
        "snippet": STR | {"description": "The passage that answers best, as HTML: the "
                                         "guide's text escaped, matches in `<mark>`."},
        "procedure": _nullable(STR), "section": STR, "anchor": STR, "category": STR}),
    "SearchResponse": _object({
        "query": STR | {"description": "The question as understood (cleaned, cut)."},
        "confident": BOOL | {"description": "False when no result answers the question."},
        "results": _array(_ref("SearchResult")), "suggestion": _nullable(STR),
        "total": INT, "message": STR | {"description": "Why the answer is empty or the "
                                                       "query was changed."},
    }, optional=("message",), description="The same object as `kb search --json`."),
    "GuideSummary": _object(GUIDE_FIELDS),
    "GuideList": _object({"guides": _array(_ref("GuideSummary"))}),
    "Passage": _object({"anchor": STR, "title": STR, "level": INT, "text": STR}),
    "Guide": _object({**GUIDE_FIELDS, "passages": _array(_ref("Passage")),
                      "html": STR | {"description": "The guide rendered as HTML (raw HTML "
                                                    "written in the guide is escaped)."}}),
    "RunStep": _object({
        "step": STR, "kind": {"type": "string", "enum": ["instruction", "choice", "collect"]},
        "text": STR, "options": _array(_object({"id": STR, "label": STR})),
        "field": _nullable(_ref("RunField")),
        "error": _nullable(STR) | {"description": "Why the last answer was refused."},
        "stage": STR, "details": STRINGS, "links": _array(_object({"slug": STR, "text": STR})),
        "progress": _nullable(_ref("Progress")),
    }, description="The step to show: the object of `kb run --json`."),
    "Progress": _object({"stage": STR, "done": INT, "remaining": INT}, description=(
        "Show as “Step done + 1 of about done + remaining”: questions answered so far, "
        "and those left on the longest way to an end, the current one included.")),
    "RunField": _object({
        "name": STR, "type": STR, "label": STR, "help": STR, "required": BOOL,
        "secret": BOOL, "max_length": _nullable(INT), "choices": _nullable(STRINGS)}),
    "RunMessage": _object({
        "type": {"type": "string", "enum": ["say", "note", "warning", "error", "result"]},
        "text": STR, "step": _nullable(STR)}),
    "Run": _object({
        "id": STR, "token": STR | {"description": "Only in the answer that created the run: "
                                                  "keep it, it is not shown again."},
        "procedure": STR, "title": STR, "revision": INT,
        "status": {"type": "string", "enum": ["active", "done", "blocked", "handed-off",
                                              "cancelled", "failed"]},
        "account": STR, "step": _nullable(_ref("RunStep")),
        "messages": _array(_ref("RunMessage")),
        "allowed_events": _array({"type": "string",
                                  "enum": ["answer", "back", "cancel", "restart"]}),
        "changes": STRINGS | {"description": "What was changed in the account."},
        "summary": _nullable(STR),
        "outcome": _nullable({"type": "string", "enum": ["done", "blocked", "handed-off",
                                                         "cancelled", "failed"]}),
    }, optional=("token",)),
    "NewRun": {"allOf": [_ref("Run"), {"required": ["token"]}]},
    "NewConversationAnswer": _object({"id": STR, "token": STR | {
        "description": "Send it as `Authorization: Bearer <token>`; it is not shown again."}}),
    "Reply": _object({
        "type": STR | {"description": "answer, offer, clarify, fallback (I don't know), "
                                      "step, note, warning, error, result, end, greeting, "
                                      "thanks, help, support, message."},
        "text": STR, "guide": _nullable(STR) | {"description": "The guide answered from."},
        "procedure": _nullable(STR) | {"description": "The procedure offered or running."},
        "options": _array(_object({"id": STR, "label": STR})),
        "field": _nullable(_ref("RunField")), "url": _nullable(STR), "step": _nullable(STR),
        "progress": _nullable(_ref("Progress")),
    }),
    "Replies": _object({"replies": _array(_ref("Reply"))}),
    "ConversationHistory": _object({
        "messages": _array(_object({"text": STR, "at": {"type": "number"},
                                    "client_id": _nullable(STR),
                                    "replies": _array(_ref("Reply"))})),
        "account": STR, "procedure": _nullable(STR)}),
}

ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "BadRequest": ("400", "A query parameter or the JSON syntax of the body is wrong."),
    "NotFound": ("404", "No such resource (for runs: or the token does not match)."),
    "Conflict": ("409", "The event was for an older revision, or the conversation was too "
                        "busy; nothing changed."),
    "TooLarge": ("413", "The body is over the size limit."),
    "UnsupportedMediaType": ("415", "The body is not sent as application/json."),
    "Invalid": ("422", "The body is not the expected object; the message names the field."),
}
BODY_ERRORS = {status: _error_response(name) for name, (status, _) in ERROR_RESPONSES.items()
               if name in ("BadRequest", "TooLarge", "UnsupportedMediaType", "Invalid")}


def _parameters() -> list[dict[str, Any]]:
    schema = SearchParams.model_json_schema()
    parameters = []
    for name, spec in schema["properties"].items():
        spec = dict(spec)
        description = spec.pop("description", "")
        spec.pop("title", None)
        parameters.append({"name": name, "in": "query", "required": False,
                           "description": description, "schema": spec})
    return parameters


def _path(name: str, description: str, pattern: str | None = None) -> dict[str, Any]:
    schema = STR | ({"pattern": pattern} if pattern else {})
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}


def _paths() -> dict[str, Any]:
    slug = _path("slug", "The guide's slug.", "^[a-z0-9]+(?:-[a-z0-9]+)*$")
    run_id = _path("run_id", "The run's id, as returned when it was created.")
    token = [{"runToken": []}]
    conv_id = _path("conv_id", "The conversation's id, as returned when it was created.")
    conversation_token = [{"conversationToken": []}]
    return {
        "/api/v1/search": {"get": {
            "operationId": "search", "summary": "Search the guides",
            "description": "Ranked guides with the passage that answers best. An empty "
                           "question is not an error: no results, `confident: false`.",
            "parameters": _parameters(),
            "responses": {"200": _json(_ref("SearchResponse"), "Ranked guides."),
                          "400": _error_response("BadRequest")}}},
        "/api/v1/guides": {"get": {
            "operationId": "listGuides", "summary": "Every guide, in file order",
            "responses": {"200": _json(_ref("GuideList"), "The guides.")}}},
        "/api/v1/guides/{slug}": {"get": {
            "operationId": "getGuide", "summary": "One guide: metadata, passages, HTML",
            "parameters": [slug],
            "responses": {"200": _json(_ref("Guide"), "The guide."),
                          "404": _error_response("NotFound")}}},
        "/api/v1/procedures/{slug}": {"get": {
            "operationId": "getProcedure", "summary": "The procedure compiled from a guide",
            "parameters": [slug],
            "responses": {"200": _json(_ref("Procedure"), "The procedure."),
                          "404": _error_response("NotFound")}}},
        "/api/v1/runs": {"post": {
            "operationId": "startRun", "summary": "Start a guided procedure",
            "requestBody": {"required": True,
                            "content": {JSON: {"schema": _ref("StartRun")}}},
            "responses": {
                "201": _json(_ref("NewRun"), "The new run, with its token.")
                | {"headers": {"Location": {"description": "The run's URL.",
                                            "schema": STR}}},
                **BODY_ERRORS}}},
        "/api/v1/runs/{run_id}": {"get": {
            "operationId": "getRun", "summary": "A run: where it is, what to show",
            "parameters": [run_id], "security": token,
            "responses": {"200": _json(_ref("Run"), "The run."),
                          "404": _error_response("NotFound")}}},
        "/api/v1/runs/{run_id}/events": {"post": {
            "operationId": "sendEvent", "summary": "Answer the current step, or go back, "
                                                   "cancel, restart",
            "parameters": [run_id], "security": token,
            "requestBody": {"required": True,
                            "content": {JSON: {"schema": _ref("RunEvent")}}},
            "responses": {"200": _json(_ref("Run"), "The run after the event."),
                          "404": _error_response("NotFound"),
                          "409": _error_response("Conflict"), **BODY_ERRORS}}},
        "/api/v1/conversations": {"post": {
            "operationId": "createConversation", "summary": "Start a chat conversation",
            "requestBody": {"required": False,
                            "content": {JSON: {"schema": _ref("NewConversation")}}},
            "responses": {"201": _json(_ref("NewConversationAnswer"), "Its id and token.")
                          | {"headers": {"Location": {"description": "Its messages.",
                                                      "schema": STR}}},
                          **BODY_ERRORS}}},
        "/api/v1/conversations/{conv_id}/messages": {
            "post": {
                "operationId": "postMessage", "summary": "Send a message, get the replies",
                "parameters": [conv_id], "security": conversation_token,
                "requestBody": {"required": True,
                                "content": {JSON: {"schema": _ref("NewMessage")}}},
                "responses": {"200": _json(_ref("Replies"), "The replies."),
                              "404": _error_response("NotFound"),
                              "409": _error_response("Conflict"), **BODY_ERRORS}},
            "get": {
                "operationId": "listMessages", "summary": "The conversation so far",
                "parameters": [conv_id], "security": conversation_token,
                "responses": {"200": _json(_ref("ConversationHistory"), "The messages."),
                              "404": _error_response("NotFound")}}},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document",
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")}}},
    }


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    _, models = models_json_schema(
        [(StartRun, "validation"), (RunEvent, "validation"), (NewConversation, "validation"),
         (NewMessage, "validation"), (Procedure, "serialization")],
        ref_template=REF)
    schemas = {**models["$defs"], **RESPONSE_SCHEMAS}
    responses = {name: _json(_ref("Error"), description)
                 for name, (_, description) in ERROR_RESPONSES.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help center API", "version": VERSION, "description": DESCRIPTION},
        "paths": _paths(),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": responses,
            "securitySchemes": {"runToken": {
                "type": "http", "scheme": "bearer",
                "description": "The token returned by `POST /api/v1/runs`."},
                "conversationToken": {
                    "type": "http", "scheme": "bearer",
                    "description": "The token returned by `POST /api/v1/conversations`."}},
        },
    }


def document() -> dict[str, Any]:
    """The document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_document())
