"""Passwords and the other keys to an account: application passwords and API tokens.

After a suspected hack the account-secure-after-hack guide changes the password, then
deletes every application password and API token (a thief may have made some), then
shows the security settings. The overview here is that last screen, with what still
needs doing spelled out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from procedures.backend import validation
from procedures.backend.errors import NotFound, PermissionDenied
from procedures.backend.operation import BackendBase, operation
from procedures.backend.passwords import attempt, require_password, set_password
from procedures.backend.records import View
from procedures.backend.twofactor import TwoFactorMethod, methods_of

TICKET_LIFETIME = timedelta(minutes=10)


class PasswordChange(View):
    """The outcome of a password change."""

    ok: bool
    changed_at: datetime


class PasswordTicket(View):
    """Proof that the current password was given, to finish the change with the new one
    (so that a form asking one password at a time never holds two)."""

    ticket: str
    expires_at: datetime


class AppPassword(View):
    """An application password (for a mail client, say), without the secret."""

    id: str
    label: str
    created_at: datetime
    last_used_at: datetime | None


class ApiToken(View):
    """An API token, without the secret."""

    id: str
    label: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None


class Revocation(View):
    """One credential deleted, and how many of its kind are left."""

    revoked: str
    remaining: int


class RevokedCounts(View):
    """How many application passwords and API tokens were deleted."""

    app_passwords: int
    api_tokens: int


class SecurityOverview(View):
    """The security settings to verify once the account is secured."""

    password_changed_at: datetime
    two_factor_enabled: bool
    two_factor_methods: list[TwoFactorMethod]
    app_passwords: list[AppPassword]
    api_tokens: list[ApiToken]
    unused_emergency_codes: int
    recommendations: list[str]
    """What still needs doing, in words; empty when the account looks secure."""


class CredentialOperations(BackendBase):
    """Operations of the account-secure-after-hack guide."""

    @operation
    def verify_password(self, acct: str, password: str) -> bool:
        """Whether the password is right. Wrong ones count towards the lockout, and while
        password checks are locked this raises Conflict instead of answering."""
        with self._transaction() as tx:
            user = tx.user(acct)
            ok = attempt(user, password, self._now())
            tx.save(user)
        return ok

    @operation
    def change_password(self, acct: str, current: str, new: str) -> PasswordChange:
        """Replace the password: the current one must be right, the new one strong."""
        with self._transaction() as tx:
            user = tx.user(acct)
            now = self._now()
            require_password(tx, user, current, now)
            set_password(user, current, new, now)
            tx.save(user)
        return PasswordChange(ok=True, changed_at=now)

    @operation
    def start_password_change(self, acct: str, current: str) -> PasswordTicket:
        """Check the current password and hand out a single-use ticket (10 minutes)."""
        ticket = secrets.token_urlsafe(18)
        with self._transaction() as tx:
            user = tx.user(acct)
            now = self._now()
            require_password(tx, user, current, now)
            user.password_ticket_digest = hashlib.sha256(ticket.encode()).hexdigest()
            user.password_ticket_expires = now + TICKET_LIFETIME
            tx.save(user)
        return PasswordTicket(ticket=ticket, expires_at=user.password_ticket_expires)

    @operation
    def complete_password_change(self, acct: str, ticket: str, new: str) -> PasswordChange:
        """Set the new password with a ticket from `start_password_change`."""
        with self._transaction() as tx:
            user = tx.user(acct)
            now = self._now()
            given = hashlib.sha256(str(ticket).encode()).hexdigest()
            if (user.password_ticket_digest is None or user.password_ticket_expires is None
                    or user.password_ticket_expires < now
                    or not hmac.compare_digest(given, user.password_ticket_digest)):
                raise PermissionDenied("the password change has expired or was not started; "
                                       "give the current password again")
            set_password(user, None, new, now)
            user.password_ticket_digest = user.password_ticket_expires = None
            tx.save(user)
        return PasswordChange(ok=True, changed_at=now)

    @operation
    def list_app_passwords(self, acct: str) -> list[AppPassword]:
        with self._transaction() as tx:
            user = tx.user(acct)
        return [AppPassword(**p.model_dump()) for p in user.app_passwords]

    @operation
    def list_api_tokens(self, acct: str) -> list[ApiToken]:
        with self._transaction() as tx:
            user = tx.user(acct)
        return [ApiToken(**t.model_dump()) for t in user.api_tokens]

    @operation
    def revoke_app_password(self, acct: str, id: str) -> Revocation:
        return self._revoke(acct, id, "app_passwords", "application password")

    @operation
    def revoke_api_token(self, acct: str, id: str) -> Revocation:
        return self._revoke(acct, id, "api_tokens", "API token")

    def _revoke(self, acct: str, id: str, kind: str, label: str) -> Revocation:
        """Delete one credential of a kind (the user's `app_passwords` or `api_tokens`)."""
        wanted = validation.identifier("id", id, label=label)
        with self._transaction() as tx:
            user = tx.user(acct)
            present = getattr(user, kind)
            kept = [c for c in present if c.id != wanted]
            if len(kept) == len(present):
                raise NotFound(f"there is no {label} {wanted!r} on this account")
            setattr(user, kind, kept)
            tx.save(user)
        return Revocation(revoked=wanted, remaining=len(kept))

    @operation
    def revoke_all_credentials(self, acct: str) -> RevokedCounts:
        """Delete every application password and API token; returns how many went."""
        with self._transaction() as tx:
            user = tx.user(acct)
            counts = RevokedCounts(app_passwords=len(user.app_passwords),
                                   api_tokens=len(user.api_tokens))
            user.app_passwords, user.api_tokens = [], []
            tx.save(user)
        return counts

    @operation
    def security_overview(self, acct: str) -> SecurityOverview:
        with self._transaction() as tx:
            user = tx.user(acct)
        advice = []
        if not user.two_factor:
            advice.append("turn on two-factor authentication (kAuth or SMS)")
        if user.app_passwords:
            advice.append(f"{len(user.app_passwords)} application password(s) remain; delete "
                          "the ones you did not create")
        if user.api_tokens:
            advice.append(f"{len(user.api_tokens)} API token(s) remain; delete the ones you "
                          "did not create")
        return SecurityOverview(
            password_changed_at=user.password_changed_at,
            two_factor_enabled=bool(user.two_factor), two_factor_methods=methods_of(user),
            app_passwords=[AppPassword(**p.model_dump()) for p in user.app_passwords],
            api_tokens=[ApiToken(**t.model_dump()) for t in user.api_tokens],
            unused_emergency_codes=sum(c.used_at is None for c in user.emergency_codes),
            recommendations=advice)

