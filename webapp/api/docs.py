"""`GET /api/v1/openapi.json`: the API described by itself."""

from __future__ import annotations

from flask import jsonify

from webapp import openapi
from webapp.api.base import blueprint


@blueprint.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())
