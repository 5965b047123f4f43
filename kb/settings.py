"""The product's settings, one object read once: `KB_*` environment variables and defaults.

The command line builds it in `main` (its `--guides` / `--data` options win over the
environment) and the web app in `create_app`; from there it is passed down, through
`kb.context.Context`, to everything that needs a folder, the default demo account or a
limit. Nothing else reads the environment, so a value cannot be understood two ways.
Nothing needs setting to start: every field has a default that works on a fresh checkout.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

import procedures

# The overlays shipped with the seed guides. Found from the package itself rather than
# imported from `procedures.library`, so reading the settings does not load the compiler.
SHIPPED_OVERLAYS = Path(procedures.__file__).resolve().parent / "overlays"
SECRET_KEY_FILE = "secret_key"


class Settings(BaseSettings):
    """Every setting of the product; each field `name` is read from `KB_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="KB_", extra="forbid", frozen=True, env_ignore_empty=True,
        use_attribute_docstrings=True)

    guides: Path = Path("guides")
    """The folder of guide files (`<slug>.md`)."""

    data: Path = Path(".kb-data")
    """Where the search index, the SQLite database and the generated secret key live."""

    overlays: Path = SHIPPED_OVERLAYS
    """The folder of procedure overlays (`<slug>.yaml`); default: the shipped ones."""

    secret_key: str = ""
    """Signs the site's session cookies; generated and kept in the data folder if empty."""

    allowed_origins: Annotated[list[str], NoDecode] = []
    """Comma-separated origins (`https://shop.example.com`) allowed to embed the widget
    and call the API from their pages; exact match."""

    max_request_bytes: int = Field(default=6_000_000, ge=1024, le=50_000_000)
    """The largest request body accepted (uploaded pictures travel as `data:` URLs)."""

    default_account: str = "legal-rep"
    """The demo account a visitor, a chat or the widget acts as until one is chosen."""

    site_name: str = "Help Center"
    """The name shown in the site's header and page titles."""

    site_widget: bool = True
    """Whether the help center's own pages offer the chat widget."""

    mode: Literal["demo", "production"] = "demo"
    """`demo`: visitors pick a demo account freely. `production`: the account comes only
    from an identity token the host site signs with `KB_IDENTITY_SECRET`."""

    identity_secret: str = ""
    """The secret the host site signs identity tokens with (HS256); needed in production."""

    public_url: str = ""
    """The site's public address (`https://help.example.com`); absolute URLs (the widget
    snippet, links in e-mails) are built from it, never from the request's Host header."""

    trusted_hosts: Annotated[list[str], NoDecode] = []
    """Comma-separated host names the site answers to when no public URL is set."""

    database_url: str = ""
    """The database of conversations, runs and analytics; default: the SQLite file in
    the data folder. `postgresql://user:pass@host/db` for several servers."""

    ratelimit_storage: str = "memory://"
    """Where rate-limit counters live: `memory://` for one machine, `redis://host:6379`
    shared by several."""

    smtp_url: str = ""
    """The mail server hand-off tickets are sent through: `smtp://[user:pass@]host:port`,
    `smtps://` for TLS."""

    support_email: str = ""
    """Where hand-off tickets are e-mailed, and the address customers are told about."""

    support_phone: str = ""
    """The support phone number customers are told about, if any."""

    support_hours: str = ""
    """When people answer, in words (`Monday to Friday, 9:00 to 18:00 CET`)."""

    support_reply_time: str = ""
    """How soon a customer can expect a reply, in words (`within one working day`)."""

    webhook_url: str = ""
    """An address that receives each hand-off ticket as JSON (Zendesk, Slack, Chatwoot)."""

    webhook_secret: str = ""
    """Signs each webhook body (HMAC-SHA256) so the receiver can trust it."""

    retention_days: int = Field(default=0, ge=0, le=36_500)
    """Conversations, events and tickets older than this many days are removed by
    `kb purge`; 0 keeps everything."""

    @field_validator("guides", "data", "overlays", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        # Resolved once, against the folder the program started in.
        return value.expanduser().resolve()

    @field_validator("allowed_origins", "trusted_hosts", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip().rstrip("/") for v in value.split(",") if v.strip()]
        return value

    @property
    def index_root(self) -> Path:
        """The folder of search index builds."""
        return self.data / "index"

    @property
    def database(self) -> Path:
        """The SQLite file of conversations, runs and analytics."""
        return self.data / "kb.sqlite3"

    def resolved_secret(self) -> str:
        """The secret key: the configured one, or one kept in the data folder, so sessions
        survive a restart."""
        if self.secret_key:
            return self.secret_key
        path = self.data / SECRET_KEY_FILE
        try:
            return path.read_text().strip()
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_hex(32)
            # Exclusive creation: two workers starting together agree on one key.
            try:
                with open(path, "x") as handle:
                    handle.write(key)
                os.chmod(path, 0o600)
            except FileExistsError:
                return path.read_text().strip()
            return key
