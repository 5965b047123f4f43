"""The demo accounts themselves: choosing one, looking at all of its state, resetting it.

These are the mock's own controls, for a demo page and for tests; a real adapter would
list only the signed-in user and could not reset anything. Resetting an account restores
the user and its organization, which the organization's other demo members share.
"""

from __future__ import annotations

from typing import Any

from procedures.backend.demo_organizations import organizations
from procedures.backend.demo_users import users
from procedures.backend.operation import BackendBase, operation
from procedures.backend.permissions import ROLE_LABELS
from procedures.backend.records import OrganizationRecord, Role, UserRecord, View
from procedures.backend.store import Transaction

# Secrets and digests are not part of what anyone should see, even in a demo.
_HIDDEN_USER_FIELDS = {"password_salt", "password_digest", "password_ticket_digest",
                       "emergency_codes"}


class AccountSummary(View):
    """One demo account as offered on a demo page: who it is and what it shows."""

    name: str
    display_name: str
    role: Role
    role_label: str
    organization: str
    description: str


class AccountState(View):
    """All the mock holds about one account and its organization, secrets left out."""

    account: AccountSummary
    user: dict[str, Any]
    """The user's stored state, without password digest or emergency codes."""
    emergency_codes: dict[str, int]
    organization: dict[str, Any]


def _summary(user: UserRecord, org: OrganizationRecord) -> AccountSummary:
    return AccountSummary(name=user.name, display_name=user.full_name, role=user.membership.role,
                          role_label=ROLE_LABELS[user.membership.role], organization=org.name,
                          description=user.description)


def seed_everything(tx: Transaction) -> None:
    """Write every demo user and organization in its starting state."""
    tx.clear()
    tx.save(*organizations(), *users())


class AccountOperations(BackendBase):
    """Listing, inspecting and resetting the demo accounts."""

    @operation
    def list_accounts(self) -> list[AccountSummary]:
        with self._transaction() as tx:
            found = [(user, tx.organization(user.membership.organization))
                     for user in tx.users()]
        return [_summary(user, org) for user, org in found]

    @operation
    def account_names(self) -> list[str]:
        """The demo accounts' names only: what checking a chosen account needs, without
        reading every user and organization as `list_accounts` does."""
        with self._transaction() as tx:
            return tx.user_names()

    @operation
    def account(self, name: str) -> AccountState:
        """Everything the mock holds about one demo account and its organization."""
        with self._transaction() as tx:
            user, org = self._member(tx, name)
        unused = sum(c.used_at is None for c in user.emergency_codes)
        return AccountState(
            account=_summary(user, org),
            user=user.model_dump(mode="json", exclude=_HIDDEN_USER_FIELDS),
            emergency_codes={"total": len(user.emergency_codes), "unused": unused},
            organization=org.model_dump(mode="json"))

    @operation
    def reset(self, name: str | None = None) -> list[str]:
        """Restore one demo account (and its organization), or all of them when name is
        None, to the seed state; returns the names of the users whose state was reset."""
        with self._transaction() as tx:
            if name is None:
                seed_everything(tx)
                return tx.user_names()
            current = tx.user(name)
            fresh = next((u for u in users() if u.name == current.name), None)
            if fresh is None:
                # Defensive: a user present in the file but not in this seed is left alone.
                return []
            org = next(o for o in organizations() if o.id == fresh.membership.organization)
            tx.save(fresh, org)
            return [fresh.name]
