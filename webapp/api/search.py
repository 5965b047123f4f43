"""`GET /api/v1/search`: the same answer as `kb search --json`."""

from __future__ import annotations

from flask import Response

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
    # The model writes its own JSON (pydantic's serializer, in Rust): the same document
    # as `jsonify(model_dump())`, without building the dictionary and encoding it in
    # Python again, which was a third of a cached search's time in the view.
    return Response(response.model_dump_json(), mimetype="application/json")
