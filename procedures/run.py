"""A run of a procedure: plain data that any process can store, load and advance.

The run remembers the procedure id and version it started on, where it is (a stack of
frames, the top one current), what was collected, what the backend returned, what changed
in the account, an event log, and a revision number for optimistic concurrency. Secrets
(passwords) and uploads never stay in it: they live only for the turn that uses them.

What is stored stays bounded however long a run is used: the log and the trail of
answered questions keep their most recent entries, and a run stops taking answers after
MAX_REFUSED_IN_A_ROW refused ones.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

Status = Literal["active", "done", "blocked", "handed-off", "cancelled", "failed"]
EventType = Literal["answer", "back", "cancel", "restart", "interrupt", "resume"]
REDACTED = "[hidden]"

LOG_KEPT = 100
"""Events of the log kept when a run is stored: it is a trace, not what the engine needs."""
CHECKPOINTS_KEPT = 200
"""Answered questions kept for `back`: going further back than this is not offered."""
APPLIED_KEPT = 50
"""Client message ids remembered, to recognise a message sent again."""
MAX_REFUSED_IN_A_ROW = 20
"""Refused answers in a row after which a run takes no more answers (it can still go
back, restart or be cancelled)."""


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure: str
    version: str
    step: str


class Checkpoint(BaseModel):
    """A question the user answered: where `back` returns, with the values before it."""

    model_config = ConfigDict(extra="forbid")

    step: str
    answers: dict[str, Any]
    barrier: str | None = Field(default=None, description="what changed in the account "
                                                          "after this answer, if anything")


class Event(BaseModel):
    """What the user did: answer a step, or go back, cancel, restart, interrupt, resume."""

    model_config = ConfigDict(extra="forbid")

    type: EventType
    value: Any = None
    revision: int | None = None


class Run(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure: str
    version: str
    account: str
    status: Status = "active"
    frames: list[Frame] = []
    section: str | None = Field(default=None, description="The one section (stage) of the "
                                "guide this run goes through, when it was started for it: "
                                "the run goes there after the guide's prerequisites and "
                                "ends, done, where the section ends.")
    answers: dict[str, Any] = {}
    digests: dict[str, str] = Field(default={}, description="salted hashes of secret answers, "
                                    "so a confirmation can be compared without keeping them")
    salt: str = ""
    results: dict[str, Any] = {}
    attempts: dict[str, int] = {}
    checkpoints: list[Checkpoint] = []
    changes: list[str] = []
    log: list[dict[str, Any]] = []
    error: str | None = None
    summary: str = ""
    paused: bool = False
    refused_in_a_row: int = 0
    applied: list[str] = Field(default=[], description="ids of the last client messages "
                               "applied, so a message sent again is not applied twice")
    revision: int = 0

    @field_serializer("log")
    def _recent_log(self, log: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return log[-LOG_KEPT:]

    @field_serializer("checkpoints")
    def _recent_checkpoints(self, checkpoints: list[Checkpoint]) -> list[Checkpoint]:
        return checkpoints[-CHECKPOINTS_KEPT:]

    @field_serializer("applied")
    def _recent_applied(self, applied: list[str]) -> list[str]:
        return applied[-APPLIED_KEPT:]

    def changeable(self) -> Run:
        """A copy to change: its frames, checkpoints, lists and dicts are its own, and
        its trails are cut to what is stored. The values inside them (JSON data) are
        shared: a change replaces them, never changes them in place. (Dumping and
        validating the whole run again made an advance about 40% slower on a run with a
        long log: `bench/engine.py`, docs/performance.md.)"""
        return self.model_copy(update={
            "frames": [frame.model_copy() for frame in self.frames],
            "answers": dict(self.answers), "digests": dict(self.digests),
            "results": dict(self.results), "attempts": dict(self.attempts),
            "checkpoints": [checkpoint.model_copy()
                            for checkpoint in self.checkpoints[-CHECKPOINTS_KEPT:]],
            "changes": list(self.changes), "log": self.log[-LOG_KEPT:],
            "applied": self.applied[-APPLIED_KEPT:]})

    @property
    def step(self) -> str | None:
        return self.frames[-1].step if self.frames else None

    @property
    def finished(self) -> bool:
        return self.status != "active"

    def context(self) -> dict[str, Any]:
        """The data conditions and templates read."""
        return {"answers": self.answers, "results": self.results,
                "account": {"name": self.account}, "changes": self.changes}
