"""A background thread that works when woken and ends when idle.

Both background writers of the store (the WAL checkpoints, the buffered logs) need the
same thread: started by the first request that has work for it (and again in a forked
server worker, which inherits no thread), woken cheaply by the requests after it, and
gone once nothing wakes it for a while, so an idle process keeps no thread around.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


class IdleThread:
    """Runs `work()` on a daemon thread named `name` each time `wake()` is called (wakes
    that come while it works make one more round), and ends the thread after `idle`
    seconds without a wake, or once `stop()` is called; `ended()`, if given, then runs
    on that thread, to release what it kept (a connection)."""

    def __init__(self, name: str, work: Callable[[], None], idle: float,
                 ended: Callable[[], None] | None = None):
        self._name = name
        self._work = work
        self._idle = idle
        self._ended = ended
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stopped = False

    def wake(self) -> None:
        """Have the thread work once more, starting it when there is none."""
        with self._lock:
            if self._stopped:
                return
            if not self._running():
                self._pid = os.getpid()
                self._wake = threading.Event()
                self._thread = threading.Thread(target=self._run, args=(self._wake,),
                                                name=self._name, daemon=True)
                self._thread.start()
            self._wake.set()

    def running(self) -> bool:
        """Whether this process has the thread now."""
        with self._lock:
            return self._running()

    def stop(self) -> None:
        """End the thread after the work it is doing; later wakes do nothing."""
        with self._lock:
            self._stopped = True
            self._wake.set()

    def _running(self) -> bool:
        # A thread of the parent process is not there in a forked child.
        return self._thread is not None and self._pid == os.getpid() and \
            self._thread.is_alive()

    def _run(self, wake: threading.Event) -> None:
        try:
            while True:
                woken = wake.wait(self._idle)
                with self._lock:
                    # A wake that came just as the wait timed out still counts: it was
                    # made while this thread looked alive, and no other will take it.
                    if self._stopped or not (woken or wake.is_set()):
                        if self._thread is threading.current_thread():
                            self._thread = None
                        return
                    wake.clear()
                self._work()
        finally:
            if self._ended is not None:
                self._ended()
