"""The visitor's session: who they act as, and the tokens of their runs.

The signed session cookie carries only an opaque, random visitor id (plus the demo account
chosen, or the account of a verified identity and when it expires): the run tokens stay on
the server, in the `visitor_runs` table, so reading the cookie reveals none, while
reopening `/runs/<id>` in the same browser still resumes the run after a restart.

In production mode a visitor acts on an account only after the host site has vouched for
them: it posts the same identity token the widget uses to `/session/identity` (or with the
wizard's start form); the verified account is kept in the session until the token expires.
The demo account pages are a demo feature and answer 404 in production.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from sqlalchemy import delete, insert, select

from kb.identity import IdentityRefused, verify
from kb.store.schema import visitor_runs
from procedures.backend.accounts import AccountSummary
from webapp import services

MAX_REMEMBERED_RUNS = 20
DEMO_ONLY = frozenset({"pages.account", "pages.switch_account", "pages.reset_account"})

blueprint = Blueprint("visitor", __name__)


def demo_accounts() -> list[AccountSummary]:
    """The demo accounts of the mocked backend, as they are now."""
    return list(services.context().backend.list_accounts())


def account_names() -> list[str]:
    """The names of the demo accounts: seeded once and never renamed, so read once."""
    names: list[str] | None = current_app.extensions.get("kb.account_names")
    if names is None:
        names = current_app.extensions["kb.account_names"] = [
            a.name for a in demo_accounts()]
    return names


def production() -> bool:
    return services.settings().mode == "production"


def current_account() -> str:
    """The account this browser acts as. Demo: its choice, else the configured default.
    Production: the verified identity's account while it lasts, else "" (nobody)."""
    if production():
        account, until = session.get("identity"), session.get("identity_until")
        if isinstance(account, str) and isinstance(until, int) and until > time.time():
            return account
        return ""
    chosen = session.get("account")
    if isinstance(chosen, str) and chosen in account_names():
        return chosen
    return services.settings().default_account


def account_for_new_run() -> str:
    """The account a run started from a page acts on: a token sent with the form is
    verified first; in production, no verified identity is a 401 page."""
    token = request.form.get("identity")
    if token:
        _establish(token)
    account = current_account()
    if not account:
        abort(401)
    return account


def _establish(token: str) -> None:
    try:
        identity = verify(token, services.settings().identity_secret)
    except IdentityRefused:
        abort(401)
    session["identity"], session["identity_until"] = identity.account, identity.expires


def _visitor() -> str:
    visitor = session.get("visitor")
    if not isinstance(visitor, str):
        visitor = session["visitor"] = secrets.token_urlsafe(24)
    return visitor


def remember_run(run_id: str, token: str) -> None:
    database = services.context().database
    visitor = _visitor()
    mine = visitor_runs.c.visitor == visitor
    with database.transaction() as conn:
        conn.execute(delete(visitor_runs).where(mine, visitor_runs.c.run_id == run_id))
        conn.execute(insert(visitor_runs).values(visitor=visitor, run_id=run_id, token=token,
                                                 at=time.time()))
        # Keep the most recent runs only, as the cookie used to.
        recent = (select(visitor_runs.c.run_id).where(mine)
                  .order_by(visitor_runs.c.at.desc()).limit(MAX_REMEMBERED_RUNS))
        conn.execute(delete(visitor_runs).where(
            mine, visitor_runs.c.run_id.not_in(recent.scalar_subquery())))


def run_token(run_id: str) -> str | None:
    visitor = session.get("visitor")
    if not isinstance(visitor, str):
        return None
    row = services.context().database.first(
        select(visitor_runs.c.token).where(visitor_runs.c.visitor == visitor,
                                           visitor_runs.c.run_id == run_id))
    return row[0] if row else None


def remembered_runs() -> list[str]:
    """The ids of this visitor's runs, most recent first."""
    visitor = session.get("visitor")
    if not isinstance(visitor, str):
        return []
    rows = services.context().database.rows(
        select(visitor_runs.c.run_id).where(visitor_runs.c.visitor == visitor)
        .order_by(visitor_runs.c.at.desc()).limit(MAX_REMEMBERED_RUNS))
    return [row[0] for row in rows]


def local_url(target: str | None, default: str) -> str:
    """`target` if it is a path on this site (never another host), else `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


@blueprint.post("/session/identity")
def identify():
    """Sign a visitor in with the host site's identity token (form field `identity`),
    then send them on to `next` (a path on this site). The token is its own proof, so
    the host site's form posts here without this site's CSRF token."""
    _establish(request.form.get("identity", ""))
    return redirect(local_url(request.form.get("next"), url_for("pages.home")), 303)


@blueprint.before_app_request
def demo_pages_only_in_demo():
    if request.endpoint in DEMO_ONLY and production():
        abort(404)


@blueprint.app_context_processor
def mode_globals() -> dict[str, bool]:
    # Templates hide the demo account switcher in production.
    return {"demo_mode": services.settings().mode == "demo"}
