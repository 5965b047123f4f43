"""What every backend operation goes through before it runs: the call log and faults.

`@operation` records the call in `backend.calls` (secrets masked) so tests can assert
what a procedure did, then injects the configured latency and failures, so the engine
can be exercised against a slow or flaky backend. A failure is raised before anything is
read or written, like a real service that could not be reached: nothing changed.
"""

from __future__ import annotations

import functools
import inspect
import random
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from procedures.backend.errors import TemporarilyUnavailable
from procedures.backend.records import OrganizationRecord, UserRecord
from procedures.backend.store import Store, Transaction

OPERATIONS: set[str] = set()
"""The name of every operation, filled in by `@operation`."""

SECRET_ARGUMENTS = frozenset({"password", "current", "new", "code", "ticket"})

P = ParamSpec("P")
R = TypeVar("R")


def _recordable(name: str, value: Any) -> Any:
    if name in SECRET_ARGUMENTS and value is not None:
        return "***"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    return value


def operation(fn: Callable[P, R]) -> Callable[P, R]:
    """Declare a public backend operation: logged, then subject to latency and faults."""
    signature = inspect.signature(fn)
    OPERATIONS.add(fn.__name__)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        self, *_ = bound.args
        arguments = {name: _recordable(name, value)
                     for name, value in bound.arguments.items() if name != "self"}
        self._before(fn.__name__, arguments)
        return fn(*args, **kwargs)

    return wrapper


def check_fault_options(latency_seconds: float, fail_operations: Iterable[str],
                        fail_rate: float) -> None:
    """Refuse fault settings that would silently do nothing, such as a misspelt operation."""
    unknown = sorted(set(fail_operations) - OPERATIONS)
    if unknown:
        raise ValueError(f"fail_operations names no operation: {', '.join(unknown)}; "
                         f"the operations are: {', '.join(sorted(OPERATIONS))}")
    if not 0.0 <= fail_rate <= 1.0:
        raise ValueError(f"fail_rate is a probability between 0 and 1, not {fail_rate}")
    if latency_seconds < 0:
        raise ValueError(f"latency_seconds cannot be negative ({latency_seconds})")


class BackendBase:
    """The state every group of operations shares: the store, the clock, the faults."""

    def __init__(self, store: Store, clock: Callable[[], datetime], *,
                 latency_seconds: float, fail_operations: Iterable[str],
                 fail_rate: float, seed: int | None):
        check_fault_options(latency_seconds, fail_operations, fail_rate)
        self._store = store
        self._clock = clock
        self.latency_seconds = latency_seconds
        self.fail_operations = frozenset(fail_operations)
        self.fail_rate = fail_rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        """Every operation called, in order, as (name, arguments); secrets show as ***."""

    def _before(self, name: str, arguments: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((name, arguments))
            unlucky = self.fail_rate > 0 and self._random.random() < self.fail_rate
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if unlucky or name in self.fail_operations:
            raise TemporarilyUnavailable(name)

    def _now(self) -> datetime:
        return self._clock()

    def _transaction(self) -> AbstractContextManager[Transaction]:
        return self._store.transaction()

    def _member(self, tx: Transaction, acct: str) -> tuple[UserRecord, OrganizationRecord]:
        """The acting user and the organization it belongs to."""
        user = tx.user(acct)
        return user, tx.organization(user.membership.organization)

