"""Problems in content files, located by file and line.

Every reader of the guide format (front matter, guides, overlays, the synonym table,
scenarios) reports what is wrong as `Problem` objects, printed as `file:line: message`:
collected, sorted, and shown together, never parsed back out of strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file, reported as `file:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SourceError(ValueError):
    """Base class of the errors raised while reading a content file; `line` is where."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)
