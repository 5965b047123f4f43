"""What the JSON API accepts: query parameters and request bodies, as pydantic models.

Bodies forbid unknown fields and are validated strictly (a revision is a JSON integer, not
the string "3"), so a client's typo fails loudly instead of being half understood. The
OpenAPI document takes its request schemas from these models, so the documentation and
the validation cannot drift apart. `describe` turns a validation error into one sentence
that names the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from kb.content.guides import SLUG_PATTERN

MAX_REVISION = 2**31 - 1
SCALAR_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                           {"type": "null"}]}
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError("must be a string, a number, a boolean or null")


Scalar = Annotated[Any, BeforeValidator(_scalar), WithJsonSchema(SCALAR_SCHEMA)]


def _integral(value: Any) -> Any:
    # JSON has one number type, and JSON Schema counts 3.0 as the integer 3: so does the
    # server, as its OpenAPI document says. 3.5, "3" and true are still refused.
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


Revision = Annotated[int, Field(ge=0, le=MAX_REVISION), BeforeValidator(_integral)]


class SearchParams(BaseModel):
    """The query string of `GET /api/v1/search`. Unknown parameters are ignored (caches
    and analytics add their own)."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(default="", description="The question, as typed. Empty: no results, "
                                           "`confident: false`. Cut to 500 characters.")
    limit: int = Field(default=10, ge=1, le=50, description="How many results (1-50).")
    offset: int = Field(default=0, ge=0, le=1000, description="Results to skip, for paging.")
    category: str | None = Field(default=None, max_length=200,
                                 description="Only guides of this category (exact name).")
    instant: bool = Field(default=False, description="True for as-you-type searches: an "
                                                     "unanswered one is not logged as a "
                                                     "content gap.")


IDENTITY_DESCRIPTION = (
    "The identity token the host site signed for the signed-in customer (a JWT, HS256, "
    "with `sub` = the account and `exp`). Required in production mode, where the account "
    "comes only from it; see docs/widget.md.")
Identity = Annotated[str, StringConstraints(max_length=4096)]


class StartRun(BaseModel):
    """`POST /api/v1/runs`: start a guided procedure for an account."""

    model_config = ConfigDict(extra="forbid", strict=True)

    procedure: Slug = Field(description="The procedure id (the guide's slug).")
    account: str | None = Field(default=None, min_length=1, max_length=100, description=(
        "Demo mode only: the demo account to act as, e.g. `legal-rep`; the site's "
        "default when absent. Refused in production mode."))
    identity: Identity | None = Field(default=None, description=IDENTITY_DESCRIPTION)


class RunEvent(BaseModel):
    """`POST /api/v1/runs/{id}/events`: what the user did at the current step."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: Literal["answer", "back", "cancel", "restart"] = Field(
        description="`answer` the current step, or go `back`, `cancel`, `restart`.")
    value: Scalar = Field(default=None, description=(
        "The answer: `done` for an instruction; an option id, label or number for a "
        "choice; the value for a question (an image as a `data:` URL). Ignored by the "
        "other event types."))
    revision: Revision | None = Field(default=None, description=(
        "The run's revision the client saw. When it is out of date the event is refused "
        "with 409 and nothing changes. Without it, the event applies to the current "
        "step."))


def describe(exc: ValidationError, model: type[BaseModel]) -> str:
    """One readable sentence per wrong field of `model`, each naming the field."""
    parts: list[str] = []
    seen: set[str] = set()
    for err in exc.errors(include_url=False, include_input=False):
        loc = err["loc"]
        if not loc:
            parts.append("the request body must be a JSON object")
            continue
        name = str(loc[0])
        if name in seen:
            continue
        seen.add(name)
        kind = err["type"]
        if kind == "extra_forbidden":
            parts.append(f"'{name}' is not a known field (allowed: "
                         f"{', '.join(model.model_fields)})")
        elif kind == "missing":
            parts.append(f"'{name}' is required")
        elif kind == "string_pattern_mismatch":
            parts.append(f"'{name}' must be a slug: lowercase letters, digits and hyphens")
        else:
            message = err["msg"].removeprefix("Value error, ")
            parts.append(f"'{name}': {message[:1].lower()}{message[1:]}")
    return "; ".join(parts) or "the request is not valid"


class NewConversation(BaseModel):
    """`POST /api/v1/conversations`: optionally, the demo account the chat acts for."""

    model_config = ConfigDict(extra="forbid", strict=True)

    account: str | None = Field(default=None, min_length=1, max_length=100,
                                description="Demo mode only: the demo account procedures "
                                            "act on; the site's default when absent. "
                                            "Refused in production mode.")
    identity: Identity | None = Field(default=None, description=IDENTITY_DESCRIPTION)


class NewMessage(BaseModel):
    """`POST /api/v1/conversations/{id}/messages`: what the user typed or clicked."""

    # Said in the schema as the view checks it: some text that is not only blanks, or
    # an option.
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"anyOf": [
        {"properties": {"text": {"pattern": "\\S"}}},
        {"required": ["option"], "properties": {"option": {"type": "string",
                                                           "minLength": 1}}}]})

    text: str = Field(max_length=8_000_000, description=(
        "The message, as typed (cut to 2,000 characters), or, when the step asks for a "
        "picture, the image as a `data:` URL. May be empty with an `option`."))
    option: str | None = Field(default=None, max_length=200, description=(
        "The id of an option of an earlier reply that the user clicked."))
    client_id: str | None = Field(default=None, min_length=1, max_length=100, description=(
        "A client-chosen message id: a message sent twice with the same id is applied "
        "once, and the first replies are returned again."))
