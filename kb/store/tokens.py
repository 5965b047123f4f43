"""Ids and secret tokens of stored things reached from outside (runs, conversations).

The token is shown once, to its creator; only its hash is stored, and it is compared in
constant time, so a leaked database or a timing probe gives no way in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_id_and_token() -> tuple[str, str, str]:
    """(id, token, hash of the token to store)."""
    token = secrets.token_urlsafe(24)
    return secrets.token_hex(8), token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(stored_hash: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(stored_hash, hash_token(token or ""))
