"""MockBackend: the account backend the demo and the tests run against, in one SQLite file.

It behaves like the real service would: it validates every argument, checks the acting
account's rights itself, and runs each operation in one transaction, so several threads
or processes can share the file. It also records its calls and can be told to be slow or
to fail, to exercise the engine's error paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from procedures.backend.accounts import AccountOperations, seed_everything
from procedures.backend.credentials import CredentialOperations
from procedures.backend.operation import check_fault_options
from procedures.backend.ownership import OwnershipOperations
from procedures.backend.partners import PartnerOperations
from procedures.backend.prepaid import PrepaidOperations
from procedures.backend.pricing import PricingOperations
from procedures.backend.profile import ProfileOperations
from procedures.backend.reminders import ReminderOperations
from procedures.backend.store import Store
from procedures.backend.tags import TagOperations
from procedures.backend.twofactor import TwoFactorOperations


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MockBackend(
    AccountOperations,
    ProfileOperations,
    PartnerOperations,
    PricingOperations,
    PrepaidOperations,
    TwoFactorOperations,
    CredentialOperations,
    ReminderOperations,
    TagOperations,
    OwnershipOperations,
):
    """The mocked account backend, persisted in the SQLite file at `path`.

    A new file is seeded with the demo accounts; an existing one is used as it is, so two
    MockBackends on one file (in one process or several) see each other's changes.

    `latency_seconds` delays every call; operations named in `fail_operations` always
    raise TemporarilyUnavailable; otherwise each call fails with probability `fail_rate`,
    drawn from a generator seeded with `seed`, so a flaky run can be replayed. `clock`
    gives the current time (UTC), for lockouts and references; tests may pass a fixed one.
    """

    def __init__(self, path: str | Path, *, latency_seconds: float = 0.0,
                 fail_operations: Iterable[str] = frozenset(), fail_rate: float = 0.0,
                 seed: int | None = None, clock: Callable[[], datetime] = _utc_now):
        check_fault_options(latency_seconds, fail_operations, fail_rate)
        self.path = Path(path)
        # A PostgreSQL URL is passed on as it is (Path would fold its "//").
        super().__init__(Store(path if "://" in str(path) else self.path, seed_everything),
                         clock,
                         latency_seconds=latency_seconds, fail_operations=fail_operations,
                         fail_rate=fail_rate, seed=seed)

    def __repr__(self) -> str:
        return f"MockBackend({str(self.path)!r})"
