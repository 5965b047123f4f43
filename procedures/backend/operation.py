"""What every backend operation goes through before it runs: the call log and faults.

`@operation` records the call in `backend.calls` (secrets masked) so tests can assert
what a procedure did, then injects the configured latency and failures, so the engine
can be exercised against a slow or flaky backend. A failure is raised before anything is
read or written, like a real service that could not be reached: nothing changed.

A call made through `BackendBase.keyed(scope)` carries an idempotency key (the scope and
the call's position in it). Its effect and its outcome are committed together under that
key, and the same call sent again (a duplicate request, a retry after a crash) gets the
outcome recorded the first time instead of acting again. So a caller whose turn is
identified by the scope (a run at a revision) changes the account once per turn.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import random
import threading
import time
import typing
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from pydantic import TypeAdapter

from procedures.backend import errors
from procedures.backend.errors import BackendError, TemporarilyUnavailable
from procedures.backend.records import OrganizationRecord, UserRecord
from procedures.backend.store import Store, Transaction

OPERATIONS: set[str] = set()
"""The name of every operation, filled in by `@operation`."""

SECRET_ARGUMENTS = frozenset({"password", "current", "new", "code", "ticket"})

P = ParamSpec("P")
R = TypeVar("R")

# The idempotency key of the operation call being made, set by `KeyedBackend`.
_KEY: ContextVar[str | None] = ContextVar("idempotency_key", default=None)


class KeyReused(Exception):
    """Raised when a call's idempotency key was already used by a different call (another
    operation or other arguments): the turn it identifies was taken by another request.
    Deliberately not a BackendError, so the engine does not turn it into a message."""


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
        key = _KEY.get()
        if key is None:
            return fn(*args, **kwargs)
        result: R = self._once(key, _fingerprint(fn.__name__, arguments), _returns(fn),
                               lambda: fn(*args, **kwargs))
        return result

    return wrapper


def _fingerprint(name: str, arguments: dict[str, Any]) -> str:
    """What a call was, to tell a true duplicate from another call under the same key
    (secrets are already masked in `arguments`, so none is hashed)."""
    text = json.dumps([name, arguments], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _returns(fn: Callable[..., Any]) -> TypeAdapter[Any]:
    """How to store an operation's result as JSON and rebuild it (from its annotation)."""
    returns: Any = typing.get_type_hints(fn)["return"]
    return TypeAdapter(returns)


def _error_json(error: BackendError) -> str:
    return json.dumps({"error": type(error).__name__, "args": list(error.args),
                       "state": vars(error)}, default=str)


def _rebuilt(outcome: str, returns: TypeAdapter[Any]) -> Any:
    """The recorded outcome: the result again, or the recorded refusal raised again."""
    data = json.loads(outcome)
    if isinstance(data, dict) and set(data) == {"error", "args", "state"}:
        cls = getattr(errors, data["error"], None)
        if isinstance(cls, type) and issubclass(cls, BackendError):
            error = cls.__new__(cls)
            Exception.__init__(error, *data["args"])
            vars(error).update(data["state"])
            raise error
    return returns.validate_python(data["result"])


class KeyedBackend:
    """A view of a backend whose operation calls carry idempotency keys: `scope#1` for
    the first call made through it, `scope#2` for the second, and so on. A caller that
    repeats a turn the same way (same scope, same calls in the same order) gets the
    outcomes of the first time. Everything else is the backend itself."""

    def __init__(self, backend: BackendBase, scope: str):
        self._backend = backend
        self._scope = scope
        self._calls = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._backend, name)
        if name not in OPERATIONS:
            return attribute

        def keyed(*args: Any, **kwargs: Any) -> Any:
            self._calls += 1
            token = _KEY.set(f"{self._scope}#{self._calls}")
            try:
                return attribute(*args, **kwargs)
            finally:
                _KEY.reset(token)

        return keyed


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

    def keyed(self, scope: str) -> KeyedBackend:
        """This backend, with each call keyed within `scope` (see KeyedBackend)."""
        return KeyedBackend(self, scope)

    def _once(self, key: str, fingerprint: str, returns: TypeAdapter[Any],
              call: Callable[[], R]) -> R:
        """Make `call` under `key` once. The write lock is taken first, so a duplicate
        in flight waits for the first call to commit, then reads its outcome. A refusal
        that changed something (`Transaction.committing`) is recorded too; any other
        refusal changed nothing and is not, so trying again really tries again."""
        inner = _KEY.set(None)  # an operation calling another makes one effect, one key
        try:
            with self._transaction() as tx:
                recorded = tx.recorded(key)
                if recorded is not None:
                    if recorded.fingerprint != fingerprint:
                        raise KeyReused(f"the call {key} was already made with other "
                                        "values")
                    return typing.cast(R, _rebuilt(recorded.result, returns))
                try:
                    result = call()
                except BackendError as error:
                    if tx.keeps(error):
                        tx.record(key, fingerprint, _error_json(error))
                    raise
                tx.record(key, fingerprint,
                          json.dumps({"result": returns.dump_python(result, mode="json")}))
                return result
        finally:
            _KEY.reset(inner)

    def _now(self) -> datetime:
        return self._clock()

    def _transaction(self) -> AbstractContextManager[Transaction]:
        return self._store.transaction()

    def _member(self, tx: Transaction, acct: str) -> tuple[UserRecord, OrganizationRecord]:
        """The acting user and the organization it belongs to."""
        user = tx.user(acct)
        return user, tx.organization(user.membership.organization)

