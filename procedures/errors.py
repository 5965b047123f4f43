"""Exceptions of the procedures package, one class per situation.

Every class here derives from `ProcedureError`, so a caller can catch the package's own
refusals in one place. The account backend keeps its own hierarchy
(`procedures.backend.errors.BackendError`): its errors are answers of the account service,
routed by the engine, not failures of the procedure machinery.
"""

from __future__ import annotations

from procedures.source.problems import Problem


class ProcedureError(Exception):
    """Base class of every error the procedures package raises on purpose."""


class ProblemsError(ProcedureError):
    """Base class of the errors that carry located problems (`file:line: message`)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CompileError(ProblemsError):
    """Raised when a guide cannot be compiled into a procedure at all."""


class OverlayError(ProblemsError):
    """Raised when an overlay cannot be read or does not fit its guide."""


class UnknownProcedure(ProcedureError, LookupError):
    """Raised when no guide of that slug exists, or it cannot be compiled."""

    def __init__(self, slug: str, reason: str = ""):
        self.slug = slug
        super().__init__(f"no procedure '{slug}'" + (f": {reason}" if reason else ""))


class FieldError(ProcedureError, ValueError):
    """Raised when a value does not fit its field; the message is the reason."""


class EngineError(ProcedureError):
    """Base class of the errors the engine raises to its caller (never to the user)."""


class StaleRevision(EngineError):
    """Raised when an event carries a revision older than the run's: someone else moved
    the run on (another tab, another worker) and the event was meant for an older step."""


class VersionMismatch(EngineError):
    """Raised when a run is advanced with a procedure version other than its own."""
