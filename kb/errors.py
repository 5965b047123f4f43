"""Exceptions raised by the knowledge-base core, one class per situation."""

from __future__ import annotations

from procedures.source.problems import Problem

__all__ = ["ContentError", "GuideNotFound", "ImportFailure", "KBError", "Problem",
           "SearchIndexError"]


class KBError(Exception):
    """Base class of every error the core raises on purpose."""


class ContentError(KBError):
    """Raised when content files (guides, overlays) have problems; holds all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class GuideNotFound(KBError):
    """Raised when a slug names no guide in the knowledge base."""

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(f"no guide with the slug {slug!r}")


class SearchIndexError(KBError):
    """Raised when the search index cannot be opened or built."""


class ImportFailure(KBError):
    """Raised when a help article cannot be read or converted into a guide."""
