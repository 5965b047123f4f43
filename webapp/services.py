"""Access to the app's settings and core services from inside a request."""

from __future__ import annotations

from flask import current_app

from kb.content.catalog import Catalog
from kb.context import Context
from kb.settings import Settings


def context() -> Context:
    return current_app.extensions["kb.context"]


def settings() -> Settings:
    return current_app.extensions["kb.settings"]


def catalog() -> Catalog:
    """The guides, loaded once per process and reloaded when a file changes."""
    return context().catalog

