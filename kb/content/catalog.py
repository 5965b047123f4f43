"""The guides as the help center serves them: loaded once, reloaded when a file changes.

Every page, the API's guide list and the chat read guides through one `Catalog`, so a
request never re-parses the folder: the folder's stamp (paths, sizes, modification times
of the guides in it and its sub-folders, and of the folders' `_category.yaml`) is looked
at most every `refresh_seconds`, and the guides are loaded again only when it
changed. What is derived from the guides for every visitor alike (rendered pages,
related guides, diagrams, categories) is memoised until the next change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from kb.content import guides as guides_mod
from kb.content.guides import Guide, KnowledgeBase, guide_files
from procedures.source.files import folder_stamp

T = TypeVar("T")

REFRESH_SECONDS = 2.0
MEMO_ENTRIES = 2000


class Catalog:
    """The loaded guides of one folder. Plain data: a server fills it before forking."""

    def __init__(self, folder: Path, refresh_seconds: float = REFRESH_SECONDS):
        self.folder = folder
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._kb: KnowledgeBase | None = None
        self._stamp: tuple[Any, ...] = ()
        self._checked = 0.0
        self._memo: dict[Hashable, Any] = {}

    def knowledge_base(self) -> KnowledgeBase:
        """The guides, reloaded when a file changed since the last look."""
        now = time.monotonic()
        kb = self._kb
        if kb is not None and now - self._checked < self.refresh_seconds:
            return kb
        with self._lock:
            if self._kb is None or now - self._checked >= self.refresh_seconds:
                stamp = folder_stamp(guide_files(self.folder))
                if self._kb is None or stamp != self._stamp:
                    self._kb, self._stamp = guides_mod.load(self.folder), stamp
                    self._memo = {}
                self._checked = time.monotonic()
            assert self._kb is not None
            return self._kb

    def expire(self) -> None:
        """Look at the folder again on the next read (after a guide was written)."""
        self._checked = 0.0

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()`, remembered until a guide changes; the oldest entries go first past
        a bound, so a crawler walking every page cannot grow it without limit."""
        self.knowledge_base()  # reloads, and forgets, when a guide changed
        found = self._memo
        if key in found:
            value: T = found[key]
            return value
        value = build()
        with self._lock:
            found[key] = value
            while len(found) > MEMO_ENTRIES:
                found.pop(next(iter(found)))
        return value

    def find(self, slug: str) -> Guide | None:
        return self.knowledge_base().guides.get(slug)

    def categories(self) -> dict[str, list[Guide]]:
        """Category name -> its guides by title, categories in alphabetical order."""
        def group() -> dict[str, list[Guide]]:
            found: dict[str, list[Guide]] = {}
            for guide in self.knowledge_base():
                found.setdefault(guide.meta.category, []).append(guide)
            return {name: sorted(found[name], key=lambda g: g.title.lower())
                    for name in sorted(found, key=str.lower)}

        return self.memo(("categories",), group)
