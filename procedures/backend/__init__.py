"""The account backend the procedures act on: the AccountBackend Protocol, MockBackend
(its offline implementation in SQLite, with demo accounts), and the errors they raise.

Operations return pydantic views; `jsonable` turns any result (a view, a list of views,
a bool, a CSV string) into JSON-ready data, with money as strings such as "208.32".
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from procedures.backend.demo_users import DEMO_PASSWORD, EMERGENCY_CODES
from procedures.backend.errors import (
    BackendError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TemporarilyUnavailable,
)
from procedures.backend.mock import MockBackend
from procedures.backend.operation import OPERATIONS
from procedures.backend.protocol import AccountBackend


def jsonable(result: Any) -> Any:
    """An operation's result as plain JSON data (dicts, lists, strings, numbers)."""
    return to_jsonable_python(result)


__all__ = [
    "DEMO_PASSWORD",
    "EMERGENCY_CODES",
    "OPERATIONS",
    "AccountBackend",
    "BackendError",
    "Conflict",
    "InvalidInput",
    "MockBackend",
    "NotFound",
    "PermissionDenied",
    "TemporarilyUnavailable",
    "jsonable",
]
