"""Owners of the help center, who may sign in to the console, and sign-in throttling.

Passwords are hashed with Werkzeug's scrypt (never stored or logged as typed). Failed
sign-ins are counted per user name and client, the client kept only as a salted hash
(never an address), and a name+client with too many recent failures must wait.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from kb.store import dialect
from kb.store.database import Database
from kb.store.schema import console_login_failures, console_owners

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
            new = conn.execute(select(console_owners.c.name)
                               .where(console_owners.c.name == name)).first() is None
            upsert = dialect.insert(conn, console_owners).values(
                name=name, password_hash=hashed, created_at=time.time())
            conn.execute(upsert.on_conflict_do_update(
                index_elements=["name"],
                set_={"password_hash": upsert.excluded.password_hash}))
        return new

    def names(self) -> list[str]:
        rows = self.db.rows(select(console_owners.c.name).order_by(console_owners.c.name))
        return [r.name for r in rows]

    def verify(self, name: str, password: str) -> bool:
        row = self.db.first(select(console_owners.c.password_hash)
                            .where(console_owners.c.name == name.strip().lower()[:64]))
        if row is None:
            check_password_hash(_DUMMY, password)
            return False
        return check_password_hash(row.password_hash, password)

    # -- throttling ---------------------------------------------------------------------
    def _key(self, name: str, client: str) -> str:
        return hmac.new(self.salt.encode(), f"{name.strip().lower()}|{client}".encode(),
                        hashlib.sha256).hexdigest()

    def blocked(self, name: str, client: str) -> bool:
        """Whether this name+client failed too often in the last quarter hour."""
        f = console_login_failures.c
        row = self.db.first(select(func.count()).where(
            f.key == self._key(name, client), f.created_at > time.time() - WINDOW_S))
        return row is not None and int(row[0]) >= MAX_FAILURES

    def failed(self, name: str, client: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(delete(console_login_failures).where(
                console_login_failures.c.created_at < time.time() - WINDOW_S))
            conn.execute(console_login_failures.insert().values(
                key=self._key(name, client), created_at=time.time()))

    def succeeded(self, name: str, client: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(delete(console_login_failures).where(
                console_login_failures.c.key == self._key(name, client)))
