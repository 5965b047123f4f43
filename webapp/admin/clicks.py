"""`POST /search/clicks`: the search page reports which result a visitor opened.

Body (form or JSON): `q` (the question), `slug` (the guide opened), `rank` (its position,
1 for the first). Sent with `navigator.sendBeacon` as the link is followed; answered 204.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from kb.content.guides import SLUG_PATTERN
from webapp import services

blueprint = Blueprint("clicks", __name__)
SLUG = re.compile(SLUG_PATTERN)


@blueprint.post("/search/clicks")
def record() -> Any:
    data: Any = request.get_json(silent=True) if request.is_json else request.form
    data = data if isinstance(data, dict) or hasattr(data, "get") else {}
    query = str(data.get("q", ""))[:500].strip()
    slug = str(data.get("slug", ""))[:120]
    try:
        rank = int(data.get("rank", 0))
    except (TypeError, ValueError):
        rank = 0
    if query and SLUG.match(slug):
        services.context().questions.record_click(query, slug, rank)
    return Response(status=204)
