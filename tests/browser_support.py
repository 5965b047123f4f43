"""Support for the site's tests: a demo site, a live server, Chromium, and form filling.

- `make_site` copies the shipped guides into a temporary folder and adds a small guide
  of its own, `demo-profile-name`, with an overlay that changes the demo account (name,
  password check, picture upload), so the wizard's forms are tested whatever overlays
  the product ships. The product's own overlays are copied next to it, and the settings
  name that folder (`KB_OVERLAYS`).
- `LiveServer` serves an app over real HTTP from a thread, and can be stopped and
  started again on the same data, as a server restart would.
- `FormClient` drives the Flask test client like a browser without JavaScript: it reads
  a page's form (hidden fields included, CSRF token and revision too) and submits it.
"""

from __future__ import annotations

import io
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path

from werkzeug.serving import make_server

from kb.settings import SHIPPED_OVERLAYS, Settings
from tests.conftest import SEED_GUIDES, write_guide
from webapp import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
DEMO_SLUG = "demo-profile-name"

DEMO_GUIDE = """\
---
title: Change the name shown on your profile
slug: demo-profile-name
category: Account & Security
summary: How to change the first and last name shown in the Manager, and add a picture.
tags: [profile, name, avatar]
products: [Manager]
language: en
updated: 2026-11-20
---

This guide explains how to change the name shown when you are logged in to the Manager.

## Change your name

1. Log in to the Manager.
2. Click on your initials at the top right.
3. Select **Manage my profile**.
4. Click on the pencil icon, type the new name and click **Save**.
"""

DEMO_OVERLAY = """\
procedure: demo-profile-name
question: How would you like to change your name?
do_label: Change it for me
guide_label: Show me how to do it in the Manager
start: do-first
steps:
  - id: do-first
    kind: collect
    text: Which first name should the Manager show?
    field: {name: first_name, label: First name, max_length: 40}
    next: do-last
  - id: do-last
    kind: collect
    text: And which last name?
    field: {name: last_name, label: Last name, max_length: 40}
    next: do-password
  - id: do-password
    kind: collect
    text: To confirm it is you, enter your password.
    field: {name: password, type: password, label: Password, max_attempts: 3}
    routes: {too_many_attempts: do-locked}
    next: do-verify
  - id: do-verify
    kind: check
    operation: verify_password
    args: {password: "{answers.password}"}
    save_as: password_ok
    next:
      - if: {var: results.password_ok, equals: true}
        then: do-save
      - if: {else: true}
        then: do-wrong
  - id: do-wrong
    kind: note
    text: That password is not right.
    next: do-password
  - id: do-save
    kind: action
    operation: update_name
    args: {first_name: "{answers.first_name}", last_name: "{answers.last_name}"}
    mutates: true
    text: Your name is now {answers.first_name} {answers.last_name}.
    next: do-picture
  - id: do-picture
    kind: choice
    text: Do you also want a profile picture instead of your initials?
    options:
      - {id: upload, label: "Yes, upload a picture", next: do-image}
      - {id: skip, label: "No, keep my initials", next: do-done}
  - id: do-image
    kind: collect
    text: Choose a picture of at least 210 × 210 pixels.
    field: {name: picture, type: image, label: Profile picture}
    next: do-set-picture
  - id: do-set-picture
    kind: action
    operation: set_avatar
    args: {image_bytes: "{answers.picture}"}
    mutates: true
    text: Your profile picture is set.
    next: do-done
  - id: do-locked
    kind: end
    outcome: blocked
    text: Too many wrong passwords; nothing was changed.
  - id: do-done
    kind: end
    outcome: done
    text: All done.
"""


def make_site(root: Path, secret: str = "test-secret",
              extra_guides: tuple[tuple[str, str, str], ...] = ()) -> Settings:
    """Settings for a site on a private copy of the guides and of the overlays, with
    `extra_guides` (slug, title, body) written beside them."""
    guides = root / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    (guides / f"{DEMO_SLUG}.md").write_text(DEMO_GUIDE, encoding="utf-8")
    for slug, title, body in extra_guides:
        write_guide(guides, slug, body=body, title=title)
    overlays = root / "overlays"
    overlays.mkdir()
    for path in SHIPPED_OVERLAYS.glob("*.yaml"):
        shutil.copy(path, overlays)
    (overlays / f"{DEMO_SLUG}.yaml").write_text(DEMO_OVERLAY, encoding="utf-8")
    return Settings(guides=guides, data=root / "data", overlays=overlays, secret_key=secret)


def build_app(settings: Settings, *, testing: bool = True):
    # One browser sends more in a minute than a person would: no rate limits here
    # (tests/test_limits.py covers them).
    return create_app(settings, testing=testing, rate_limits=False)


def png(width: int = 240, height: int = 240) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


class LiveServer:
    """An app served over HTTP from a thread (werkzeug), on a fixed or a free port.

    One request at a time, like each `kb serve` worker: the search index reader is not
    safe to share between threads."""

    def __init__(self, app, port: int = 0):
        self.server = make_server("127.0.0.1", port, _read_whole(app), threaded=False)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def _read_whole(app):
    """The app with each response read whole and closed before it is sent. When the
    browser drops a connection halfway (a page left while its script loads), werkzeug's
    development server leaves the file of a static response open, and the warning of
    its collection fails whichever test runs then. (`kb serve` uses gunicorn.)"""
    def wsgi(environ, start_response):
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    return wsgi


# -- filling forms with the Flask test client --------------------------------------------

class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": attrs.get(
                "method", "get"), "enctype": attrs.get("enctype", ""), "fields": {},
                "buttons": [], "inputs": []})
        elif self.forms and tag in ("input", "button", "select", "textarea"):
            form = self.forms[-1]
            if tag == "button":
                form["buttons"].append(attrs)
            else:
                form["inputs"].append({"tag": tag, **attrs})
                if attrs.get("type") == "hidden" and attrs.get("name"):
                    form["fields"][attrs["name"]] = attrs.get("value", "")


def forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class FormClient:
    """A Flask test client used through the pages' own forms, like a browser."""

    def __init__(self, client):
        self.client = client
        self.page = ""
        self.url = ""

    def get(self, url: str, status: int = 200) -> str:
        response = self.client.get(url, follow_redirects=True)
        assert response.status_code == status, (url, response.status_code)
        self.url, self.page = response.request.path, response.get_data(as_text=True)
        return self.page

    def form(self, action: str, field: str | None = None) -> dict:
        """The form posting to `action`; with `field`, the one whose button (else visible
        input, else hidden input) has that name."""
        found = [f for f in forms(self.page) if f["action"] == action]
        assert found, f"no form posting to {action} on {self.url}"

        def rank(form: dict) -> int:
            if any(b.get("name") == field for b in form["buttons"]):
                return 0
            if any(i.get("name") == field and i.get("type") != "hidden"
                   for i in form["inputs"]):
                return 1
            return 2 if any(i.get("name") == field for i in form["inputs"]) else 3

        return min(found, key=rank)

    def submit(self, action: str, status: int = 200, files: dict | None = None,
               **values) -> str:
        """Post the form of this page that posts to `action`, with its hidden fields."""
        key = next(iter(values), None) or next(iter(files or {}), None)
        form = self.form(action, key)
        offered = [b.get("value") for b in form["buttons"] if b.get("name") == key]
        assert not offered or values[key] in offered, f"no button {key}={values[key]!r}: " \
                                                      f"{offered}"
        data = {**form["fields"], **values}
        if files:
            data.update({name: (io.BytesIO(content), "picture.png")
                         for name, content in files.items()})
        response = self.client.post(action, data=data, follow_redirects=True,
                                    content_type="multipart/form-data" if files else None)
        assert response.status_code == status, (action, response.status_code,
                                                response.get_data(as_text=True)[:2000])
        self.url, self.page = response.request.path, response.get_data(as_text=True)
        return self.page


# -- what every page must be ---------------------------------------------------------------

class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts = 0
        self._in_script = False
        self.label_for: set[str] = set()
        self._label_depth = 0
        self.controls: list[tuple[dict, bool]] = []
        self.post_forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script = "src" not in attrs
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag == "form":
            self._form = {"method": attrs.get("method", "get").lower(), "csrf": False}
            if self._form["method"] == "post":
                self.post_forms.append(self._form)
        elif tag in ("input", "select", "textarea"):
            if self._form is not None and attrs.get("name") == "csrf_token":
                self._form["csrf"] = True
            if attrs.get("type") not in ("hidden", "submit", "button"):
                self.controls.append((attrs, self._label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        elif tag == "label":
            self._label_depth -= 1
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


def audit_page(html: str) -> None:
    """Semantic landmarks, one h1, labelled controls, CSRF tokens, nothing inline that
    the Content-Security-Policy would block."""
    page = _Audit()
    page.feed(html)
    names = [tag for tag, _ in page.tags]
    assert names.count("h1") == 1, f"{names.count('h1')} h1 elements"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names, f"no <{landmark}>"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)
    assert page.inline_scripts == 0, "inline script"
    assert "style" not in names, "a <style> element"
    assert not [t for t, a in page.tags if "style" in a], "a style= attribute"
    assert not [t for t, a in page.tags if any(k.startswith("on") for k in a)], "an on*= handler"
    for form in page.post_forms:
        assert form["csrf"], "a POST form without a CSRF token"
    for attrs, wrapped in page.controls:
        labelled = (wrapped or attrs.get("id") in page.label_for or attrs.get("aria-label")
                    or attrs.get("aria-labelledby"))
        assert labelled, f"unlabelled control {attrs}"

