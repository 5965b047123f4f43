"""Access to the app's settings and core services from inside a request."""

from __future__ import annotations

from flask import current_app

from kb.analytics.popularity import Popularity
from kb.content.catalog import Catalog
from kb.context import Context
from kb.settings import Settings

# Page views are counted in memory and written once a second at most (see Popularity).
VIEWS_FLUSH_SECONDS = 1.0


def context() -> Context:
    return current_app.extensions["kb.context"]


def settings() -> Settings:
    return current_app.extensions["kb.settings"]


def catalog() -> Catalog:
    """The guides, loaded once per process and reloaded when a file changes."""
    return context().catalog


def popularity() -> Popularity:
    """Guide views and votes. Views are counted in memory and written once a second at
    most, so page views do not queue for the database's write lock."""
    found: Popularity | None = current_app.extensions.get("kb.popularity")
    if found is None or found.db is not context().database:
        found = current_app.extensions["kb.popularity"] = Popularity(
            context().database, flush_seconds=VIEWS_FLUSH_SECONDS)
    return found
