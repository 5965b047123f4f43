"""Rate-limit counters in this process's memory, with no timer thread.

The `limits` library's own memory storage starts a `threading.Timer` of 10 ms to expire
counters whenever the last one has run out: under steady load that is a new thread about
every 10 ms, each start a handover of the GIL, and each run a walk over every counter (one
per client). Profiled under `bench/http.py`'s 4,096 visitors, that cost more than the rest
of the rate limiting together, and more than the search itself.

These counters expire when they are next read, and a sweep of the expired ones runs inline
at most every `SWEEP_SECONDS`, so memory stays bounded by the clients of the last windows.
Only what fixed windows need is offered (the strategy `webapp.limits` uses); a shared
storage (`redis://`) is used as the library provides it.
"""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from limits.storage import Storage

SCHEME = "kb-memory"
# Expired counters of clients who never came back are dropped this often (an O(clients)
# walk: about a millisecond for thousands of them, a few times a minute).
SWEEP_SECONDS = 10.0


class WindowCounters(Storage):
    """Fixed-window counters: `storage` maps a key to its count, `expirations` to the
    time its window ends (the names of the library's memory storage, for the tests)."""

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.storage: dict[str, int] = {}
        self.expirations: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_sweep = time.time() + SWEEP_SECONDS

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            if self.expirations.get(key, 0.0) <= now:
                # A new window starts with this hit.
                self.storage[key] = amount
                self.expirations[key] = now + expiry
                return amount
            count = self.storage[key] = self.storage.get(key, 0) + amount
            return count

    def get(self, key: str) -> int:
        if self.expirations.get(key, 0.0) <= time.time():
            return 0
        return self.storage.get(key, 0)

    def get_expiry(self, key: str) -> float:
        return self.expirations.get(key, time.time())

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self.storage)
            self.storage.clear()
            self.expirations.clear()
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)

    def _sweep(self, now: float) -> None:
        expired = [key for key, until in self.expirations.items() if until <= now]
        for key in expired:
            del self.expirations[key]
            self.storage.pop(key, None)
        self._next_sweep = now + SWEEP_SECONDS
