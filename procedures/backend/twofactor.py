"""Two-factor authentication: kAuth and SMS methods, emergency codes, identity checks.

Removing a method needs the account password (counted towards the lockout). When the
last method goes, two-factor protection is off and the result says so, because the
kauth-remove-account guide insists the user protects the account again. Emergency codes
have the form XXXX-XXXX (capital letters and digits), each usable once; using one
resets two-factor authentication so the user can log in and set it up again.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Literal

from procedures.backend import validation
from procedures.backend.errors import Conflict, InvalidInput, NotFound
from procedures.backend.operation import BackendBase, operation
from procedures.backend.passwords import require_password
from procedures.backend.records import (
    CaseRecord,
    SmsVerificationRecord,
    TwoFactorRecord,
    UserRecord,
    View,
)

METHODS = ("kauth", "sms")
_CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")


class TwoFactorMethod(View):
    """A two-factor method as the security page shows it."""

    kind: Literal["kauth", "sms"]
    label: str
    detail: str
    """kAuth: the device the app runs on; SMS: the phone number, masked."""
    added_at: datetime


class SmsCodeSent(View):
    """A confirmation code was sent by SMS to this number."""

    phone: str


class MethodRemoval(View):
    """What is left after removing a two-factor method."""

    removed: str
    remaining: list[TwoFactorMethod]
    two_factor_enabled: bool
    warning: str | None


class EmergencyCodesStatus(View):
    """How many emergency codes exist and how many are unused."""

    total: int
    unused: int


class EmergencyAccess(View):
    """The outcome of logging in with an emergency code."""

    two_factor_enabled: bool
    unused_codes: int
    next_step: str


class IdentityCase(View):
    """A support case for regaining access by identity verification."""

    reference: str
    status: str
    opened_at: datetime
    next_steps: str


def code_digest(account: str, code: str) -> str:
    return hashlib.sha256(f"{account}:{code}".encode()).hexdigest()


def methods_of(user: UserRecord) -> list[TwoFactorMethod]:
    return [TwoFactorMethod(
        kind=m.kind, label="kAuth app" if m.kind == "kauth" else "SMS",
        detail=(m.device or "") if m.kind == "kauth" else validation.mask_phone(m.phone or ""),
        added_at=m.added_at) for m in user.two_factor]


def _normalise_code(code: object) -> str:
    if not isinstance(code, str):
        raise InvalidInput("code", "type the emergency code as text, like 7K3Q-9XPA")
    cleaned = re.sub(r"\s+", "", code).upper()
    if len(cleaned) == 8 and "-" not in cleaned:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    if not _CODE.match(cleaned):
        raise InvalidInput("code", f"{code.strip()!r} is not an emergency code; they look like "
                                   "7K3Q-9XPA: two groups of four letters or digits")
    return cleaned


class TwoFactorOperations(BackendBase):
    """Operations of the kauth-remove-account and kauth-regain-access guides."""

    @operation
    def list_2fa_methods(self, acct: str) -> list[TwoFactorMethod]:
        with self._transaction() as tx:
            return methods_of(tx.user(acct))

    @operation
    def remove_2fa_method(self, acct: str, method: str, password: str) -> MethodRemoval:
        """Remove kAuth or SMS, confirmed with the account password."""
        validation.choice("method", method, METHODS, label="two-factor method")
        with self._transaction() as tx:
            user = tx.user(acct)
            require_password(tx, user, password, self._now())
            if not any(m.kind == method for m in user.two_factor):
                raise NotFound(f"{method} is not one of this account's two-factor methods")
            user.two_factor = [m for m in user.two_factor if m.kind != method]
            if method == "kauth":
                # The app is notified and drops the account.
                user.kauth_shows_account = False
            tx.save(user)
        enabled = bool(user.two_factor)
        return MethodRemoval(
            removed=method, remaining=methods_of(user), two_factor_enabled=enabled,
            warning=None if enabled else (
                "two-factor authentication is now off: no other method protects the "
                "account; protect it again, with kAuth or SMS, as soon as possible"))

    @operation
    def send_sms_code(self, acct: str, phone: str) -> SmsCodeSent:
        """Send a code by SMS to this number, to confirm it before it protects the account
        (the demo shows the code on the demo-account page)."""
        number = validation.phone("phone", phone)
        with self._transaction() as tx:
            user = tx.user(acct)
            _no_sms_yet(user)
            with self._lock:
                code = f"{self._random.randrange(1_000_000):06d}"
            user.sms_verification = SmsVerificationRecord(phone=number, code=code,
                                                          sent_at=self._now())
            tx.save(user)
        return SmsCodeSent(phone=number)

    @operation
    def add_sms_method(self, acct: str, phone: str, code: str) -> list[TwoFactorMethod]:
        """Receive login codes by SMS on this mobile number, confirmed with the code that
        `send_sms_code` sent to it."""
        number = validation.phone("phone", phone)
        typed = re.sub(r"\s", "", code) if isinstance(code, str) else ""
        with self._transaction() as tx:
            user = tx.user(acct)
            _no_sms_yet(user)
            sent = user.sms_verification
            if sent is None or sent.phone != number:
                raise InvalidInput("code", f"no code was sent to {number} yet; send one first")
            if typed != sent.code:
                raise InvalidInput("code", f"that is not the code sent by SMS to {number}; "
                                           "type the six digits of the message")
            user.sms_verification = None
            user.two_factor.append(TwoFactorRecord(kind="sms", phone=number,
                                                   added_at=self._now()))
            tx.save(user)
            return methods_of(user)

    @operation
    def kauth_shows_account(self, acct: str) -> bool:
        """Whether the user's kAuth app still lists this account."""
        with self._transaction() as tx:
            user = tx.user(acct)
        return user.kauth_shows_account and any(m.kind == "kauth" for m in user.two_factor)

    @operation
    def emergency_codes_status(self, acct: str) -> EmergencyCodesStatus:
        with self._transaction() as tx:
            codes = tx.user(acct).emergency_codes
        return EmergencyCodesStatus(total=len(codes),
                                    unused=sum(c.used_at is None for c in codes))

    @operation
    def use_emergency_code(self, acct: str, code: str) -> EmergencyAccess:
        """Log in with an emergency code: it is spent, and two-factor auth is reset."""
        cleaned = _normalise_code(code)
        with self._transaction() as tx:
            user = tx.user(acct)
            wanted = code_digest(user.name, cleaned)
            record = next((c for c in user.emergency_codes if c.digest == wanted), None)
            if record is None:
                raise InvalidInput("code", f"{cleaned} is not one of this account's emergency "
                                           "codes; check the sheet downloaded when two-factor "
                                           "authentication was turned on")
            if record.used_at is not None:
                raise InvalidInput("code", f"{cleaned} was already used on "
                                           f"{record.used_at:%Y-%m-%d %H:%M} UTC; each code "
                                           "works once, use another one")
            if not user.two_factor:
                raise Conflict("two-factor authentication is not on, so there is nothing to "
                               "unlock; log in with the password alone")
            record.used_at = self._now()
            user.two_factor, user.kauth_shows_account = [], False
            tx.save(user)
        return EmergencyAccess(
            two_factor_enabled=False,
            unused_codes=sum(c.used_at is None for c in user.emergency_codes),
            next_step="log in with your password, then set up two-factor authentication "
                      "again (kAuth on your new device, or SMS)")

    @operation
    def open_identity_verification(self, acct: str, reason: str) -> IdentityCase:
        """Hand the account over to support for an identity check (documents, selfie)."""
        text = validation.text("reason", reason, label="reason", max_length=500)
        with self._transaction() as tx:
            user = tx.user(acct)
            now = self._now()
            case = CaseRecord(reference=f"KC-{now:%Y}-{tx.next_number('case', 122):06d}",
                              reason=text, opened_at=now)
            user.cases.append(case)
            tx.save(user)
        return IdentityCase(
            reference=case.reference, status="waiting_for_documents", opened_at=now,
            next_steps="support will ask for an identity document and a recognition selfie "
                       "through the Infomaniak Check (kCheck) app; keep this reference")


def _no_sms_yet(user: UserRecord) -> None:
    if any(m.kind == "sms" for m in user.two_factor):
        raise Conflict("an SMS method is already set up; remove it first to use another "
                       "number")
