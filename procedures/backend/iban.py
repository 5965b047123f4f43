"""IBAN checks for payouts: the country's length and the ISO 7064 mod-97 checksum.

A payout to a mistyped account number is money that has to be chased back, so the
number is checked for real before any balance is touched. People copy IBANs from
statements with spaces ("CH93 0076 2011 6238 5295 7"); those are accepted.
"""

from __future__ import annotations

import re

from procedures.backend.errors import InvalidInput

# IBAN lengths from the SWIFT IBAN registry; other countries get the general 15-34 limit.
LENGTHS: dict[str, int] = dict(
    (entry[:2], int(entry[2:])) for entry in """
    AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22
    DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21
    HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27
    MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24
    RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22
    VG24 XK20 YE30""".split())

_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]+$")


def normalise_iban(value: object, field: str = "iban") -> str:
    """The IBAN without spaces, upper-cased, if it is well-formed and its checksum holds."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "give the IBAN of the account to pay to, like "
                                  "CH93 0076 2011 6238 5295 7")
    iban = re.sub(r"\s+", "", value).upper()
    if not _SHAPE.match(iban):
        raise InvalidInput(field, f"{value.strip()!r} is not an IBAN: it starts with a "
                                  "country code and two check digits, then letters and digits")
    country = iban[:2]
    expected = LENGTHS.get(country)
    if expected is not None and len(iban) != expected:
        raise InvalidInput(field, f"an IBAN from {country} has {expected} characters; "
                                  f"this one has {len(iban)}")
    if expected is None and not 15 <= len(iban) <= 34:
        raise InvalidInput(field, f"an IBAN has 15 to 34 characters; this one has {len(iban)}")
    if not 2 <= int(iban[2:4]) <= 98 or checksum(iban) != 1:
        raise InvalidInput(field, f"the IBAN {format_iban(iban)} has a wrong check number; "
                                  "a character was probably mistyped")
    return iban


def checksum(iban: str) -> int:
    """ISO 7064 mod 97-10: country and check digits moved to the end, letters as 10-35."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def format_iban(iban: str) -> str:
    """Groups of four, as printed on statements."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def mask_iban(iban: str) -> str:
    """Country, check digits and the last four characters: "CH93 **** **** **** *295 7"."""
    hidden = iban[:4] + "*" * (len(iban) - 8) + iban[-4:]
    return format_iban(hidden)
