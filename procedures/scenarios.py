"""Scenario files: scripted runs of a procedure and what each must produce.

A scenario file (`tests/fixtures/scenarios/<slug>.yaml`) lists runs of one procedure: a
demo account, the answers a user gives, and the expected outcome, changes, summary and
account state. The files are validated here with `extra="forbid"`, so a misspelt key
(`outcom:`, `chnages:`) fails loudly instead of silently checking nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from procedures.backend import reference
from procedures.run import Status


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Answer(Strict):
    """One scripted turn written as a mapping: exactly one of `answer`, `back`, `cancel`,
    `restart`, `image` (a PNG of that width and height), `image_bytes` (raw bytes) or
    `sms_code` (the code the demo backend sent by SMS),
    optionally with the refusal (`error`) or message (`says`) it must produce."""

    answer: str | None = None
    back: bool = False
    cancel: bool = False
    restart: bool = False
    image: tuple[int, int] | None = None
    image_bytes: str | None = None
    sms_code: bool = False
    """Type the code the demo backend sent by SMS (as its demo-account page shows it)."""
    error: str | None = None
    says: str | None = None

    @model_validator(mode="after")
    def _one_turn(self) -> Answer:
        given = [name for name in ("answer", "image", "image_bytes")
                 if getattr(self, name) is not None]
        given += [name for name in ("back", "cancel", "restart", "sms_code")
                  if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("a turn is exactly one of answer, back, cancel, restart, "
                             f"image, image_bytes, sms_code (got: {', '.join(given) or 'none'})")
        return self

    @property
    def command(self) -> str | None:
        """`back`, `cancel` or `restart` when the turn is one of those, else None."""
        return next((c for c in ("back", "cancel", "restart") if getattr(self, c)), None)


Turn = str | Answer


class Scenario(Strict):
    """One run: who runs it, what they answer, and what must come out of it."""

    name: str
    account: str
    steps: list[Turn] = []
    outcome: Status = "done"
    """The run's status at the end: an outcome, or `active` for a run left mid-way."""
    changes: list[str] | None = None
    """Parts of the changes made; an empty list means nothing may change."""
    summary: list[str] = []
    account_after: dict[str, Any] = {}
    """Dotted paths into the account's state (`user.two_factor.count`) and their values."""
    fail_operations: list[str] = []
    """Backend operations that fail temporarily during this run."""

    @model_validator(mode="after")
    def _known_operations(self) -> Scenario:
        unknown = sorted(set(self.fail_operations) - set(reference.operations()))
        if unknown:
            raise ValueError(f"fail_operations names no operation: {', '.join(unknown)}")
        return self


class ScenarioFile(Strict):
    """A scenario file: the procedure (a guide slug) and its scenarios."""

    procedure: str
    scenarios: list[Scenario]


def read(path: Path) -> ScenarioFile:
    """The scenario file at `path`; raises pydantic's ValidationError naming the key."""
    return ScenarioFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
