"""The demo organizations: what the demo users share, in its starting state.

Alpine Web Agency is the Partner organization (legal representative, administrator and
collaborator all belong to it), with managed clients, tagged products and a prepaid
balance of cashback. The other organizations belong to one demo user each and hold what
that user's guide needs: a prepaid balance, a domain owned by someone else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from procedures.backend.records import (
    ClientRecord,
    ContactRecord,
    OrganizationRecord,
    PrepaidRecord,
    ProductRecord,
    RemindersRecord,
    TagRecord,
)

ALPINE = "alpine-web-agency"


def _contact(name: str, email: str, address: str, organization: str | None = None
             ) -> ContactRecord:
    return ContactRecord(name=name, email=email, organization=organization, address=address)


def _product(pid: str, kind: str, name: str, tags: tuple[str, ...] = (),
             owner: ContactRecord | None = None) -> ProductRecord:
    return ProductRecord(id=pid, kind=kind, name=name, owner=owner, tags=list(tags))


def _organization(oid: str, name: str, contact: ContactRecord, *,
                  billing: ContactRecord | None = None, balance: str = "0.00",
                  origin: str | None = None, products: tuple[ProductRecord, ...] = (),
                  **extra: Any) -> OrganizationRecord:
    return OrganizationRecord(
        id=oid, name=name, is_partner=extra.pop("is_partner", False), contact=contact,
        billing=billing or contact,
        prepaid=PrepaidRecord(balance=Decimal(balance), currency="CHF", origin=origin),
        reminders=RemindersRecord(enabled=True, days_before=30, auto_renewal_reminder=True,
                                  renewal_confirmation=True, invoice_notification=True),
        products=list(products), **extra)


def organizations() -> list[OrganizationRecord]:
    claire = _contact("Claire Favre", "claire.favre@alpine-web.ch",
                      "Rue du Rhône 12, 1204 Genève, Switzerland", "Alpine Web Agency")
    luca = _contact("Luca Rossi", "luca.rossi@rossi-immobilier.ch",
                    "Via Nassa 5, 6900 Lugano, Switzerland", "Rossi Immobilier")
    alpine = _organization(
        ALPINE, "Alpine Web Agency", claire, is_partner=True,
        billing=_contact("Claire Favre", "accounting@alpine-web.ch",
                         "Rue du Rhône 12, 1204 Genève, Switzerland", "Alpine Web Agency"),
        balance="340.00", origin="cashback on managed clients' orders and renewals",
        products=(
            _product("web-1", "web-hosting", "Hosting alpine-web.ch", ("tag-1",)),
            _product("mail-1", "mail-service", "Mail alpine-web.ch", ("tag-1",)),
            _product("dom-1", "domain-ch", "alpine-web.ch", ("tag-1", "tag-3"), owner=claire),
            _product("web-2", "web-hosting", "Hosting baeckerei-mueller.ch", ("tag-2",)),
            _product("kd-1", "kdrive", "Team kDrive"),
        ),
        tags=[TagRecord(id="tag-1", name="Production", colour="green"),
              TagRecord(id="tag-2", name="Client work", colour="#1A7F5A"),
              TagRecord(id="tag-3", name="Renew soon", colour="red")],
        clients=[
            ClientRecord(id="cli-1", name="Bäckerei Müller, Bern",
                         email="info@baeckerei-mueller.ch", access="full",
                         payment_methods="client", requested_access="full",
                         since=date(2025, 2, 3)),
            ClientRecord(id="cli-2", name='Studio "Nord" Design', email="hello@studio-nord.ch",
                         access="full", payment_methods="partner", requested_access="full",
                         since=date(2025, 9, 15)),
        ])

    def solo(oid: str, name: str, person: str, email: str, address: str,
             **extra: Any) -> OrganizationRecord:
        return _organization(oid, name, _contact(person, email, address, name), **extra)

    return [
        alpine,
        solo("keller-consulting", "Keller Consulting", "Sofia Keller",
             "sofia@keller-consulting.ch", "Bahnhofstrasse 3, 8001 Zürich, Switzerland",
             products=(_product("kc-web", "web-hosting", "Hosting keller-consulting.ch"),)),
        solo("meier-photography", "Meier Photography", "Jonas Meier", "jonas@meier-photo.ch",
             "Marktgasse 8, 3011 Bern, Switzerland",
             products=(_product("mp-drive", "kdrive", "Photo archive"),)),
        solo("bernasconi-architects", "Bernasconi Architects", "Nina Bernasconi",
             "nina@bernasconi-arch.ch", "Piazza Grande 2, 6600 Locarno, Switzerland",
             products=(_product("ba-mail", "mail-service", "Mail bernasconi-arch.ch"),)),
        solo("girard-conseil", "Girard Conseil", "Paul Girard", "paul.girard@girard-conseil.ch",
             "Avenue de la Gare 20, 1003 Lausanne, Switzerland",
             products=(_product("gc-mail", "mail-service", "Mail girard-conseil.ch"),)),
        solo("schneider-bikes", "Schneider Bikes", "Emma Schneider", "emma@schneider-bikes.ch",
             "Steinenvorstadt 40, 4051 Basel, Switzerland", balance="120.50",
             origin="order ORD-2026-004211 was cancelled while its bank transfer was under way",
             products=(_product("sb-web", "web-hosting", "Hosting schneider-bikes.ch"),)),
        _organization(
            "rossi-immobilier", "Rossi Immobilier", luca,
            billing=_contact("Anne Dupont", "compta@fiduciaire-leman.ch",
                             "Quai du Mont-Blanc 9, 1201 Genève, Switzerland",
                             "Fiduciaire Léman SA"),
            products=(
                _product("ri-dom-1", "domain-ch", "rossi-immobilier.ch", owner=luca),
                _product("ri-dom-2", "domain-ch", "rossi-immo.ch", owner=_contact(
                    "Giulia Bianchi", "giulia.bianchi@example.it",
                    "Corso Como 15, 20154 Milano, Italy")),
                _product("ri-web", "web-hosting", "Hosting rossi-immobilier.ch"),
            )),
    ]
