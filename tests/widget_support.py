"""Support for the widget's browser tests: a site whose demo host page is on another origin.

The app is served on `http://127.0.0.1:PORT`, and its demo host page is opened as
`http://localhost:PORT/widget/demo`: another origin, listed in `allowed_origins`, so the
page loads the widget from 127.0.0.1 and the widget talks to the API across origins, with
CORS and the demo page's own Content-Security-Policy, as on a real third-party site.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.wrappers import Response

from tests.browser_support import LiveServer, build_app, make_site

# Where the focus is, seen from the page: the tag name of the page's active element, or
# for the widget, the class of the element focused inside its shadow root.
FOCUSED_JS = """() => {
  const active = document.activeElement;
  if (!active || active.tagName !== 'KB-WIDGET') return active ? active.tagName : null;
  const inner = active.shadowRoot.activeElement;
  return inner ? (inner.className || inner.tagName) : 'KB-WIDGET';
}"""


class WidgetSite:
    """The app on 127.0.0.1 with the localhost origin allowed to embed the widget."""

    def __init__(self, root: Path, extra_guides: tuple[tuple[str, str, str], ...] = ()):
        self.app = build_app(make_site(root, extra_guides=extra_guides), testing=False)
        self.server = LiveServer(self.app)
        self.widget_origin = self.server.url
        self.page_origin = f"http://localhost:{self.server.port}"
        # The port, and so the origin to allow, is known only once the server listens.
        settings = self.app.extensions["kb.settings"]
        self.app.extensions["kb.settings"] = settings.model_copy(
            update={"allowed_origins": [self.page_origin]})
        self.demo_url = f"{self.page_origin}/widget/demo"

    def stop(self) -> None:
        self.server.stop()


def site_fixture(name: str, *guides: tuple[str, str, str]) -> Any:
    """A module-wide fixture: a `WidgetSite` with these guides (slug, title, body) beside
    the shipped ones, stopped after the module's tests."""
    @pytest.fixture(scope="module")
    def live_site(tmp_path_factory: Any) -> Iterator[WidgetSite]:
        live = WidgetSite(tmp_path_factory.mktemp(name), extra_guides=guides)
        yield live
        live.stop()

    return live_site


class HostPage:
    """A one-page site of its own, on another port of 127.0.0.1: an origin nobody allowed."""

    def __init__(self, html: str):
        self.server = LiveServer(lambda environ, start: Response(html, mimetype="text/html")(
            environ, start))
        self.url = self.server.url + "/"

    def stop(self) -> None:
        self.server.stop()


def focused(page) -> str | None:
    return page.evaluate(FOCUSED_JS)
