"""The console's blueprint and what its views share: signing in, the period, CSV."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from kb.console.charts import Table
from kb.console.owners import Owners
from kb.console.period import BadPeriod, Period
from webapp import services

blueprint = Blueprint("admin", __name__, url_prefix="/admin", static_folder="static",
                      static_url_path="/static")

IDLE_S = 30 * 60
MAX_SESSION_S = 12 * 3600


def owners() -> Owners:
    return Owners(services.context().database, services.settings().resolved_secret())


def signed_in() -> str | None:
    """The owner signed in on this browser, if the session is still fresh."""
    name = session.get("owner")
    now = time.time()
    if not name:
        return None
    if now - session.get("owner_seen", 0) > IDLE_S or \
            now - session.get("owner_since", 0) > MAX_SESSION_S:
        for key in ("owner", "owner_seen", "owner_since"):
            session.pop(key, None)
        return None
    session["owner_seen"] = now
    return str(name)


def owner_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if signed_in() is None:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


@blueprint.after_request
def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def period() -> tuple[Period, str | None]:
    """The period asked for in `?from=&to=`, or the last 30 days with the reason the
    given one could not be read."""
    try:
        found: tuple[Period, str | None] = (Period.parse(request.args.get("from") or None,
                                                         request.args.get("to") or None),
                                            None)
    except BadPeriod as exc:
        found = Period.parse(None, None), str(exc)
    g.console_period = found[0]
    return found


def render(template: str, **values: Any) -> Any:
    chosen, problem = values.pop("period_and_problem")
    status = 400 if problem else 200
    return render_template(template, period=chosen, problem=problem, owner=signed_in(),
                           **values), status


def csv_response(table: Table, chosen: Period) -> Response:
    name = f"{table.name}-{chosen.first}-{chosen.last}.csv"
    return Response(table.csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blueprint.app_template_filter("console_time")
def console_time(stamp: float | None) -> str:
    """A time as the owner reads it: `2026-11-28 14:05 UTC`."""
    if not stamp:
        return "—"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


@blueprint.context_processor
def link_helpers() -> dict[str, Any]:
    def query_with(*updates: dict[str, Any]) -> str:
        """`?from=…&to=…` of the period shown, with `updates` applied (links to CSV,
        exports, next pages)."""
        values: dict[str, Any] = {}
        chosen = getattr(g, "console_period", None)
        if chosen is not None:
            values.update({"from": chosen.first.isoformat(), "to": chosen.last.isoformat()})
        for update in updates:
            values.update(update)
        return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})
    return {"query_with": query_with}
