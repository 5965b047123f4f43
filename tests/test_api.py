"""The JSON API v1 through Flask's test client, on a real app: a private copy of the seed
guides, a real index, real SQLite and the mocked account backend."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.settings import Settings
from tests.conftest import SEED_GUIDES
from tests.sql_support import sql
from webapp import create_app, services

ORIGIN = "https://shop.example"
SEED_SLUGS = {"partner-add-managed-client", "partner-discount-cashback",
              "profile-edit-name-avatar", "prepaid-account-interrupted-order",
              "kauth-remove-account", "account-secure-after-hack",
              "billing-renewal-reminder-emails", "manager-product-tags", "kauth-regain-access",
              "payment-vs-ownership"}
OUTCOMES = {"done", "blocked", "handed-off"}
PLAIN_KINDS = {"instruction", "choice", "note", "warning", "end"}
# Just over the default request size limit, whatever it is.
TOO_BIG = Settings().max_request_bytes + 1


def make_app(root: Path) -> Flask:
    guides = root / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    return create_app(Settings(guides=guides, data=root / "data", secret_key="test",
                               allowed_origins=[ORIGIN]), testing=True)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    # One app per module: building the index is the slow part, and every test that
    # changes something works on a run of its own.
    return make_app(tmp_path_factory.mktemp("api"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@functools.cache
def plain_procedure(app: Flask) -> str:
    """A seed procedure a script can walk alone in guide-me mode: only instructions,
    choices and notes there (its overlay's do-it-for-me flow asks questions)."""
    with app.app_context():
        library = services.context().library
        for slug in ["kauth-remove-account", *sorted(SEED_SLUGS)]:
            procedure = library.get(slug)
            guide_me = {s.kind for s in procedure.steps if not s.id.startswith("do-")}
            if guide_me <= PLAIN_KINDS | {"choice"}:
                return slug
    raise AssertionError("no seed procedure has a guide-me mode of instructions and choices")


def start(client: FlaskClient, procedure: str | None = None,
          account: str = "legal-rep") -> dict:
    """A new run, already past the mode choice (guide-me) when the procedure has one."""
    procedure = procedure or plain_procedure(client.application)
    response = client.post("/api/v1/runs", json={"procedure": procedure, "account": account})
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    if run["step"] and run["step"]["step"] == "mode":
        moved = send(client, run, run["token"], type="answer", value="guide")
        assert moved.status_code == 200, moved.get_json()
        run = {**moved.get_json(), "token": run["token"]}
    return run


def send(client: FlaskClient, run: dict, token: str, **event):
    return client.post(f"/api/v1/runs/{run['id']}/events", json=event, headers=bearer(token))


def read(client: FlaskClient, run_id: str, token: str) -> dict:
    response = client.get(f"/api/v1/runs/{run_id}", headers=bearer(token))
    assert response.status_code == 200
    return response.get_json()


def assert_error(response, status: int, code: str | None = None) -> str:
    """The one error shape, exactly; returns the message."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]["message"]


def stored_runs(app: Flask) -> int:
    with app.app_context():
        db = services.context().database
        return sql(db, "SELECT COUNT(*) FROM runs")[0][0]


# -- search -------------------------------------------------------------------------------

def test_search_answers_the_object_of_kb_search_json(app, client):
    response = client.get("/api/v1/search", query_string={"q": "remove kauth", "limit": 3})
    assert response.status_code == 200
    with app.app_context():
        expected = services.context().search.search("remove kauth", limit=3)
    assert response.get_json() == expected.model_dump(mode="json")
    data = response.get_json()
    assert data["confident"] is True and 1 <= len(data["results"]) <= 3
    assert set(data["results"][0]) >= {"slug", "title", "score", "snippet", "procedure"}
    assert data["results"][0]["slug"] == "kauth-remove-account"
    assert data["results"][0]["procedure"] == "kauth-remove-account"


@pytest.mark.parametrize(("question", "best"), [
    ("how do I add a client as a reseller", "partner-add-managed-client"),
    ("my account was hacked", "account-secure-after-hack"),
    ("2fa phone lost", "kauth-regain-access"),
    ("renewal reminder emails", "billing-renewal-reminder-emails"),
])
def test_search_ranks_the_answering_guide_first(client, question, best):
    data = client.get("/api/v1/search", query_string={"q": question}).get_json()
    assert data["confident"] is True
    assert data["results"][0]["slug"] == best
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_an_unrelated_question_is_not_answered_with_confidence(client):
    data = client.get("/api/v1/search?q=recipe+for+fondue").get_json()
    assert data["confident"] is False


@pytest.mark.parametrize("url", ["/api/v1/search", "/api/v1/search?q=", "/api/v1/search?q=+++"])
def test_an_empty_question_is_an_empty_answer_not_an_error(client, url):
    response = client.get(url)
    assert response.status_code == 200
    data = response.get_json()
    assert data["confident"] is False and data["results"] == [] and data["query"] == ""


def test_empty_parameters_count_as_absent(client):
    data = client.get("/api/v1/search?q=kauth&limit=&offset=&category=").get_json()
    assert data["results"] and len(data["results"]) <= 10


def test_a_huge_question_is_cut_not_refused(client):
    data = client.get("/api/v1/search", query_string={"q": "kauth " * 3000}).get_json()
    assert len(data["query"]) <= 500
    assert "cut" in data["message"]


def test_query_syntax_is_just_words(client):
    response = client.get("/api/v1/search", query_string={"q": 'title:* "kauth OR ( AND'})
    assert response.status_code == 200


def test_offset_pages_through_the_same_ranking(client):
    two = client.get("/api/v1/search?q=account+password&limit=2").get_json()["results"]
    second = client.get("/api/v1/search?q=account+password&limit=1&offset=1").get_json()
    assert [r["slug"] for r in second["results"]] == [two[1]["slug"]]


def test_category_keeps_only_that_category(client):
    data = client.get("/api/v1/search", query_string={
        "q": "account", "category": "Account & Security", "limit": 50}).get_json()
    assert data["results"]
    assert {r["category"] for r in data["results"]} == {"Account & Security"}


@pytest.mark.parametrize(("query", "field"), [
    ("q=x&limit=0", "limit"), ("q=x&limit=51", "limit"), ("q=x&limit=abc", "limit"),
    ("q=x&limit=" + "9" * 5000, "limit"), ("q=x&limit=1.5", "limit"),
    ("q=x&offset=-1", "offset"), ("q=x&offset=1e3", "offset"), ("q=x&offset=100000", "offset"),
    ("q=x&category=" + "c" * 300, "category"),
])
def test_bad_search_parameters_are_400_naming_the_parameter(client, query, field):
    message = assert_error(client.get(f"/api/v1/search?{query}"), 400, "invalid_parameter")
    assert f"'{field}'" in message


# -- guides and procedures -----------------------------------------------------------------

def test_guides_lists_every_seed_guide_with_its_procedure(client):
    guides = client.get("/api/v1/guides").get_json()["guides"]
    assert {g["slug"] for g in guides} == SEED_SLUGS
    for guide in guides:
        assert set(guide) >= {"slug", "title", "category", "summary", "updated", "procedure"}
        assert guide["procedure"] == guide["slug"]
        assert len(guide["updated"]) == 10  # an ISO date


def test_a_guide_has_metadata_passages_with_anchors_and_html(client):
    data = client.get("/api/v1/guides/kauth-remove-account").get_json()
    assert data["title"] == "Remove an account from the kAuth app"
    assert data["procedure"] == "kauth-remove-account"
    sections = [p for p in data["passages"] if p["level"] > 1]
    assert sections and all(p["anchor"] for p in sections)
    for passage in sections:
        assert f'id="{passage["anchor"]}"' in data["html"]
    assert "<script" not in data["html"]


def test_a_procedure_is_the_compiled_model(app, client):
    data = client.get("/api/v1/procedures/kauth-remove-account").get_json()
    with app.app_context():
        procedure = services.context().library.get("kauth-remove-account")
    expected = procedure.model_dump(mode="json", by_alias=True)
    # The only difference: the server's folders are not disclosed.
    assert data["source"] == "kauth-remove-account.md"
    assert {**data, "source": expected["source"]} == expected
    assert data["id"] == "kauth-remove-account" and data["steps"]


@pytest.mark.parametrize("resource", ["guides", "procedures"])
@pytest.mark.parametrize("slug", [
    "no-such-guide", "..", "%2e%2e", "%2E%2E", "..%2f..%2fetc%2fpasswd", "a/b",
    "%2e%2e%2fpyproject.toml", "kauth-remove-account.md", "Kauth-Remove-Account",
    "kauth-remove-account%00", "-kauth", "x" * 300, "%C3%A9t%C3%A9", "..%5c..%5cwin.ini",
])
def test_unknown_or_tricky_slugs_are_404(client, resource, slug):
    assert_error(client.get(f"/api/v1/{resource}/{slug}"), 404, "not_found")


# -- runs ---------------------------------------------------------------------------------

def test_starting_a_run_answers_201_with_token_and_the_first_question(client):
    response = client.post("/api/v1/runs", json={"procedure": "kauth-remove-account",
                                                 "account": "kauth-only"})
    assert response.status_code == 201
    run = response.get_json()
    assert {"id", "token", "revision", "status", "step"} <= set(run)
    assert run["status"] == "active" and run["procedure"] == "kauth-remove-account"
    assert run["revision"] >= 1 and run["account"] == "kauth-only"
    assert set(run["step"]) >= {"step", "kind", "text", "options", "field", "error"}
    assert response.headers["Location"] == f"/api/v1/runs/{run['id']}"
    assert response.headers["Cache-Control"] == "no-store"
    again = read(client, run["id"], run["token"])
    assert "token" not in again
    assert again["revision"] == run["revision"] and again["step"] == run["step"]


def answer_for(step: dict) -> str:
    """An answer the step accepts: "done" for an instruction, else the first option."""
    assert step["kind"] in ("instruction", "choice"), step
    return "done" if step["kind"] == "instruction" else step["options"][0]["id"]


def drive(client: FlaskClient, run: dict, token: str, limit: int = 200) -> dict:
    """Answer every step until the run ends, or asks for a value (a collect step)."""
    for _ in range(limit):
        if run["status"] != "active" or run["step"]["kind"] == "collect":
            return run
        response = send(client, run, token, type="answer", value=answer_for(run["step"]),
                        revision=run["revision"])
        assert response.status_code == 200, response.get_json()
        new = response.get_json()
        assert new["revision"] == run["revision"] + 1
        assert new["step"] is None or new["step"]["error"] is None, new["step"]
        run = new
    raise AssertionError(f"the run did not end in {limit} answers")


def test_a_whole_run_is_driven_to_its_end(client):
    created = start(client, account="kauth-only")
    run = drive(client, created, created["token"])
    assert run["status"] in OUTCOMES and run["outcome"] == run["status"]
    assert run["step"] is None and run["summary"]
    assert run["allowed_events"] == ["restart"]
    assert read(client, created["id"], created["token"]) | {"messages": []} == \
        run | {"messages": []}


@pytest.mark.parametrize("slug", sorted(SEED_SLUGS))
def test_every_seed_procedure_can_be_walked(client, slug):
    created = start(client, slug, "legal-rep")
    run = drive(client, created, created["token"])
    # To its end, or to a question only a person (or an overlay's own test) can answer.
    assert run["status"] in OUTCOMES or (run["status"] == "active"
                                         and run["step"]["field"] is not None), run


def test_back_returns_to_the_previous_question(client):
    run = start(client)
    token, first = run["token"], run["step"]
    moved = send(client, run, token, type="answer", value=answer_for(run["step"])).get_json()
    assert moved["step"]["step"] != first["step"] and "back" in moved["allowed_events"]
    back = send(client, moved, token, type="back", revision=moved["revision"]).get_json()
    assert back["step"]["step"] == first["step"]
    # Back to the choice of mode, the first question; then nothing earlier to go back to:
    # an explanation, and the run stays where it is.
    mode = send(client, back, token, type="back").get_json()
    assert mode["step"]["step"] == "mode" and "back" not in mode["allowed_events"]
    stuck = send(client, mode, token, type="back").get_json()
    assert stuck["step"]["step"] == "mode"
    assert any(m["type"] == "error" for m in stuck["messages"])


def test_cancel_ends_the_run_and_restart_begins_again(client):
    run = start(client)
    token = run["token"]
    moved = send(client, run, token, type="answer", value=answer_for(run["step"])).get_json()
    cancelled = send(client, moved, token, type="cancel").get_json()
    assert cancelled["status"] == "cancelled" and cancelled["step"] is None
    assert cancelled["allowed_events"] == ["restart"]
    restarted = send(client, cancelled, token, type="restart").get_json()
    assert restarted["status"] == "active"
    assert restarted["step"]["step"] == "mode"  # the start: guide-me or do-it-for-me


def test_a_refused_answer_keeps_the_step_and_says_why(client):
    run = start(client)
    answer = send(client, run, run["token"], type="answer", value="no such option").get_json()
    assert answer["step"]["step"] == run["step"]["step"]
    assert answer["step"]["error"]


@pytest.mark.parametrize("revision", [0, 1, 2, 99])
def test_a_stale_revision_is_409_and_changes_nothing(client, revision):
    run = start(client)
    token = run["token"]
    run = send(client, run, token, type="answer", value=answer_for(run["step"])).get_json()
    assert run["revision"] == 3  # created, mode chosen, one answer
    if revision == run["revision"]:
        revision += 1
    before = read(client, run["id"], token)
    response = send(client, run, token, type="cancel", revision=revision)
    message = assert_error(response, 409, "stale_revision")
    assert "revision" in message
    assert read(client, run["id"], token) == before


def test_runs_are_reached_only_with_their_token(client):
    run = start(client)
    other = start(client)
    before = read(client, run["id"], run["token"])
    url = f"/api/v1/runs/{run['id']}"
    refusals = [
        client.get(url),
        client.get(url, headers=bearer("not-the-token")),
        client.get(url, headers=bearer(other["token"])),
        client.get(url, headers={"Authorization": run["token"]}),
        client.get(url, headers={"Authorization": f"Basic {run['token']}"}),
        client.get(url, headers={"Authorization": "Bearer "}),
        client.get(url, query_string={"token": run["token"]}),
        client.get(url, query_string={"access_token": run["token"]}),
        client.get("/api/v1/runs/0000000000000000", headers=bearer(run["token"])),
        client.get("/api/v1/runs/" + "f" * 500, headers=bearer(run["token"])),
        client.post(f"{url}/events", json={"type": "cancel"}),
        client.post(f"{url}/events?token={run['token']}", json={"type": "cancel"}),
        client.post(f"{url}/events", json={"type": "cancel"}, headers=bearer(other["token"])),
        # Even a bad body gets 404 first: a stranger learns nothing about the run.
        client.post(f"{url}/events", data="{", content_type="application/json"),
    ]
    messages = {assert_error(r, 404, "not_found") for r in refusals}
    assert len(messages) == 1  # an unknown id and a wrong token look the same
    assert read(client, run["id"], run["token"]) == before
    assert client.get(url, headers={"Authorization": f"bearer {run['token']}"}).status_code \
        == 200


def test_a_json_body_may_name_its_charset(client):
    response = client.post("/api/v1/runs", data=json.dumps({
        "procedure": "kauth-remove-account", "account": "kauth-only"}).encode(),
        content_type="application/json; charset=utf-8")
    assert response.status_code == 201


def test_unknown_procedure_or_account_is_422_naming_the_field(app, client):
    count = stored_runs(app)
    message = assert_error(client.post("/api/v1/runs", json={
        "procedure": "no-such-guide", "account": "legal-rep"}), 422, "unknown_procedure")
    assert "'procedure'" in message and "no-such-guide" in message
    message = assert_error(client.post("/api/v1/runs", json={
        "procedure": "kauth-remove-account", "account": "nobody"}), 422, "unknown_account")
    assert "'account'" in message and "legal-rep" in message
    assert stored_runs(app) == count


# -- one error shape ----------------------------------------------------------------------

@pytest.mark.parametrize(("status", "code", "request_args"), [
    (400, "invalid_parameter", ("GET", "/api/v1/search?limit=abc", {})),
    (400, "invalid_json", ("POST", "/api/v1/runs", {"data": "{", "content_type":
                                                     "application/json"})),
    (404, "not_found", ("GET", "/api/v1/no-such-resource", {})),
    (404, "not_found", ("GET", "/api/v1/guides/no-such-guide", {})),
    (405, "method_not_allowed", ("DELETE", "/api/v1/guides", {})),
    (405, "method_not_allowed", ("GET", "/api/v1/runs", {})),
    (413, "too_large", ("POST", "/api/v1/runs", {"data": b"{" + b" " * TOO_BIG + b"}",
                                                  "content_type": "application/json"})),
    (415, "unsupported_media_type", ("POST", "/api/v1/runs", {"data": "procedure=x"})),
    (422, "invalid", ("POST", "/api/v1/runs", {"json": {"procedure": "kauth-remove-account",
                                                         "account": "legal-rep", "x": 1}})),
])
def test_one_error_shape_for_every_status(client, status, code, request_args):
    method, url, kwargs = request_args
    assert_error(client.open(url, method=method, **kwargs), status, code)


def test_one_error_shape_for_409(client):
    run = start(client)
    assert_error(send(client, run, run["token"], type="back", revision=0), 409,
                 "stale_revision")


# -- malformed requests -------------------------------------------------------------------

JSON_TYPE = "application/json"
MALFORMED_STARTS = [
    ("not json", "{", JSON_TYPE, 400),
    ("empty body", "", JSON_TYPE, 400),
    ("trailing garbage", '{"procedure": "kauth-remove-account"} x', JSON_TYPE, 400),
    ("NaN", '{"procedure": NaN, "account": "legal-rep"}', JSON_TYPE, 400),
    ("binary as json", bytes(range(256)) * 4, JSON_TYPE, 400),
    ("latin-1 bytes", b'{"account": "caf\xe9"}', JSON_TYPE, 400),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, JSON_TYPE, 400),
    ("huge number", '{"procedure": ' + "9" * 5000 + "}", JSON_TYPE, 400),
    ("array", '[{"procedure": "kauth-remove-account", "account": "legal-rep"}]', JSON_TYPE,
     422),
    ("string", '"kauth-remove-account"', JSON_TYPE, 422),
    ("null", "null", JSON_TYPE, 422),
    ("number", "42", JSON_TYPE, 422),
    ("missing procedure", '{"account": "legal-rep"}', JSON_TYPE, 422),
    ("wrong type", '{"procedure": 5, "account": "legal-rep"}', JSON_TYPE, 422),
    ("object for a string", '{"procedure": {"$ne": null}, "account": "legal-rep"}', JSON_TYPE,
     422),
    ("unknown field", '{"procedure": "kauth-remove-account", "account": "legal-rep", '
                      '"admin": true}', JSON_TYPE, 422),
    ("path in slug", '{"procedure": "../../etc/passwd", "account": "legal-rep"}', JSON_TYPE,
     422),
    ("empty account", '{"procedure": "kauth-remove-account", "account": ""}', JSON_TYPE, 422),
    ("form body", "procedure=kauth-remove-account&account=legal-rep",
     "application/x-www-form-urlencoded", 415),
    ("binary body", bytes(range(256)), "application/octet-stream", 415),
    ("no content type", '{"procedure": "kauth-remove-account", "account": "legal-rep"}', None,
     415),
    ("text/plain", '{"procedure": "kauth-remove-account", "account": "legal-rep"}',
     "text/plain", 415),
    ("huge body", '{"procedure": "' + "a" * TOO_BIG + '"}', JSON_TYPE, 413),
]


@pytest.mark.parametrize(("body", "content_type", "status"),
                         [case[1:] for case in MALFORMED_STARTS],
                         ids=[case[0] for case in MALFORMED_STARTS])
def test_malformed_starts_are_refused_and_store_nothing(app, client, body, content_type,
                                                        status):
    count = stored_runs(app)
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/v1/runs", data=body, headers=headers)
    assert_error(response, status)
    assert stored_runs(app) == count


MALFORMED_EVENTS = [
    ("not json", "{", 400),
    ("array", '[{"type": "cancel"}]', 422),
    ("missing type", '{"value": "done"}', 422),
    ("unknown type", '{"type": "jump"}', 422),
    ("internal type", '{"type": "interrupt"}', 422),
    ("object value", '{"type": "answer", "value": {"a": 1}}', 422),
    ("list value", '{"type": "answer", "value": ["done"]}', 422),
    ("string revision", '{"type": "cancel", "revision": "1"}', 422),
    ("boolean revision", '{"type": "cancel", "revision": true}', 422),
    ("fractional revision", '{"type": "cancel", "revision": 1.5}', 422),
    ("negative revision", '{"type": "cancel", "revision": -1}', 422),
    ("huge revision", '{"type": "cancel", "revision": ' + "9" * 40 + "}", 422),
    ("unknown field", '{"type": "cancel", "token": "x"}', 422),
    ("binary", bytes(range(256)), 400),
    ("huge body", '{"type": "answer", "value": "' + "a" * TOO_BIG + '"}', 413),
]


@pytest.mark.parametrize(("body", "status"), [case[1:] for case in MALFORMED_EVENTS],
                         ids=[case[0] for case in MALFORMED_EVENTS])
def test_malformed_events_are_refused_and_change_nothing(client, body, status):
    run = start(client)
    before = read(client, run["id"], run["token"])
    response = client.post(f"/api/v1/runs/{run['id']}/events", data=body,
                           headers={**bearer(run["token"]), "Content-Type": JSON_TYPE})
    assert_error(response, status)
    assert read(client, run["id"], run["token"]) == before


def test_validation_messages_name_the_field(client):
    run = start(client)
    cases = {'{"type": "answer", "value": {"a": 1}}': "'value'",
             '{"type": "cancel", "revision": "1"}': "'revision'",
             '{"type": "jump"}': "'type'", '{"type": "cancel", "when": 1}': "'when'"}
    for body, field in cases.items():
        response = client.post(f"/api/v1/runs/{run['id']}/events", data=body,
                               headers={**bearer(run["token"]), "Content-Type": JSON_TYPE})
        assert field in assert_error(response, 422, "invalid"), body


def test_an_answer_of_any_json_scalar_is_handed_to_the_engine(client):
    run = start(client)
    for value in (True, 1, 1.5, None, "", "x" * 10_000):
        response = send(client, run, run["token"], type="answer", value=value)
        assert response.status_code == 200
        run = response.get_json() | {"token": run["token"]}


# -- CORS ---------------------------------------------------------------------------------

def test_an_allowed_origin_gets_cors_headers(client):
    response = client.get("/api/v1/search?q=kauth", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    error = client.get("/api/v1/guides/nope", headers={"Origin": ORIGIN})
    assert error.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize("origin", ["https://evil.example", "https://shop.example.evil.com",
                                    "http://shop.example", "null", "https://SHOP.example"])
def test_other_origins_get_no_cors_headers(client, origin):
    response = client.get("/api/v1/search?q=kauth", headers={"Origin": origin})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]
    preflight = client.options("/api/v1/runs", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers


def test_preflight_allows_the_token_and_json_for_an_allowed_origin(client):
    run = start(client)
    response = client.options(f"/api/v1/runs/{run['id']}/events", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed


def test_the_api_speaks_json_only(client):
    for url in ("/api/v1/search?q=kauth", "/api/v1/guides", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.mimetype == "application/json"
        json.loads(response.get_data())
