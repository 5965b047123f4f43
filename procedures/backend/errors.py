"""Errors the account backend raises, one class per kind of refusal.

A procedure turns these into what the user reads, so every message is written for that
person: it names the field or the record and says what would be accepted. `kind` is a
stable machine name the engine and the web API can switch on without importing classes.
"""

from __future__ import annotations


class BackendError(Exception):
    """Base class of every error the account backend raises on purpose."""

    kind: str = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(BackendError):
    """Raised when the acting account lacks the right to do what it asked."""

    kind = "permission_denied"


class NotFound(BackendError):
    """Raised when an account, client, invitation, product, tag or credential does not exist."""

    kind = "not_found"


class InvalidInput(BackendError):
    """Raised when an argument is malformed or out of range; `field` names the argument."""

    kind = "invalid"

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


class TemporarilyUnavailable(BackendError):
    """Raised when the backend cannot answer right now; the same call may succeed later."""

    kind = "unavailable"

    def __init__(self, operation: str):
        super().__init__(f"the account service is temporarily unavailable ({operation}); "
                         "nothing was changed, please try again in a moment")
        self.operation = operation


class Conflict(BackendError):
    """Raised when a request clashes with the current state: a duplicate, a too small
    balance, an invitation already answered, password checks locked after wrong attempts."""

    kind = "conflict"
