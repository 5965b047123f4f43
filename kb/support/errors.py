"""Errors of the support package."""

from __future__ import annotations

from kb.errors import KBError


class DeliverySettingsError(KBError):
    """Raised at start when a delivery setting (`KB_SMTP_URL`, `KB_WEBHOOK_URL`, ...) is
    malformed; the message names the setting."""


class DeliveryFailed(Exception):
    """Raised by a channel when a ticket could not be delivered; the message says why in
    words an owner can act on."""
