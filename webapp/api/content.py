"""The content, read-only: `GET /api/v1/guides`, `/guides/<slug>`, `/procedures/<slug>`."""

from __future__ import annotations

from flask import Response, jsonify

from kb.errors import GuideNotFound
from procedures.errors import UnknownProcedure
from webapp import services
from webapp.api.base import blueprint, checked_slug
from webapp.apischema.responses import Guide, GuideList, GuideSummary, public_procedure
from webapp.errors import ApiError


@blueprint.get("/guides")
def guides() -> Response:
    context = services.context()
    return jsonify(GuideList(guides=[GuideSummary.of(g, context.procedure_for(g))
                                     for g in context.knowledge_base()]).body())


@blueprint.get("/guides/<slug>")
def guide(slug: str) -> Response:
    checked_slug(slug, "guide")
    context = services.context()
    try:
        found = context.knowledge_base().get(slug)
    except GuideNotFound:
        raise ApiError(404, f"no guide '{slug}'") from None
    return jsonify(Guide.of(found, context.procedure_for(found)).body())


@blueprint.get("/procedures/<slug>")
def procedure(slug: str) -> Response:
    checked_slug(slug, "procedure")
    try:
        found = services.context().library.get(slug)
    except UnknownProcedure as exc:
        raise ApiError(404, str(exc)) from None
    return jsonify(public_procedure(found).model_dump(mode="json", by_alias=True))
