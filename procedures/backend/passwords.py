"""Account passwords: salted hashes, wrong-attempt lockout, and the new-password policy.

Every operation that asks for the password goes through `require_password`, so three
wrong passwords in a row lock password checks for a while whichever operation they came
through: a procedure cannot be used to guess. The wrong attempt is counted even though
the operation fails (the transaction commits, then raises).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from procedures.backend.errors import Conflict, InvalidInput, PermissionDenied
from procedures.backend.records import UserRecord
from procedures.backend.store import Transaction

ATTEMPTS_BEFORE_LOCK = 3
LOCK_DURATION = timedelta(minutes=15)
MIN_LENGTH = 12
MAX_LENGTH = 128
# A demo iteration count: the mock protects demo passwords, and tests hash many times.
ITERATIONS = 20_000


@functools.lru_cache(maxsize=64)
def digest(password: str, salt: str) -> str:
    """PBKDF2-SHA256 of the password; cached, as seeding hashes the same demo password."""
    raw = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), ITERATIONS)
    return raw.hex()


def matches(user: UserRecord, password: object) -> bool:
    if not isinstance(password, str):
        return False
    return hmac.compare_digest(digest(password, user.password_salt), user.password_digest)


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (f"after {ATTEMPTS_BEFORE_LOCK} wrong passwords in a row, password checks for "
            f"this account are locked until {until:%H:%M} UTC (in {minutes} "
            "min); wait, or reset your password from the login page")


def attempt(user: UserRecord, password: object, now: datetime) -> bool:
    """Check a password and count the outcome on the user (the caller saves the user).

    Raises Conflict while the account is locked, without counting anything.
    """
    if user.locked_until is not None:
        if now < user.locked_until:
            raise Conflict(_locked_message(user.locked_until, now))
        user.locked_until = None
    if matches(user, password):
        user.failed_attempts = 0
        return True
    user.failed_attempts += 1
    if user.failed_attempts >= ATTEMPTS_BEFORE_LOCK:
        user.failed_attempts = 0
        user.locked_until = now + LOCK_DURATION
    return False


def refusal(user: UserRecord, now: datetime) -> PermissionDenied:
    if user.locked_until is not None:
        locked = _locked_message(user.locked_until, now)
        return PermissionDenied(f"the password is not correct; {locked}")
    left = ATTEMPTS_BEFORE_LOCK - user.failed_attempts
    return PermissionDenied(f"the password is not correct ({left} more wrong "
                            f"attempt{'s' if left > 1 else ''} will lock password checks "
                            f"for {LOCK_DURATION.seconds // 60} minutes)")


def require_password(tx: Transaction, user: UserRecord, password: object,
                     now: datetime) -> None:
    """Go on only with the right password; a wrong one is counted and stays counted."""
    ok = attempt(user, password, now)
    tx.save(user)
    if not ok:
        raise tx.committing(refusal(user, now))


def policy_problems(new: str, current: str, email: str) -> list[str]:
    """What is wrong with a new password, in words (empty when it is acceptable)."""
    problems = []
    if len(new) < MIN_LENGTH:
        problems.append(f"it has {len(new)} characters; use at least {MIN_LENGTH}")
    if len(new) > MAX_LENGTH:
        problems.append(f"it has {len(new)} characters; use at most {MAX_LENGTH}")
    if new == current:
        problems.append("it is the same as the current password")
    if new.isalpha():
        problems.append("it has only letters; add digits or symbols")
    if new.isdigit():
        problems.append("it has only digits; add letters")
    local = email.split("@", 1)[0].casefold()
    if local and local in new.casefold():
        problems.append(f"it contains {local!r}, the start of your email address")
    return problems


def set_password(user: UserRecord, current: str | None, new: object, now: datetime) -> None:
    """Replace the password if the new one follows the policy (current already checked;
    None when the change was started with a ticket: then the stored digest tells whether
    the new password is the old one)."""
    if not isinstance(new, str):
        raise InvalidInput("new", f"the new password must be text, not {type(new).__name__}")
    if current is None:
        current = new if matches(user, new) else ""
    problems = policy_problems(new, current, user.email)
    if problems:
        raise InvalidInput("new", "the new password is not accepted: " + "; ".join(problems))
    user.password_salt = secrets.token_hex(16)
    user.password_digest = digest(new, user.password_salt)
    user.password_changed_at = now
