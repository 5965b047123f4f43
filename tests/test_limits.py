"""Per-client rate limits: searches, chat messages and run events answered 429 in the JSON
shape with Retry-After past the limit, counted per client address, never storing one."""

from __future__ import annotations

import re
import time

import pytest
from flask import Blueprint

from tests.browser_support import make_site
from tests.test_api import assert_error, bearer
from webapp import create_app, limits

CLIENT = {"REMOTE_ADDR": "198.51.100.7"}
OTHER = {"REMOTE_ADDR": "198.51.100.8"}


def per_minute(value: str) -> int:
    return int(re.match(r"(\d+) per minute", value).group(1))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("limits"))


@pytest.fixture
def app(site):
    # A fresh app per test: fresh counters (memory storage).
    return create_app(site, testing=True, rate_limits=True)


def exhaust(send, allowed: int):
    for n in range(allowed):
        response = send()
        assert response.status_code != 429, f"limited after {n} requests"
    return send()


def assert_limited(response) -> None:
    assert_error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0
    assert "wait a moment" in response.get_json()["error"]["message"]


def test_searches_past_the_limit_get_429_with_retry_after(app):
    client = app.test_client()
    search = lambda: client.get("/api/v1/search?q=password", environ_base=CLIENT)  # noqa: E731
    assert_limited(exhaust(search, per_minute(limits.SEARCH)))
    # Another client is not held back by this one.
    assert client.get("/api/v1/search?q=password", environ_base=OTHER).status_code == 200


def test_the_search_page_shares_the_limit_and_says_so_in_a_sentence(app):
    client = app.test_client()
    page = lambda: client.get("/search?q=password", environ_base=CLIENT)  # noqa: E731
    refused = exhaust(page, per_minute(limits.SEARCH))
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many requests in a short time" in refused.get_data(as_text=True)


def test_chat_messages_past_the_limit_get_429(app):
    client = app.test_client()
    conv = client.post("/api/v1/conversations", environ_base=CLIENT).get_json()
    url = f"/api/v1/conversations/{conv['id']}/messages"
    send = lambda: client.post(url, json={"text": "hello"}, headers=bearer(conv["token"]),  # noqa: E731
                               environ_base=CLIENT)
    assert_limited(exhaust(send, per_minute(limits.MESSAGES)))


def test_run_events_past_the_limit_get_429_and_change_nothing(app):
    client = app.test_client()
    run = client.post("/api/v1/runs", json={"procedure": "kauth-remove-account"},
                      environ_base=CLIENT).get_json()
    url = f"/api/v1/runs/{run['id']}/events"
    # Stale events change nothing but still count: a script cannot hammer a run.
    send = lambda: client.post(url, json={"type": "back", "revision": 999},  # noqa: E731
                               headers=bearer(run["token"]), environ_base=CLIENT)
    assert_limited(exhaust(send, per_minute(limits.RUN_EVENTS)))
    shown = client.get(f"/api/v1/runs/{run['id']}", headers=bearer(run["token"]),
                       environ_base=CLIENT).get_json()
    assert shown["revision"] == run["revision"]


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(site):
    def hammer(app, addresses):
        client = app.test_client()
        return [client.get("/api/v1/search?q=x", environ_base=CLIENT,
                           headers={"X-Forwarded-For": address}).status_code
                for address in addresses]

    allowed = per_minute(limits.SEARCH)
    spread = [f"203.0.113.{n % 200}" for n in range(allowed + 20)]
    proxied = create_app(site, testing=True, rate_limits=True, trusted_proxies=1)
    assert 429 not in hammer(proxied, spread)
    # Without a trusted proxy, the header is the client's own claim: ignored.
    direct = create_app(site, testing=True, rate_limits=True)
    assert 429 in hammer(direct, spread)


def test_no_client_address_is_stored(app):
    client = app.test_client()
    client.get("/api/v1/search?q=x", environ_base=CLIENT)
    storage = app.extensions["kb.limiter"].storage
    keys = " ".join(map(str, storage.storage))
    assert keys and CLIENT["REMOTE_ADDR"] not in keys


def test_another_blueprint_can_limit_its_own_views(app):
    admin = Blueprint("console", __name__)

    def login() -> str:
        return "the sign-in form"

    admin.add_url_rule("/console-login", "login", login)
    app.register_blueprint(admin)
    limits.limit(app, "console.login", "3 per minute")
    client = app.test_client()
    assert [client.get("/console-login").status_code for _ in range(4)] == [200] * 3 + [429]


def test_a_client_is_let_back_in_once_its_window_has_passed(app):
    burst = Blueprint("burst", __name__)
    burst.add_url_rule("/burst", "page", lambda: "a page")
    app.register_blueprint(burst)
    limits.limit(app, "burst.page", "2 per second")
    client = app.test_client()
    page = lambda env=CLIENT: client.get("/burst", environ_base=env)  # noqa: E731
    assert page(OTHER).status_code == 200
    refused = exhaust(page, 2)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    time.sleep(1.1)
    assert page().status_code == 200
    # The other client's spent window is forgotten, not kept for ever.
    storage = app.extensions["kb.limiter"].storage
    storage._next_sweep = 0.0
    page()
    assert len(storage.storage) == 1
