"""The search service of a running process: the searcher of the current index build,
rebuilt and reopened when the guides change, and unanswered questions handed on."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from kb.search import index, indexing
from kb.search.index_reader import IndexReader
from kb.search.responses import SearchResponse
from kb.search.service import Searcher
from kb.search.synonyms import OWN_FILE, Synonyms, for_help_center
from kb.search.watch import FolderWatch
from kb.settings import Settings
from procedures.source.files import file_stamp


class SearchService:
    """A Searcher that follows the guides folder: rebuilds and reopens when it changes.

    A background watch (`kb.search.watch`) counts changes under the folder, through file
    notifications or, where there are none, a scan every `refresh_seconds` in its own
    thread; a query only compares that count with the last one acted on. After a change
    the guides are fingerprinted (one `stat` per file) and the index rebuilt if they
    really differ. The watch starts with the first query of each process, so each forked
    server worker has its own. `refresh_seconds=0` checks the files on every query
    instead, without a thread (for tests that change guides and search at once).
    """

    def __init__(self, settings: Settings, procedure_for: indexing.ProcedureFinder | None = None,
                 synonyms: Synonyms | None = None, refresh_seconds: float = 2.0,
                 on_gap: Callable[[SearchResponse], None] | None = None,
                 notifications: bool = True):
        self.settings = settings
        # Given: used as it is. Else the shipped table and the help center's own file,
        # read again when that file changes (`_own_synonyms_changed`).
        self._fixed_synonyms = synonyms is not None
        self._own_stamp = file_stamp(settings.guides / OWN_FILE)
        self.synonyms = synonyms or for_help_center(index.stems, settings.guides)
        self.procedure_for = procedure_for or (lambda guide: None)
        self.refresh_seconds = refresh_seconds
        self.notifications = notifications
        self.on_gap = on_gap
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._build: Path | None = None
        self._checked = 0.0
        self._watch: FolderWatch | None = None
        self._seen = -1  # the watch's change count when the guides were last checked
        # Called with each newly opened build's searcher, before it answers: work done
        # once per build by its users (the chat's follow-up suggestions).
        self.on_open: list[Callable[[Searcher], object]] = []

    @property
    def watch_mode(self) -> str:
        """How changes are noticed in this process: "notifications", "polling" (a scan
        in the background), or "on request" (a timed check when a query comes)."""
        watch = self._watch
        return watch.mode if watch is not None and watch.alive else "on request"

    def _fresh(self) -> bool:
        """Whether the open searcher may be used as is (no file system access)."""
        if self._searcher is None:
            return False
        watch = self._watch
        if watch is not None and watch.alive:
            return watch.generation == self._seen
        if watch is not None and watch.pid != os.getpid():
            return False  # a forked child: it starts its own watch now
        return (self.refresh_seconds > 0
                and time.monotonic() - self._checked < self.refresh_seconds)

    def _start_watch(self) -> FolderWatch | None:
        """This process's watch, started on first use (after a fork, anew)."""
        watch = self._watch
        if watch is not None and (watch.alive or watch.pid == os.getpid()):
            return watch if watch.alive else None
        watch = self._watch = FolderWatch(self.settings.guides, self.refresh_seconds,
                                          self.notifications)
        try:
            watch.start()
        except OSError:
            return None  # no folder to watch: checked by time, on request
        # Stopped when this service is collected (tests build many; a server one).
        weakref.finalize(self, watch.stop)
        return watch

    def searcher(self) -> Searcher:
        if self._fresh():
            return self._searcher  # type: ignore[return-value]
        with self._lock:
            if not self._fresh():
                watch = self._start_watch() if self.refresh_seconds > 0 else None
                # Read before checking: a change during the check is checked again.
                seen = watch.generation if watch is not None else -1
                if self._own_synonyms_changed():
                    self.synonyms = for_help_center(index.stems, self.settings.guides)
                build = indexing.ensure_index(self.settings.index_root, self.settings.guides,
                                              self.synonyms, self.procedure_for)
                if build != self._build:
                    old = self._searcher
                    searcher = Searcher(IndexReader(build), self.synonyms)
                    for prepare in self.on_open:
                        prepare(searcher)
                    self._searcher = searcher
                    self._build = build
                    if old is not None:
                        old.reader.close()
                self._seen = seen
                self._checked = time.monotonic()
        return self._searcher  # type: ignore[return-value]

    def _own_synonyms_changed(self) -> bool:
        """Whether the help center's own synonym file changed since it was read (a new
        table has a new digest: the index is rebuilt with it)."""
        if self._fixed_synonyms:
            return False
        stamp = file_stamp(self.settings.guides / OWN_FILE)
        changed, self._own_stamp = stamp != self._own_stamp, stamp
        return changed

    def close(self) -> None:
        """Stop watching the guides (the searcher stays usable, checked on request)."""
        if self._watch is not None:
            self._watch.stop()

    def search(self, query: str | bytes, limit: int = 10, offset: int = 0,
               category: str | None = None, log_gap: bool = True,
               instant: bool = False) -> SearchResponse:
        """Search; an unconfident answer is logged as a content gap unless `log_gap` is
        false (as-you-type searches: half-typed words are not questions). `instant`: the
        last word is still being typed and matches as a prefix ("lost my phon")."""
        response = self.searcher().search(query, limit=limit, offset=offset,
                                          category=category, instant=instant)
        if log_gap and not response.confident and not response.choice and response.query \
                and self.on_gap is not None:
            self.on_gap(response)
        return response
