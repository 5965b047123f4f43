"""The widget without a browser: its size budget, the headers of its files, the embed page,
the demo host page and its Content-Security-Policy, the rules its JavaScript keeps (text
only, nothing inline, the token never in a URL), and docs that list every setting."""

from __future__ import annotations

import gzip
import html
import re

import pytest

from tests.browser_support import audit_page, build_app, make_site
from tests.conftest import ROOT

STATIC = ROOT / "webapp" / "static"
LOADER = STATIC / "widget.js"
EVERYTHING = ("widget.js", "widget-app.js", "widget.css")  # all the widget ever loads
LOADER_BUDGET = 4 * 1024
TOTAL_BUDGET = 30 * 1024
DOCS = ROOT / "docs" / "widget.md"


def gzipped(name: str) -> int:
    return len(gzip.compress((STATIC / name).read_bytes(), compresslevel=9))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("widget"))


@pytest.fixture(scope="module")
def client(site):
    # The test client's pages are on http://localhost, here an origin allowed to embed.
    allowed = site.model_copy(update={"allowed_origins": ["http://localhost"]})
    return build_app(allowed).test_client()


@pytest.fixture(scope="module")
def plain_client(site):
    return build_app(site).test_client()


# -- size -------------------------------------------------------------------------------

def test_the_loader_fits_in_4_kb_gzipped():
    assert gzipped("widget.js") <= LOADER_BUDGET, f"{gzipped('widget.js')} bytes"


def test_everything_the_widget_loads_fits_in_30_kb_gzipped():
    total = sum(gzipped(name) for name in EVERYTHING)
    assert total <= TOTAL_BUDGET, f"{total} bytes"


# -- the static files ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "media_type"), [("widget.js", "text/javascript"),
                                                   ("widget-app.js", "text/javascript"),
                                                   ("widget.css", "text/css")])
def get(client, url: str, **options):
    """The response, read and closed (a static file is streamed from an open file)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize(("name", "media_type"), [("widget.js", "text/javascript"),
                                                   ("widget-app.js", "text/javascript"),
                                                   ("widget.css", "text/css")])
def test_the_widget_files_are_served_for_any_site_and_cached_briefly(client, name, media_type):
    response = get(client, f"/static/{name}")
    assert response.status_code == 200
    assert response.content_type == f"{media_type}; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    etag = response.headers["ETag"]
    again = get(client, f"/static/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "public, max-age=300"


def test_the_sites_other_static_files_keep_their_headers(client):
    response = get(client, "/static/site.css")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Cache-Control"] != "public, max-age=300"


# -- the embed page ------------------------------------------------------------------------

def test_the_embed_page_has_the_snippet_for_this_site(client):
    response = client.get("/embed")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    audit_page(page)
    text = html.unescape(page)
    assert ('<script async src="http://localhost/static/widget.js" data-account="legal-rep" '
            'data-title="Help"></script>') in text
    assert "KB_ALLOWED_ORIGINS=" in text and "http://localhost</code>" in text
    for directive in ("script-src", "connect-src", "style-src"):
        assert f"{directive} http://localhost" in text
    # The page embeds the widget itself, under the site's own policy.
    assert re.search(r'<script async src="/static/widget.js" data-account="legal-rep"', page)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_site_footer_links_to_the_embed_page(client):
    page = client.get("/").get_data(as_text=True)
    footer = page[page.index("<footer"):]
    assert 'href="/embed"' in footer


# -- the demo host page ----------------------------------------------------------------------

def script_sources(page: str) -> list[str]:
    return re.findall(r'<script async src="([^"]+)"', page)


def test_the_demo_page_plays_a_site_of_another_origin(client):
    response = client.get("/widget/demo")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    audit_page(page)
    # Viewed on an allowed loopback origin, it loads the widget from the other loopback name.
    assert script_sources(page) == ["http://127.0.0.1/static/widget.js"]
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; script-src http://127.0.0.1; connect-src http://127.0.0.1; "
        "style-src 'self' http://127.0.0.1; img-src 'self' data:; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'self'")
    assert "another origin" in page
    for trigger in ("data-kb-ask=", "data-kb-procedure=", "data-kb-open"):
        assert trigger in page


def test_the_demo_page_works_without_configuration_on_its_own_origin(plain_client):
    response = plain_client.get("/widget/demo")
    page = response.get_data(as_text=True)
    assert script_sources(page) == ["http://localhost/static/widget.js"]
    assert "script-src http://localhost;" in response.headers["Content-Security-Policy"]
    assert "KB_ALLOWED_ORIGINS=http://localhost" in page  # how to see it across origins


def test_a_public_demo_page_loads_the_widget_from_its_own_host(site):
    # A public host is trusted only when configured (tests/test_headers.py).
    trusted = site.model_copy(update={"trusted_hosts": ["help.example.com"]})
    page = build_app(trusted).test_client().get(
        "/widget/demo", base_url="https://help.example.com").get_data(as_text=True)
    assert script_sources(page) == ["https://help.example.com/static/widget.js"]


def test_the_hostile_demo_page_adds_a_hostile_stylesheet(client):
    page = client.get("/widget/demo?hostile=1").get_data(as_text=True)
    assert 'href="/widget/demo.css?hostile=1"' in page
    hostile = client.get("/widget/demo.css?hostile=1")
    plain = client.get("/widget/demo.css")
    assert hostile.mimetype == plain.mimetype == "text/css"
    assert "!important" in hostile.get_data(as_text=True)
    assert "!important" not in plain.get_data(as_text=True)


# -- what the JavaScript never does -------------------------------------------------------------

FORBIDDEN = {
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write": "HTML from strings",
    r"\beval\(|new Function|setTimeout\(['\"]": "code from strings",
    r"\.style\.|setAttribute\(['\"]style|cssText": "inline styles (blocked by host CSPs)",
    r"token=|[?&]token": "a token in a URL",
    r"autofocus": "focus taken on load",
}


@pytest.mark.parametrize("name", ["widget.js", "widget-app.js"])
def test_the_widget_script_keeps_the_rules(name):
    source = (STATIC / name).read_text(encoding="utf-8")
    for pattern, what in FORBIDDEN.items():
        assert not re.search(pattern, source), f"{name}: {what}"


def test_the_token_travels_only_in_the_authorization_header():
    source = (STATIC / "widget-app.js").read_text(encoding="utf-8")
    assert "headers.Authorization = 'Bearer ' + token" in source
    # Passed to the API call only as its last argument, the one that becomes the header.
    assert re.findall(r"\w+\.token\b[^,;]*", source) == ["made.token }", "conv.token)",
                                                        "conv.token)"]


# -- the docs list every setting, command and event ---------------------------------------------

def loader_settings() -> list[str]:
    source = LOADER.read_text(encoding="utf-8")
    block = source[source.index("const DEFAULTS = {"):]
    block = block[:block.index("};")]
    return re.findall(r"^\s+(\w+):", block, re.M)


def loader_commands() -> list[str]:
    source = LOADER.read_text(encoding="utf-8")
    block = source[source.index("const methods = {"):]
    block = block[:block.index("\n  };")]
    return [name for name in re.findall(r"^    (\w+)[(,]", block, re.M)
            if not name.startswith("_")]


def test_the_settings_and_commands_are_found():
    assert loader_settings() == ["account", "identity", "title", "greeting", "base",
                                 "position", "color", "persist"]
    assert set(loader_commands()) == {"init", "open", "close", "toggle", "ask",
                                      "startProcedure", "reset", "identify", "on"}


def test_the_docs_and_the_embed_page_list_every_setting_and_command(client):
    docs = DOCS.read_text(encoding="utf-8")
    embed = client.get("/embed").get_data(as_text=True)
    for key in loader_settings():
        assert f"`data-{key}`" in docs and f"`{key}`" in docs, key
        assert f"<code>data-{key}</code>" in embed, key
    for command in loader_commands():
        assert f"{command}(" in docs and f"<code>{command}(" in embed, command
    for event in ("ready", "open", "close", "message", "reply"):
        assert f"`{event}`" in docs and f"<code>{event}</code>" in embed, event
