"""`GET /api/v1/openapi.json`: the API described by itself."""

from __future__ import annotations

from flask import Response, jsonify

from webapp import openapi, services
from webapp.api.base import blueprint


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    # The body limit it states is this server's.
    return jsonify(openapi.document(services.settings().max_request_bytes))
