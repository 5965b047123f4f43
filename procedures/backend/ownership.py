"""Who holds the rights: the contact details to check against the paying user's name.

Paying for a service does not make one its owner; the contacts do. This gathers the four
sets of contact details the payment-vs-ownership guide lists (profile, organization,
billing, and each domain's owner) and says for each whether it is in the user's name,
matching the full name or the email address regardless of case and spacing.
"""

from __future__ import annotations

from procedures.backend.operation import BackendBase, operation
from procedures.backend.permissions import accessible_products
from procedures.backend.records import ContactRecord, UserRecord, View


class ContactCheck(View):
    """One set of contact details and whether it is in the user's name."""

    role: str
    """"profile", "organization", "billing" or "domain owner"."""
    label: str
    name: str
    email: str
    organization: str | None
    in_users_name: bool


class DomainContact(View):
    """A domain of the organization and its owner contact."""

    domain: str
    product_id: str
    owner: ContactCheck


class ContactDetails(View):
    """Every contact the guide asks to verify, each checked against the user."""

    user_full_name: str
    user_email: str
    profile: ContactCheck
    organization: ContactCheck
    billing: ContactCheck
    domains: list[DomainContact]
    not_in_users_name: list[str]
    """Labels of the contacts to look at, in the order the guide lists them."""


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def check(user: UserRecord, role: str, label: str, contact: ContactRecord) -> ContactCheck:
    mine = _same(contact.name, user.full_name) or _same(contact.email, user.email)
    return ContactCheck(role=role, label=label, name=contact.name, email=contact.email,
                        organization=contact.organization, in_users_name=mine)


class OwnershipOperations(BackendBase):
    """Operations of the payment-vs-ownership guide."""

    @operation
    def contact_details(self, acct: str) -> ContactDetails:
        """Profile, organization and billing contacts, and the owner of each domain the
        user has access to, each marked in or not in the user's name."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        own = ContactRecord(name=user.full_name, email=user.email, address="")
        profile = check(user, "profile", "your Infomaniak profile", own)
        organization = check(user, "organization", f"the organization {org.name}", org.contact)
        billing = check(user, "billing", "the billing information", org.billing)
        domains = [DomainContact(domain=p.name, product_id=p.id,
                                 owner=check(user, "domain owner", f"the domain {p.name}",
                                             p.owner))
                   for p in accessible_products(user, org) if p.owner is not None]
        every = [profile, organization, billing, *(d.owner for d in domains)]
        return ContactDetails(user_full_name=user.full_name, user_email=user.email,
                              profile=profile, organization=organization, billing=billing,
                              domains=domains,
                              not_in_users_name=[c.label for c in every if not c.in_users_name])
