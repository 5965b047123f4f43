"""The procedure model: steps, their kinds, and how one step leads to the next.

A procedure is plain data (pydantic, JSON round-trip) so it can be compiled from a guide,
completed by an overlay, stored beside the runs started on it, and checked when loaded.
Conditions are a tiny declarative form (`kb.procedures.conditions`), never code.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

StepId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)]
StepKind = Literal["instruction", "choice", "collect", "action", "check", "note", "warning",
                   "end"]
Outcome = Literal["done", "blocked", "handed-off", "cancelled"]
FieldType = Literal["text", "email", "password", "integer", "decimal", "iban", "phone",
                    "image", "code", "yesno"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(Strict):
    """A test on the run's data. Exactly one of the comparison keys is given with `var`
    (a dotted path such as `answers.access` or `results.methods.count`), or `all`/`any`/
    `not` combine conditions. `else_` (written `else: true`) always holds. `contains`
    holds when a list has the value, or, for a mapping, an item with those keys and
    values (`contains: {kind: kauth}`)."""

    var: str | None = None
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    lt: float | None = None
    gt: float | None = None
    is_: bool | None = Field(default=None, alias="is")
    exists: bool | None = None
    contains: Any = None
    all_: list[Condition] | None = Field(default=None, alias="all")
    any_: list[Condition] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")
    else_: bool | None = Field(default=None, alias="else")

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Only the keys that were given: an `equals: null` left in the output would read
        # back as a second test and fail validation.
        data: dict[str, Any] = handler(self)
        given = {type(self).model_fields[name].alias or name for name in self.model_fields_set}
        given |= self.model_fields_set
        return {k: v for k, v in data.items() if k in given}

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        tests = [k for k in ("equals", "not_equals", "in_", "lt", "gt", "is_", "exists",
                             "contains")
                 if getattr(self, k) is not None or k in self.model_fields_set]
        combos = [k for k in ("all_", "any_", "not_", "else_") if getattr(self, k) is not None]
        if combos and (tests or self.var):
            raise ValueError("a condition is either a test on 'var' or all/any/not/else")
        if not combos and (not self.var or len(tests) != 1):
            raise ValueError("a condition needs 'var' and exactly one test (equals, "
                             "not_equals, in, lt, gt, is, exists, contains)")
        return self


class Branch(Strict):
    """`{if: condition, then: step}`; the first branch whose condition holds is taken."""

    if_: Condition = Field(alias="if")
    then: StepId


Next = StepId | list[Branch] | None

# A reference to the run's data inside a step's text or arguments: `{answers.email}`,
# `{results.methods.count}`, optionally with a format after a bar (`{results.rate|percent}`,
# see `procedures.engine.formats`). The engine fills it in, the overlay checks verify it
# names something stored, the diagram shows it as "…".
# `{path}`, `{path|format}`, `{path|format:arg}`; an `either` argument is two texts split
# by a slash ("in your name/not in your name").
TEMPLATE = re.compile(r"\{([a-z_][a-z0-9_.-]*)"
                      r"(?:\|([a-z]+)(?::([a-z0-9_-]+|[^{}/]+/[^{}/]*))?)?\}")
BRANCHING_KINDS = ("collect", "note", "warning", "action", "check")
"""The kinds whose `next` may be a list of branches: the engine evaluates the branches
after a value is collected or the step has run. An instruction offers "Done" leading to
one step, a choice leads through its options, an end leads nowhere."""


class Option(Strict):
    """One answer of a choice step; with `when`, offered only while that holds (an
    option that cannot succeed now, such as spending a balance of 0.00, is not shown)."""

    id: StepId
    label: str
    next: StepId
    value: Any = None
    when: Condition | None = None


class FieldSpec(Strict):
    """What a collect step asks for and how the answer is validated."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$")]
    type: FieldType = "text"
    label: str = ""
    help: str = ""
    required: bool = True
    secret: bool = False
    min_length: int | None = None
    max_length: int | None = 200
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    choices: list[str] | None = None
    max_attempts: int | None = None
    new_password: bool = Field(default=False, description="a new password: the password "
                               "rules are checked when it is typed, before a confirmation "
                               "is asked")
    same_as: str | None = Field(default=None, description="an earlier field this one must "
                                "repeat exactly (a confirmation)")
    everything: str | None = Field(default=None, description="the value an answer such as "
                                   "“all of it” stands for, as a reference "
                                   "(`{results.balance.amount}`)")


class AttachmentSpec(Strict):
    """A file an action or check step gives the person: its result (saved under the
    step's `save_as`) served as a download, never pasted into a message."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.[a-z0-9]+$",
                                           max_length=80)]
    content_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$")]


class Link(Strict):
    """A reference to another guide or procedure from a step."""

    slug: str
    text: str = ""


class Step(Strict):
    """One step. Which attributes matter depends on `kind`:

    - instruction: `text` (+ `details`), waits for the user to say it is done;
    - choice: `text` is the question, `options` each lead somewhere;
    - collect: `text` is the question, `field` says what to collect and how to validate;
    - action / check: call the backend `operation` with `args` (values or `{name}`
      references), store the result under `save_as`; `routes` maps an error kind
      ("permission_denied", "invalid", "not_found", "unavailable", "conflict", "error")
      to a step; actions that change the account are `mutates: true` (a barrier for back);
    - note / warning: shown, then the run moves on by itself;
    - end: `outcome` and `text` (the summary).
    """

    id: StepId
    kind: StepKind
    text: str = ""
    details: list[str] = []
    stage: str = ""
    links: list[Link] = []
    source: str | None = Field(default=None, description="compiled step this one stands for")
    line: int | None = None
    next: Next = None
    options: list[Option] = []
    options_from: str | None = Field(default=None, description="a list in the run's data "
                                     "(`results.tokens`) offered as options, before the "
                                     "fixed ones")
    option_label: str = "{item.label}"
    option_value: str = "id"
    options_next: StepId | None = None
    field: FieldSpec | None = None
    operation: str | None = None
    args: dict[str, Any] = {}
    save_as: str | None = None
    routes: dict[str, StepId] = {}
    mutates: bool = False
    outcome: Outcome | None = None
    reviews: StepId | None = Field(default=None, description="on a choice: the action "
                                   "step whose review this is (written by hand instead of "
                                   "the generated one)")
    attachment: AttachmentSpec | None = Field(default=None, description="on an action or "
                                              "check with `save_as`: its result is a file "
                                              "to download")
    on_decline: StepId | None = Field(default=None, description="on an action that changes "
                                      "the account: where declining its review leads "
                                      "(default: an end saying nothing was changed)")

    @model_validator(mode="after")
    def _kind_needs(self) -> Step:
        problems = []
        if self.kind == "choice" and not (self.options or self.options_from):
            problems.append("a choice step needs options")
        if self.options_from and not self.options_next:
            problems.append("options_from needs options_next, where the chosen item leads")
        if self.kind == "collect" and self.field is None:
            problems.append("a collect step needs a field")
        if self.kind in ("action", "check") and not self.operation:
            problems.append(f"an {self.kind} step needs an operation")
        if self.attachment is not None and (self.kind not in ("action", "check")
                                            or not self.save_as):
            problems.append("an attachment is the result of an action or check step with "
                            "save_as")
        if self.kind == "end" and self.outcome is None:
            problems.append("an end step needs an outcome")
        if self.kind != "end" and self.outcome is not None:
            problems.append("only an end step has an outcome")
        if isinstance(self.next, list) and self.kind not in BRANCHING_KINDS:
            article = "an" if self.kind[0] in "aeiou" else "a"
            problems.append(f"step '{self.id}' is {article} {self.kind} step, so its next must be "
                            "one step id, not a list of branches (only "
                            f"{', '.join(BRANCHING_KINDS)} steps branch)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def targets(self) -> list[str]:
        """Every step id this step can lead to."""
        found: list[str] = []
        if isinstance(self.next, str):
            found.append(self.next)
        elif isinstance(self.next, list):
            found += [b.then for b in self.next]
        found += [o.next for o in self.options]
        if self.options_next:
            found.append(self.options_next)
        found += list(self.routes.values())
        return found


class Procedure(Strict):
    """A guide as a procedure: its id is the guide's slug."""

    id: str
    title: str
    source: str = ""
    version: str = ""
    requires: list[str] = []
    start: StepId | None = None
    steps: list[Step]

    @model_validator(mode="after")
    def _versioned(self) -> Procedure:
        if not self.version:
            self.version = self.fingerprint()
        if self.start is None and self.steps:
            self.start = self.steps[0].id
        return self

    def fingerprint(self) -> str:
        """A short hash of the content, so a run knows which version it started on."""
        data = self.model_dump(mode="json", exclude={"version"}, by_alias=True)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]

    def step(self, step_id: str) -> Step:
        # Every turn looks steps up by id: an index built once per procedure object, kept
        # outside the model so that equality and serialisation do not see it (the object
        # and its step list are kept beside it, so a recycled id() never matches).
        found = _STEP_INDEX.get(id(self))
        if found is None or found[0] is not self or found[1] is not self.steps:
            if len(_STEP_INDEX) >= STEP_INDEX_ENTRIES:
                _STEP_INDEX.pop(next(iter(_STEP_INDEX)), None)
            found = (self, self.steps, {s.id: s for s in self.steps})
            _STEP_INDEX[id(self)] = found
        try:
            return found[2][step_id]
        except KeyError:
            raise KeyError(step_id) from None

    def step_ids(self) -> list[str]:
        return [s.id for s in self.steps]

    @property
    def actionable(self) -> bool:
        """Whether running it takes the person through something: a step that asks,
        instructs, checks or acts. A guide of facts alone (a table of plans, a few
        paragraphs) compiles to notes and an end: there is nothing to go through, so
        it is not offered as a guided procedure."""
        return any(step.kind not in _TEXT_ONLY for step in self.steps)


_TEXT_ONLY = ("note", "warning", "end")


_STEP_INDEX: dict[int, tuple[Procedure, list[Step], dict[str, Step]]] = {}
STEP_INDEX_ENTRIES = 256

Condition.model_rebuild()
