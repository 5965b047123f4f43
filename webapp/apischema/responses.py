"""What the JSON API answers, as pydantic models: the views build their JSON through them
and the OpenAPI document takes its response schemas from them, so a shape is defined once.

Models that the core already defines as pydantic models are used as they are: the search
answer (`kb.search.responses.SearchResponse`, also `kb search --json`), the procedure
(`procedures.model.Procedure`) and the chat's replies (`kb.chat.conversations.Reply`,
`Turn`). The others are built from core objects with `of(...)`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kb.chat.conversations import Reply, Turn
from kb.content.guides import Guide as CoreGuide
from kb.runs.service import RunState
from procedures import engine
from procedures.engine import StepView
from procedures.model import Procedure
from procedures.run import Status

EventName = Literal["answer", "back", "cancel", "restart"]


class Answer(BaseModel):
    """A response body: no other field may appear, and in the documented (serialization)
    schema every field is required, defaults included, because every answer has it."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    def body(self) -> dict[str, Any]:
        """The body, as JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)


# -- errors --------------------------------------------------------------------------------

class ErrorDetail(Answer):
    code: str = Field(description="Stable, for programs: see the table above.")
    message: str = Field(description="For people: what went wrong and what to do.")


class Error(Answer):
    """The one error shape of the API."""

    error: ErrorDetail


# -- guides and procedures -----------------------------------------------------------------

class GuideSummary(Answer):
    """A guide's metadata, and the procedure compiled from it."""

    slug: str
    title: str
    category: str
    summary: str
    tags: list[str]
    products: list[str]
    language: str
    updated: date
    procedure: str | None = Field(description="The procedure compiled from the guide (its "
                                              "id is the slug), or null.")

    @classmethod
    def fields_of(cls, guide: CoreGuide, procedure: str | None) -> dict[str, Any]:
        meta = guide.meta
        return {"slug": meta.slug, "title": meta.title, "category": meta.category,
                "summary": meta.summary, "tags": list(meta.tags),
                "products": list(meta.products), "language": meta.language,
                "updated": meta.updated, "procedure": procedure}

    @classmethod
    def of(cls, guide: CoreGuide, procedure: str | None) -> GuideSummary:
        return cls(**cls.fields_of(guide, procedure))


class GuideList(Answer):
    guides: list[GuideSummary]


class Passage(Answer):
    """One section of a guide, as the search quotes it."""

    anchor: str
    title: str
    level: int
    text: str


class Guide(GuideSummary):
    """One guide: metadata, passages and the rendered page."""

    passages: list[Passage]
    html: str = Field(description="The guide rendered as HTML (raw HTML written in the "
                                  "guide is escaped).")

    @classmethod
    def of(cls, guide: CoreGuide, procedure: str | None) -> Guide:
        passages = [Passage(anchor=p.anchor, title=p.title, level=p.level, text=p.text)
                    for p in guide.passages]
        return cls(**cls.fields_of(guide, procedure), passages=passages, html=guide.html())


def public_procedure(procedure: Procedure) -> Procedure:
    """The procedure as the API shows it: the server's folders are nobody's business, so
    its source is named by the file alone."""
    if not procedure.source:
        return procedure
    return procedure.model_copy(update={"source": Path(procedure.source).name})


# -- runs ----------------------------------------------------------------------------------

class RunMessage(Answer):
    """A message of the last turn: say, note, warning, error or result."""

    model_config = ConfigDict(from_attributes=True)

    type: str
    text: str
    step: str | None
    name: str | None = Field(default=None, description="An attachment's file name.")
    content_type: str | None = Field(default=None, description="An attachment's type.")
    url: str | None = Field(default=None, description="Where an attachment is downloaded "
                            "(with the run's token).")

    @classmethod
    def of(cls, output: engine.Output, run_id: str) -> RunMessage:
        message = cls.model_validate(output)
        if output.type == "attachment" and output.name:
            message.url = f"/api/v1/runs/{run_id}/attachments/{output.name}"
        return message


class Run(Answer):
    """A run: where it is, what to show, what it changed."""

    id: str
    procedure: str
    title: str
    revision: int
    status: Status
    account: str
    step: StepView | None = Field(description="The step to show (as in `kb run --json`).")
    messages: list[RunMessage]
    allowed_events: list[EventName]
    changes: list[str] = Field(description="What was changed in the account.")
    summary: str | None
    outcome: Status | None = Field(description="How the run ended; null while active.")

    @classmethod
    def fields_of(cls, state: RunState) -> dict[str, Any]:
        run = state.run
        return {
            "id": state.id, "procedure": run.procedure, "title": state.procedure.title,
            "revision": run.revision, "status": run.status, "account": run.account,
            "step": state.view,
            "messages": [RunMessage.of(o, state.id) for o in state.outputs],
            "allowed_events": engine.allowed_events(state.procedure, run),
            "changes": list(run.changes), "summary": run.summary or None,
            "outcome": None if run.status == "active" else run.status}

    @classmethod
    def of(cls, state: RunState) -> Run:
        return cls(**cls.fields_of(state))


class NewRun(Run):
    """A run just created: with its token, which is not shown again."""

    token: str = Field(description="Send it as `Authorization: Bearer <token>`; keep it, "
                                   "it is not shown again.")

    @classmethod
    def of(cls, state: RunState) -> NewRun:
        if state.token is None:
            raise ValueError("a new run has a token")
        return cls(**cls.fields_of(state), token=state.token)


# -- conversations -------------------------------------------------------------------------

class NewConversationAnswer(Answer):
    id: str
    token: str = Field(description="Send it as `Authorization: Bearer <token>`; it is not "
                                   "shown again.")


class Replies(Answer):
    """The assistant's replies to one message."""

    replies: list[Reply]


class ConversationHistory(Answer):
    """The conversation so far: each message with the replies it got."""

    messages: list[Turn]
    account: str = Field(description="The demo account procedures act on.")
    procedure: str | None = Field(description="The procedure running, if any.")
