"""Hand-off tickets delivered to real local servers: an SMTP server and a webhook
receiver, including a first delivery that fails (server down) and the outbox retry."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from kb.cli import main
from kb.context import Context
from kb.settings import Settings
from kb.support.errors import DeliverySettingsError
from tests.sql_support import sql
from tests.support_servers import MailServer, WebhookReceiver, free_port

SECRET = "shared-webhook-secret"


def make_context(tmp_path: Path, guides_dir: Path, **settings: object) -> Context:
    context = Context(Settings(guides=guides_dir, data=tmp_path / "data", **settings))
    context.support.background = False  # deliver in the foreground, to see the outcome
    return context


def hand_off(context: Context, email: str = "ana@example.com") -> str:
    """A customer asks a question, then for a person; returns the hand-off reply text."""
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    chat.post(conv_id, token, "how do I add a managed client?")
    asked = chat.post(conv_id, token, "I want to talk to someone")
    assert asked[-1].type == "handoff-contact"
    replies = chat.post(conv_id, token, email)
    assert replies[-1].type == "handoff"
    return replies[-1].text


def reference_in(text: str) -> str:
    import re

    found = re.search(r"T-\d{5}", text)
    assert found, text
    return found.group()


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def hook():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def test_a_ticket_is_emailed_to_the_support_address(tmp_path, guides_dir, mail):
    context = make_context(tmp_path, guides_dir, smtp_url=f"smtp://127.0.0.1:{mail.port}",
                           support_email="help@example.com",
                           support_hours="Monday to Friday, 9:00 to 18:00",
                           support_reply_time="within one working day")
    text = hand_off(context)
    reference = reference_in(text)
    assert "Monday to Friday, 9:00 to 18:00" in text and "within one working day" in text
    assert len(mail.messages) == 1
    message = mail.messages[0]
    assert message["To"] == "help@example.com"
    assert message["Reply-To"] == "ana@example.com"
    assert reference in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "how do I add a managed client?" in body and "legal-rep" in body


def test_what_the_customer_adds_after_the_hand_off_reaches_the_team(tmp_path, guides_dir,
                                                                    mail):
    # "I was charged twice …" after the hand-off is no question for the guides: it goes to
    # the person who will answer, with the rest of the conversation, while the request
    # is open. Once it is closed, the chat answers as it would anyone.
    context = make_context(tmp_path, guides_dir, smtp_url=f"smtp://127.0.0.1:{mail.port}",
                           support_email="help@example.com")
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    chat.post(conv_id, token, "I want to talk to someone")
    reference = reference_in(chat.post(conv_id, token, "ana@example.com")[-1].text)
    added = chat.post(conv_id, token, "I was charged twice for the same hosting in November")
    assert [r.type for r in added] == ["handoff"]
    assert added[0].text == (f"I've added this to your request {reference}; our support "
                             "team gets it with the rest of our conversation.")
    assert len(mail.messages) == 2 and reference in mail.messages[1]["Subject"]
    assert "charged twice for the same hosting" in \
        mail.messages[1].get_payload(decode=True).decode()
    ticket = context.support.tickets.get(reference)
    assert ticket is not None and ticket.content.transcript[-1].text.startswith(
        "I was charged twice")
    # Asked for a person again, the customer learns the request is there: no second one.
    again = chat.post(conv_id, token, "I want to talk to someone")
    assert [r.type for r in again] == ["handoff"] and reference in again[0].text
    assert again[0].text == (f"Your request {reference} is already with our support team. "
                             "Tell me here anything you want to add, and I'll add it to the "
                             "request.")
    assert len(mail.messages) == 2
    # A question the guides answer is answered, and not added.
    assert chat.post(conv_id, token, "how do I add a managed client?")[0].type == "answer"
    assert len(mail.messages) == 2
    context.support.tickets.update(reference, "closed", "refunded")
    after = chat.post(conv_id, token, "and the other invoice from October too")
    assert after[0].type == "fallback" and len(mail.messages) == 2
    # Closed, a new request can be opened.
    assert chat.post(conv_id, token, "I want to talk to someone")[-1].type == "handoff-contact"


def test_a_ticket_is_posted_to_the_webhook_signed(tmp_path, guides_dir, hook):
    context = make_context(tmp_path, guides_dir,
                           webhook_url=f"http://127.0.0.1:{hook.port}/tickets",
                           webhook_secret=SECRET)
    reference = reference_in(hand_off(context))
    (headers, body), = hook.received
    stamp = headers["x-kb-timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["x-kb-signature"] == f"sha256={expected}"
    ticket = hook.payloads()[0]["ticket"]
    assert ticket["reference"] == reference and ticket["email"] == "ana@example.com"
    assert any(line["text"] == "how do I add a managed client?"
               for line in ticket["transcript"])


def test_the_webhook_is_retried_with_back_off_within_one_delivery(tmp_path, guides_dir):
    receiver = WebhookReceiver(fail_first=2).start()
    try:
        context = make_context(tmp_path, guides_dir,
                               webhook_url=f"http://127.0.0.1:{receiver.port}/")
        context.support.channels["webhook"].backoff_s = 0.01
        hand_off(context)
        assert len(receiver.received) == 1
        entry, = context.support.outbox.entries()
        assert entry.status == "sent"
    finally:
        receiver.stop()


def test_a_failed_first_delivery_waits_in_the_outbox_and_the_retry_sends_it(
        tmp_path, guides_dir, capsys, monkeypatch):
    port = free_port()  # nothing listens there yet: the mail server is down
    settings = {"smtp_url": f"smtp://127.0.0.1:{port}", "support_email": "help@example.com"}
    context = make_context(tmp_path, guides_dir, **settings)
    reference = reference_in(hand_off(context))
    # Stored before anything was sent: the ticket is there, its delivery is waiting.
    assert context.support.tickets.get(reference) is not None
    for name, value in settings.items():
        monkeypatch.setenv(f"KB_{name.upper()}", value)
    args = ["--guides", str(guides_dir), "--data", str(tmp_path / "data"), "outbox"]
    assert main(args) == 0
    listed = capsys.readouterr().out
    assert reference in listed and "not delivered" in listed and "127.0.0.1" in listed

    server = MailServer(port).start()
    try:
        assert main([*args, "--retry"]) == 0
        out = capsys.readouterr().out
        assert f"{reference} email: delivered" in out
        assert len(server.messages) == 1 and reference in server.messages[0]["Subject"]
    finally:
        server.stop()
    assert main(args) == 0
    assert "nothing waiting" in capsys.readouterr().out


def test_nothing_configured_says_so_plainly(tmp_path, guides_dir):
    context = make_context(tmp_path, guides_dir)
    text = hand_off(context)
    assert "no support team connected" in text
    assert context.support.outbox.entries() == []


def test_with_nothing_configured_no_reply_says_a_team_has_the_request(tmp_path, guides_dir):
    # Nobody is notified: what is added, and a second request for a person, say where the
    # request is (the console), never that a team has it.
    context = make_context(tmp_path, guides_dir)
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    chat.post(conv_id, token, "I want to talk to someone")
    reference = reference_in(chat.post(conv_id, token, "ana@example.com")[-1].text)
    added = chat.post(conv_id, token, "I was charged twice for the same hosting")[0].text
    again = chat.post(conv_id, token, "I want to talk to someone")[0].text
    assert added == (f"I've added this to your request {reference}; the help center's "
                     "owner can read it in the console.")
    assert again.startswith(f"Your request {reference} is saved, and the help center's owner "
                            "can read it in the console.")
    assert "support team" not in added + again


@pytest.mark.parametrize("name, value", [
    ("smtp_url", "mail.example.com:25"),
    ("smtp_url", "smtp://:25"),
    ("webhook_url", "hooks.example.com/x"),
    ("support_email", "not an address"),
])
def test_a_malformed_delivery_setting_is_reported_at_start_by_name(
        tmp_path, guides_dir, name, value, monkeypatch, capsys):
    from webapp import create_app

    extra = {"support_email": "help@example.com"} if name == "smtp_url" else {}
    settings = Settings(guides=guides_dir, data=tmp_path / "data", **{name: value}, **extra)
    with pytest.raises(DeliverySettingsError, match=f"KB_{name.upper()}"):
        create_app(settings)
    monkeypatch.setenv(f"KB_{name.upper()}", value)
    for key, val in extra.items():
        monkeypatch.setenv(f"KB_{key.upper()}", val)
    assert main(["--guides", str(guides_dir), "--data", str(tmp_path / "d2"), "serve",
                 "--port", str(free_port())]) == 1
    assert f"KB_{name.upper()}" in capsys.readouterr().err


def test_the_web_apps_retry_loop_delivers_once_the_webhook_is_back(tmp_path, guides_dir):
    import time

    port = free_port()  # the receiver is down when the ticket is opened
    context = make_context(tmp_path, guides_dir, webhook_url=f"http://127.0.0.1:{port}/")
    context.support.channels["webhook"].backoff_s = 0.01
    reference = reference_in(hand_off(context))
    entry, = context.support.outbox.entries()
    assert entry.status == "failed" and "could not be reached" in entry.last_error
    sql(context.database, "UPDATE outbox SET next_at = 0")  # due now, not in 30 seconds
    receiver = WebhookReceiver(port).start()
    try:
        context.support.start_retry_loop(every_s=0.05)
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.payloads()[0]["ticket"]["reference"] == reference
    finally:
        receiver.stop()
    log = context.support.outbox.log(reference)
    assert [ok for _, _, ok, _ in log] == [False, True]


@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example.com:2525", ("mail.example.com", 2525, False, None, None)),
    ("smtps://bot%40example.com:p%3Ass@mail.example.com", ("mail.example.com", 465, True,
                                                           "bot@example.com", "p:ss")),
    ("smtp://relay", ("relay", 25, False, None, None)),
])
def test_the_smtp_url_gives_host_port_tls_and_credentials(url, expected):
    from kb.support.channels import parse_smtp_url

    server = parse_smtp_url(url)
    assert (server.host, server.port, server.tls, server.user, server.password) == expected
