"""The OpenAPI document stays true: every route is in it, every documented path exists,
and real answers validate against the documented schemas.

The schemas are generated from the models the views answer with, so these tests watch
what generation cannot: the hand-kept route table (paths, methods, parameters, the 4xx
statuses each route can return) and that the models say what the answers are.

The schema check is a small validator of the JSON Schema keywords the document uses
(`$ref`, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
`anyOf`, `allOf`, bounds, `pattern`), so the suite needs no extra dependency; it is itself
tested below, so a check that accepts everything cannot go unnoticed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.test_api import TOO_BIG, bearer, make_app, plain_procedure
from webapp import openapi

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    return make_app(tmp_path_factory.mktemp("openapi"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def doc(app: Flask) -> dict:
    # As served: it names this server's procedures and demo accounts.
    from webapp import session as visitor
    from webapp.api.docs import runnable

    settings = app.extensions["kb.settings"]
    with app.test_request_context():
        return openapi.document(settings.max_request_bytes, runnable(),
                                tuple(visitor.account_names()), settings.mode)


# -- a minimal JSON Schema validator ------------------------------------------------------

def resolve(doc: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def problems(schema: dict, value: Any, doc: dict, where: str = "$") -> list[str]:
    """Every way `value` fails `schema`, as `path: reason` strings."""
    if "$ref" in schema:
        return problems(resolve(doc, schema["$ref"]), value, doc, where)
    found: list[str] = []
    for sub in schema.get("allOf", []):
        found += problems(sub, value, doc, where)
    if "anyOf" in schema and all(problems(s, value, doc, where) for s in schema["anyOf"]):
        found.append(f"{where}: matches none of anyOf")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not any(TYPES[t](value) for t in types):
            return [*found, f"{where}: expected {schema['type']}, got {type(value).__name__}"]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [f"{where}: missing '{name}'" for name in schema.get("required", [])
                  if name not in value]
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += problems(properties[name], item, doc, f"{where}.{name}")
            elif extra is False:
                found.append(f"{where}: unexpected '{name}'")
            elif isinstance(extra, dict):
                found += problems(extra, item, doc, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(schema["items"], item, doc, f"{where}[{i}]")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{where}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: does not match {schema['pattern']}")
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where}: above {schema['maximum']}")
    return found


def test_the_validator_is_not_a_rubber_stamp(doc):
    run = {"$ref": "#/components/schemas/Run"}
    assert problems({"type": "integer"}, True, doc)
    assert problems({"type": "object", "required": ["a"]}, {}, doc)
    assert problems({"type": "object", "additionalProperties": False}, {"b": 1}, doc)
    assert problems({"anyOf": [{"type": "string"}, {"type": "null"}]}, 3, doc)
    assert problems({"type": "string", "pattern": "^[a-z]+$"}, "A", doc)
    assert problems({"type": "array", "items": {"type": "string"}}, ["a", 1], doc)
    assert problems({"allOf": [run, {"required": ["token"]}]}, {"id": "x"}, doc)
    assert problems({"$ref": "#/components/schemas/Error"},
                    {"error": {"code": "x", "message": "y", "extra": 1}}, doc)


# -- the document -------------------------------------------------------------------------

def documented_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: `<slug>` and `<int:id>` become `{slug}`, `{id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_rules(app: Flask) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/") or rule.rule == PREFIX:
            routes.setdefault(documented_path(rule.rule), set()).update(
                m.lower() for m in (rule.methods or set()) - IGNORED_METHODS)
    return routes


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_document_is_served(client, doc):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == doc
    assert doc["openapi"].startswith("3.1.")


def test_every_route_and_method_is_documented(app, doc):
    routes = api_rules(app)
    assert routes  # the API is registered at all
    for path, methods in routes.items():
        assert path in doc["paths"], f"{path} is not documented"
        assert set(doc["paths"][path]) == methods, path


def test_every_documented_path_exists(app, doc):
    routes = api_rules(app)
    for path, method, _ in operations(doc):
        assert method in routes.get(path, set()), f"{method.upper()} {path} has no route"


def test_path_parameters_match_the_routes(doc):
    for path, method, operation in operations(doc):
        named = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert named == declared, f"{method.upper()} {path}"
        assert all(p["required"] for p in operation.get("parameters", [])
                   if p["in"] == "path")


def test_every_reference_resolves(doc):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(doc, node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def test_every_operation_is_identified_and_errors_use_the_one_shape(doc):
    ids = [operation["operationId"] for _, _, operation in operations(doc)]
    assert len(ids) == len(set(ids))
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(doc):
        statuses = operation["responses"]
        assert any(s.startswith("2") for s in statuses), f"{method} {path}"
        for status, response in statuses.items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"] == error


def test_every_body_refusal_is_documented_where_a_body_is_read(doc):
    for path, _, operation in operations(doc):
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), path
        if operation.get("security"):
            assert "404" in operation["responses"], path


def test_the_stated_body_limit_is_the_servers(tmp_path):
    from kb.settings import Settings
    from webapp import create_app

    settings = Settings(guides=tmp_path / "guides", data=tmp_path / "data",
                        max_request_bytes=2048)
    served = create_app(settings, testing=True).test_client().get("/api/v1/openapi.json")
    doc = served.get_json()
    assert "limit of 2,048 bytes" in doc["info"]["description"]
    refusal = doc["paths"]["/api/v1/runs"]["post"]["responses"]["413"]["description"]
    assert "2,048 bytes" in refusal


def test_run_operations_require_the_bearer_token(doc):
    secured = {(path, method) for path, method, operation in operations(doc)
               if operation.get("security")}
    assert secured == {("/api/v1/runs/{run_id}", "get"),
                       ("/api/v1/runs/{run_id}/events", "post"),
                       ("/api/v1/conversations/{conv_id}/messages", "get"),
                       ("/api/v1/conversations/{conv_id}/messages", "post"),
                       ("/api/v1/runs/{run_id}/attachments/{name}", "get"),
                       ("/api/v1/conversations/{conv_id}/attachments/{name}", "get")}
    assert doc["components"]["securitySchemes"]["runToken"]["scheme"] == "bearer"
    assert doc["components"]["securitySchemes"]["conversationToken"]["scheme"] == "bearer"


# -- real answers against the documented schemas ------------------------------------------

def response_schema(doc: dict, path: str, method: str, status: int) -> dict:
    responses = doc["paths"][path][method]["responses"]
    assert str(status) in responses, f"{status} is not documented for {method} {path}"
    response = responses[str(status)]
    if "$ref" in response:
        response = resolve(doc, response["$ref"])
    return response["content"]["application/json"]["schema"]


def assert_documented(doc: dict, path: str, method: str, response) -> None:
    schema = response_schema(doc, path, method, response.status_code)
    found = problems(schema, response.get_json(), doc)
    assert not found, f"{method.upper()} {path} {response.status_code}: {found[:5]}"


def test_answers_validate_against_the_document(client, doc):
    def check(path: str, method: str, response) -> dict:
        assert_documented(doc, path, method, response)
        return response.get_json()

    search = "/api/v1/search"
    check(search, "get", client.get(search, query_string={"q": "remove kauth"}))
    check(search, "get", client.get(search, query_string={"q": "recipe for fondue"}))
    check(search, "get", client.get(search, query_string={"q": "kauht remvoe"}))
    check(search, "get", client.get(search))
    check(search, "get", client.get(search, query_string={"q": "x" * 2000}))
    check(search, "get", client.get(search, query_string={"limit": "0"}))

    guides = check("/api/v1/guides", "get", client.get("/api/v1/guides"))["guides"]
    for guide in guides:
        slug = guide["slug"]
        check("/api/v1/guides/{slug}", "get", client.get(f"/api/v1/guides/{slug}"))
        check("/api/v1/procedures/{slug}", "get", client.get(f"/api/v1/procedures/{slug}"))
    check("/api/v1/guides/{slug}", "get", client.get("/api/v1/guides/nope"))
    check("/api/v1/procedures/{slug}", "get", client.get("/api/v1/procedures/%2e%2e"))
    check("/api/v1/openapi.json", "get", client.get("/api/v1/openapi.json"))

    runs, one, events = "/api/v1/runs", "/api/v1/runs/{run_id}", "/api/v1/runs/{run_id}/events"
    plain = plain_procedure(client.application)
    run = check(runs, "post", client.post(runs, json={"procedure": plain,
                                                      "account": "legal-rep"}))
    token, url = run["token"], f"/api/v1/runs/{run['id']}"
    check(one, "get", client.get(url, headers=bearer(token)))
    check(one, "get", client.get(url))
    rejected = client.post(f"{url}/events", json={"type": "answer", "value": "?"},
                           headers=bearer(token))
    assert check(events, "post", rejected)["step"]["error"]
    while run["status"] == "active":
        step = run["step"]
        value = ("guide" if step["step"] == "mode" else "done" if step["kind"] == "instruction"
                 else step["options"][0]["id"])
        run = check(events, "post", client.post(f"{url}/events", headers=bearer(token),
                                                json={"type": "answer", "value": value}))
    check(events, "post", client.post(f"{url}/events", json={"type": "restart"},
                                      headers=bearer(token)))
    check(events, "post", client.post(f"{url}/events", json={"type": "cancel"},
                                      headers=bearer(token)))
    check(events, "post", client.post(f"{url}/events", json={"type": "back", "revision": 0},
                                      headers=bearer(token)))
    check(events, "post", client.post(f"{url}/events", json={"type": "cancel"}))
    check(events, "post", client.post(f"{url}/events", data="{", headers=bearer(token),
                                      content_type="application/json"))
    check(events, "post", client.post(f"{url}/events", data="x", headers=bearer(token)))
    check(events, "post", client.post(f"{url}/events", json={"type": "x"},
                                      headers=bearer(token)))
    check(runs, "post", client.post(runs, data=b"{" + b" " * TOO_BIG + b"}",
                                    content_type="application/json"))
    check(runs, "post", client.post(runs, json={"procedure": "nope", "account": "legal-rep"}))

    conversations = "/api/v1/conversations"
    messages = "/api/v1/conversations/{conv_id}/messages"
    conv = check(conversations, "post", client.post(conversations))
    check(conversations, "post", client.post(conversations, json={"account": "nobody"}))
    url, auth = f"{conversations}/{conv['id']}/messages", bearer(conv["token"])
    for text in ("hello", "how do I remove the kauth app", "recipe for fondue", "yes"):
        check(messages, "post", client.post(url, json={"text": text}, headers=auth))
    check(messages, "post", client.post(url, json={"text": "", "option": "guide"},
                                        headers=auth))
    check(messages, "post", client.post(url, json={"text": ""}, headers=auth))
    check(messages, "post", client.post(url, json={"text": "hi"}))
    check(messages, "get", client.get(url, headers=auth))
    check(messages, "get", client.get(url))


def test_errors_outside_any_operation_have_the_documented_shape(client, doc):
    error = {"$ref": "#/components/schemas/Error"}
    for response in (client.get("/api/v1/nowhere"), client.delete("/api/v1/guides"),
                     client.put("/api/v1/runs")):
        assert response.status_code in (404, 405)
        assert not problems(error, response.get_json(), doc)


@pytest.mark.parametrize("body", [
    {"procedure": "kauth-remove-account", "account": "kauth-only"},
    {"procedure": "kauth-remove-account", "account": "kauth-only", "extra": 1},
    {"procedure": "../etc", "account": "kauth-only"},
    {"procedure": "kauth-remove-account"},
    {"procedure": 5, "account": "kauth-only"},
    {"procedure": "kauth-remove-account", "account": ""},
])
def test_the_documented_request_schema_agrees_with_the_api(client, doc, body):
    schema = doc["paths"]["/api/v1/runs"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    response = client.post("/api/v1/runs", json=body)
    assert (response.status_code == 201) == (not problems(schema, body, doc)), response.json


@pytest.mark.parametrize("body", [
    {"type": "cancel"}, {"type": "answer", "value": "done", "revision": 1},
    {"type": "answer", "value": None}, {"type": "answer", "value": 3.5},
    {"type": "answer", "value": ["done"]}, {"type": "interrupt"}, {"type": "cancel", "x": 1},
    {"type": "cancel", "revision": -1}, {"type": "cancel", "revision": "1"}, {},
])
def test_the_documented_event_schema_agrees_with_the_api(client, doc, body):
    schema = doc["paths"]["/api/v1/runs/{run_id}/events"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    run = client.post("/api/v1/runs", json={"procedure": plain_procedure(client.application),
                                            "account": "legal-rep"}).get_json()
    response = client.post(f"/api/v1/runs/{run['id']}/events", json=body,
                           headers=bearer(run["token"]))
    assert response.status_code in (200, 422)
    assert (response.status_code == 200) == (not problems(schema, body, doc)), response.json
