"""The content, read-only: `GET /api/v1/guides`, `/guides/<slug>`, `/procedures/<slug>`."""

from __future__ import annotations

from pathlib import Path

from flask import jsonify

from kb.content.guides import Guide
from kb.errors import GuideNotFound
from procedures.errors import UnknownProcedure
from webapp import services
from webapp.api.base import blueprint, checked_slug
from webapp.errors import ApiError


def _summary(guide: Guide) -> dict:
    meta = guide.meta
    return {"slug": meta.slug, "title": meta.title, "category": meta.category,
            "summary": meta.summary, "tags": list(meta.tags), "products": list(meta.products),
            "language": meta.language, "updated": meta.updated.isoformat(),
            "procedure": services.context().procedure_for(guide)}


@blueprint.get("/guides")
def guides():
    return jsonify({"guides": [_summary(g) for g in services.context().knowledge_base()]})


@blueprint.get("/guides/<slug>")
def guide(slug: str):
    checked_slug(slug, "guide")
    try:
        found = services.context().knowledge_base().get(slug)
    except GuideNotFound:
        raise ApiError(404, f"no guide '{slug}'") from None
    passages = [{"anchor": p.anchor, "title": p.title, "level": p.level, "text": p.text}
                for p in found.passages]
    return jsonify({**_summary(found), "passages": passages, "html": found.html()})


@blueprint.get("/procedures/<slug>")
def procedure(slug: str):
    checked_slug(slug, "procedure")
    try:
        found = services.context().library.get(slug)
    except UnknownProcedure as exc:
        raise ApiError(404, str(exc)) from None
    data = found.model_dump(mode="json", by_alias=True)
    # The server's folders are nobody's business: the source is named by its file alone.
    if data.get("source"):
        data["source"] = Path(data["source"]).name
    return jsonify(data)
