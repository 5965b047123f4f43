"""The three kinds of partnership between a Partner and a managed Client, and their rules.

A Client grants full or limited access; with full access, orders are paid with the
Client's or the Partner's payment methods. Who gets cashback and who gets a discount
follows from that and from who places the order, as the partner-discount-cashback guide
lists case by case. Pricing and the client-rights view both read the rules from here.
"""

from __future__ import annotations

from typing import Literal

from procedures.backend.errors import NotFound
from procedures.backend.records import ClientRecord, OrganizationRecord

Benefit = Literal["discount", "cashback", "none"]
OrderedBy = Literal["partner", "client"]


def partnership_name(access: str, payment_methods: str) -> str:
    """The guide's name for the partnership type."""
    if access == "limited":
        return "limited access"
    whose = "Client's" if payment_methods == "client" else "Partner's"
    return f"full access ({whose} payment methods)"


def benefit_for(access: str, payment_methods: str, ordered_by: str) -> tuple[Benefit, str]:
    """What the Partner gets on an order or renewal, and the guide's reason for it."""
    kind = partnership_name(access, payment_methods)
    if ordered_by == "client":
        return "cashback", (f"with a partnership with {kind}, the Partner gets cashback "
                            "when the Client orders or renews")
    if access == "full" and payment_methods == "client":
        return "cashback", ("the Partner orders on behalf of the Client with the Client's "
                            "payment methods: the Partner gets cashback")
    if access == "full":
        return "discount", ("the Partner orders on behalf of the Client with the Partner's "
                            "payment methods: the Partner gets the discount")
    return "none", ("with limited access the Partner does not order on behalf of the "
                    "Client; only the Client's own orders bring cashback")


def find_client(org: OrganizationRecord, client_id: object) -> ClientRecord:
    for client in org.clients:
        if client.id == client_id:
            return client
    known = ", ".join(f"{c.id} ({c.name})" for c in org.clients) or "none yet"
    raise NotFound(f"{org.name} has no managed client {client_id!r}; its clients are: {known}")
