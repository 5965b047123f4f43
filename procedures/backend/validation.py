"""Checks on what callers send: text, choices, numbers, email addresses, phone numbers.

Each check returns the cleaned value or raises InvalidInput naming the field and saying
what would be accepted. Callers are procedures fed by people and by JSON, so wrong types
(None, a number for a name) get the same readable refusal as wrong values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import TypeVar

from procedures.backend.errors import InvalidInput

# Bidirectional overrides can make a name display differently from what is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$")

_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS
               for ch in value)


def text(field: str, value: object, *, label: str, max_length: int) -> str:
    """Trimmed, non-empty text of at most `max_length` characters, without control
    characters (a line break or a tab in a name would break every display of it)."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"the {label} must be text, not {value!r}")
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(field, f"the {label} cannot be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"the {label} is {len(cleaned)} characters long; "
                                  f"it can have at most {max_length}")
    if _has_control(cleaned):
        raise InvalidInput(field, f"the {label} contains a control character (a line "
                                  "break, a tab or an invisible formatting mark); remove it")
    return cleaned


S = TypeVar("S", bound=str)


def choice(field: str, value: object, options: Collection[S], *, label: str) -> S:
    """The option equal to value, typed as precisely as the options are."""
    if isinstance(value, str):
        for option in options:
            if option == value:
                return option
    raise InvalidInput(field, f"{value!r} is not a valid {label}; choose one of: "
                              f"{', '.join(options)}")


def flag(field: str, value: object) -> bool:
    """A real boolean: "false" as text is truthy in Python, so it is refused."""
    if not isinstance(value, bool):
        raise InvalidInput(field, f"{field} must be true or false, not {value!r}")
    return value


def integer(field: str, value: object, *, minimum: int, maximum: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"the {label} must be a whole number, not {value!r}")
    if not minimum <= value <= maximum:
        raise InvalidInput(field, f"the {label} must be between {minimum} and {maximum}, "
                                  f"not {value}")
    return value


def identifier(field: str, value: object, *, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, f"give the {label}'s id, not {value!r}")
    return value.strip()


def email(field: str, value: object) -> str:
    """An address like jane.doe@example.ch, trimmed, its domain lower-cased."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"the email address must be text, not {value!r}")
    cleaned = value.strip()
    match = _EMAIL.match(cleaned)
    if not match or len(cleaned) > 254 or len(match["local"]) > 64:
        raise InvalidInput(field, f"{cleaned!r} is not an email address; it should look "
                                  "like name@example.ch")
    return f"{match['local']}@{match['domain'].lower()}"


def phone(field: str, value: object) -> str:
    """A mobile number in international (E.164) form: +41791234567.

    Spaces, dots, dashes, slashes and brackets are accepted as people type them, and a
    leading 00 is read as +; what is left must be + and 8 to 15 digits.
    """
    if not isinstance(value, str):
        raise InvalidInput(field, f"the phone number must be text, not {value!r}")
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        raise InvalidInput(field, f"{value.strip()!r} is not a phone number in international "
                                  "format; write it with the country code, like "
                                  "+41 79 123 45 67")
    return compact


def mask_phone(number: str) -> str:
    """"+41791234567" as "+41 ******* 67": enough to recognise it, not to call it."""
    return f"{number[:3]} {'*' * (len(number) - 5)} {number[-2:]}"
