"""The visitor's session: their demo account and the tokens of their runs.

Both live in the signed session cookie, so a token never appears in a URL and reopening
`/runs/<id>` in the same browser resumes the run, even after a server restart.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, session

from procedures.backend.accounts import AccountSummary
from webapp import services

MAX_REMEMBERED_RUNS = 20

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


def current_account() -> str:
    """The demo account this browser acts as: its choice, else the configured default."""
    chosen = session.get("account")
    if isinstance(chosen, str) and chosen in account_names():
        return chosen
    return services.settings().default_account


def remember_run(run_id: str, token: str) -> None:
    runs = dict(session.get("runs") or {})
    runs.pop(run_id, None)
    runs[run_id] = token
    # The session is a cookie: keep the most recent runs only.
    session["runs"] = dict(list(runs.items())[-MAX_REMEMBERED_RUNS:])


def run_token(run_id: str) -> str | None:
    runs = session.get("runs")
    token = runs.get(run_id) if isinstance(runs, dict) else None
    return token if isinstance(token, str) else None


def remembered_runs() -> list[str]:
    runs = session.get("runs")
    return list(runs)[::-1] if isinstance(runs, dict) else []


def local_url(target: str | None, default: str) -> str:
    """`target` if it is a path on this site (never another host), else `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target
