"""Money: Decimal amounts rounded to the cent, parsed strictly from what callers send.

Floats never hold money here. Every amount the backend stores or returns goes through
`cents` (ROUND_HALF_UP, the rounding of invoices), and serialises to JSON as a string
such as "208.32", so no client re-reads it as a binary float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, PlainSerializer

from procedures.backend.errors import InvalidInput

CENT = Decimal("0.01")

Currency = Literal["CHF", "EUR"]
CURRENCIES: tuple[str, ...] = get_args(Currency)


def cents(amount: Decimal) -> Decimal:
    """The amount rounded to the cent, half up (0.005 becomes 0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(value: str) -> Decimal:
    """A rate written as in the guides ("0.20" for 20 %), kept exact."""
    return Decimal(value)


Money = Annotated[
    Decimal,
    AfterValidator(cents),
    PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str, when_used="json"),
]
"""A Decimal amount in cents; "208.32" in JSON."""

Rate = Annotated[
    Decimal, PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json")
]
"""A fraction such as 0.25 for 25 %; "0.25" in JSON."""


def format_money(amount: Decimal, currency: str) -> str:
    """An amount as people read it on an invoice: "CHF 120.50"."""
    return f"{currency} {cents(amount):.2f}"


def parse_currency(value: object, field: str = "currency") -> str:
    if not isinstance(value, str) or value.strip().upper() not in CURRENCIES:
        raise InvalidInput(field, f"{value!r} is not a currency we bill in; "
                                  f"use one of {', '.join(CURRENCIES)}")
    return value.strip().upper()


def parse_amount(value: object, field: str = "amount") -> Decimal:
    """A positive amount to the cent from a Decimal, an int or a text such as "120.50".

    A float is read through its shortest text form (120.5 is "120.5"), never through its
    binary value; more than two decimals is refused rather than silently rounded, because
    the person meant a precise sum.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInput(field, f"the amount must be a number such as 120.50, not {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(field, f"{value!r} is not an amount; write it like 120.50") from None
    if not amount.is_finite():
        raise InvalidInput(field, f"{value!r} is not an amount; write it like 120.50")
    if amount != cents(amount):
        raise InvalidInput(field, f"{value} has more than two decimals; amounts are in cents")
    if amount <= 0:
        raise InvalidInput(field, f"the amount must be more than zero, not {value}")
    return cents(amount)
