"""The OpenAPI 3.1 document of the JSON API, served at `/api/v1/openapi.json`, generated.

Every schema comes from the pydantic models that validate the requests and build the
answers (`webapp.apischema`, `procedures.model.Procedure`), through pydantic's
`models_json_schema`; this module only holds the route table (path, method, summary,
request, answers and refusals per status) and the prose. `tests/test_openapi.py` fails
when a route is missing from the table, and checks real answers against the document.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, RootModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from kb.content.guides import SLUG_PATTERN
from kb.search.responses import SearchResponse
from procedures.model import Procedure
from webapp.apischema import requests as req
from webapp.apischema import responses as res

VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
JSON = "application/json"

DESCRIPTION = """\
The help center's knowledge base and guided procedures, as JSON.

**Errors** always have the shape `{{"error": {{"code": str, "message": str}}}}` with a 4xx
status; the message is written for a person, the code for a program:

| status | code | when |
|---|---|---|
| 400 | `invalid_parameter` | a query parameter is not valid (the message names it) |
| 400 | `invalid_json` | the body is not JSON (syntax, encoding, NaN) |
| 401 | `identity_required` | a missing, forged, tampered or expired identity token |
| 404 | `not_found` | no such route or resource, or a wrong or missing token |
| 405 | `method_not_allowed` | the path exists, the method does not |
| 409 | `stale_revision`, `busy` | an event for an older revision; a conversation busy |
| 413 | `too_large` | the body is over this server's limit of {max_bytes:,} bytes |
| 415 | `unsupported_media_type` | a body sent without `Content-Type: application/json` |
| 422 | `invalid` | the body is JSON but not the expected object (the message names the field) |
| 422 | `unknown_procedure`, `unknown_account` | asked for something that does not exist |
| 422 | `account_not_allowed` | an `account` named in production mode |
| 429 | `too_many_requests` | too many requests from this client; see `Retry-After` |
| 503 | `storage_unavailable` | the change could not be saved (a full disk); nothing changed |

Requests sent before the app reads them (an address over 8,190 bytes: 414, a header over
8,190 bytes or over 100 headers: 431) are refused in the same shape.

**Identity**: in demo mode (the default) runs and conversations act on the demo account
named in `account`, or the server's default; in production mode only on the account of
the `identity` token the host site signs (JWT, HS256; see docs/widget.md).

A refused request changes nothing.

**Runs and conversations** are reached only with the token returned when they are created,
sent as `Authorization: Bearer <token>`; a token in the URL is ignored. An unknown id and a
wrong token get the same 404.

**CORS**: pages of the origins configured in `KB_ALLOWED_ORIGINS` (exact match) may call
the API from a browser, with the `Authorization` and `Content-Type` headers.
"""

Token = Literal["runToken", "conversationToken"]


@dataclass(frozen=True)
class PathParameter:
    name: str
    description: str
    pattern: str | None = None


@dataclass(frozen=True)
class Route:
    """One operation of the API, as the document describes it."""

    path: str
    method: str
    id: str
    summary: str
    answers: dict[int, type[BaseModel]]
    refusals: dict[int, str] = field(default_factory=dict)
    description: str = ""
    parameters: tuple[PathParameter, ...] = ()
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    body_required: bool = True
    token: Token | None = None
    location: str = ""
    media: str = JSON
    """The answer's media type: JSON, or a file's (an attachment)."""


SLUG = PathParameter("slug", "The guide's slug.", SLUG_PATTERN)
RUN_ID = PathParameter("run_id", "The run's id, as returned when it was created.")
CONV_ID = PathParameter("conv_id", "The conversation's id, as returned when it was created.")
FILE_NAME = PathParameter("name", "The file's name, as in the `attachment` message.")


LIMITED = {429: "Too many requests from this client; `Retry-After` says when to retry."}
UNSAVED = {503: "The change could not be saved (the server's storage failed); nothing "
                "was changed, try again later."}
IDENTITY = {401: "The identity token is missing (production mode), forged, tampered, "
                 "signed another way or expired."}


def body_refusals(max_bytes: int) -> dict[int, str]:
    """What any view that reads a JSON body may answer, in the order it checks."""
    return {400: "The body is not valid JSON.",
            413: f"The body is over the limit of {max_bytes:,} bytes.",
            415: "The body is not sent as application/json.",
            422: "The body is not the expected object; the message names the field.",
            **UNSAVED}


def routes(max_bytes: int) -> list[Route]:
    """The route table: every operation of `/api/v1`."""
    body = body_refusals(max_bytes)
    no_run = "No such run, or the token does not match it."
    no_conversation = "No such conversation, or the token does not match it."
    return [
        Route("/api/v1/search", "get", "search", "Search the guides",
              {200: SearchResponse}, {400: "A query parameter is not valid.", **LIMITED},
              description="Ranked guides with the passage that answers best. An empty "
                          "question is not an error: no results, `confident: false`.",
              query=req.SearchParams),
        Route("/api/v1/guides", "get", "listGuides", "Every guide, in file order",
              {200: res.GuideList}),
        Route("/api/v1/guides/{slug}", "get", "getGuide",
              "One guide: metadata, passages, HTML", {200: res.Guide},
              {404: "No such guide."}, parameters=(SLUG,)),
        Route("/api/v1/procedures/{slug}", "get", "getProcedure",
              "The procedure compiled from a guide", {200: Procedure},
              {404: "No such guide, or it does not compile."}, parameters=(SLUG,)),
        Route("/api/v1/runs", "post", "startRun", "Start a guided procedure",
              {201: res.NewRun},
              {**body, **IDENTITY, **LIMITED,
               422: body[422] + " Also `unknown_procedure`, `unknown_account`, "
                                "`account_not_allowed`."},
              body=req.StartRun, location="The run's URL."),
        Route("/api/v1/runs/{run_id}", "get", "getRun", "A run: where it is, what to show",
              {200: res.Run}, {404: no_run}, parameters=(RUN_ID,), token="runToken"),
        Route("/api/v1/runs/{run_id}/events", "post", "sendEvent",
              "Answer the current step, or go back, cancel, restart", {200: res.Run},
              {404: no_run, 409: "The event was for an older revision; nothing changed.",
               **body, **LIMITED}, parameters=(RUN_ID,), body=req.RunEvent,
              token="runToken"),
        Route("/api/v1/conversations", "post", "createConversation",
              "Start a chat conversation", {201: res.NewConversationAnswer},
              {**body, **IDENTITY, **LIMITED,
               422: body[422] + " Also `unknown_account`, `account_not_allowed`."},
              body=req.NewConversation, body_required=False, location="Its messages."),
        Route("/api/v1/conversations/{conv_id}/messages", "post", "postMessage",
              "Send a message, get the replies", {200: res.Replies},
              {404: no_conversation, 409: "The conversation is busy with another message.",
               **body, **LIMITED}, parameters=(CONV_ID,), body=req.NewMessage,
              token="conversationToken"),
        Route("/api/v1/conversations/{conv_id}/messages", "get", "listMessages",
              "The conversation so far", {200: res.ConversationHistory},
              {404: no_conversation}, parameters=(CONV_ID,), token="conversationToken"),
        Route("/api/v1/runs/{run_id}/attachments/{name}", "get", "getRunAttachment",
              "A file the run produced (an export)", {200: FileDownload},
              {404: "No such run or file, or the token does not match it."},
              parameters=(RUN_ID, FILE_NAME), token="runToken", media="application/octet-stream"),
        Route("/api/v1/conversations/{conv_id}/attachments/{name}", "get",
              "getConversationAttachment", "A file the conversation's procedure produced",
              {200: FileDownload},
              {404: "No such conversation or file, or the token does not match it."},
              parameters=(CONV_ID, FILE_NAME), token="conversationToken",
              media="application/octet-stream"),
        Route("/api/v1/openapi.json", "get", "openapi", "This document", {200: OpenApiDocument}),
    ]


class FileDownload(RootModel[bytes]):
    """The file itself, with `Content-Disposition: attachment` and its own type."""


class OpenApiDocument(RootModel[dict[str, Any]]):
    """This document."""


Names = dict[tuple[type[BaseModel], JsonSchemaMode], dict[str, Any]]


def _schemas(table: list[Route]) -> tuple[Names, dict[str, Any]]:
    """The schema of every model the table names (references, and the definitions they
    point to): bodies as they are validated, answers as they are serialized."""
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(res.Error, "serialization")]
    for route in table:
        if route.body:
            wanted.append((route.body, "validation"))
        wanted += [(model, "serialization") for model in route.answers.values()]
    found, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    return dict(found), defs["$defs"]


def _parameters(route: Route) -> list[dict[str, Any]]:
    parameters = [{"name": p.name, "in": "path", "required": True,
                   "description": p.description,
                   "schema": {"type": "string"} | ({"pattern": p.pattern} if p.pattern else {})}
                  for p in route.parameters]
    if route.query:
        schema = route.query.model_json_schema()
        for name, spec in schema["properties"].items():
            spec = dict(spec)
            description = spec.pop("description", "")
            spec.pop("title", None)
            parameters.append({"name": name, "in": "query", "required": False,
                               "description": description, "schema": spec})
    return parameters


def _operation(route: Route, names: Names) -> dict[str, Any]:
    error = names[(res.Error, "serialization")]
    responses: dict[str, Any] = {}
    for status, model in route.answers.items():
        answer: dict[str, Any] = {
            "description": (model.__doc__ or route.summary).strip().splitlines()[0],
            "content": {route.media: {"schema": names[(model, "serialization")]}}}
        if route.location:
            answer["headers"] = {"Location": {"description": route.location,
                                              "schema": {"type": "string"}}}
        responses[str(status)] = answer
    for status, why in sorted(route.refusals.items()):
        responses[str(status)] = {"description": why, "content": {JSON: {"schema": error}}}
    operation: dict[str, Any] = {"operationId": route.id, "summary": route.summary}
    if route.description:
        operation["description"] = route.description
    if route.parameters or route.query:
        operation["parameters"] = _parameters(route)
    if route.token:
        operation["security"] = [{route.token: []}]
    if route.body:
        operation["requestBody"] = {
            "required": route.body_required,
            "content": {JSON: {"schema": names[(route.body, "validation")]}}}
    operation["responses"] = responses
    return operation


def _narrow(schemas: dict[str, Any], procedures: tuple[str, ...], accounts: tuple[str, ...],
            mode: str) -> None:
    """State what this server accepts, beyond the models' types: its procedures and demo
    accounts by name, and in production no `account` but a required `identity`."""
    for name in ("StartRun", "NewConversation"):
        schema = schemas[name]
        properties = schema["properties"]
        if mode == "production":
            properties.pop("account", None)
            schema["required"] = sorted({*schema.get("required", []), "identity"})
            properties["identity"] = _string_branch(properties["identity"]) | {"minLength": 1}
        elif accounts:
            _string_branch(properties["account"])["enum"] = list(accounts)
    if procedures:
        schemas["StartRun"]["properties"]["procedure"]["enum"] = list(procedures)


def _string_branch(schema: dict[str, Any]) -> dict[str, Any]:
    """The string alternative of an optional field's schema (`anyOf: [string, null]`)."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            return dict(branch) if branch is schema else branch
    return schema


@lru_cache(maxsize=8)
def _document(max_bytes: int, procedures: tuple[str, ...] = (), accounts: tuple[str, ...] = (),
              mode: str = "demo") -> dict[str, Any]:
    table = routes(max_bytes)
    names, schemas = _schemas(table)
    _narrow(schemas, procedures, accounts, mode)
    paths: dict[str, dict[str, Any]] = {}
    for route in table:
        paths.setdefault(route.path, {})[route.method] = _operation(route, names)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help center API", "version": VERSION,
                 "description": DESCRIPTION.format(max_bytes=max_bytes)},
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "runToken": {"type": "http", "scheme": "bearer",
                             "description": "The token returned by `POST /api/v1/runs`."},
                "conversationToken": {
                    "type": "http", "scheme": "bearer",
                    "description": "The token returned by `POST /api/v1/conversations`."}},
        },
    }


def document(max_bytes: int, procedures: tuple[str, ...] = (), accounts: tuple[str, ...] = (),
             mode: str = "demo") -> dict[str, Any]:
    """The document for a server whose body limit is `max_bytes`, which runs the given
    procedures, knows the given demo accounts and runs in `mode` (a fresh copy: callers
    may change it)."""
    return copy.deepcopy(_document(max_bytes, tuple(procedures), tuple(accounts), mode))
