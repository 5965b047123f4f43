"""Values as people write them: the formats a template may name after a bar
(`{results.quote.rate|percent}`), and the dates that are always shown as dates.

A person reads "20%", "CHF 100.00", "28 November 2026" and "CH** **** **** **** *295 7",
never 0.20, a bare number without its currency, an ISO timestamp or a whole IBAN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from procedures.backend.iban import mask_iban

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                      r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
DEFAULT_CURRENCY = "CHF"
# The shortest IBANs (Norway's) have 15 characters.
MIN_IBAN_CHARS = 15


def when(value: Any) -> str | None:
    """An ISO date or timestamp as a date people write ("28 November 2026"), else None."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return f"{parsed.day} {parsed:%B %Y}"


def percent(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    """A rate as a fraction (0.2, "0.125") as a percentage ("20%", "12.5%")."""
    number = _decimal(value)
    if number is None:
        return str(value)
    shown = (number * 100).quantize(Decimal("0.01")).normalize()
    return f"{shown:f}%"


def money(value: Any, context: dict[str, Any], _arg: str = "") -> str:
    """An amount with its currency: the currency the backend quoted on this run."""
    number = _decimal(value)
    if number is None:
        return str(value)
    return f"{_currency(context)} {number.quantize(Decimal('0.01')):f}"


def iban(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    """An IBAN as the backend says it once the money is sent, so that the review and the
    result match: its country, check digits and last four characters ("CH93 **** ****
    **** *295 7"); anything too short to be one, masked but for its last four."""
    compact = "".join(str(value).split()).upper()
    if len(compact) >= MIN_IBAN_CHARS:
        return mask_iban(compact)
    return "*" * max(len(compact) - 4, 0) + compact[-4:]


def yesno(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    if isinstance(value, str):
        return value
    return "yes" if value else "no"


def either(value: Any, _context: dict[str, Any], arg: str = "") -> str:
    """A yes or no said in words of the overlay's own (`{…in_users_name|either:in your
    name/not in your name}`): the text before the slash for a true value, after it for a
    false one."""
    yes, _, no = arg.partition("/")
    return yes if value is True or (value not in (False, None, "", 0) and
                                    not isinstance(value, bool)) else no


def capital(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    """A value that opens a line or a sentence, with a capital ("your Infomaniak profile"
    as "Your Infomaniak profile"); a name such as "kDrive" keeps its case."""
    text = short(value)
    first = text.split(" ", 1)[0]
    return text[:1].upper() + text[1:] if first.isalpha() and first.islower() else text


def days(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    """A number of days before a deadline ("14 days before"); nothing as nothing (a
    review then leaves its line out)."""
    if value is None or value == "":
        return ""
    return f"{value} day{'s' if str(value) != '1' else ''} before"


def date_format(value: Any, _context: dict[str, Any], _arg: str = "") -> str:
    return when(value) or str(value)


def except_(value: Any, _context: dict[str, Any], arg: str = "") -> str:
    """A list without the items of one kind or id (`{results.methods|except:kauth}`: the
    methods that stay once kAuth is removed), as names; "none" when nothing is left."""
    items = value if isinstance(value, list) else [value]
    kept = [item for item in items
            if not (isinstance(item, dict) and arg in (item.get("kind"), item.get("id")))]
    return ", ".join(short(item) for item in kept) or "none"


FORMATS: dict[str, Callable[[Any, dict[str, Any], str], str]] = {
    "percent": percent, "money": money, "iban": iban, "yesno": yesno, "days": days,
    "date": date_format, "except": except_, "either": either, "capital": capital,
}
"""The formats a template may name after a bar."""


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _currency(context: dict[str, Any]) -> str:
    results = context.get("results") or {}
    for value in results.values() if isinstance(results, dict) else []:
        if isinstance(value, dict) and isinstance(value.get("currency"), str):
            return str(value["currency"])
    return DEFAULT_CURRENCY


def short(value: Any) -> str:
    """A value as a few words: a record by its label or name, a boolean as yes/no."""
    if isinstance(value, dict):
        for key in ("label", "name", "title", "id"):
            if key in value:
                return str(value[key])
    if isinstance(value, bool):
        return "yes" if value else "no"
    # A timestamp from the backend reads as a date ("28 November 2026").
    return when(value) or str(value)
