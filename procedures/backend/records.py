"""The mock's data: users and organizations as stored in SQLite, and the base of views.

Records are read back from a database file that another version of the mock or a hand edit
may have written, so they forbid unknown fields and fail loudly. A user belongs to one
organization; the organization holds what its members share (products, tags, clients,
prepaid account, billing settings). Views are what operations return: frozen and
JSON-serialisable, never the records themselves, so no secret digest leaks out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from procedures.backend.money import Currency, Money

Role = Literal["legal_representative", "administrator", "collaborator"]
Access = Literal["full", "limited"]
PaymentMethods = Literal["client", "partner"]


class Record(BaseModel):
    """Stored data: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class View(BaseModel):
    """Returned data: immutable, and `model_dump(mode="json")` is ready to send."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ContactRecord(Record):
    """Contact details: a person, possibly for an organization."""

    name: str
    email: str
    organization: str | None = None
    address: str


class AvatarRecord(Record):
    """What is kept of an uploaded picture: its measurements, not its bytes."""

    format: str
    width: int
    height: int
    size_bytes: int
    sha256: str


class TwoFactorRecord(Record):
    """One configured two-factor method."""

    kind: Literal["kauth", "sms"]
    device: str | None = None
    """kAuth: the phone the app runs on."""
    phone: str | None = None
    """SMS: the number in E.164 form (+41791234567)."""
    added_at: datetime


class SmsVerificationRecord(Record):
    """A code sent by SMS to confirm a number before it protects the account. The demo
    backend keeps it readable so the demo-account page can show the "SMS" it sent."""

    phone: str
    code: str
    sent_at: datetime


class EmergencyCodeRecord(Record):
    """One emergency code, by digest, and when it was used."""

    digest: str
    """sha256 of account name and code: the codes themselves are not stored."""
    used_at: datetime | None = None


class AppPasswordRecord(Record):
    """An application password's metadata (the mock keeps no secret)."""

    id: str
    label: str
    created_at: datetime
    last_used_at: datetime | None = None


class ApiTokenRecord(Record):
    """An API token's metadata (the mock keeps no secret)."""

    id: str
    label: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None = None


class CaseRecord(Record):
    """An identity-verification case handed to support."""

    reference: str
    reason: str
    opened_at: datetime


class MembershipRecord(Record):
    """The user's place in its organization."""

    organization: str
    """The organization's id."""
    role: Role
    accounting: bool
    """Whether the member sees the Accounting section (balance, reminders, payouts)."""
    products: list[str] | None = None
    """Ids of the products the member may manage; None means all of them."""


class UserRecord(Record):
    """A user account: identity, password state, two-factor, credentials."""

    name: str
    """The account name, which identifies the acting account in every operation."""
    description: str
    """What this demo account is for, shown when choosing one."""
    first_name: str
    last_name: str
    email: str
    password_salt: str
    password_digest: str
    password_changed_at: datetime
    failed_attempts: int = 0
    """Wrong passwords in a row since the last correct one or the last lock."""
    locked_until: datetime | None = None
    password_ticket_digest: str | None = None
    """A password change started with the current password, finished with the new one."""
    password_ticket_expires: datetime | None = None
    membership: MembershipRecord
    two_factor: list[TwoFactorRecord] = Field(default_factory=list)
    kauth_shows_account: bool = False
    """Whether the account still appears in the user's kAuth app."""
    emergency_codes: list[EmergencyCodeRecord] = Field(default_factory=list)
    app_passwords: list[AppPasswordRecord] = Field(default_factory=list)
    api_tokens: list[ApiTokenRecord] = Field(default_factory=list)
    avatar: AvatarRecord | None = None
    cases: list[CaseRecord] = Field(default_factory=list)
    sms_verification: SmsVerificationRecord | None = None
    """The last confirmation code sent by SMS, until the number is added."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class TagRecord(Record):
    """A tag of the organization."""

    id: str
    name: str
    colour: str


class ProductRecord(Record):
    """A product of the organization, with the ids of its tags."""

    id: str
    kind: str
    """A catalogue key: web-hosting, mail-service, domain-ch, kdrive."""
    name: str
    owner: ContactRecord | None = None
    """Domains only: the owner (registrant) contact, who holds the rights."""
    tags: list[str] = Field(default_factory=list)


class ClientRecord(Record):
    """A Partner's managed client."""

    id: str
    name: str
    email: str
    access: Access
    payment_methods: PaymentMethods
    requested_access: Access
    since: date


class InvitationRecord(Record):
    """An invitation from a Partner to a prospective client."""

    id: str
    email: str
    access: Access
    payment_methods: PaymentMethods
    status: Literal["pending", "accepted"]
    created_at: datetime
    client_id: str | None = None


class MovementRecord(Record):
    """One entry in the prepaid account's history."""

    at: datetime
    amount: Money
    """Positive for money coming in, negative for money going out."""
    label: str


class PrepaidRecord(Record):
    """The organization's prepaid account."""

    balance: Money
    currency: Currency
    origin: str | None = None
    movements: list[MovementRecord] = Field(default_factory=list)


class RemindersRecord(Record):
    """The renewal reminder settings."""

    enabled: bool
    days_before: int | None
    auto_renewal_reminder: bool
    renewal_confirmation: bool
    invoice_notification: bool


class OrganizationRecord(Record):
    """An organization and what its members share."""

    id: str
    name: str
    is_partner: bool
    contact: ContactRecord
    billing: ContactRecord
    prepaid: PrepaidRecord
    reminders: RemindersRecord
    products: list[ProductRecord] = Field(default_factory=list)
    tags: list[TagRecord] = Field(default_factory=list)
    clients: list[ClientRecord] = Field(default_factory=list)
    invitations: list[InvitationRecord] = Field(default_factory=list)
