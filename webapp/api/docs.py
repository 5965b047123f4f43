"""`GET /api/v1/openapi.json`: the API described by itself."""

from __future__ import annotations

from flask import Response, jsonify

from procedures.errors import UnknownProcedure
from webapp import openapi, services
from webapp import session as visitor
from webapp.api.base import blueprint


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    # The body limit, the procedures, the demo accounts and the mode it states are this
    # server's, so a client generated from it sends what this server accepts.
    settings = services.settings()
    return jsonify(openapi.document(settings.max_request_bytes, runnable(),
                                    tuple(visitor.account_names()), settings.mode))


def runnable() -> tuple[str, ...]:
    """The procedures that compile now (a guide that does not compile cannot be run)."""
    library = services.context().library
    found = []
    for slug in library.slugs():
        try:
            found.append(library.get(slug).id)
        except UnknownProcedure:
            continue
    return tuple(sorted(found))
