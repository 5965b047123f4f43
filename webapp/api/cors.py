"""Cross-origin access to the API for the sites listed in `allowed_origins`.

The widget runs on other sites and calls the API from their pages, so the browser asks
first. An origin is allowed only by exact match; any other gets no CORS header and the
browser keeps the answer from the page. No cookies are involved (tokens travel in the
Authorization header), so credentials are never allowed. `Vary: Origin` is always set,
because the answer differs by origin and a shared cache must not mix them up.
"""

from __future__ import annotations

from flask import Response, request

from webapp import services
from webapp.api.base import PREFIX, blueprint

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type"
EXPOSED_HEADERS = "Location"
PREFLIGHT_MAX_AGE = "600"


@blueprint.after_app_request
def cors_headers(response: Response) -> Response:
    # An app-wide hook, so that errors raised before routing (404, 405, 413) carry the
    # headers too and a cross-origin client can read why it was refused.
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origin or origin not in services.settings().allowed_origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    else:
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response
