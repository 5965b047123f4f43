"""The background thread of the store's writers: it works when woken, ends when idle,
and a later wake starts it again, so an idle server keeps no thread and loses no work."""

from __future__ import annotations

import threading
import time

from kb.store.idle_thread import IdleThread


def _wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_it_works_on_each_wake_ends_when_idle_and_starts_again():
    rounds: list[str] = []
    ended = threading.Event()
    worker = IdleThread("kb-test-idle", lambda: rounds.append(threading.current_thread().name),
                        idle=0.1, ended=ended.set)
    worker.wake()
    assert _wait_for(lambda: len(rounds) == 1)
    assert rounds == ["kb-test-idle"]  # on its own thread, not the caller's
    assert _wait_for(lambda: not worker.running()) and ended.is_set()
    worker.wake()  # after the thread ended: a new one does the work
    assert _wait_for(lambda: len(rounds) == 2)


def test_a_stopped_thread_ends_and_takes_no_more_work():
    rounds: list[int] = []
    worker = IdleThread("kb-test-stop", lambda: rounds.append(1), idle=30.0)
    worker.wake()
    assert _wait_for(lambda: len(rounds) == 1)
    worker.stop()
    assert _wait_for(lambda: not worker.running(), seconds=2.0)
    worker.wake()
    time.sleep(0.1)
    assert rounds == [1]
