"""Who may do what: the rights checks every operation makes on the acting account.

The backend enforces these itself, like the real Manager: a procedure cannot skip a
check by not asking. Refusals say who the person is in the organization and who can do
the thing instead, so the reader knows whom to ask.
"""

from __future__ import annotations

from procedures.backend.errors import NotFound, PermissionDenied
from procedures.backend.records import OrganizationRecord, ProductRecord, UserRecord

ROLE_LABELS = {
    "legal_representative": "legal representative",
    "administrator": "administrator",
    "collaborator": "collaborator",
}


def who(user: UserRecord, org: OrganizationRecord) -> str:
    """"Marc Dubois is a collaborator of Alpine Web Agency"."""
    label = ROLE_LABELS[user.membership.role]
    article = "an" if label[0] in "aeiou" else "a"
    return f"{user.full_name} is {article} {label} of {org.name}"


def require_partner(user: UserRecord, org: OrganizationRecord) -> None:
    """Only members of a Partner organization have managed clients."""
    if not org.is_partner:
        raise PermissionDenied(f"{org.name} is not a Partner organization, so it has no "
                               "managed clients; join the Partner Program first")


def require_legal_rep(user: UserRecord, org: OrganizationRecord, action: str) -> None:
    if user.membership.role != "legal_representative":
        raise PermissionDenied(f"only legal representatives of {org.name} can {action}; "
                               f"{who(user, org)}")


def require_manager(user: UserRecord, org: OrganizationRecord, action: str) -> None:
    """Legal representatives and administrators manage what the organization shares."""
    if user.membership.role not in ("legal_representative", "administrator"):
        raise PermissionDenied(f"only legal representatives and administrators of {org.name} "
                               f"can {action}; {who(user, org)}")


def has_accounting(user: UserRecord) -> bool:
    return user.membership.role == "legal_representative" or user.membership.accounting


def require_accounting(user: UserRecord, org: OrganizationRecord, action: str) -> None:
    if not has_accounting(user):
        raise PermissionDenied(f"{who(user, org)} without access to Accounting, so cannot "
                               f"{action}; ask a legal representative to do it or to grant "
                               "accounting rights")


def can_access(user: UserRecord, product: ProductRecord) -> bool:
    allowed = user.membership.products
    return allowed is None or product.id in allowed


def accessible_products(user: UserRecord, org: OrganizationRecord) -> list[ProductRecord]:
    return [p for p in org.products if can_access(user, p)]


def require_product(user: UserRecord, org: OrganizationRecord, product_id: object
                    ) -> ProductRecord:
    """The organization's product with this id, if the user has access to it."""
    for product in org.products:
        if product.id == product_id:
            if not can_access(user, product):
                raise PermissionDenied(f"{user.full_name} has no access to the product "
                                       f"{product.name!r} ({product.id}); ask a legal "
                                       f"representative of {org.name} for access")
            return product
    known = ", ".join(p.id for p in accessible_products(user, org))
    raise NotFound(f"{org.name} has no product {product_id!r}; your products are: {known}")
