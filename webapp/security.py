"""Security basics: CSRF protection on every form, the usual response headers, HTTPS, and
the site's own address.

The JSON API is exempt from CSRF: it is reached with a bearer token in the Authorization
header, which a cross-site form cannot send. Pages get a strict Content-Security-Policy
(scripts and styles from this origin only, no inline script).

Absolute URLs (the widget snippet, a host page's policy) are built from `KB_PUBLIC_URL`,
or, without it, from the request's Host only when that host is trusted
(`KB_TRUSTED_HOSTS`, or a loopback name in demo mode): a forged Host header is refused,
never reflected. Behind HTTPS (an `https://` public URL, or a trusted proxy saying the
visitor used HTTPS) the session cookie is `Secure` and HSTS is sent.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import services

csrf = CSRFProtect()
log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
       "frame-ancestors 'self'")
HSTS = "max-age=31536000"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class UntrustedHost(BadRequest):
    """Raised when an absolute URL is needed and the request's Host is not trusted."""

    description = "This help center does not answer at this address."


class SessionInterface(SecureCookieSessionInterface):
    """The signed session cookie, `Secure` whenever the visitor came over HTTPS."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        # No cookie, nothing to verify: the API's callers and first visits skip building
        # the signing serializer (a session used later in the request still works).
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def public_base() -> str:
    """This site's origin (`https://help.example.com`), from `KB_PUBLIC_URL`, else from a
    trusted request Host; `UntrustedHost` (400) otherwise."""
    settings = services.settings()
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = (urlsplit("//" + request.host).hostname or "").lower()
    trusted = {h.lower() for h in settings.trusted_hosts}
    if host in trusted or (settings.mode == "demo" and host in LOOPBACK_HOSTS):
        return request.host_url.rstrip("/")
    log.warning("refused to build a URL on the untrusted host %r: set KB_PUBLIC_URL or "
                "add it to KB_TRUSTED_HOSTS", host[:100])
    raise UntrustedHost()


def absolute(path: str) -> str:
    """`path` (from `url_for`) as an absolute URL on this site's public address."""
    return public_base() + path


def https() -> bool:
    """Whether this visitor reached the site over HTTPS, as far as can be trusted."""
    return request.is_secure or services.settings().public_url.startswith("https://")


def init_app(app: Flask, *, trusted_proxies: int = 0) -> None:
    csrf.init_app(app)
    app.session_interface = SessionInterface()
    if app.extensions["kb.settings"].public_url.startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    if trusted_proxies:
        # Only when configured: otherwise anyone could claim any address or scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies,  # type: ignore[method-assign]
                                x_proto=trusted_proxies)

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), "
                                                          "geolocation=()")
        if https():
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if not request.path.startswith(("/api/", "/static/widget")):
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
