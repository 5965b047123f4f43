"""The prepaid account: money from an interrupted order, spent again or paid out.

If an order is cancelled while its bank transfer is under way, the money lands here.
The balance never goes below zero: an order or a payout larger than it is refused
whole, never partly carried out. Payouts go to an IBAN (checked for real) or PayPal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from procedures.backend import catalogue, validation
from procedures.backend.errors import Conflict, InvalidInput
from procedures.backend.iban import mask_iban, normalise_iban
from procedures.backend.money import Money, cents, format_money, parse_amount
from procedures.backend.operation import BackendBase, operation
from procedures.backend.permissions import require_accounting
from procedures.backend.records import MovementRecord, View

PAYOUT_METHODS = ("bank", "paypal")


class Balance(View):
    """The prepaid account's balance and where the money came from."""

    amount: Money
    currency: str
    origin: str | None
    """Where the money came from, e.g. the interrupted order."""
    payout_possible: bool


class Order(View):
    """An order paid from the prepaid balance."""

    reference: str
    product: str
    quantity: int
    amount: Money
    currency: str
    new_balance: Money


class Payout(View):
    """A requested transfer of prepaid money to the user."""

    reference: str
    amount: Money
    currency: str
    method: str
    destination: str
    """The IBAN masked, or the PayPal address."""
    new_balance: Money
    requested_at: datetime


class PrepaidOperations(BackendBase):
    """Operations of the prepaid-account-interrupted-order guide (Accounting rights)."""

    @operation
    def get_balance(self, acct: str) -> Balance:
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        require_accounting(user, org, "see the prepaid account")
        return Balance(amount=org.prepaid.balance, currency=org.prepaid.currency,
                       origin=org.prepaid.origin, payout_possible=org.prepaid.balance > 0)

    @operation
    def reorder_with_balance(self, acct: str, product: str, quantity: int) -> Order:
        """Order again, paying the public price from the prepaid balance."""
        item = catalogue.offer(product)
        validation.integer("quantity", quantity, minimum=1, maximum=catalogue.MAX_QUANTITY,
                           label="quantity")
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_accounting(user, org, "order with the prepaid account")
            prepaid = org.prepaid
            price = cents(item.monthly[prepaid.currency] * quantity)
            if price > prepaid.balance:
                raise Conflict(
                    f"this order costs {format_money(price, prepaid.currency)} but the "
                    f"prepaid balance is {format_money(prepaid.balance, prepaid.currency)}; "
                    f"{format_money(price - prepaid.balance, prepaid.currency)} is missing")
            reference = f"ORD-{self._now():%Y}-{tx.next_number('order', 4300):06d}"
            prepaid.balance -= price
            prepaid.movements.append(MovementRecord(
                at=self._now(), amount=-price, label=f"order {reference}: {quantity} × "
                                                     f"{item.name}"))
            tx.save(org)
        return Order(reference=reference, product=item.key, quantity=quantity, amount=price,
                     currency=prepaid.currency, new_balance=prepaid.balance)

    @operation
    def request_payout(self, acct: str, amount: Decimal | str | int, method: str,
                       iban: str | None = None, paypal_email: str | None = None) -> Payout:
        """Send part or all of the balance to a bank account (IBAN) or a PayPal account."""
        value = parse_amount(amount)
        validation.choice("method", method, PAYOUT_METHODS, label="payout method")
        if method == "bank":
            destination = mask_iban(normalise_iban(iban))
        else:
            destination = validation.email("paypal_email", paypal_email)
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_accounting(user, org, "request a payout of the prepaid account")
            prepaid = org.prepaid
            if value > prepaid.balance:
                raise InvalidInput("amount", f"{format_money(value, prepaid.currency)} is more "
                                             "than the prepaid balance of "
                                             f"{format_money(prepaid.balance, prepaid.currency)}")
            now = self._now()
            reference = f"PO-{now:%Y}-{tx.next_number('payout'):06d}"
            prepaid.balance -= value
            prepaid.movements.append(MovementRecord(
                at=now, amount=-value, label=f"payout {reference} to {destination}"))
            tx.save(org)
        return Payout(reference=reference, amount=value, currency=prepaid.currency,
                      method=method, destination=destination, new_balance=prepaid.balance,
                      requested_at=now)

