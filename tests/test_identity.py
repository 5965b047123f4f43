"""Who a run or a conversation acts for: the demo account in demo mode, only the host
site's signed identity in production mode, with a 401 for every kind of bad token."""

from __future__ import annotations

import base64
import json
import re
import time

import jwt
import pytest

from kb.identity import IdentityNotConfigured, IdentityRefused, verify
from kb.settings import Settings
from tests.browser_support import FormClient, build_app, make_site
from tests.test_api import assert_error, bearer

SECRET = "host-site-secret-" + "x" * 32
RUNS, CONVERSATIONS = "/api/v1/runs", "/api/v1/conversations"
PROCEDURE = "kauth-remove-account"


def token(sub: object = "kauth-only", *, secret: str = SECRET, lifetime: int = 600,
          algorithm: str = "HS256", **claims) -> str:
    body = {"sub": sub, "exp": int(time.time()) + lifetime, **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret,
                      algorithm=algorithm)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(alg: str, sub: str = "legal-rep") -> str:
    """A token that says it uses `alg` (none, RS256) with no valid HS256 signature."""
    header, claims = _b64({"alg": alg, "typ": "JWT"}), _b64({"sub": sub,
                                                            "exp": int(time.time()) + 600})
    return f"{header}.{claims}." + ("" if alg == "none" else _b64({"sig": "made up"}))


def tampered() -> str:
    header, _, signature = token("collaborator").split(".")
    return f"{header}.{_b64({'sub': 'legal-rep', 'exp': int(time.time()) + 600})}.{signature}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("identity"))


@pytest.fixture(scope="module")
def production(site):
    return build_app(site.model_copy(update={"mode": "production", "identity_secret": SECRET,
                                             "trusted_hosts": ["localhost"]}))


@pytest.fixture(scope="module")
def demo(site):
    return build_app(site.model_copy(update={"default_account": "kauth-sms",
                                             "identity_secret": SECRET}))


REFUSALS = {
    "missing": None,
    "empty": "",
    "forged with another secret": token(secret="another-secret-" + "y" * 32),
    "tampered claims": tampered(),
    "algorithm none": unsigned("none"),
    "algorithm RS256": unsigned("RS256"),
    "expired": token(lifetime=-3600),
    "lasting a week": token(lifetime=7 * 24 * 3600),
    "no account": token(sub=None),
    "no expiry": jwt.encode({"sub": "legal-rep"}, SECRET, algorithm="HS256"),
    "not a token": "hello",
}


@pytest.mark.parametrize("url", [RUNS, CONVERSATIONS])
@pytest.mark.parametrize("kind", REFUSALS)
def test_production_refuses_every_bad_identity_with_401(production, url, kind):
    body = {"procedure": PROCEDURE} if url == RUNS else {}
    if REFUSALS[kind] is not None:
        body["identity"] = REFUSALS[kind]
    response = production.test_client().post(url, json=body)
    assert_error(response, 401, "identity_required")
    assert "token" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("url", [RUNS, CONVERSATIONS])
def test_production_refuses_an_account_named_by_the_client(production, url):
    client = production.test_client()
    body = {"procedure": PROCEDURE} if url == RUNS else {}
    # Without an identity, the client learns that it needs one...
    assert_error(client.post(url, json={**body, "account": "legal-rep"}), 401,
                 "identity_required")
    # ...and with one, that it cannot pick another account beside it.
    refused = client.post(url, json={**body, "account": "legal-rep", "identity": token()})
    assert_error(refused, 422, "account_not_allowed")


def test_production_acts_on_the_signed_account_only(production):
    client = production.test_client()
    run = client.post(RUNS, json={"procedure": PROCEDURE, "identity": token("kauth-sms")})
    assert run.status_code == 201, run.get_json()
    shown = client.get(f"{RUNS}/{run.get_json()['id']}",
                       headers=bearer(run.get_json()["token"])).get_json()
    assert shown["account"] == "kauth-sms"
    conv = client.post(CONVERSATIONS, json={"identity": token("prepaid")}).get_json()
    history = client.get(f"{CONVERSATIONS}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert history.get_json()["account"] == "prepaid"


def test_demo_mode_honours_the_default_account_everywhere(demo):
    client = demo.test_client()
    conv = client.post(CONVERSATIONS).get_json()
    history = client.get(f"{CONVERSATIONS}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert history.get_json()["account"] == "kauth-sms"
    run = client.post(RUNS, json={"procedure": PROCEDURE}).get_json()
    shown = client.get(f"{RUNS}/{run['id']}", headers=bearer(run["token"])).get_json()
    assert shown["account"] == "kauth-sms"
    # A named demo account still works, and so does a signed identity.
    named = client.post(RUNS, json={"procedure": PROCEDURE, "account": "prepaid"}).get_json()
    assert client.get(f"{RUNS}/{named['id']}",
                      headers=bearer(named["token"])).get_json()["account"] == "prepaid"
    assert_error(client.post(RUNS, json={"procedure": PROCEDURE, "identity": tampered()}),
                 401, "identity_required")


def test_production_without_a_secret_refuses_to_start(site):
    with pytest.raises(IdentityNotConfigured, match="KB_IDENTITY_SECRET"):
        build_app(site.model_copy(update={"mode": "production"}))
    with pytest.raises(IdentityNotConfigured, match="KB_IDENTITY_SECRET"):
        build_app(site.model_copy(update={"mode": "production", "identity_secret": "short"}))


def test_the_core_allows_a_little_clock_skew_and_no_more():
    now = time.time()
    late = token(lifetime=-30)
    assert verify(late, SECRET, now=now).account == "kauth-only"
    with pytest.raises(IdentityRefused, match="expired"):
        verify(token(lifetime=-600), SECRET, now=now)
    claims = verify(token(email="ana@example.com", name="Ana"), SECRET)
    assert (claims.email, claims.name) == ("ana@example.com", "Ana")


# -- the site: the guided wizard ------------------------------------------------------------

def start_form(web: FormClient) -> dict:
    web.get(f"/guides/{PROCEDURE}")
    form = web.form("/runs", "procedure")
    return {**form["fields"], "procedure": PROCEDURE}


def test_the_wizard_in_production_needs_the_host_sites_identity(production):
    web = FormClient(production.test_client())
    refused = web.client.post("/runs", data=start_form(web))
    assert refused.status_code == 401
    assert "Please sign in" in refused.get_data(as_text=True)
    forged = web.client.post("/session/identity", data={"identity": tampered()})
    assert forged.status_code == 401
    # The host site posts the customer's token (no CSRF token of ours: the token is the
    # proof), and the visitor lands where the host site sent them.
    signed = web.client.post("/session/identity",
                             data={"identity": token("kauth-sms"), "next": f"/guides/{PROCEDURE}"})
    assert signed.status_code == 303 and signed.headers["Location"] == f"/guides/{PROCEDURE}"
    started = web.client.post("/runs", data=start_form(web), follow_redirects=True)
    assert started.status_code == 200
    assert "kauth-sms" in started.get_data(as_text=True)


def test_production_hides_the_demo_account_switcher(production, demo):
    page = production.test_client().get("/").get_data(as_text=True)
    assert "Demo account" not in page and "This is a demo" not in page
    assert production.test_client().get("/account").status_code == 404
    assert production.test_client().get("/account?name=legal-rep").status_code == 404
    demo_page = demo.test_client().get("/").get_data(as_text=True)
    assert "Demo account" in demo_page and "This is a demo" in demo_page


def test_the_embed_page_in_production_asks_for_the_identity(production):
    page = production.test_client().get("/embed").get_data(as_text=True)
    snippet = re.search(r"&lt;script async src=.*?&gt;", page).group(0)
    assert "data-identity=" in snippet and "data-account" not in snippet


def test_production_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KB_MODE", "production")
    monkeypatch.delenv("KB_IDENTITY_SECRET", raising=False)
    with pytest.raises(IdentityNotConfigured, match="KB_IDENTITY_SECRET"):
        build_app(Settings(data=tmp_path))
