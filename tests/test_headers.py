"""Absolute URLs from the configured address only, HTTPS cookies and HSTS, and a session
cookie that reveals no run token."""

from __future__ import annotations

import base64
import json
import re
import zlib

import pytest
from sqlalchemy import text

from tests.browser_support import FormClient, build_app, make_site
from tests.test_wizard import DEMO_SLUG, start
from webapp import create_app

EVIL = "evil.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("headers"))


def client_for(site, **settings):
    return build_app(site.model_copy(update=settings)).test_client()


@pytest.mark.parametrize("path", ["/embed", "/widget/demo"])
def test_a_forged_host_is_refused_never_reflected(site, path):
    response = client_for(site).get(path, headers={"Host": EVIL})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert EVIL not in page and EVIL not in response.headers.get("Content-Security-Policy", "")
    assert "does not answer at this address" in page


@pytest.mark.parametrize("path", ["/embed", "/widget/demo"])
def test_the_public_url_wins_over_any_host(site, path):
    client = client_for(site, public_url="https://help.example.com")
    response = client.get(path, headers={"Host": EVIL})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "https://help.example.com/static/widget.js" in page and EVIL not in page
    if path == "/widget/demo":
        policy = response.headers["Content-Security-Policy"]
        assert "script-src https://help.example.com" in policy and EVIL not in policy


def test_trusted_hosts_and_loopback_in_demo_only(site):
    trusted = client_for(site, trusted_hosts=["help.example.com"])
    page = trusted.get("/embed", base_url="http://help.example.com").get_data(as_text=True)
    assert "http://help.example.com/static/widget.js" in page
    assert trusted.get("/embed", headers={"Host": EVIL}).status_code == 400
    # A loopback name is trusted for a demo on one's own machine, not in production.
    assert client_for(site).get("/embed").status_code == 200
    production = client_for(site, mode="production", identity_secret="s" * 40)
    assert production.get("/embed").status_code == 400


def test_behind_https_the_cookie_is_secure_and_hsts_is_sent(site):
    plain = client_for(site).get("/guides/kauth-remove-account")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers.get("Set-Cookie", "")
    https = client_for(site, public_url="https://help.example.com").get(
        "/guides/kauth-remove-account")
    assert https.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in https.headers["Set-Cookie"]


def test_a_forwarded_scheme_counts_only_from_a_trusted_proxy(site):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = client_for(site).get("/guides/kauth-remove-account", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers
    assert "Secure" not in direct.headers.get("Set-Cookie", "")
    proxied = create_app(site, testing=True, trusted_proxies=1).test_client().get(
        "/guides/kauth-remove-account", headers=forwarded)
    assert "Strict-Transport-Security" in proxied.headers
    assert "Secure" in proxied.headers["Set-Cookie"]


def cookie_payload(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    data = cookie.value
    compressed = data.startswith(".")
    body = data.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_session_cookie_carries_no_run_token(site):
    app = build_app(site)
    web = FormClient(app.test_client())
    run = start(web, DEMO_SLUG)
    database = app.extensions["kb.context"].database
    token = database.first(text("SELECT token FROM visitor_runs WHERE run_id = :run"),
                           {"run": run.rsplit("/", 1)[1]})[0]
    payload = cookie_payload(web.client)
    assert token not in payload
    assert set(json.loads(payload)) <= {"visitor", "csrf_token", "account", "_flashes",
                                        "voted", "identity", "identity_until"}
    # The run still resumes in this browser, and only there.
    assert "Step 1" in web.get(run) or re.search(r"<h1", web.get(run))
    FormClient(app.test_client()).get(run, status=404)
