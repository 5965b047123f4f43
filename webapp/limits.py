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

Flask-Limiter reads the storage URL and opens the storage (refusing an unusable one at
start); each request is counted by `Checks`, which calls the storage's fixed-window
strategy from the `limits` library directly with limits parsed once. Flask-Limiter's own
per-request path (resolving an endpoint's limits again, its request context, headers on
every answer) cost more than the counting itself: about 0.06 ms on every search.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from webapp import limit_counters

# Generous for a person (even several behind one office address), tight for a script:
# instant search asks at every keystroke.
SEARCH = "180 per minute"
MESSAGES = "60 per minute; 1000 per hour"
RUN_EVENTS = "120 per minute; 2000 per hour"
STARTS = "60 per minute"
PREFIX = "kb"
# After a shared storage failed, it is tried again this long after.
RETRY_STORAGE_SECONDS = 30

log = logging.getLogger(__name__)

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


class Checks:
    """The per-request check: each limited endpoint's limits, parsed once, counted with
    the configured storage's fixed-window strategy; while a shared storage fails, in
    this process's memory (`fallback`) and tried again `RETRY_STORAGE_SECONDS` later."""

    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.rules: dict[str, list[RateLimitItem]] = {}
        # While the shared storage fails, clients are counted in this process.
        self.fallback = FixedWindowRateLimiter(limit_counters.WindowCounters())
        self.failing_until = 0.0

    def check(self, endpoint: str) -> None:
        """Count one request on `endpoint`; `TooManyRequests` with Retry-After past a limit."""
        key = client_key()
        strategy = self.fallback if time.monotonic() < self.failing_until else None
        for item in self.rules[endpoint]:
            try:
                allowed = (strategy or self.limiter.limiter).hit(item, PREFIX, key, endpoint)
            except Exception:  # any error of the storage: count in memory instead
                # A shared storage that is down must not take the site down with it.
                log.warning("rate-limit storage unreachable; counting in memory for %d s",
                            RETRY_STORAGE_SECONDS, exc_info=True)
                self.failing_until = time.monotonic() + RETRY_STORAGE_SECONDS
                strategy = self.fallback
                allowed = strategy.hit(item, PREFIX, key, endpoint)
            if not allowed:
                raise TooManyRequests(retry_after=self._retry_after(strategy, item, key,
                                                                    endpoint))

    def _retry_after(self, strategy: FixedWindowRateLimiter | None, item: RateLimitItem,
                     key: str, endpoint: str) -> int:
        """Seconds until the client's window ends (the whole window if unknown)."""
        try:
            reset = (strategy or self.limiter.limiter).get_window_stats(
                item, PREFIX, key, endpoint).reset_time
        except Exception:  # the storage failing just now: the longest wait is safe
            return item.get_expiry()
        return max(1, math.ceil(reset - time.time()))


def init_app(app: Flask, storage: str, *, enabled: bool = True) -> Limiter:
    limiter = Limiter(
        client_key, enabled=enabled, storage_uri=counters_uri(storage),
        # No X-RateLimit-* headers on every answer: nothing relies on them, and a refused
        # request says when to come back with Retry-After.
        headers_enabled=False,
        # A counter per window: the cheapest strategy, and a burst at a window's edge
        # (twice the limit at most) harms nothing here.
        strategy="fixed-window", key_prefix=PREFIX,
        # Checked by `Checks` below, and only on the views given a limit: the others
        # (guide pages, static files) pay nothing for the limiter.
        auto_check=False)
    try:
        limiter.init_app(app)
    except ConfigurationError as exc:
        # The library's message may quote the URL, and the URL may hold a password.
        reason = str(exc).replace(storage, without_password(storage))
        raise StorageNotUsable(
            f"KB_RATELIMIT_STORAGE cannot be used: {reason} (for redis://, install the redis "
            "extra: pip install 'kb-helpcenter[redis]')") from None
    _without_per_request_hooks(app, limiter)
    app.extensions["kb.limiter"] = limiter
    checks = app.extensions["kb.limit_checks"] = Checks(limiter)
    for endpoint, value in LIMITS.items():
        limit(app, endpoint, value)
    if enabled:
        rules = checks.rules

        @app.before_request
        def _check() -> None:
            if request.endpoint in rules:
                checks.check(request.endpoint)

    return limiter


def _without_per_request_hooks(app: Flask, limiter: Limiter) -> None:
    """Take out the hooks Flask-Limiter adds to every request (its headers after each
    answer, its request context torn down): with nothing decorated and headers off they
    find nothing to do, at a cost on every page; `Checks` does the counting."""
    def own(hook: object) -> bool:
        return (getattr(hook, "__self__", None) is limiter
                or any(arg is limiter for arg in getattr(hook, "args", ())))

    for hooks in (app.after_request_funcs, app.teardown_request_funcs):
        hooks[None] = [hook for hook in hooks.get(None, []) if not own(hook)]


def counters_uri(storage: str) -> str:
    """The storage URL given to the limiter: this process's memory is counted by
    `webapp.limit_counters` (no timer thread), any other storage as configured."""
    if urlsplit(storage).scheme == "memory":
        return f"{limit_counters.SCHEME}://"
    return storage


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
    if endpoint not in app.view_functions:
        raise KeyError(f"no view {endpoint!r} to limit")
    checks: Checks = app.extensions["kb.limit_checks"]
    checks.rules[endpoint] = parse_many(value)
