"""The widget in production mode, in a real browser on a host page of another origin: the
conversation acts on the account of the token the host site signed, and only on it."""

from __future__ import annotations

import json
import time
import urllib.request

import jwt
import pytest

from tests.browser_support import LiveServer, build_app, make_site
from tests.widget_support import HostPage

pytestmark = pytest.mark.browser

SECRET = "host-site-secret-" + "z" * 32
TIMEOUT_MS = 20_000


def token(sub: str, lifetime: int = 600) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + lifetime}, SECRET,
                      algorithm="HS256")


@pytest.fixture(scope="module")
def help_center(tmp_path_factory):
    settings = make_site(tmp_path_factory.mktemp("identity-browser")).model_copy(
        update={"mode": "production", "identity_secret": SECRET})
    app = build_app(settings, testing=False)
    live = LiveServer(app)
    yield app, live
    live.stop()


def host_page(app, live, attributes: str) -> HostPage:
    html = (f'<!doctype html><title>Shop</title><h1>A shop</h1>'
            f'<script async src="{live.url}/static/widget.js" {attributes}></script>')
    host = HostPage(html)
    # The shop's origin, known once it listens, may call the API.
    settings = app.extensions["kb.settings"]
    app.extensions["kb.settings"] = settings.model_copy(
        update={"allowed_origins": [*settings.allowed_origins, host.url.rstrip("/")]})
    return host


def ask(page, text: str) -> None:
    page.click("kb-widget .launcher")
    page.locator("kb-widget #kbw-input").wait_for()
    page.fill("kb-widget #kbw-input", text)
    page.press("kb-widget #kbw-input", "Enter")


def history(live, conv: dict) -> dict:
    request = urllib.request.Request(f"{live.url}/api/v1/conversations/{conv['id']}/messages",
                                     headers={"Authorization": f"Bearer {conv['token']}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_the_widget_acts_on_the_signed_account(chromium, help_center):
    app, live = help_center
    host = host_page(app, live, f'data-identity="{token("kauth-sms")}" data-account="legal-rep"')
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(host.url)
        ask(page, "how do I remove the kauth app")
        page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('kbw:h'))")
        stored = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('kbw:'))
            .map(k => [k, JSON.parse(localStorage.getItem(k))])""")
        assert len(stored) == 1 and stored[0][0].endswith("|@kauth-sms"), stored
        # The account named beside the token is ignored: the token decides.
        assert history(live, stored[0][1])["account"] == "kauth-sms"
    finally:
        context.close()
        host.stop()


def test_an_expired_identity_is_refused_with_a_sentence(chromium, help_center):
    app, live = help_center
    host = host_page(app, live, f'data-identity="{token("kauth-sms", lifetime=-3600)}"')
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(host.url)
        ask(page, "how do I remove the kauth app")
        page.locator("kb-widget .log >> text=sign in again").wait_for()
        assert page.evaluate("() => Object.keys(localStorage).filter(k => "
                             "k.startsWith('kbw:') && !k.startsWith('kbw:open')).length") == 0
    finally:
        context.close()
        host.stop()
