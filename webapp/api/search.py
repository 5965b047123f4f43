"""`GET /api/v1/search`: the same answer as `kb search --json`."""

from __future__ import annotations

from flask import Response, jsonify

from webapp import services
from webapp.api.base import blueprint, query
from webapp.apischema.requests import SearchParams


@blueprint.get("/search")
def search() -> Response:
    # An empty question is not an error: instant search asks while the visitor types,
    # and the answer is the command line's (no results, not confident, a message).
    params = query(SearchParams)
    response = services.context().search.search(params.q, limit=params.limit,
                                                offset=params.offset,
                                                category=params.category or None,
                                                log_gap=not params.instant,
                                                instant=params.instant)
    return jsonify(response.model_dump(mode="json"))
