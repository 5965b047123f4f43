"""The owner's console at `/admin`, and the hand-off pieces of the customer site.

`init_app` checks the delivery settings (a malformed `KB_SMTP_URL` or `KB_WEBHOOK_URL`
stops the app at start, by name), registers the console, the wizard's "Talk to a
person" form handler and the search-result click counter, and starts the outbox retry
loop in each server process on its first request.
"""

from __future__ import annotations

from flask import Flask

from kb.support.channels import check_settings
from webapp import services


def init_app(app: Flask) -> None:
    from webapp.admin import auth, clicks, handoff, pages, tickets  # noqa: F401 - routes
    from webapp.admin.base import blueprint
    from webapp.security import csrf

    check_settings(app.extensions["kb.settings"])
    app.register_blueprint(blueprint)
    app.register_blueprint(handoff.blueprint)
    app.register_blueprint(clicks.blueprint)
    # A click is reported with navigator.sendBeacon, which cannot carry a CSRF token;
    # it only adds one count, so a forged one is harmless.
    csrf.exempt(clicks.blueprint)

    @app.before_request
    def retry_outbox() -> None:
        # Per process: `kb serve` forks workers after the app is built.
        services.context().support.start_retry_loop()
