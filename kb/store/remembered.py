"""Objects this process stored or loaded last, with the exact JSON they were stored as.

A chat or wizard turn loads a conversation and a run that the same process usually
saved one turn before. The row is always read (another process may have saved since),
but when it still holds the JSON remembered here, the remembered object is used instead
of validating the JSON again. The budget counts JSON characters, so a few very long
histories cannot crowd out everything else; the least recently used go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class Remembered(Generic[T]):
    """Up to `budget` characters of (stored JSON, object) pairs, by row id."""

    def __init__(self, budget: int):
        self._items: OrderedDict[str, tuple[str, T]] = OrderedDict()
        self._chars = 0
        self._budget = budget
        self._lock = threading.Lock()

    def get(self, key: str, data: str) -> T | None:
        """The object remembered for `key` if it was stored as exactly `data`."""
        with self._lock:
            known = self._items.get(key)
            if known is None or known[0] != data:
                return None
            self._items.move_to_end(key)
            return known[1]

    def peek(self, key: str) -> T | None:
        """The object remembered for `key`, whatever its row holds now."""
        with self._lock:
            known = self._items.get(key)
        return None if known is None else known[1]

    def put(self, key: str, data: str, item: T) -> None:
        """Remember `item`, stored as `data` (an item too big for the budget is not)."""
        if len(data) > self._budget // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._chars -= len(old[0])
            self._items[key] = (data, item)
            self._chars += len(data)
            while self._chars > self._budget:
                _, (dropped, _) = self._items.popitem(last=False)
                self._chars -= len(dropped)

    def forget(self, key: str) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._chars -= len(old[0])
