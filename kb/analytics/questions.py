"""Every question asked (in the search box or the chat) and which result people opened.

The console's Searches and Overview pages read these: top questions, questions with no
answer, the share answered, and the results opened for a question. Writes are buffered
in memory and flushed at most once a second (like guide views), so a search does not
queue for the database's write lock; reading flushes first. No address or identity of the
asker is kept: only the words, where they were asked, and whether they were answered.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from kb.errors import StorageUnavailable
from kb.search.live import SearchService
from kb.search.responses import SearchResponse
from kb.search.text import words
from kb.store.batched import BufferedRows
from kb.store.database import Database
from kb.store.schema import questions, result_clicks

MAX_QUERY = 500
MAX_SLUG = 120


def normalize(query: str) -> str:
    return " ".join(words(query))[:300]


class QuestionLog:
    def __init__(self, db: Database, flush_seconds: float = 0.0):
        self.db = db
        self.rows = BufferedRows(db, questions, "questions", flush_seconds)

    def record(self, query: str, source: str, answered: bool, results: int = 0,
               top_slug: str | None = None) -> None:
        normalized = normalize(query)
        if normalized:
            self.rows.add({"query": query[:MAX_QUERY], "normalized": normalized,
                           "source": source, "answered": int(answered),
                           "results": int(results), "top_slug": top_slug,
                           "created_at": time.time()})

    def flush(self) -> None:
        self.rows.flush()

    def record_click(self, query: str, slug: str, rank: int) -> None:
        """A search result opened: which guide, at which position, for which question."""
        with contextlib.suppress(StorageUnavailable), self.db.transaction() as conn:
            conn.execute(result_clicks.insert().values(
                query=query[:MAX_QUERY], normalized=normalize(query), slug=slug[:MAX_SLUG],
                rank=max(0, min(int(rank), 1000)), created_at=time.time()))


class RecordedSearchService(SearchService):
    """The search service that also records each question asked (not the half-typed
    words of instant search, which does not log gaps either, nor later result pages)."""

    def __init__(self, *args: Any, questions: QuestionLog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions

    def search(self, query: str | bytes, *args: Any, **kwargs: Any) -> SearchResponse:
        response = super().search(query, *args, **kwargs)
        first_page = not kwargs.get("offset") and not args[1:2]
        if kwargs.get("log_gap", True) and first_page and response.query:
            record_response(self.questions, response, "search")
        return response


def record_response(log: QuestionLog, response: SearchResponse, source: str) -> None:
    top = response.results[0].slug if response.results else None
    log.record(response.query, source, response.confident and bool(response.results),
               len(response.results), top)
