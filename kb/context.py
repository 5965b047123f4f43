"""The running knowledge base: paths plus the services built from them, created lazily.

The command line and the web app both start from a `Context`, so they share one way of
finding the guides, the index and the database, and build nothing they do not use.
"""

from __future__ import annotations

from functools import cached_property

from kb import guides as guides_mod
from kb.config import Paths
from kb.gaps import GapLog
from kb.guides import Guide, KnowledgeBase
from kb.search import SearchResponse, SearchService
from kb.storage import Database


class Context:
    def __init__(self, paths: Paths | None = None):
        self.paths = paths or Paths.resolve()

    @cached_property
    def database(self) -> Database:
        return Database(self.paths.database)

    @cached_property
    def gaps(self) -> GapLog:
        return GapLog(self.database)

    @cached_property
    def search(self) -> SearchService:
        return SearchService(self.paths, procedure_for=procedure_for, on_gap=self._log_gap)

    def knowledge_base(self) -> KnowledgeBase:
        return guides_mod.load(self.paths.guides)

    def _log_gap(self, response: SearchResponse, source: str = "search") -> None:
        top = response.results[0].slug if response.results else None
        self.gaps.record(response.query, source, top)


def procedure_for(guide: Guide) -> str | None:
    """The id of the procedure compiled from a guide, when the guide has steps."""
    return None
