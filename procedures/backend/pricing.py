"""Price quotes: public price, Partner discount, decreasing rate of hosting, cashback.

Amounts are rounded to the cent at each step, as the guide shows them. The Partner's
preferential price is the public price less the 20 % Partner discount, less the
decreasing rate on what is left (35 Web hostings: CHF 347.20, 277.76, 208.32). With a
discount the Partner pays that price. With cashback the payer pays the public price
after the decreasing rate (which anyone ordering that many gets), and the difference to
the preferential price is credited to the Partner's prepaid account.
"""

from __future__ import annotations

from decimal import Decimal

from procedures.backend import catalogue, validation
from procedures.backend.errors import InvalidInput, PermissionDenied
from procedures.backend.money import Money, Rate, cents, parse_currency, rate
from procedures.backend.operation import BackendBase, operation
from procedures.backend.partnership import Benefit, OrderedBy, benefit_for, find_client
from procedures.backend.records import View

PARTNER_DISCOUNT = rate("0.20")
ORDERERS: tuple[OrderedBy, ...] = ("partner", "client")


class Quote(View):
    """A monthly price, ex. VAT, step by step, with the Partner's benefit."""

    product: str
    product_name: str
    quantity: int
    currency: str
    unit_price: Money
    public_price: Money
    """Unit price × quantity."""
    decreasing_rate: Rate
    public_price_after_decreasing_rate: Money
    partner_discount_rate: Rate | None
    """None when the organization is not a Partner."""
    price_after_partner_discount: Money | None
    partner_price: Money | None
    """The Partner's preferential price: after the discount, then the decreasing rate."""
    client_id: str | None
    ordered_by: OrderedBy
    benefit: Benefit
    cashback: Money
    """Credited to the Partner's prepaid account (zero unless benefit is cashback)."""
    final_price: Money
    """What the payer is charged, per month, ex. VAT."""
    reason: str


def _less(amount: Decimal, fraction: Decimal) -> Decimal:
    return cents(amount * (1 - fraction))


class PricingOperations(BackendBase):
    """Quotes for the partner-discount-cashback guide."""

    @operation
    def price_quote(self, acct: str, product: str, quantity: int, currency: str,
                    client_id: str | None = None, ordered_by: str = "partner") -> Quote:
        """The monthly price of an order, with the Partner's benefit for the case."""
        item = catalogue.offer(product)
        validation.integer("quantity", quantity, minimum=1, maximum=catalogue.MAX_QUANTITY,
                           label="quantity")
        currency = parse_currency(currency)
        orderer = validation.choice("ordered_by", ordered_by, ORDERERS, label="orderer")
        with self._transaction() as tx:
            _, org = self._member(tx, acct)
            client = None
            if client_id is not None:
                if not org.is_partner:
                    raise PermissionDenied(f"{org.name} is not a Partner organization, so it "
                                           "cannot order on behalf of clients")
                client = find_client(org, client_id)
        if orderer == "client" and client is None:
            raise InvalidInput("client_id", "say which client orders: an order placed by a "
                                            "client needs the client's id")
        public = cents(item.monthly[currency] * quantity)
        decreasing = catalogue.decreasing_rate(item, quantity)
        public_after_rate = _less(public, decreasing)
        after_discount = partner_price = None
        if org.is_partner:
            after_discount = _less(public, PARTNER_DISCOUNT)
            partner_price = _less(after_discount, decreasing)
        benefit: Benefit
        if client is None:
            benefit, reason = "none", (
                "the guide names a Partner benefit only for orders of or for a managed "
                "client; this order is the organization's own" if org.is_partner else
                f"{org.name} is not a Partner: public prices apply")
        else:
            benefit, reason = benefit_for(client.access, client.payment_methods, orderer)
        cashback, final = Decimal("0.00"), public_after_rate
        if benefit == "discount" and partner_price is not None:
            final = partner_price
        elif benefit == "cashback" and partner_price is not None:
            cashback = public_after_rate - partner_price
        return Quote(
            product=item.key, product_name=item.name, quantity=quantity, currency=currency,
            unit_price=item.monthly[currency], public_price=public, decreasing_rate=decreasing,
            public_price_after_decreasing_rate=public_after_rate,
            partner_discount_rate=PARTNER_DISCOUNT if org.is_partner else None,
            price_after_partner_discount=after_discount, partner_price=partner_price,
            client_id=client.id if client else None, ordered_by=orderer,
            benefit=benefit, cashback=cashback, final_price=final, reason=reason)
