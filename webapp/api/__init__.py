"""The JSON API v1 under `/api/v1`: search, guides, procedures and guided runs.

One blueprint (`webapp.api.blueprint`, CSRF-exempt in `create_app`) shared by small
modules, one resource each. A new resource, such as the conversations of the chat, is a
new module that decorates views on `blueprint` and is imported below; it then gets the
CORS headers, the error shape and the body checks of `base` without further wiring, and
`tests/test_openapi.py` fails until the route table of `webapp/openapi.py` lists it.
"""

from __future__ import annotations

# Each module registers its views on the blueprint when it is imported.
from webapp.api import attachments, content, conversations, cors, docs, runs, search  # noqa: F401
from webapp.api.base import blueprint

__all__ = ["blueprint"]
