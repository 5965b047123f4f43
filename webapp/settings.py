"""Web app settings: validated once, from environment variables, with embedded defaults.

Nothing needs setting to start: the guides folder, the data folder (index, SQLite), and a
secret key generated on first start and kept in the data folder, so sessions survive a
restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.config import Paths


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    guides: Path = Field(default=Path("guides"), description="KB_GUIDES")
    data: Path = Field(default=Path(".kb-data"), description="KB_DATA")
    secret_key: str = Field(default="", description="KB_SECRET_KEY (generated if empty)")
    allowed_origins: list[str] = Field(default=[], description="KB_ALLOWED_ORIGINS, "
                                       "comma-separated origins that may embed the widget")
    max_request_bytes: int = Field(default=6_000_000, ge=1024, le=50_000_000,
                                   description="KB_MAX_REQUEST_BYTES")
    default_account: str = Field(default="legal-rep", description="KB_DEFAULT_ACCOUNT")
    site_name: str = Field(default="Help Center", description="KB_SITE_NAME")
    testing: bool = False

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [v.strip().rstrip("/") for v in value.split(",") if v.strip()]
        return value

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        env = {
            "guides": os.environ.get("KB_GUIDES"),
            "data": os.environ.get("KB_DATA"),
            "secret_key": os.environ.get("KB_SECRET_KEY"),
            "allowed_origins": os.environ.get("KB_ALLOWED_ORIGINS"),
            "max_request_bytes": os.environ.get("KB_MAX_REQUEST_BYTES"),
            "default_account": os.environ.get("KB_DEFAULT_ACCOUNT"),
            "site_name": os.environ.get("KB_SITE_NAME"),
        }
        values = {k: v for k, v in env.items() if v not in (None, "")}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    @property
    def paths(self) -> Paths:
        return Paths.resolve(self.guides, self.data)

    def resolved_secret(self) -> str:
        """The secret key: the configured one, or one kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.paths.data / "secret_key"
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
