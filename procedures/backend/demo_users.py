"""The demo users: who each one is, which guide it demonstrates, and its starting state.

Every user signs in with DEMO_PASSWORD. Users with two-factor authentication all hold the
same five unused EMERGENCY_CODES (only their digests are stored). Organizations are in
`demo_organizations`; a user's `membership` says which one and with what rights.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from procedures.backend.demo_organizations import ALPINE
from procedures.backend.passwords import digest
from procedures.backend.records import (
    ApiTokenRecord,
    AppPasswordRecord,
    EmergencyCodeRecord,
    MembershipRecord,
    TwoFactorRecord,
    UserRecord,
)
from procedures.backend.twofactor import code_digest

DEMO_PASSWORD = "demo-Password-2026"
"""The password of every demo account."""
EMERGENCY_CODES = ("7K3Q-9XPA", "M4TR-2W8D", "Q9ZB-6HJ3", "X2LC-8N5F", "B6VE-4RYU")
"""The emergency codes of every demo account that has two-factor authentication."""
SEEDED_AT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


def _kauth(device: str) -> TwoFactorRecord:
    return TwoFactorRecord(kind="kauth", device=device, added_at=_at(2025, 6, 2))


def _sms(phone: str) -> TwoFactorRecord:
    return TwoFactorRecord(kind="sms", phone=phone, added_at=_at(2025, 6, 2))


def _user(name: str, description: str, first: str, last: str, email: str,
          membership: MembershipRecord, two_factor: tuple[TwoFactorRecord, ...] = (),
          **extra: Any) -> UserRecord:
    # A salt derived from the name keeps seeding deterministic, so the hash is cached.
    salt = hashlib.sha256(name.encode()).hexdigest()[:32]
    codes = [EmergencyCodeRecord(digest=code_digest(name, code)) for code in EMERGENCY_CODES]
    return UserRecord(
        name=name, description=description, first_name=first, last_name=last, email=email,
        password_salt=salt, password_digest=digest(DEMO_PASSWORD, salt),
        password_changed_at=extra.pop("password_changed_at", _at(2026, 3, 14)),
        membership=membership, two_factor=list(two_factor),
        kauth_shows_account=extra.pop("kauth_shows_account",
                                      any(m.kind == "kauth" for m in two_factor)),
        emergency_codes=codes if two_factor else [], **extra)


def _owner(org: str) -> MembershipRecord:
    return MembershipRecord(organization=org, role="legal_representative", accounting=True)


def users() -> list[UserRecord]:
    """Fresh records of every demo user, in the order they are offered."""
    return [
        _user("legal-rep", "Legal representative of the Partner organization Alpine Web "
              "Agency: adds managed clients, exports them, gets partner prices and cashback, "
              "manages tags; kAuth and SMS two-factor.",
              "Claire", "Favre", "claire.favre@alpine-web.ch", _owner(ALPINE),
              (_kauth("iPhone 15 (Claire)"), _sms("+41791234567")),
              app_passwords=[AppPasswordRecord(id="app-1", label="Thunderbird, office PC",
                                               created_at=_at(2025, 1, 10))],
              api_tokens=[ApiTokenRecord(id="tok-1", label="Deploy script",
                                         scopes=["hosting"], created_at=_at(2025, 4, 1))]),
        _user("administrator", "Administrator of Alpine Web Agency: may rename and delete "
              "tags and see accounting, but only legal representatives add clients.",
              "Julie", "Martin", "julie.martin@alpine-web.ch",
              MembershipRecord(organization=ALPINE, role="administrator", accounting=True),
              (_sms("+41792223344"),)),
        _user("collaborator", "Collaborator of Alpine Web Agency without legal or accounting "
              "rights, with access to two hostings: sees clients, cannot invite, export, "
              "change reminders or delete tags.",
              "Marc", "Dubois", "marc.dubois@alpine-web.ch",
              MembershipRecord(organization=ALPINE, role="collaborator", accounting=False,
                               products=["web-1", "web-2"]),
              (_sms("+41795556677"),)),
        _user("kauth-only", "Two-factor through the kAuth app alone, account still shown in "
              "the app: removing kAuth turns two-factor off.",
              "Sofia", "Keller", "sofia@keller-consulting.ch", _owner("keller-consulting"),
              (_kauth("Pixel 8 (Sofia)"),)),
        _user("kauth-sms", "Two-factor through kAuth and SMS: removing kAuth keeps SMS.",
              "Jonas", "Meier", "jonas@meier-photo.ch", _owner("meier-photography"),
              (_kauth("iPhone 13 (Jonas)"), _sms("+41787654321"))),
        _user("kauth-lost", "kAuth only, but the account is gone from the app after a phone "
              "change: regain access with an emergency code or an identity check.",
              "Nina", "Bernasconi", "nina@bernasconi-arch.ch", _owner("bernasconi-architects"),
              (_kauth("Galaxy S21 (previous phone)"),), kauth_shows_account=False),
        _user("compromised", "Suspected hack: an old password, no two-factor, three "
              "application passwords and two API tokens to delete.",
              "Paul", "Girard", "paul.girard@girard-conseil.ch", _owner("girard-conseil"),
              password_changed_at=_at(2023, 5, 2),
              app_passwords=[
                  AppPasswordRecord(id="app-11", label="Outlook, laptop",
                                    created_at=_at(2024, 2, 1), last_used_at=_at(2026, 10, 30)),
                  AppPasswordRecord(id="app-12", label="iPhone Mail",
                                    created_at=_at(2024, 9, 12)),
                  AppPasswordRecord(id="app-13", label="imap-sync",
                                    created_at=_at(2026, 10, 29),
                                    last_used_at=_at(2026, 10, 31))],
              api_tokens=[
                  ApiTokenRecord(id="tok-11", label="Backup script", scopes=["drive"],
                                 created_at=_at(2024, 3, 3)),
                  ApiTokenRecord(id="tok-12", label="token", scopes=["mail", "hosting"],
                                 created_at=_at(2026, 10, 29), expires_at=_at(2027, 10, 29))]),
        _user("prepaid", "CHF 120.50 on the prepaid account from an interrupted order: "
              "order again with it or have it paid out to a bank account or PayPal.",
              "Emma", "Schneider", "emma@schneider-bikes.ch", _owner("schneider-bikes"),
              (_sms("+41761112233"),)),
        _user("foreign-owner", "Pays for Rossi Immobilier, but a third party is the billing "
              "contact and one domain's owner is someone else.",
              "Luca", "Rossi", "luca.rossi@rossi-immobilier.ch", _owner("rossi-immobilier"),
              (_sms("+41917778899"),)),
    ]
