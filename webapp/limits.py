"""Per-client rate limits (Flask-Limiter) on what costs the server or changes accounts:
searches, chat messages, guided-run events.

A client is its remote address (the forwarded one only behind a proxy `kb serve` was told
to trust), turned into a keyed hash before it is counted, so no address is ever stored,
in memory or in a shared Redis. Counters live where `KB_RATELIMIT_STORAGE` says:
`memory://` (one machine; each worker counts for itself) or `redis://host:6379` (shared;
needs the `redis` extra). A client over a limit gets 429 in the JSON error shape (a page
on the site) with `Retry-After`.

The limiter is on `app.extensions["kb.limiter"]`; another blueprint limits its own views
with `limit(app, endpoint, "5 per minute")` once it is registered.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits.errors import ConfigurationError

# Generous for a person (even several behind one office address), tight for a script:
# instant search asks at every keystroke.
SEARCH = "180 per minute"
MESSAGES = "60 per minute; 1000 per hour"
RUN_EVENTS = "120 per minute; 2000 per hour"
STARTS = "60 per minute"

LIMITS = {
    "api.search": SEARCH,
    "pages.search": SEARCH,
    "api.create_conversation": STARTS,
    "api.post_message": MESSAGES,
    "api.start_run": STARTS,
    "api.send_event": RUN_EVENTS,
    "wizard.start": STARTS,
    "wizard.act": RUN_EVENTS,
}


def client_key() -> str:
    """The client's address as a keyed hash: counted, never stored."""
    secret = current_app.config["SECRET_KEY"].encode()
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, b"ratelimit:" + address, hashlib.sha256).hexdigest()[:32]


class StorageNotUsable(Exception):
    """Raised at start when `KB_RATELIMIT_STORAGE` names a storage that cannot be used."""


def init_app(app: Flask, storage: str, *, enabled: bool = True) -> Limiter:
    limiter = Limiter(
        client_key, enabled=enabled, storage_uri=storage, headers_enabled=True,
        # A counter per window: the cheapest strategy, and a burst at a window's edge
        # (twice the limit at most) harms nothing here.
        strategy="fixed-window", key_prefix="kb", retry_after="delta-seconds",
        # Checked once, by `_check` below, and only on the views given a limit: the
        # others (guide pages, static files) pay nothing for the limiter.
        auto_check=False,
        # A shared storage that is down must not take the site down with it.
        swallow_errors=True, in_memory_fallback_enabled=True)
    try:
        limiter.init_app(app)
    except ConfigurationError as exc:
        # The library's message may quote the URL, and the URL may hold a password.
        reason = str(exc).replace(storage, without_password(storage))
        raise StorageNotUsable(
            f"KB_RATELIMIT_STORAGE cannot be used: {reason} (for redis://, install the redis "
            "extra: pip install 'kb-helpcenter[redis]')") from None
    app.extensions["kb.limiter"] = limiter
    limited: set[str] = app.extensions.setdefault("kb.limited", set())
    for endpoint, value in LIMITS.items():
        limit(app, endpoint, value)

    @app.before_request
    def _check() -> None:
        if request.endpoint in limited:
            limiter.check()

    return limiter


def without_password(url: str) -> str:
    """`url` with any user name and password left out, fit to be shown in a message."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(the configured URL)"
    return parts._replace(netloc=f"{host}{port}").geturl()


def limit(app: Flask, endpoint: str, value: str) -> None:
    """Put the limit `value` (e.g. "5 per minute") on a registered view."""
    limiter: Limiter = app.extensions["kb.limiter"]
    app.view_functions[endpoint] = limiter.limit(value)(app.view_functions[endpoint])
    app.extensions["kb.limited"].add(endpoint)
