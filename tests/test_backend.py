"""The mocked account backend on real SQLite files: operations, refusals, concurrency."""

from __future__ import annotations

import csv
import inspect
import io
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from PIL import Image

from procedures.backend import (
    DEMO_PASSWORD,
    EMERGENCY_CODES,
    AccountBackend,
    BackendError,
    Conflict,
    InvalidInput,
    MockBackend,
    NotFound,
    PermissionDenied,
    TemporarilyUnavailable,
    jsonable,
)
from procedures.backend.iban import normalise_iban
from tests.conftest import ROOT

IBAN = "CH93 0076 2011 6238 5295 7"


class Clock:
    """A clock the test moves by hand, for lockouts and references."""

    def __init__(self):
        self.now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backend(tmp_path, clock) -> MockBackend:
    return MockBackend(tmp_path / "accounts.db", clock=clock)


def picture(fmt: str = "PNG", size: tuple[int, int] = (256, 256), noise: bool = True) -> bytes:
    out = io.BytesIO()
    # Noise, so the file is big enough that cutting it short really truncates it.
    image = Image.effect_noise(size, 64) if noise else Image.new("L", size)
    image.convert("RGB").save(out, format=fmt)
    return out.getvalue()


def refused(error: type[BackendError], call, *args, **kwargs) -> BackendError:
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    return info.value


def test_mock_backend_implements_every_protocol_operation_with_its_signature(backend):
    assert isinstance(backend, AccountBackend)
    names = [n for n, v in vars(AccountBackend).items() if callable(v) and n[0] != "_"]
    assert len(names) == 44
    for name in names:
        expected = inspect.signature(getattr(AccountBackend, name)).parameters
        actual = inspect.signature(getattr(MockBackend, name)).parameters
        assert [(p.name, p.default) for p in actual.values()] == \
            [(p.name, p.default) for p in expected.values()], name


def test_backend_package_imports_neither_kb_nor_flask():
    code = ("import sys, procedures.backend; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('kb', 'flask')); "
            "assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_demo_accounts_are_listed_inspected_and_unknown_ones_named(backend):
    accounts = {a.name: a for a in backend.list_accounts()}
    assert {"legal-rep", "collaborator", "kauth-only", "kauth-sms", "kauth-lost",
            "compromised", "prepaid", "foreign-owner"} <= set(accounts)
    assert all(a.description and a.display_name for a in accounts.values())
    state = backend.account("legal-rep")
    assert "digest" not in json.dumps(jsonable(state))
    assert state.emergency_codes == {"total": 5, "unused": 5}
    assert state.organization["prepaid"]["balance"] == "340.00"
    error = refused(NotFound, backend.get_profile, "nobody")
    assert "'nobody'" in str(error) and "legal-rep, administrator, collaborator" in str(error)
    assert error.kind == "not_found" and error.message == str(error)


def test_errors_carry_a_stable_kind():
    kinds = [e.kind for e in (PermissionDenied("x"), NotFound("x"), InvalidInput("f", "x"),
                              TemporarilyUnavailable("op"), Conflict("x"))]
    assert kinds == ["permission_denied", "not_found", "invalid", "unavailable", "conflict"]
    invalid = InvalidInput("iban", "wrong")
    assert (invalid.kind, invalid.message, invalid.field) == ("invalid", "wrong", "iban")


# --- success paths, guide by guide ------------------------------------------------------

@pytest.mark.parametrize(("fmt", "size"), [
    ("PNG", (256, 256)), ("JPEG", (300, 210)), ("GIF", (210, 210)), ("WEBP", (400, 300))])
def test_profile_name_and_avatar(backend, fmt, size):
    profile = backend.update_name("legal-rep", "  Claire ", "Favre-Rochat ")
    assert (profile.full_name, profile.initials) == ("Claire Favre-Rochat", "CF")
    data = picture(fmt, size)
    avatar = backend.set_avatar("legal-rep", data).avatar
    assert (avatar.format, avatar.width, avatar.height, avatar.size_bytes) == \
        (fmt, *size, len(data))
    assert backend.get_profile("legal-rep").avatar == avatar
    assert backend.calls[-2] == ("set_avatar", {"acct": "legal-rep",
                                                "image_bytes": f"<{len(data)} bytes>"})


def test_identity_and_client_list(backend):
    me = backend.whoami("collaborator")
    assert (me.organization, me.role, me.is_partner, me.accounting) == \
        ("Alpine Web Agency", "collaborator", True, False)
    assert backend.whoami("kauth-only").is_partner is False
    assert [c.id for c in backend.list_clients("collaborator")] == ["cli-1", "cli-2"]
    assert backend.client_rights("collaborator", "cli-2").benefit_when_partner_orders == \
        "discount"


def test_invitation_is_accepted_with_the_same_or_narrower_rights(backend):
    invitation = backend.invite_client("legal-rep", " New@Example.CH ", "full", "partner")
    assert (invitation.status, invitation.email) == ("pending", "New@example.ch")
    assert "already waiting" in str(refused(Conflict, backend.invite_client, "legal-rep",
                                            "new@example.ch", "full", "client"))
    client = backend.simulate_acceptance("legal-rep", invitation.id, granted_access="limited")
    assert (client.access, client.requested_access, client.payment_methods) == \
        ("limited", "full", "client")
    rights = backend.client_rights("legal-rep", client.id)
    assert (rights.partner_orders_on_behalf, rights.benefit_when_client_orders) == \
        (False, "cashback")
    assert len(backend.list_clients("legal-rep")) == 3
    assert "already accepted" in str(refused(Conflict, backend.simulate_acceptance,
                                             "legal-rep", invitation.id))
    assert "already a managed client" in str(refused(
        Conflict, backend.invite_client, "legal-rep", "new@example.ch", "full", "client"))
    limited = backend.invite_client("legal-rep", "l@b.ch", "limited", "client")
    assert "not more" in refused(InvalidInput, backend.simulate_acceptance, "legal-rep",
                                 limited.id, "full").reason
    assert backend.simulate_acceptance("legal-rep", limited.id).access == "limited"


def test_client_export_is_proper_csv(backend):
    invitation = backend.invite_client("legal-rep", "=2+3@evil.ch", "full", "client")
    backend.simulate_acceptance("legal-rep", invitation.id)
    rows = list(csv.reader(io.StringIO(backend.export_clients_csv("legal-rep"))))
    assert rows[0] == ["client_id", "name", "email", "access", "payment_methods", "since"]
    assert [r[1] for r in rows[1:3]] == ["Bäckerei Müller, Bern", 'Studio "Nord" Design']
    assert rows[3][2] == "'=2+3@evil.ch" and len(rows) == 4  # no formula for spreadsheets


@pytest.mark.parametrize(("currency", "public", "after_discount", "final"), [
    ("CHF", "347.20", "277.76", "208.32"), ("EUR", "201.25", "161.00", "120.75")])
def test_the_guides_worked_example_to_the_cent(backend, currency, public, after_discount,
                                               final):
    quote = backend.price_quote("legal-rep", "web-hosting", 35, currency, client_id="cli-2")
    assert (quote.public_price, quote.price_after_partner_discount, quote.partner_price,
            quote.final_price) == (D(public), D(after_discount), D(final), D(final))
    assert (quote.partner_discount_rate, quote.decreasing_rate) == (D("0.20"), D("0.25"))
    assert (quote.benefit, quote.cashback) == ("discount", 0)
    assert jsonable(quote)["final_price"] == final


@pytest.mark.parametrize(("client", "ordered_by", "benefit"), [
    ("cli-1", "client", "cashback"), ("cli-1", "partner", "cashback"),
    ("cli-2", "client", "cashback"), ("cli-2", "partner", "discount"),
    ("limited", "client", "cashback"), ("limited", "partner", "none")])
def test_cashback_or_discount_for_each_partnership(backend, client, ordered_by, benefit):
    if client == "limited":
        invitation = backend.invite_client("legal-rep", "l@example.ch", "limited", "client")
        client = backend.simulate_acceptance("legal-rep", invitation.id).id
    quote = backend.price_quote("legal-rep", "web-hosting", 35, "CHF", client, ordered_by)
    assert quote.benefit == benefit and quote.reason
    expected = {"cashback": ("260.40", "52.08"), "discount": ("208.32", "0.00"),
                "none": ("260.40", "0.00")}[benefit]
    assert (quote.final_price, quote.cashback) == tuple(map(D, expected))


def test_decreasing_rate_is_for_hosting_and_partners_alone_get_discounts(backend):
    rates = [backend.price_quote("legal-rep", "mail-service", n, "CHF").decreasing_rate
             for n in (1, 5, 35, 200)]
    assert rates == sorted(rates) and (rates[0], rates[2]) == (0, D("0.25"))
    domains = backend.price_quote("legal-rep", "domain-ch", 35, "CHF", "cli-2")
    assert (domains.decreasing_rate, domains.final_price) == (0, D("23.24"))  # 29.05 × 0.8
    own = backend.price_quote("legal-rep", "web-hosting", 35, "CHF")
    assert (own.benefit, own.final_price) == ("none", D("260.40"))
    public = backend.price_quote("kauth-only", "kdrive", 2, "EUR")
    assert (public.partner_price, public.final_price) == (None, D("9.16"))
    refused(PermissionDenied, backend.price_quote, "kauth-only", "kdrive", 2, "EUR", "cli-1")


def test_prepaid_balance_pays_orders_and_payouts_but_never_goes_negative(backend):
    balance = backend.get_balance("prepaid")
    assert (balance.amount, balance.currency) == (D("120.50"), "CHF")
    assert "ORD-2026-004211" in balance.origin
    order = backend.reorder_with_balance("prepaid", "kdrive", 2)
    assert (order.amount, order.new_balance) == (D("9.98"), D("110.52"))
    error = refused(Conflict, backend.reorder_with_balance, "prepaid", "web-hosting", 35)
    assert "costs CHF 347.20" in str(error) and "CHF 236.68 is missing" in str(error)
    bank = backend.request_payout("prepaid", "100.25", "bank", iban=IBAN)
    assert (bank.new_balance, bank.destination) == (D("10.27"), "CH93 **** **** **** *295 7")
    assert bank.reference.startswith("PO-2026-")
    paypal = backend.request_payout("prepaid", D("10.27"), "paypal", paypal_email="e@pay.ch")
    assert paypal.new_balance == D("0.00") and paypal.reference != bank.reference
    assert "balance of CHF 0.00" in refused(InvalidInput, backend.request_payout, "prepaid",
                                            "0.01", "paypal", None, "e@pay.ch").reason
    assert backend.get_balance("prepaid").payout_possible is False


@pytest.mark.parametrize(("iban", "valid"), [
    (IBAN, True), ("ch9300762011623852957", True), ("DE89 3704 0044 0532 0130 00", True),
    ("GB82 WEST 1234 5698 7654 32", True), ("FR14 2004 1010 0505 0001 3M02 606", True),
    ("CH93 0076 2011 6238 5295 8", False), ("DE89 3704 0044 0532 0130 0", False),
    ("GB82 WEST 1234 5698 7654 23", False), ("1234 5678 9012 3456", False),
    ("CH00 0076 2011 6238 5295 7", False)])
def test_iban_checksum(iban, valid):
    if valid:
        assert normalise_iban(iban) == iban.replace(" ", "").upper()
    else:
        refused(InvalidInput, normalise_iban, iban)


@pytest.mark.parametrize(("acct", "remaining", "enabled"), [
    ("kauth-sms", ["sms"], True), ("kauth-only", [], False)])
def test_removing_kauth_from_the_app(backend, acct, remaining, enabled):
    assert backend.kauth_shows_account(acct) is True
    result = backend.remove_2fa_method(acct, "kauth", DEMO_PASSWORD)
    assert [m.kind for m in result.remaining] == remaining
    assert result.two_factor_enabled is enabled and (result.warning is None) is enabled
    assert backend.kauth_shows_account(acct) is False
    refused(NotFound, backend.remove_2fa_method, acct, "kauth", DEMO_PASSWORD)


def test_methods_are_listed_and_sms_added(backend):
    methods = backend.list_2fa_methods("legal-rep")
    assert [(m.kind, m.detail) for m in methods] == [("kauth", "iPhone 15 (Claire)"),
                                                     ("sms", "+41 ******* 67")]
    assert [backend.kauth_shows_account(a) for a in ("kauth-lost", "compromised")] == \
        [False, False]
    assert backend.send_sms_code("kauth-only", "0041 (79) 123-45-67").phone == "+41791234567"
    sent = backend.account("kauth-only").user["sms_verification"]
    assert sent["phone"] == "+41791234567" and len(sent["code"]) == 6
    wrong = "000000" if sent["code"] != "000000" else "111111"
    assert "not the code sent by SMS" in str(refused(
        InvalidInput, backend.add_sms_method, "kauth-only", "+41 79 123 45 67", wrong))
    assert "no code was sent to +41790000000" in str(refused(
        InvalidInput, backend.add_sms_method, "kauth-only", "+41 79 000 00 00", sent["code"]))
    added = backend.add_sms_method("kauth-only", "0041 (79) 123-45-67", sent["code"])
    assert [m.kind for m in added] == ["kauth", "sms"]
    assert backend.account("kauth-only").user["sms_verification"] is None
    refused(Conflict, backend.send_sms_code, "kauth-only", "+41 79 000 00 00")
    refused(Conflict, backend.add_sms_method, "kauth-only", "+41 79 000 00 00", "123456")


def test_three_wrong_passwords_lock_until_time_passes_or_reset(backend, clock):
    for _ in range(2):  # a right password in between clears the count
        assert backend.verify_password("kauth-only", "wrong") is False
        assert backend.verify_password("kauth-only", DEMO_PASSWORD) is True
    assert "not correct" in str(refused(PermissionDenied, backend.remove_2fa_method,
                                        "kauth-only", "kauth", "guess-1"))
    assert backend.verify_password("kauth-only", "guess-2") is False
    third = refused(PermissionDenied, backend.change_password, "kauth-only", "guess-3",
                    "a-Brand-new-pass-1")
    assert "the password is not correct" in str(third) and "locked until" in str(third)
    locked = refused(Conflict, backend.remove_2fa_method, "kauth-only", "kauth", DEMO_PASSWORD)
    assert "3 wrong passwords in a row" in str(locked)
    clock.now += timedelta(minutes=16)
    assert backend.verify_password("kauth-only", DEMO_PASSWORD) is True
    for guess in ("a", "b", "c"):
        backend.verify_password("kauth-only", guess)
    refused(Conflict, backend.verify_password, "kauth-only", DEMO_PASSWORD)
    backend.reset("kauth-only")
    assert backend.verify_password("kauth-only", DEMO_PASSWORD) is True


def test_emergency_code_works_once_and_resets_two_factor(backend):
    assert backend.emergency_codes_status("kauth-lost").model_dump() == {"total": 5,
                                                                         "unused": 5}
    access = backend.use_emergency_code("kauth-lost", EMERGENCY_CODES[0].lower())
    assert (access.two_factor_enabled, access.unused_codes) == (False, 4)
    assert backend.list_2fa_methods("kauth-lost") == []
    backend.send_sms_code("kauth-lost", "+41 79 123 45 67")
    sent = backend.account("kauth-lost").user["sms_verification"]["code"]
    backend.add_sms_method("kauth-lost", "+41 79 123 45 67", sent)
    used = refused(InvalidInput, backend.use_emergency_code, "kauth-lost", EMERGENCY_CODES[0])
    assert "already used" in used.reason
    code = EMERGENCY_CODES[1].replace("-", "")
    assert backend.use_emergency_code("kauth-lost", code).unused_codes == 3
    case = backend.open_identity_verification("kauth-lost", "lost my phone, kAuth is gone")
    assert case.reference == "KC-2026-000123" and "kCheck" in case.next_steps
    assert backend.open_identity_verification("kauth-lost", "again").reference.endswith("124")


def test_password_change_and_credential_cleanup(backend, clock):
    change = backend.change_password("compromised", DEMO_PASSWORD, "Tr0ub4dor&horse")
    assert change.ok and change.changed_at == clock.now
    assert backend.verify_password("compromised", "Tr0ub4dor&horse") is True
    assert backend.verify_password("compromised", DEMO_PASSWORD) is False
    assert [p.id for p in backend.list_app_passwords("compromised")] == \
        ["app-11", "app-12", "app-13"]
    assert len(backend.list_api_tokens("compromised")) == 2
    assert backend.revoke_app_password("compromised", "app-13").remaining == 2
    assert backend.revoke_api_token("compromised", "tok-12").remaining == 1
    refused(NotFound, backend.revoke_app_password, "compromised", "app-13")
    assert backend.revoke_all_credentials("compromised").model_dump() == \
        {"app_passwords": 2, "api_tokens": 1}
    overview = backend.security_overview("compromised")
    assert (overview.password_changed_at, overview.app_passwords, overview.api_tokens) == \
        (clock.now, [], [])
    assert overview.recommendations == ["turn on two-factor authentication (kAuth or SMS)"]


def test_reminder_settings_are_read_and_replaced(backend):
    assert backend.get_reminder_settings("legal-rep").days_before == 30
    updated = backend.update_reminder_settings("administrator", True, 60, False, True, False)
    assert (updated.days_before, updated.auto_renewal_reminder, updated.invoice_notification) \
        == (60, False, False)
    assert backend.get_reminder_settings("legal-rep") == updated
    off = backend.update_reminder_settings("legal-rep", False, None, True, True, True)
    assert (off.enabled, off.days_before, off.auto_renewal_reminder_days) == (False, None, 14)


def test_tags_are_created_placed_and_renamed(backend):
    products = {p.id: p for p in backend.list_products("legal-rep")}
    assert len(products) == 5
    assert [t.name for t in products["dom-1"].tags] == ["Production", "Renew soon"]
    assert [p.id for p in backend.list_products("collaborator")] == ["web-1", "web-2"]
    tag = backend.create_tag("collaborator", "  Staging ", "#1a2b3c")
    assert (tag.name, tag.colour, tag.products) == ("Staging", "#1A2B3C", 0)
    assert backend.create_tag("legal-rep", "VIP", "Purple").colour == "purple"
    product = backend.tag_product("collaborator", "web-2", tag.id)
    assert backend.tag_product("collaborator", "web-2", tag.id) == product  # idempotent
    assert [t.name for t in product.tags] == ["Client work", "Staging"]
    assert [t.name for t in backend.untag_product("legal-rep", "web-2", tag.id).tags] == \
        ["Client work"]
    assert backend.rename_tag("administrator", "tag-3", "Renew in Dec").name == "Renew in Dec"
    assert backend.rename_tag("legal-rep", "tag-1", "PRODUCTION").name == "PRODUCTION"
    assert {t.name: t.products for t in backend.list_tags("collaborator")}["PRODUCTION"] == 3


def test_a_deleted_tag_leaves_every_product(backend):
    assert backend.delete_tag("administrator", "tag-1").removed_from == \
        ["web-1", "mail-1", "dom-1"]
    assert all("tag-1" not in [t.id for t in p.tags] for p in backend.list_products("legal-rep"))
    assert "tag-1" not in [t.id for t in backend.list_tags("legal-rep")]
    refused(NotFound, backend.delete_tag, "legal-rep", "tag-1")


def test_contacts_not_in_the_users_name_are_flagged(backend):
    details = backend.contact_details("foreign-owner")
    assert (details.profile.in_users_name, details.organization.in_users_name,
            details.billing.in_users_name) == (True, True, False)
    assert {d.domain: d.owner.in_users_name for d in details.domains} == \
        {"rossi-immobilier.ch": True, "rossi-immo.ch": False}
    assert details.not_in_users_name == ["the billing information", "the domain rossi-immo.ch"]
    assert backend.contact_details("legal-rep").not_in_users_name == []


# --- refusals ------------------------------------------------------------------------------

INVALID = [  # (account, operation, arguments after the account, field, words in the reason)
    ("legal-rep", "update_name", ("", "Favre"), "first_name", "cannot be empty"),
    ("legal-rep", "update_name", ("C" * 65, "Favre"), "first_name", "at most 64"),
    ("legal-rep", "update_name", ("Cla\nire", "Favre"), "first_name", "control character"),
    ("legal-rep", "update_name", ("Claire", None), "last_name", "must be text"),
    ("legal-rep", "set_avatar", (picture("PNG", (180, 180)),), "image",
     "the image is 180×180 pixels; it must be at least 210 pixels on each side"),
    ("legal-rep", "set_avatar", (picture("JPEG", (640, 200)),), "image", "640×200 pixels"),
    ("legal-rep", "set_avatar", (picture("PNG", (7000, 7000), noise=False),), "image",
     "7000×7000 pixels, too large"),
    ("legal-rep", "set_avatar", (b"",), "image", "empty"),
    ("legal-rep", "set_avatar", (b"not a picture",), "image", "not a PNG, JPEG, GIF or WebP"),
    ("legal-rep", "set_avatar", (picture("BMP"),), "image", "not a PNG, JPEG, GIF or WebP"),
    ("legal-rep", "set_avatar", (picture("PNG")[:300],), "image", "damaged or incomplete"),
    ("legal-rep", "set_avatar", (picture("JPEG")[:600],), "image", "damaged or incomplete"),
    ("legal-rep", "set_avatar", (b"\x89PNG" + bytes(6 << 20),), "image",
     "the file is 6.0 MB; it must be at most 5 MB"),
    ("legal-rep", "set_avatar", (b"\x89PNG" + bytes((5 << 20) - 3),), "image",
     "5,242,881 bytes; it must be at most 5 MB"),
    ("legal-rep", "set_avatar", ("picture.png",), "image", "bytes"),
    ("legal-rep", "invite_client", ("a@b", "full", "client"), "email", "look like name@"),
    ("legal-rep", "invite_client", ("a@b.ch", "total", "client"), "access", "'total'"),
    ("legal-rep", "invite_client", ("a@b.ch", "full", "bank"), "payment_methods", "'bank'"),
    ("legal-rep", "invite_client", ("a@b.ch", "limited", "partner"), "payment_methods",
     "with limited access the client pays"),
    ("legal-rep", "price_quote", ("web-hosting-xl", 1, "CHF"), "product", "not in the cat"),
    ("legal-rep", "price_quote", ("web-hosting", 1, "USD"), "currency", "'USD'"),
    ("legal-rep", "price_quote", ("web-hosting", 0, "CHF"), "quantity", "between 1 and 1000"),
    ("legal-rep", "price_quote", ("web-hosting", 1001, "CHF"), "quantity", "not 1001"),
    ("legal-rep", "price_quote", ("web-hosting", "3", "CHF"), "quantity", "whole number"),
    ("legal-rep", "price_quote", ("kdrive", 3, "CHF", None, "client"), "client_id", "which"),
    ("legal-rep", "price_quote", ("kdrive", 3, "CHF", "cli-1", "reseller"), "ordered_by",
     "'reseller'"),
    ("prepaid", "reorder_with_balance", ("kdrive", 0), "quantity", "between 1 and 1000"),
    ("prepaid", "request_payout", ("0", "bank", IBAN), "amount", "more than zero"),
    ("prepaid", "request_payout", ("10.005", "bank", IBAN), "amount", "more than two decimals"),
    ("prepaid", "request_payout", ("ten", "bank", IBAN), "amount", "not an amount"),
    ("prepaid", "request_payout", ("120.51", "paypal", None, "e@pay.ch"), "amount",
     "CHF 120.51 is more than the prepaid balance of CHF 120.50"),
    ("prepaid", "request_payout", ("10", "cash"), "method", "not a valid payout method"),
    ("prepaid", "request_payout", ("10", "bank"), "iban", "give the IBAN"),
    ("prepaid", "request_payout", ("10", "bank", "CH94 0076 2011 6238 5295 7"), "iban",
     "wrong check number"),
    ("prepaid", "request_payout", ("10", "bank", IBAN[:-2]), "iban", "from CH has 21"),
    ("prepaid", "request_payout", ("10", "paypal", None, "e@pay"), "paypal_email",
     "not an email"),
    ("kauth-only", "remove_2fa_method", ("email", DEMO_PASSWORD), "method", "'email'"),
    ("kauth-only", "add_sms_method", ("079 123 45 67", "123456"), "phone",
     "with the country code"),
    ("kauth-only", "add_sms_method", ("+41 12", "123456"), "phone", "international format"),
    ("kauth-only", "add_sms_method", (41, "123456"), "phone", "must be text"),
    ("kauth-only", "send_sms_code", ("+41 12",), "phone", "international format"),
    ("kauth-lost", "use_emergency_code", ("AAAA-BBBB",), "code", "not one of"),
    ("kauth-lost", "use_emergency_code", ("12-34",), "code", "look like 7K3Q-9XPA"),
    ("kauth-lost", "open_identity_verification", (" ",), "reason", "cannot be empty"),
    ("compromised", "change_password", (DEMO_PASSWORD, "short-1"), "new", "at least 12"),
    ("compromised", "change_password", (DEMO_PASSWORD, DEMO_PASSWORD), "new", "same as the"),
    ("compromised", "change_password", (DEMO_PASSWORD, "onlyLettersHere"), "new", "only let"),
    ("compromised", "change_password", (DEMO_PASSWORD, "1234567890123"), "new", "only digits"),
    ("compromised", "change_password", (DEMO_PASSWORD, "my-Paul.Girard-2026"), "new",
     "it contains 'paul.girard', the start of your email address"),
    ("compromised", "change_password", (DEMO_PASSWORD, None), "new", "must be text"),
    ("legal-rep", "update_reminder_settings", (True, None, True, True, True), "days_before",
     "choose how many days"),
    ("legal-rep", "update_reminder_settings", (True, 90, True, True, True), "days_before",
     "90 days is not on offer; choose 7, 14, 30, 60 (reminders start at most two months"),
    ("legal-rep", "update_reminder_settings", (True, "30", True, True, True), "days_before",
     "not on offer"),
    ("legal-rep", "update_reminder_settings", ("yes", 30, True, True, True), "enabled",
     "true or false"),
    ("legal-rep", "update_reminder_settings", (True, 30, True, True, 1), "invoice_notification",
     "true or false"),
    ("legal-rep", "create_tag", ("", "red"), "name", "cannot be empty"),
    ("legal-rep", "create_tag", ("x" * 31, "red"), "name", "31 characters long"),
    ("legal-rep", "create_tag", ("ok", "magenta"), "colour", "not a tag colour"),
    ("legal-rep", "rename_tag", ("tag-1", "\t"), "name", "cannot be empty"),
]


@pytest.mark.parametrize(("acct", "op", "args", "field", "words"), INVALID,
                         ids=[f"{c[1]}-{c[3]}-{i}" for i, c in enumerate(INVALID)])
def test_invalid_input_is_refused_naming_the_field_and_changes_nothing(
        backend, acct, op, args, field, words):
    before = backend.account(acct)
    error = refused(InvalidInput, getattr(backend, op), acct, *args)
    assert error.field == field and words in error.reason, error.reason
    assert backend.account(acct) == before


PERMISSION = [  # (account, operation, arguments after the account, words in the message)
    ("collaborator", "invite_client", ("x@y.ch", "full", "client"),
     "only legal representatives of Alpine Web Agency can add clients; Marc Dubois is a "
     "collaborator"),
    ("administrator", "invite_client", ("x@y.ch", "full", "client"),
     "only legal representatives of Alpine Web Agency can add clients"),
    ("collaborator", "export_clients_csv", (), "can export the client list"),
    ("collaborator", "update_reminder_settings", (True, 30, True, True, True), "Accounting"),
    ("collaborator", "get_reminder_settings", (), "without access to Accounting"),
    ("collaborator", "get_balance", (), "without access to Accounting"),
    ("collaborator", "request_payout", ("1", "paypal", None, "e@pay.ch"), "Accounting"),
    ("collaborator", "delete_tag", ("tag-1",), "can delete the organization's tags"),
    ("collaborator", "rename_tag", ("tag-1", "X"), "can rename the organization's tags"),
    ("collaborator", "tag_product", ("dom-1", "tag-2"), "no access to the product"),
    ("prepaid", "list_clients", (), "not a Partner organization"),
    ("kauth-only", "remove_2fa_method", ("kauth", "not-my-password"), "not correct"),
]


@pytest.mark.parametrize(("acct", "op", "args", "words"), PERMISSION,
                         ids=[f"{c[0]}-{c[1]}" for c in PERMISSION])
def test_permissions_are_enforced_by_the_backend(backend, acct, op, args, words):
    organization = backend.account(acct).organization
    error = refused(PermissionDenied, getattr(backend, op), acct, *args)
    assert words in str(error) and error.kind == "permission_denied"
    assert backend.account(acct).organization == organization


@pytest.mark.parametrize(("op", "args"), [
    ("invite_client", ("Info@Baeckerei-Mueller.ch", "full", "client")),
    ("create_tag", ("production", "blue")), ("rename_tag", ("tag-1", "client WORK"))])
def test_duplicates_conflict(backend, op, args):
    assert "already" in str(refused(Conflict, getattr(backend, op), "legal-rep", *args))


# --- persistence, concurrency, faults ------------------------------------------------------

def test_changes_persist_and_reset_restores(backend, tmp_path):
    backend.update_name("legal-rep", "Clara", "Favre")
    backend.request_payout("prepaid", "20.50", "paypal", paypal_email="e@pay.ch")
    other = MockBackend(tmp_path / "accounts.db")
    assert other.get_profile("legal-rep").first_name == "Clara"
    assert other.reset("legal-rep") == ["legal-rep"]
    assert backend.get_profile("legal-rep").first_name == "Claire"
    assert backend.get_balance("prepaid").amount == D("100.00")
    backend.reset()
    assert backend.get_balance("prepaid").amount == D("120.50")
    refused(NotFound, backend.reset, "nobody")


def test_concurrent_threads_lose_no_update(tmp_path):
    path, errors = tmp_path / "shared.db", []
    MockBackend(path)

    def work(worker: int) -> None:
        mine = MockBackend(path)
        try:
            for n in range(15):
                mine.request_payout("prepaid", "1.00", "paypal", paypal_email="e@pay.ch")
                mine.create_tag("legal-rep", f"worker {worker} tag {n}", "blue")
        except BaseException as error:  # reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    backend = MockBackend(path)
    assert errors == [] and backend.get_balance("prepaid").amount == D("75.50")
    assert len(backend.list_tags("legal-rep")) == 3 + 45


def test_concurrent_processes_lose_no_update(tmp_path):
    path = tmp_path / "shared.db"
    code = ("import sys; from procedures.backend import MockBackend; b = MockBackend(sys.argv[1])"
            f"\nfor _ in range(10): b.request_payout('prepaid', '2.50', 'bank', {IBAN!r})")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert MockBackend(path).get_balance("prepaid").amount == D("70.50")


def test_injected_failures_change_nothing_and_replay_with_the_seed(tmp_path):
    flaky = MockBackend(tmp_path / "a.db", fail_operations={"request_payout"})
    error = refused(TemporarilyUnavailable, flaky.request_payout, "prepaid", "1", "paypal",
                    paypal_email="e@pay.ch")
    assert (error.kind, error.operation) == ("unavailable", "request_payout")
    assert flaky.get_balance("prepaid").amount == D("120.50")
    with pytest.raises(ValueError, match="request_payuot"):
        MockBackend(tmp_path / "a.db", fail_operations={"request_payuot"})

    def pattern(seed: int) -> list[bool]:
        random_failures = MockBackend(tmp_path / "a.db", fail_rate=0.5, seed=seed)
        outcome = []
        for _ in range(20):
            try:
                outcome.append(random_failures.kauth_shows_account("kauth-only"))
            except TemporarilyUnavailable:
                outcome.append(False)
        return outcome

    assert pattern(7) == pattern(7) and True in pattern(7) and False in pattern(7)
    slow = MockBackend(tmp_path / "a.db", latency_seconds=0.05)
    started = time.perf_counter()
    slow.whoami("legal-rep")
    assert time.perf_counter() - started >= 0.05


def test_calls_are_recorded_with_secrets_masked(backend):
    backend.whoami("legal-rep")
    backend.change_password("legal-rep", DEMO_PASSWORD, "Another-pass-2027")
    refused(InvalidInput, backend.use_emergency_code, "kauth-lost", "nope")
    assert backend.calls == [
        ("whoami", {"acct": "legal-rep"}),
        ("change_password", {"acct": "legal-rep", "current": "***", "new": "***"}),
        ("use_emergency_code", {"acct": "kauth-lost", "code": "***"})]


def test_a_password_change_in_two_steps_needs_the_ticket(backend):
    ticket = backend.start_password_change("compromised", DEMO_PASSWORD).ticket
    with pytest.raises(PermissionDenied):
        backend.complete_password_change("compromised", "forged", "Brand-new-pass-42")
    with pytest.raises(InvalidInput, match="same as the current password"):
        backend.complete_password_change("compromised", ticket, DEMO_PASSWORD)
    backend.complete_password_change("compromised", ticket, "Brand-new-pass-42")
    assert backend.verify_password("compromised", "Brand-new-pass-42")
    with pytest.raises(PermissionDenied, match="expired or was not started"):
        backend.complete_password_change("compromised", ticket, "Another-pass-4242")
