"""Who a request acts for: a demo account chosen freely, or an identity the host site signs.

In demo mode (the default) a visitor, a chat or an API client names a demo account, or gets
`KB_DEFAULT_ACCOUNT`. In production mode (`KB_MODE=production`) the account comes only from
an identity token: a JWT the host site signs with HS256 and `KB_IDENTITY_SECRET`, whose
`sub` is the account and whose `exp` is at most a day away. Anything else (no token, a
forged or tampered signature, another algorithm, `alg: none`, an expired or overlong
token, an `account` named by the client) is refused with `IdentityRefused`, which the web
app answers with 401. The check lives here, not in the web app, so every entry point
(API, chat, widget, wizard) applies the same rules.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from kb.errors import KBError
from kb.settings import Settings

ALGORITHM = "HS256"
# Clocks of the host site and this server may differ a little.
LEEWAY_SECONDS = 60
# A token is a short-lived proof of a sign-in, not a standing credential.
MAX_LIFETIME_SECONDS = 24 * 3600
MAX_TOKEN_CHARS = 4096
# HS256 with a short secret can be brute-forced from one token.
MIN_SECRET_BYTES = 32


class IdentityRefused(KBError):
    """Raised when a request must carry a valid identity token and does not."""


class AccountNotAllowed(KBError):
    """Raised when a client names an account itself where only an identity may name it."""


class IdentityNotConfigured(KBError):
    """Raised when production mode is asked for without `KB_IDENTITY_SECRET`."""


@dataclass(frozen=True)
class Identity:
    """A verified identity: the account the host site vouches for, until `expires`."""

    account: str
    expires: int
    email: str | None = None
    name: str | None = None


def check_settings(settings: Settings) -> None:
    """Refuse a production configuration that could not verify anyone."""
    if settings.mode != "production":
        return
    if not settings.identity_secret:
        raise IdentityNotConfigured(
            "KB_MODE=production needs KB_IDENTITY_SECRET: the secret the host site signs "
            "identity tokens with (at least 32 random bytes, e.g. `python -c \"import "
            "secrets; print(secrets.token_hex(32))\"`)")
    if len(settings.identity_secret.encode()) < MIN_SECRET_BYTES:
        raise IdentityNotConfigured(
            f"KB_IDENTITY_SECRET is too short: use at least {MIN_SECRET_BYTES} random bytes")


def verify(token: object, secret: str, *, now: float | None = None) -> Identity:
    """The identity in `token`, or `IdentityRefused` saying, in a sentence, why not."""
    if not isinstance(token, str) or not token.strip():
        raise IdentityRefused("an identity token is required: sign in on the site first")
    if len(token) > MAX_TOKEN_CHARS:
        raise IdentityRefused("the identity token is too long")
    if not secret:
        raise IdentityRefused("this server does not accept identity tokens "
                              "(KB_IDENTITY_SECRET is not set)")
    moment = time.time() if now is None else now
    try:
        claims = jwt.decode(
            token.strip(), secret, algorithms=[ALGORITHM], leeway=LEEWAY_SECONDS,
            # The expiry is checked below, against `now`, with the lifetime limit.
            options={"require": ["sub", "exp"], "verify_aud": False, "verify_iat": False,
                     "verify_exp": False})
    except jwt.InvalidTokenError:
        # Forged, tampered, another algorithm, malformed or a claim missing: all the same
        # to the client, which can only get a fresh token.
        raise IdentityRefused("the identity token is not valid") from None
    return _identity(claims, moment)


def _identity(claims: dict[str, object], now: float) -> Identity:
    sub, exp = claims.get("sub"), claims.get("exp")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > 100:
        raise IdentityRefused("the identity token does not name an account")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp != exp:
        raise IdentityRefused("the identity token is not valid")
    if exp < now - LEEWAY_SECONDS:
        raise IdentityRefused("the identity token has expired: sign in again")
    if exp > now + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS:
        raise IdentityRefused("the identity token lasts too long: it must expire within "
                              "a day")
    return Identity(account=sub.strip(), expires=int(exp), email=_text(claims.get("email")),
                    name=_text(claims.get("name")))


def _text(value: object) -> str | None:
    return value.strip()[:200] or None if isinstance(value, str) else None


def acting_account(settings: Settings, *, account: str | None,
                   identity: str | None) -> str | None:
    """The account a new run or conversation acts on, from what the client sent.

    Production: only from a verified identity; a named `account` is refused (after the
    identity is checked, so a client without one learns it needs one). Demo: the identity
    when one is sent (and the server can check it), else the named account, else None
    (the caller's default, `KB_DEFAULT_ACCOUNT`)."""
    if settings.mode == "production":
        verified = verify(identity, settings.identity_secret)
        if account is not None:
            raise AccountNotAllowed("'account' is not accepted here: the account comes from "
                                    "the signed identity")
        return verified.account
    if identity:
        return verify(identity, settings.identity_secret).account
    return account
