"""Renewal reminder emails: whether they are sent, how early, and the related notices.

These settings live under Accounting > Configuration, so only members with accounting
rights read or change them. Reminders go out at most two months before expiry; the
reminder before an automatic renewal always comes 14 days ahead (D-14), as the guide says.
"""

from __future__ import annotations

from procedures.backend import validation
from procedures.backend.errors import InvalidInput
from procedures.backend.operation import BackendBase, operation
from procedures.backend.permissions import require_accounting
from procedures.backend.records import RemindersRecord, View

DAYS_BEFORE = (7, 14, 30, 60)
"""The intervals on offer, up to two months."""
AUTO_RENEWAL_REMINDER_DAYS = 14


class ReminderSettings(View):
    """The billing message settings, as on Accounting > Configuration."""

    enabled: bool
    """Reminder emails before the renewal deadline."""
    days_before: int | None
    allowed_days_before: tuple[int, ...] = DAYS_BEFORE
    auto_renewal_reminder: bool
    auto_renewal_reminder_days: int = AUTO_RENEWAL_REMINDER_DAYS
    renewal_confirmation: bool
    """Email confirming an automatic renewal and its debit."""
    invoice_notification: bool


def settings_of(record: RemindersRecord) -> ReminderSettings:
    return ReminderSettings(**record.model_dump())


class ReminderOperations(BackendBase):
    """Operations of the billing-renewal-reminder-emails guide."""

    @operation
    def get_reminder_settings(self, acct: str) -> ReminderSettings:
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        require_accounting(user, org, "see the billing settings")
        return settings_of(org.reminders)

    @operation
    def update_reminder_settings(self, acct: str, enabled: bool, days_before: int | None,
                                 auto_renewal_reminder: bool, renewal_confirmation: bool,
                                 invoice_notification: bool) -> ReminderSettings:
        """Replace all the reminder settings at once, as the settings form does."""
        flags = {name: validation.flag(name, value) for name, value in (
            ("enabled", enabled), ("auto_renewal_reminder", auto_renewal_reminder),
            ("renewal_confirmation", renewal_confirmation),
            ("invoice_notification", invoice_notification))}
        if days_before is None and enabled:
            raise InvalidInput("days_before", "choose how many days before the deadline the "
                                              "reminders start: "
                                              + ", ".join(map(str, DAYS_BEFORE)))
        if days_before is not None and (isinstance(days_before, bool)
                                        or days_before not in DAYS_BEFORE):
            raise InvalidInput("days_before", f"{days_before!r} days is not on offer; choose "
                                              f"{', '.join(map(str, DAYS_BEFORE))} (reminders "
                                              "start at most two months ahead)")
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_accounting(user, org, "change the billing settings")
            org.reminders = RemindersRecord(days_before=days_before, **flags)
            tx.save(org)
        return settings_of(org.reminders)
