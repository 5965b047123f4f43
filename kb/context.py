"""The running knowledge base: paths plus the services built from them, created lazily.

The command line and the web app both start from a `Context`, so they share one way of
finding the guides, the index and the database, and build nothing they do not use.
"""

from __future__ import annotations

from functools import cached_property

from kb.analytics.gaps import GapLog
from kb.config import Paths
from kb.content import guides as guides_mod
from kb.content.guides import Guide, KnowledgeBase
from kb.search.service import SearchResponse, SearchService
from kb.store.database import Database

ACCOUNTS_FILE = "accounts.sqlite3"


class Context:
    """Services are built on first use, and the procedure packages imported then, so a
    plain `kb search` does not pay for the account backend or the compiler."""

    def __init__(self, paths: Paths | None = None, default_account: str = "legal-rep"):
        self.paths = paths or Paths.resolve()
        self.default_account = default_account

    @cached_property
    def database(self) -> Database:
        return Database(self.paths.database)

    @cached_property
    def gaps(self) -> GapLog:
        return GapLog(self.database)

    @cached_property
    def search(self) -> SearchService:
        return SearchService(self.paths, procedure_for=self.procedure_for,
                             on_gap=self._log_gap)

    @cached_property
    def library(self):
        from procedures.library import Library

        return Library(self.paths.guides)

    @cached_property
    def backend(self):
        """The mocked account backend, persisted beside the knowledge-base database."""
        from procedures.backend import MockBackend

        return MockBackend(self.paths.data / ACCOUNTS_FILE)

    @cached_property
    def runs(self):
        from kb.runs.store import RunStore

        return RunStore(self.database)

    @cached_property
    def guided(self):
        from kb.runs.service import GuidedService

        return GuidedService(self.library, self.runs, self.backend)

    @cached_property
    def chat(self):
        from kb.chat.conversations import ConversationStore
        from kb.chat.engine import ChatEngine
        from kb.chat.service import ChatService

        engine = ChatEngine(
            # The searcher itself: the chat logs its own unanswered questions.
            search=lambda text: self.search.searcher().search(text, limit=5),
            guided=self.guided, on_gap=lambda text: self.gaps.record(text, "chat"))
        accounts = [a.name for a in self.backend.list_accounts()]
        return ChatService(ConversationStore(self.database), engine, accounts,
                           default_account=self.default_account)

    def procedure_for(self, guide: Guide) -> str | None:
        """The id of the procedure compiled from a guide, or None if it cannot compile."""
        from procedures.errors import UnknownProcedure

        try:
            return self.library.get(guide.slug).id
        except UnknownProcedure:
            return None

    def knowledge_base(self) -> KnowledgeBase:
        return guides_mod.load(self.paths.guides)

    def _log_gap(self, response: SearchResponse, source: str = "search") -> None:
        top = response.results[0].slug if response.results else None
        self.gaps.record(response.query, source, top)
