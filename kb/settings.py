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
from typing import Annotated

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

    @field_validator("guides", "data", "overlays", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        # Resolved once, against the folder the program started in.
        return value.expanduser().resolve()

    @field_validator("allowed_origins", mode="before")
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
