"""Where tickets go: an e-mail through SMTP, and a signed JSON webhook.

Both are configured by settings only (`KB_SMTP_URL` + `KB_SUPPORT_EMAIL`, `KB_WEBHOOK_URL`
+ `KB_WEBHOOK_SECRET`); nothing is written into the code. `check_settings` reads them
once at start and names the setting that is malformed, so a typo is found when the
server starts rather than when the first customer asks for a person.

The webhook body is JSON; `X-KB-Timestamp` carries the Unix time of sending and
`X-KB-Signature` is `sha256=` + the hex HMAC-SHA256, keyed with the secret, of
`<timestamp>.<body>`: the receiver recomputes it and refuses old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

from kb.settings import Settings
from kb.support.errors import DeliveryFailed, DeliverySettingsError
from kb.support.tickets import Ticket

EMAIL = re.compile(r"^[^@\s<>(),;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")
TIMEOUT_S = 10.0
WEBHOOK_TRIES = 3
WEBHOOK_BACKOFF_S = 0.5


def valid_email(text: str) -> bool:
    return len(text) <= 254 and EMAIL.match(text) is not None


class Channel(Protocol):
    name: str

    def send(self, ticket: Ticket) -> str:
        """Deliver the ticket; return what happened, or raise `DeliveryFailed`."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool
    user: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpServer:
    """`smtp://[user:pass@]host:port` (or `smtps://` for TLS from the first byte)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("names no mail server host")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ValueError("has a port that is not a number between 1 and 65535") from None
    return SmtpServer(parts.hostname, port, parts.scheme == "smtps",
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


def check_settings(settings: Settings) -> None:
    """Raise `DeliverySettingsError` naming every malformed delivery setting."""
    problems = []
    if settings.smtp_url:
        try:
            parse_smtp_url(settings.smtp_url)
        except ValueError as exc:
            problems.append(f"KB_SMTP_URL {exc} (expected smtp://[user:pass@]host:port)")
        if not settings.support_email:
            problems.append("KB_SUPPORT_EMAIL is needed with KB_SMTP_URL: it is where "
                            "tickets are e-mailed")
    if settings.support_email and not valid_email(settings.support_email):
        problems.append(f"KB_SUPPORT_EMAIL is not an e-mail address: "
                        f"{settings.support_email!r}")
    if settings.webhook_url:
        parts = urlsplit(settings.webhook_url)
        try:
            bad_port = parts.port == 0
        except ValueError:
            bad_port = True
        if parts.scheme not in ("http", "https") or not parts.hostname or bad_port:
            problems.append(f"KB_WEBHOOK_URL is not an http(s) address: "
                            f"{settings.webhook_url!r}")
    if problems:
        raise DeliverySettingsError("; ".join(problems))


class EmailChannel:
    """Sends a ticket as a plain-text e-mail to the support address."""

    name = "email"

    def __init__(self, url: str, to: str, sender: str | None = None):
        self.server = parse_smtp_url(url)
        self.to = to
        self.sender = sender or to

    def send(self, ticket: Ticket) -> str:
        message = EmailMessage()
        message["Subject"] = f"[{ticket.reference}] {ticket.content.subject}"[:200]
        message["From"] = self.sender
        message["To"] = self.to
        message["Reply-To"] = ticket.content.email
        message.set_content(email_body(ticket))
        server = self.server
        try:
            if server.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=TIMEOUT_S,
                    context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
            with smtp:
                smtp.ehlo()
                if not server.tls and smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if server.user:
                    smtp.login(server.user, server.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"the mail server {server.host}:{server.port} did not "
                                 f"take the message: {exc}") from None
        return f"e-mailed to {self.to}"


class WebhookChannel:
    """Posts a ticket as signed JSON, retrying a few times with growing pauses."""

    name = "webhook"

    def __init__(self, url: str, secret: str, tries: int = WEBHOOK_TRIES,
                 backoff_s: float = WEBHOOK_BACKOFF_S):
        self.url = url
        self.secret = secret
        self.tries = tries
        self.backoff_s = backoff_s

    def send(self, ticket: Ticket) -> str:
        body = json.dumps({"event": "ticket.created", "ticket": ticket.payload()},
                          ensure_ascii=False).encode("utf-8")
        reason = ""
        for attempt in range(self.tries):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                status = self._post(body)
            except DeliveryFailed as exc:
                reason = str(exc)
                continue
            return f"posted to the webhook (HTTP {status})"
        raise DeliveryFailed(reason)

    def _post(self, body: bytes) -> int:
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "User-Agent": "kb-helpcenter",
                   "X-KB-Timestamp": stamp}
        if self.secret:
            headers["X-KB-Signature"] = "sha256=" + sign(self.secret, stamp, body)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"the webhook answered HTTP {exc.code}") from None
        except (OSError, ValueError) as exc:
            raise DeliveryFailed(f"the webhook could not be reached: {exc}") from None


def sign(secret: str, stamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<stamp>.<body>` keyed with `secret`."""
    return hmac.new(secret.encode("utf-8"), stamp.encode("ascii") + b"." + body,
                    hashlib.sha256).hexdigest()


def configured(settings: Settings) -> dict[str, Channel]:
    """The channels the settings configure, by name."""
    channels: dict[str, Channel] = {}
    if settings.smtp_url and settings.support_email:
        channels["email"] = EmailChannel(settings.smtp_url, settings.support_email)
    if settings.webhook_url:
        channels["webhook"] = WebhookChannel(settings.webhook_url, settings.webhook_secret)
    return channels


def email_body(ticket: Ticket) -> str:
    """The ticket as the support team reads it in their mailbox."""
    c = ticket.content
    lines = [f"Ticket {ticket.reference}", "",
             f"Contact: {c.email}", f"Account: {c.account}",
             f"From: the {'chat' if c.source == 'chat' else 'guided procedure page'}"]
    if c.guide:
        lines.append(f"Guide: {c.guide}")
    if c.procedure:
        lines.append(f"Procedure: {c.procedure_title or c.procedure} "
                     f"({c.procedure_status or 'unknown'}, at step {c.procedure_step or '-'})")
    if c.answers:
        lines += ["", "Answers so far:", *(f"  {k}: {v}" for k, v in c.answers.items())]
    if c.transcript:
        lines += ["", "Conversation:"]
        lines += [f"  {'Customer' if line.who == 'customer' else 'Assistant'}: {line.text}"
                  for line in c.transcript]
    return "\n".join(lines) + "\n"
