"""The Partner's managed clients: who I am, inviting a client, its answer, its rights.

Only legal representatives of a Partner organization add clients (the guide's
prerequisite). The invited client may grant narrower rights than requested; the
acceptance is simulated here, since in reality it happens in the client's mailbox.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from procedures.backend import validation
from procedures.backend.errors import Conflict, InvalidInput, NotFound
from procedures.backend.operation import BackendBase, operation
from procedures.backend.partnership import (
    Benefit,
    benefit_for,
    find_client,
    partnership_name,
)
from procedures.backend.permissions import has_accounting, require_legal_rep, require_partner
from procedures.backend.records import (
    Access,
    ClientRecord,
    InvitationRecord,
    PaymentMethods,
    Role,
    View,
)

ACCESS: tuple[Access, ...] = ("full", "limited")
PAYMENT_METHODS: tuple[PaymentMethods, ...] = ("client", "partner")
CSV_HEADER = ("client_id", "name", "email", "access", "payment_methods", "since")


class Identity(View):
    """The acting user, its organization and its role there."""

    user: str
    full_name: str
    email: str
    organization_id: str
    organization: str
    role: Role
    is_partner: bool
    accounting: bool


class Client(View):
    """A managed client and the rights it granted the Partner."""

    id: str
    name: str
    email: str
    access: Access
    payment_methods: PaymentMethods
    requested_access: Access
    partnership: str
    since: date


class ClientRights(View):
    """What a client's partnership lets the Partner do, and earn."""

    client: Client
    partner_manages: str
    partner_orders_on_behalf: bool
    benefit_when_client_orders: Benefit
    benefit_when_partner_orders: Benefit


class Invitation(View):
    """An invitation sent to a prospective client."""

    id: str
    email: str
    access: Access
    payment_methods: PaymentMethods
    status: str
    created_at: datetime


def client_view(client: ClientRecord) -> Client:
    return Client(**client.model_dump(),
                  partnership=partnership_name(client.access, client.payment_methods))


def _spreadsheet_safe(cell: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


class PartnerOperations(BackendBase):
    """Operations of the partner-add-managed-client guide."""

    @operation
    def whoami(self, acct: str) -> Identity:
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        return Identity(user=user.name, full_name=user.full_name, email=user.email,
                        organization_id=org.id, organization=org.name,
                        role=user.membership.role, is_partner=org.is_partner,
                        accounting=has_accounting(user))

    @operation
    def list_clients(self, acct: str) -> list[Client]:
        """The Partner organization's managed clients (any member of it may look)."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        require_partner(user, org)
        return [client_view(c) for c in org.clients]

    @operation
    def invite_client(self, acct: str, email: str, access: str,
                      payment_methods: str) -> Invitation:
        """Ask a client by email for full or limited access (legal representatives only)."""
        address = validation.email("email", email)
        chosen_access = validation.choice("access", access, ACCESS, label="access")
        chosen_payment = validation.choice("payment_methods", payment_methods, PAYMENT_METHODS,
                                           label="payment method owner")
        if chosen_access == "limited" and chosen_payment == "partner":
            raise InvalidInput("payment_methods", "with limited access the client pays with "
                                                  "their own payment methods; choose "
                                                  "'client' or ask for full access")
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_partner(user, org)
            require_legal_rep(user, org, "add clients")
            key = address.casefold()
            if any(c.email.casefold() == key for c in org.clients):
                raise Conflict(f"{address} is already a managed client of {org.name}")
            if any(i.email.casefold() == key and i.status == "pending"
                   for i in org.invitations):
                raise Conflict(f"an invitation to {address} is already waiting for an answer")
            invitation = InvitationRecord(
                id=f"inv-{tx.next_number('invitation')}", email=address, access=chosen_access,
                payment_methods=chosen_payment, status="pending", created_at=self._now())
            org.invitations.append(invitation)
            tx.save(org)
        return Invitation(**invitation.model_dump(exclude={"client_id"}))

    @operation
    def simulate_acceptance(self, acct: str, invitation_id: str,
                            granted_access: str | None = None) -> Client:
        """Play the client's part: accept, granting the requested or narrower access."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_partner(user, org)
            require_legal_rep(user, org, "handle client invitations")
            invitation = next((i for i in org.invitations if i.id == invitation_id), None)
            if invitation is None:
                raise NotFound(f"{org.name} has no invitation {invitation_id!r}")
            if invitation.status != "pending":
                raise Conflict(f"the invitation to {invitation.email} was already accepted")
            granted = invitation.access if granted_access is None else validation.choice(
                "granted_access", granted_access, ACCESS, label="access")
            if invitation.access == "limited" and granted == "full":
                raise InvalidInput("granted_access", "the client can grant the requested "
                                                     "access or less, not more: limited "
                                                     "access was requested")
            client = ClientRecord(
                id=f"cli-{tx.next_number('client')}", name=invitation.email,
                email=invitation.email, access=granted,
                payment_methods="client" if granted == "limited" else invitation.payment_methods,
                requested_access=invitation.access, since=self._now().date())
            invitation.status, invitation.client_id = "accepted", client.id
            org.clients.append(client)
            tx.save(org)
        return client_view(client)

    @operation
    def client_rights(self, acct: str, client_id: str) -> ClientRights:
        """What the client granted, and what the partnership means for orders."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        require_partner(user, org)
        client = find_client(org, client_id)
        full = client.access == "full"
        return ClientRights(
            client=client_view(client),
            partner_manages=("the client's whole account and products" if full else
                             "only the products the client assigns to the Partner"),
            partner_orders_on_behalf=full,
            benefit_when_client_orders=benefit_for(client.access, client.payment_methods,
                                                   "client")[0],
            benefit_when_partner_orders=benefit_for(client.access, client.payment_methods,
                                                    "partner")[0])

    @operation
    def export_clients_csv(self, acct: str) -> str:
        """The managed clients as CSV text, one line per client (legal representatives)."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        require_partner(user, org)
        require_legal_rep(user, org, "export the client list")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for c in org.clients:
            writer.writerow([_spreadsheet_safe(str(v)) for v in (
                c.id, c.name, c.email, c.access, c.payment_methods, c.since.isoformat())])
        return out.getvalue()
