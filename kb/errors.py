"""Exceptions raised by the knowledge-base core, one class per situation."""

from __future__ import annotations

from procedures.source.problems import Problem

__all__ = ["ConversationConflict", "ConversationNotFound", "GuideNotFound", "ImportFailure",
           "KBError", "Problem", "RunNotFound", "SearchIndexError", "StorageUnavailable",
           "UnknownAccount"]


class KBError(Exception):
    """Base class of every error the core raises on purpose."""


class GuideNotFound(KBError):
    """Raised when a slug names no guide in the knowledge base."""

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(f"no guide with the slug {slug!r}")


class SearchIndexError(KBError):
    """Raised when the search index cannot be opened or built."""


class ImportFailure(KBError):
    """Raised when a help article cannot be read or converted into a guide."""


class UnknownAccount(KBError):
    """Raised when a demo account name does not exist."""


class RunNotFound(KBError):
    """Raised when a run id is unknown or its token does not match (the same answer for
    both, so a token cannot be guessed by probing)."""


class ConversationNotFound(KBError):
    """Raised when a conversation id is unknown or its token does not match."""


class ConversationConflict(KBError):
    """Raised when a conversation was saved by someone else since it was loaded."""


class StorageUnavailable(KBError):
    """Raised when the data folder cannot be written (full, or read-only), so something
    a person is waiting for cannot be saved; nothing was changed."""
