"""The running knowledge base: the settings plus the services built from them, lazily.

The command line and the web app both start from a `Context` made from one
`kb.settings.Settings`, so they share one way of finding the guides, the overlays, the
index and the database, act for the same default account, and build nothing they do not
use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from kb.analytics.gaps import GapLog
from kb.analytics.popularity import Popularity
from kb.analytics.questions import QuestionLog, RecordedSearchService, record_response
from kb.chat.examples import example_questions
from kb.content.catalog import Catalog
from kb.content.guides import Guide, KnowledgeBase
from kb.search.live import SearchService
from kb.search.responses import SearchResponse
from kb.settings import Settings
from kb.store.database import Database
from kb.store.engine import database_url

if TYPE_CHECKING:
    from kb.chat.reference import Ideas
    from kb.chat.service import ChatService
    from kb.runs.service import GuidedService
    from kb.runs.store import RunStore
    from kb.support.desk import SupportDesk
    from procedures.backend import MockBackend
    from procedures.library import Library
    from procedures.model import Procedure

ACCOUNTS_FILE = "accounts.sqlite3"
# Page views are counted in memory and written once a second at most (see Popularity).
VIEWS_FLUSH_SECONDS = 1.0
CHAT_RESULTS = 5
"""Guides the chat's search returns (its own and the unlogged one share cached answers)."""
EXAMPLE_SOURCES = 10
"""The most viewed guides whose titles are tried first for example questions."""


class Context:
    """Services are built on first use, and the procedure packages imported then, so a
    plain `kb search` does not pay for the account backend or the compiler."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings if settings is not None else Settings()

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the database (KB_DATABASE_URL, or the SQLite file)."""
        return database_url(self.settings.database_url, self.settings.database)

    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_url or self.settings.database)

    @cached_property
    def gaps(self) -> GapLog:
        return GapLog(self.database, flush_seconds=VIEWS_FLUSH_SECONDS)

    @cached_property
    def popularity(self) -> Popularity:
        """Guide views and votes. Views are counted in memory and written once a second
        at most, so page views do not queue for the database's write lock."""
        return Popularity(self.database, flush_seconds=VIEWS_FLUSH_SECONDS)

    @cached_property
    def questions(self) -> QuestionLog:
        """Every question asked and the results opened (for the owner's console)."""
        return QuestionLog(self.database, flush_seconds=VIEWS_FLUSH_SECONDS)

    @cached_property
    def search(self) -> SearchService:
        return RecordedSearchService(self.settings, procedure_for=self.procedure_for,
                                     on_gap=self._log_gap, questions=self.questions)

    @cached_property
    def support(self) -> SupportDesk:
        """Hand-off tickets, their outbox and their delivery channels."""
        from kb.support.desk import SupportDesk

        return SupportDesk(self.settings, self.database)

    @cached_property
    def library(self) -> Library:
        from procedures.library import Library

        return Library(self.settings.guides, self.settings.overlays)

    @cached_property
    def backend(self) -> MockBackend:
        """The mocked account backend: in its own SQLite file beside the knowledge base's,
        or in the knowledge base's PostgreSQL database (tables of its own), so that every
        server sees the same accounts and payouts."""
        from procedures.backend import MockBackend

        if not self.database.is_sqlite:
            return MockBackend(self.settings.database_url)
        return MockBackend(self.settings.data / ACCOUNTS_FILE)

    @cached_property
    def runs(self) -> RunStore:
        from kb.runs.store import RunStore

        return RunStore(self.database, funnel_flush_seconds=VIEWS_FLUSH_SECONDS)

    @cached_property
    def guided(self) -> GuidedService:
        from kb.runs.service import GuidedService

        return GuidedService(self.library, self.runs, self.backend)

    @cached_property
    def chat(self) -> ChatService:
        from kb.chat.conversations import ConversationStore
        from kb.chat.engine import SupportContact
        from kb.chat.followups import Followups
        from kb.chat.service import ChatService
        from kb.support.handoff import HandoffChatEngine

        # The suggestions are prepared with each new build, like the index itself.
        followups = Followups(self.search.searcher)
        self.search.on_open.append(followups.prepare)
        engine = HandoffChatEngine(
            # The searcher itself: the chat logs its own unanswered questions.
            search=self._chat_search, guided=self.guided,
            on_gap=lambda text: self.gaps.record(text, "chat"), desk=self.support,
            contact=SupportContact(self.settings.support_email, self.settings.support_phone,
                                   self.settings.support_hours),
            followups=followups, on_vote=self.popularity.record_feedback,
            peek=lambda text: self.search.searcher().search(text, limit=CHAT_RESULTS),
            understand=self._ideas, tasks=self._tasks, examples=self.example_questions,
            answer_in=lambda text, slug: self.search.searcher().answer_in(text, slug))
        accounts = [a.name for a in self.backend.list_accounts()]
        return ChatService(ConversationStore(self.database), engine, accounts,
                           default_account=self.settings.default_account)

    def procedure_for(self, guide: Guide) -> str | None:
        """The id of the procedure compiled from a guide, or None if it cannot compile or
        has nothing to go through (`Procedure.actionable`)."""
        from procedures.errors import UnknownProcedure

        try:
            procedure = self.library.get(guide.slug)
        except UnknownProcedure:
            return None
        return procedure.id if procedure.actionable else None

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.settings.guides)

    def knowledge_base(self) -> KnowledgeBase:
        """The guides as they are now (loaded once, reloaded when a file changed)."""
        return self.catalog.knowledge_base()

    def example_questions(self, limit: int = 2,
                          viewed: Sequence[str] | None = None) -> list[str]:
        """Questions to show as examples, made from this help center's guides
        (`kb.chat.examples`): the most viewed guides first (`viewed`, slugs, when the
        caller has read them already), then the shortest titles."""
        guides = self.knowledge_base().guides
        if viewed is None:
            viewed = [v.slug for v in self.popularity.most_viewed(limit=EXAMPLE_SOURCES)]
        titles = sorted((g.title for g in guides.values()), key=lambda t: (len(t), t))
        return example_questions([*(guides[s].title for s in viewed if s in guides), *titles],
                                 limit)

    def example_procedure(self) -> str | None:
        """A procedure of this help center to show as an example: one with a do-it-for-me
        flow, else the first guide that has steps to go through."""
        assisted = self.guided.assisted()
        if assisted:
            return assisted[0].id
        return next((found for guide in self.knowledge_base()
                     if (found := self.procedure_for(guide))), None)

    def _tasks(self) -> list[Procedure]:
        """The procedures with a do-it-for-me flow, the guides viewed most first (then by
        title): what "what can you do?" offers."""
        viewed = {v.slug: v.views for v in self.popularity.most_viewed(limit=100)}
        return sorted(self.guided.assisted(), key=lambda p: (-viewed.get(p.id, 0), p.title))

    def _ideas(self, text: str) -> Ideas:
        """A message's ideas as search reads them: each the ways of saying it, as stems."""
        return self.search.searcher().ideas(text)

    def _chat_search(self, text: str) -> SearchResponse:
        response = self.search.searcher().search(text, limit=CHAT_RESULTS)
        record_response(self.questions, response, "chat")
        return response

    def _log_gap(self, response: SearchResponse, source: str = "search") -> None:
        top = response.results[0].slug if response.results else None
        self.gaps.record(response.query, source, top)
