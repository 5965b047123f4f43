"""Owners of the help center, who may sign in to the console, and sign-in throttling.

Passwords are hashed with Werkzeug's scrypt (never stored or logged as typed). Failed
sign-ins are counted per user name and client, the client kept only as a salted hash
(never an address), and a name+client with too many recent failures must wait.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from werkzeug.security import check_password_hash, generate_password_hash

from kb.store.database import Database, register_schema

register_schema("""
CREATE TABLE IF NOT EXISTS console_owners (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS console_login_failures (
    key TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS console_login_failures_key ON console_login_failures(key);
""")

MIN_PASSWORD = 10
MAX_FAILURES = 5
WINDOW_S = 15 * 60.0
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = generate_password_hash("not a real password", method="scrypt")


class OwnerError(ValueError):
    """Raised when an owner cannot be created: the message says what to change."""


class Owners:
    def __init__(self, db: Database, salt: str):
        self.db = db
        self.salt = salt

    def add(self, name: str, password: str) -> bool:
        """Create an owner, or set a new password; True when the owner is new."""
        name = name.strip().lower()
        if not name or len(name) > 64 or set(name) - NAME_CHARS:
            raise OwnerError("a user name is 1 to 64 letters, digits, dots, dashes, "
                             "underscores or @")
        if len(password) < MIN_PASSWORD:
            raise OwnerError(f"the password must have at least {MIN_PASSWORD} characters")
        hashed = generate_password_hash(password, method="scrypt")
        with self.db.transaction() as conn:
            new = conn.execute("SELECT 1 FROM console_owners WHERE name = ?",
                               (name,)).fetchone() is None
            conn.execute("INSERT INTO console_owners(name, password_hash, created_at) "
                         "VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                         "password_hash = excluded.password_hash",
                         (name, hashed, time.time()))
        return new

    def names(self) -> list[str]:
        rows = self.db.connection().execute("SELECT name FROM console_owners ORDER BY name")
        return [r["name"] for r in rows.fetchall()]

    def verify(self, name: str, password: str) -> bool:
        row = self.db.connection().execute(
            "SELECT password_hash FROM console_owners WHERE name = ?",
            (name.strip().lower()[:64],)).fetchone()
        if row is None:
            check_password_hash(_DUMMY, password)
            return False
        return check_password_hash(row["password_hash"], password)

    # -- throttling ---------------------------------------------------------------------
    def _key(self, name: str, client: str) -> str:
        return hmac.new(self.salt.encode(), f"{name.strip().lower()}|{client}".encode(),
                        hashlib.sha256).hexdigest()

    def blocked(self, name: str, client: str) -> bool:
        """Whether this name+client failed too often in the last quarter hour."""
        row = self.db.connection().execute(
            "SELECT COUNT(*) FROM console_login_failures WHERE key = ? AND created_at > ?",
            (self._key(name, client), time.time() - WINDOW_S)).fetchone()
        return int(row[0]) >= MAX_FAILURES

    def failed(self, name: str, client: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM console_login_failures WHERE created_at < ?",
                         (time.time() - WINDOW_S,))
            conn.execute("INSERT INTO console_login_failures(key, created_at) VALUES (?, ?)",
                         (self._key(name, client), time.time()))

    def succeeded(self, name: str, client: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM console_login_failures WHERE key = ?",
                         (self._key(name, client),))
