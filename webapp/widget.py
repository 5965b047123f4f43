"""The embeddable support widget: the embed page, a demo host page, and the headers of the
widget's static files.

The widget itself is static: `static/widget.js` (the loader, embedded with one `<script>`
tag), `static/widget-app.js` (the chat panel, loaded on first use) and `static/widget.css`.
It talks only to the JSON API. This module serves

- `/embed`: the snippet to copy, pre-filled with this site's URL, how to allow a site's
  origin, and the Content-Security-Policy lines a host page needs;
- `/widget/demo`: a page that plays a third-party site embedding the widget, under its own
  Content-Security-Policy (`?hostile=1` adds a stylesheet that tries to break the widget);
- cache and cross-origin headers on the widget's files.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, make_response, render_template, request, url_for

from webapp import services
from webapp.security import absolute, public_base

blueprint = Blueprint("widget", __name__)

WIDGET_FILES = frozenset({"widget.js", "widget-app.js", "widget.css"})
# The loader's URL is in every host page and never changes, so it cannot be cached for
# long: five minutes, then a revalidation (ETag) that costs a 304. A release reaches
# every host page within minutes.
WIDGET_CACHE = "public, max-age=300"
# Served on a loopback name, the demo loads the widget from the other one: two origins.
LOOPBACK = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}

DEMO_CSS = """\
body { margin: 0; font: 17px/1.6 Georgia, "DejaVu Serif", serif; color: #2b2118;
  background: #faf6ef; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { display: flex; flex-wrap: wrap; gap: .5rem 2rem; align-items: baseline; }
.logo { font-size: 1.5rem; font-weight: 700; color: #7a3e12; text-decoration: none; }
nav ul { display: flex; gap: 1.2rem; list-style: none; margin: 0; padding: 0; }
a { color: #7a3e12; }
.about { background: #fff; border: 1px solid #e3d7c4; border-radius: 6px; padding: .2rem 1rem; }
.about code { overflow-wrap: anywhere; }
.try { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.try a { display: inline-block; padding: .45rem .9rem; border: 2px solid #7a3e12;
  border-radius: 6px; text-decoration: none; font-weight: 700; }
footer { color: #6d5c4b; font-size: .9rem; }
"""

# What careless or hostile host pages do. None of it may reach inside the widget.
HOSTILE_CSS = """\
html { font-size: 40px !important; }
* { color: red !important; font-size: 40px; font-family: "Comic Sans MS", cursive !important;
  line-height: 3 !important; letter-spacing: 4px !important; box-sizing: content-box !important; }
*, *::before, *::after { transition: none !important; }
button, input, [role="dialog"], div, ol, li, p, h2 { display: none !important; }
body * { position: static !important; visibility: hidden; opacity: .2 !important;
  transform: rotate(3deg) !important; filter: blur(1px) !important; }
body > :last-child { display: none; }
main, header, footer, nav, ul, a, h1 { visibility: visible; }
svg, svg * { fill: red !important; stroke: red !important; width: 200px !important; }
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The directives a host page's Content-Security-Policy adds the widget's origin to, and why.
HOST_CSP = (
    ("script-src", "the loader and the chat panel"),
    ("connect-src", "the API, and the widget's stylesheet (fetched, then applied as a "
                    "constructable stylesheet, which needs no style-src)"),
    ("style-src", "only for browsers without constructable stylesheets (Safari before "
                  "16.4), where the stylesheet is a <link>"),
)


def snippet(widget_url: str, account: str, production: bool = False) -> str:
    """The tag to paste. In production the host page fills in the signed-in customer's
    identity token instead of naming an account (docs/widget.md)."""
    who = ('data-identity="IDENTITY-TOKEN-SIGNED-BY-YOUR-SITE"' if production
           else f'data-account="{account}"')
    return f'<script async src="{widget_url}" {who} data-title="Help"></script>'


def _demo_widget() -> tuple[str, bool]:
    """The widget's URL for the demo page, and whether it is on another origin.

    The demo plays a third-party site. Viewed on a loopback name whose origin is allowed
    (KB_ALLOWED_ORIGINS), it loads the widget from the other loopback name, so the widget
    talks to the API across origins, with CORS, as on a real host page. Otherwise it loads
    it from this origin, which works with no configuration."""
    url = urlsplit(absolute(url_for("static", filename="widget.js")))
    other = LOOPBACK.get(url.hostname or "")
    if other and _origin(url.geturl()) in services.settings().allowed_origins:
        netloc = other + (f":{url.port}" if url.port else "")
        return url._replace(netloc=netloc).geturl(), True
    return url.geturl(), False


@blueprint.after_app_request
def widget_file_headers(response: Response) -> Response:
    # Any site may load these public files: the loader fetches the stylesheet with CORS
    # (a constructable stylesheet needs no style-src), and a host page isolated with
    # Cross-Origin-Embedder-Policy may load them too.
    if request.endpoint == "static" and (request.view_args or {}).get("filename") in WIDGET_FILES:
        response.headers["Cache-Control"] = WIDGET_CACHE
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@blueprint.get("/embed")
def embed():
    settings = services.settings()
    widget_url = absolute(url_for("static", filename="widget.js"))
    origin = _origin(widget_url)
    production = settings.mode == "production"
    context = services.context()
    # The attributes' examples are this help center's: a question made from its guides
    # and one of its procedures, which the owner can paste as they are.
    asked = context.example_questions(limit=1)
    return render_template("embed.html",
                           snippet=snippet(widget_url, settings.default_account, production),
                           widget_origin=origin, csp=HOST_CSP,
                           allowed=settings.allowed_origins, account=settings.default_account,
                           widget_url=url_for("static", filename="widget.js"),
                           example_question=asked[0] if asked else "",
                           example_procedure=context.example_procedure() or "")


@blueprint.get("/widget/demo")
def demo():
    settings = services.settings()
    widget_url, cross_origin = _demo_widget()
    widget_origin = _origin(widget_url)
    page_origin = public_base()
    # The host page's own policy: its defaults, plus what /embed tells a site to add for
    # the widget. Set here, it takes the place of the site's (which allows only 'self').
    policy = (f"default-src 'none'; script-src {widget_origin}; "
              f"connect-src {widget_origin}; style-src 'self' {widget_origin}; "
              "img-src 'self' data:; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'self'")
    html = render_template("widget_demo.html", widget_url=widget_url, policy=policy,
                           widget_origin=widget_origin, page_origin=page_origin,
                           cross_origin=cross_origin, account=settings.default_account,
                           hostile=request.args.get("hostile") == "1",
                           allowed=page_origin in settings.allowed_origins)
    response = make_response(html)
    response.headers["Content-Security-Policy"] = policy
    return response


@blueprint.get("/widget/demo.css")
def demo_css():
    css = DEMO_CSS + (HOSTILE_CSS if request.args.get("hostile") == "1" else "")
    response = make_response(css)
    response.mimetype = "text/css"
    return response
