"""The product catalogue: monthly prices ex. VAT and the decreasing rate of hosting.

Web hosting's prices (CHF 9.92, EUR 5.75 a month) and the 25 % rate at 35 hostings are
the guide's worked example; the other prices and the tier bounds are the demo's own.
The decreasing rate only exists for Web and Mail hosting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from procedures.backend.errors import InvalidInput
from procedures.backend.money import rate


@dataclass(frozen=True)
class Offer:
    """One product that can be ordered, priced per unit and per month."""

    key: str
    name: str
    monthly: dict[str, Decimal]
    hosting: bool
    """Web or Mail hosting: the decreasing rate applies to quantities."""


CATALOGUE: dict[str, Offer] = {offer.key: offer for offer in (
    Offer("web-hosting", "Web hosting", {"CHF": Decimal("9.92"), "EUR": Decimal("5.75")},
          hosting=True),
    Offer("mail-service", "Mail Service", {"CHF": Decimal("1.58"), "EUR": Decimal("1.42")},
          hosting=True),
    Offer("domain-ch", "Domain name .ch", {"CHF": Decimal("0.83"), "EUR": Decimal("0.75")},
          hosting=False),
    Offer("kdrive", "kDrive", {"CHF": Decimal("4.99"), "EUR": Decimal("4.58")},
          hosting=False),
)}

DECREASING_TIERS: tuple[tuple[int, Decimal], ...] = (
    (1, rate("0.00")),
    (5, rate("0.05")),
    (10, rate("0.10")),
    (20, rate("0.15")),
    (30, rate("0.25")),
    (100, rate("0.30")),
)
"""(smallest quantity, rate) in increasing order: 35 hostings fall in the 25 % tier."""

MAX_QUANTITY = 1000


def offer(key: object) -> Offer:
    if not isinstance(key, str) or key not in CATALOGUE:
        raise InvalidInput("product", f"{key!r} is not in the catalogue; the products are: "
                                      f"{', '.join(CATALOGUE)}")
    return CATALOGUE[key]


def decreasing_rate(item: Offer, quantity: int) -> Decimal:
    """The decreasing rate for this many units: zero for anything but hosting."""
    if not item.hosting:
        return Decimal("0.00")
    return [tier_rate for start, tier_rate in DECREASING_TIERS if quantity >= start][-1]
