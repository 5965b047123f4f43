"""The Flask web app: help-center pages, the guided wizard, the JSON API and the widget.

`create_app` is the one place where settings, services, blueprints, security and error
handlers come together. Views stay thin: they parse the request, call one service of the
core (`kb.context.Context`), and render.
"""

from __future__ import annotations

from flask import Flask

from kb.context import Context
from kb.identity import check_settings
from kb.settings import Settings


def create_app(settings: Settings | None = None, *, testing: bool = False,
               trusted_proxies: int = 0, rate_limits: bool | None = None) -> Flask:
    """The app for `settings` (read from the environment when not given); `testing`
    lets exceptions reach the test client instead of the error pages; behind
    `trusted_proxies` proxies, the client's address and scheme are the forwarded ones.
    Rate limits are on unless `rate_limits` is False (by default, when `testing`: a
    test suite sends hundreds of requests from one address in a minute).
    A production configuration that could not verify identities refuses to start."""
    settings = settings if settings is not None else Settings()
    check_settings(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.resolved_secret(),
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TESTING=testing,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.extensions["kb.settings"] = settings
    app.extensions["kb.context"] = Context(settings)

    from webapp import api, errors, limits, pages, security, widget, wizard
    from webapp import session as visitor

    security.init_app(app, trusted_proxies=trusted_proxies)
    errors.init_app(app)
    for module in (pages, wizard, api, widget, visitor):
        app.register_blueprint(module.blueprint)
    # The API and the widget's chat are reached with bearer tokens, not cookies; the
    # identity sign-in carries a token signed by the host site, its own proof.
    security.csrf.exempt(api.blueprint)
    security.csrf.exempt(visitor.identify)
    # Before the console: its sign-in view is limited with `webapp.limits.limit`.
    limits.init_app(app, settings.ratelimit_storage,
                    enabled=not testing if rate_limits is None else rate_limits)
    from webapp import admin

    admin.init_app(app)  # the owner's console, and the hand-off's pieces of the site
    return app
