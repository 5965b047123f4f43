"""The Flask web app: help-center pages, the guided wizard, the JSON API and the widget.

`create_app` is the one place where settings, services, blueprints, security and error
handlers come together. Views stay thin: they parse the request, call one service of the
core (`kb.context.Context`), and render.
"""

from __future__ import annotations

from flask import Flask

from kb.context import Context
from kb.settings import Settings


def create_app(settings: Settings | None = None, *, testing: bool = False) -> Flask:
    """The app for `settings` (read from the environment when not given); `testing`
    lets exceptions reach the test client instead of the error pages."""
    settings = settings if settings is not None else Settings()
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

    from webapp import api, errors, pages, security, widget, wizard

    security.init_app(app)
    errors.init_app(app)
    for module in (pages, wizard, api, widget):
        app.register_blueprint(module.blueprint)
    # The API and the widget's chat are reached with bearer tokens, not cookies.
    security.csrf.exempt(api.blueprint)
    from webapp import admin

    admin.init_app(app)  # the owner's console, and the hand-off's pieces of the site
    return app
