"""Which backend operations change the account, declared beside the operations.

Every operation of the `AccountBackend` Protocol is listed here exactly once: in
`CHANGES`, with what it does in a person's words and how each of its arguments is shown
before it runs, or in `READS` (it only reads, or prepares without changing anything).
The procedure model uses `CHANGES` to put a review before every step that would change
an account (`procedures.review`), so no overlay can act on an account without showing
first what will be done; a test keeps the two lists complete.

An argument's format says how a person sees it in the review: `text` as typed, `money`
with its currency, `iban` masked but for its country, check digits and last four
characters, `yesno`, `days`, `choice` (the label of the option the person picked, never
its id) and `secret` (never shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["text", "money", "iban", "yesno", "days", "choice", "secret"]


@dataclass(frozen=True)
class Shown:
    """One argument as the review shows it: a label ("Amount") and a format."""

    label: str
    format: Format = "text"
    words: dict[str, str] = field(default_factory=dict)
    """A fixed value in words (`kauth` → "the kAuth app"): never a code on screen."""


@dataclass(frozen=True)
class Change:
    """An operation that changes the account: what it does ("pay out money from your
    prepaid account", completing "Before I …"), and its arguments as the review shows
    them (arguments not listed are not shown)."""

    does: str
    shows: dict[str, Shown] = field(default_factory=dict)


ACCESS = {"full": "full access", "limited": "limited access"}
PAYMENT_METHODS = {"client": "the client's own", "partner": "yours, as the Partner"}
METHODS = {"kauth": "the kAuth app", "sms": "SMS codes"}

CHANGES: dict[str, Change] = {
    "change_password": Change("change your password", {"new": Shown("New password", "secret")}),
    "complete_password_change": Change(
        "change your password and sign out every other session",
        {"new": Shown("New password", "secret")}),
    "revoke_app_password": Change("delete an application password",
                                  {"id": Shown("Application password", "choice")}),
    "revoke_api_token": Change("delete an API token", {"id": Shown("API token", "choice")}),
    "revoke_all_credentials": Change("delete all your application passwords and API tokens"),
    "invite_client": Change("send an invitation to become your managed client",
                            {"email": Shown("To"),
                             "access": Shown("Access asked for", "choice", ACCESS),
                             "payment_methods": Shown("Payment methods", "choice",
                                                      PAYMENT_METHODS)}),
    "simulate_acceptance": Change("record the client's answer to the invitation",
                                  {"granted_access": Shown("Access granted", "choice",
                                                           ACCESS)}),
    "reorder_with_balance": Change("place an order paid from your prepaid account",
                                   {"product": Shown("Product", "choice"),
                                    "quantity": Shown("Quantity")}),
    "request_payout": Change("pay money out of your prepaid account",
                             {"amount": Shown("Amount", "money"),
                              "iban": Shown("To the bank account", "iban"),
                              "paypal_email": Shown("To the PayPal account")}),
    "update_name": Change("change the name on your profile",
                          {"first_name": Shown("First name"),
                           "last_name": Shown("Last name")}),
    "set_avatar": Change("replace your profile picture", {"image_bytes": Shown("Picture",
                                                                               "secret")}),
    "update_reminder_settings": Change(
        "save your renewal reminder settings",
        {"enabled": Shown("Reminder emails before the renewal deadline", "yesno"),
         "days_before": Shown("Starting", "days"),
         "auto_renewal_reminder": Shown("Reminder 14 days before an automatic renewal",
                                        "yesno"),
         "renewal_confirmation": Shown("Renewal and debit confirmation", "yesno"),
         "invoice_notification": Shown("Invoice notification", "yesno")}),
    "create_tag": Change("create a tag", {"name": Shown("Name"),
                                          "colour": Shown("Colour", "choice")}),
    "tag_product": Change("tag a product", {"product_id": Shown("Product", "choice"),
                                            "tag_id": Shown("Tag", "choice")}),
    "untag_product": Change("remove a tag from a product",
                            {"product_id": Shown("Product", "choice"),
                             "tag_id": Shown("Tag", "choice")}),
    "rename_tag": Change("rename a tag", {"tag_id": Shown("Tag", "choice"),
                                          "name": Shown("New name")}),
    "delete_tag": Change("delete a tag from every product", {"tag_id": Shown("Tag",
                                                                              "choice")}),
    "remove_2fa_method": Change("remove a two-factor method",
                                {"method": Shown("Method", "choice", METHODS),
                                 "password": Shown("Password", "secret")}),
    "add_sms_method": Change("add SMS as a two-factor method",
                             {"phone": Shown("Mobile number"),
                              "code": Shown("Code from the SMS", "secret")}),
    "use_emergency_code": Change("use one of your emergency codes to sign in",
                                 {"code": Shown("Emergency code", "secret")}),
    "open_identity_verification": Change("open an identity check with support"),
}
"""The operations that change an account, with how their review shows them."""

READS = frozenset({
    "verify_password", "start_password_change", "list_app_passwords", "list_api_tokens",
    "security_overview", "contact_details", "whoami", "list_clients", "client_rights",
    "export_clients_csv", "get_balance", "price_quote", "get_profile",
    "get_reminder_settings", "list_products", "list_tags", "list_2fa_methods",
    "kauth_shows_account", "emergency_codes_status", "send_sms_code",
})
"""The operations that only read the account (or prepare a change without making it)."""


def changes_account(operation: str | None) -> bool:
    """Whether calling `operation` changes the account (and so needs a review first)."""
    return operation in CHANGES
