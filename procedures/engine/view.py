"""The current step as a user interface shows it: `StepView` (the object of
`kb run --json`, the API's `step` and the chat's step replies), the options a step
offers, how a typed answer picks one, and which events make sense now.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from procedures import conditions, fields, graph
from procedures.engine.render import item_label, render
from procedures.model import Option, Procedure, Step
from procedures.review import CONFIRM, DECLINE
from procedures.run import REDACTED, Run


class Progress(BaseModel):
    """How far a run is: computed here once, shown by the wizard, the API and the widget
    as "Step `done + 1` of about `done + remaining`"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: str = Field(description="The stage (section of the guide) of the current step.")
    done: int = Field(description="Questions answered so far on this run, each counted "
                                  "once (a question asked again is not progress).")
    remaining: int = Field(description="Questions left on the longest way to an end, the "
                                       "current one included, loops taken once, branches "
                                       "the run's data already decides followed alone.")
    position: int = Field(default=1, description="The number of the current question: "
                          "`done + 1`.")
    left: int = Field(default=1, description="Questions left on the current way, the "
                      "current one included: at the opening choice, the way of the option "
                      "offered first (the do-it-for-me flow, not the longer guide), so the "
                      "count does not jump back once it is answered.")
    total: int = Field(default=1, description="`done + left`: \"Step `position` of about "
                       "`total`\", a total that does not jump backwards.")
    exact: bool = Field(default=False, description="Whether one way only leads from here to "
                        "the end (no choice or branch ahead): `total` is then exact, "
                        "\"Step 2 of 3\" rather than \"of about 3\".")


class StepView(BaseModel):
    """What a user interface shows for the current step (the contract of `kb run --json`:
    `model_dump()` is that object)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: str
    kind: str = Field(description="instruction, choice or collect.")
    text: str
    options: list[dict[str, str]] = Field(description="`{id, label}` of each answer.")
    field: dict[str, Any] | None = Field(description="What a collect step asks for.")
    error: str | None = Field(description="Why the last answer was refused.")
    stage: str = ""
    details: list[str] = []
    links: list[dict[str, str]] = []
    progress: Progress | None = None
    input: str = Field(default="text", description="The input a chat box offers now: the "
                       "field's type on a collect step (email, password, image…), else "
                       "plain text, so an interface goes back to text after a field.")


def view(procedure: Procedure, run: Run) -> StepView | None:
    """The current step as a user interface shows it, or None when the run has ended."""
    if run.finished or run.step is None:
        return None
    step = procedure.step(run.step)
    return StepView(step=step.id, kind=step.kind, text=render(step.text, run),
                    options=[{"id": o.id, "label": o.label} for o in options_of(step, run)],
                    field=field_view(step, run), error=run.error, stage=step.stage,
                    input=step.field.type if step.kind == "collect" and step.field else "text",
                    details=[d for d in (render(d, run) for d in step.details)
                             if not UNANSWERED.match(d)],
                    links=[link.model_dump() for link in step.links],
                    progress=progress(procedure, run, step))


def progress(procedure: Procedure, run: Run, step: Step) -> Progress:
    """The questions answered on this run and those left on the way from `step`."""
    done = len({c.step for c in run.checkpoints} - {step.id})
    data = run.context()
    # A run through one section counts that section's questions, not the guide's.
    remaining = max(graph.questions_in_section(procedure, step.id, run.section)
                    if run.section else graph.remaining_questions(procedure, step.id, data), 1)
    left = remaining
    if step.kind == "choice" and step.id == procedure.start:
        offered = options_of(step, run)
        if offered and offered[0].next:
            left = 1 + graph.remaining_questions(procedure, offered[0].next, data)
    return Progress(stage=step.stage, done=done, remaining=remaining,
                    position=done + 1, left=left, total=done + left,
                    exact=not run.section and graph.fixed_way(procedure, step.id))


def allowed_events(procedure: Procedure, run: Run) -> list[str]:
    """Which events make sense now, so an interface shows only those buttons."""
    if run.finished:
        return ["restart"]
    allowed = ["answer"]
    if run.checkpoints and run.checkpoints[-1].barrier is None:
        allowed.append("back")
    return [*allowed, "cancel", "restart"]


def options_of(step: Step, run: Run | None = None) -> list[Option]:
    """The options of a step: an instruction's "Done", the items of a list in the run's
    data (`options_from`), then the fixed options."""
    if step.kind == "instruction":
        # The option only names the answer: where "done" leads is decided by `next` (which
        # may branch, and an option's `next` cannot), when the answer is applied.
        target = step.next if isinstance(step.next, str) else step.id
        return [Option(id="done", label="Done", next=target)]
    dynamic: list[Option] = []
    if step.options_from and run is not None:
        items = conditions.lookup(run.context(), step.options_from)
        for item in items if isinstance(items, list) else []:
            value = item.get(step.option_value) if isinstance(item, dict) else item
            # Built without validation: ids come from the backend, not from a guide.
            dynamic.append(Option.model_construct(
                id=str(value), label=item_label(step.option_label, item),
                next=step.options_next, value=value))
    fixed = step.options
    if run is not None and any(o.when is not None for o in fixed):
        context = run.context()
        fixed = [o for o in fixed if o.when is None or conditions.holds(o.when, context)]
    return dynamic + fixed


def match_option(options: list[Option], value: Any) -> Option | None:
    """The option a typed answer means, matched forgivingly: its id or label whatever the
    case, spaces, hyphens or plural ("Web hosting" is `web-hosting`, "kdrives" is
    "kDrive"), a leading number ("2", "2. Web hosting": the second option), the words of
    exactly one label ("hosting" when one label has it), a plain yes/no, or a short answer
    naming exactly one option's id among its words ("turn them off" for `off`) and no
    negation ("don't turn them off" is no answer to guess)."""
    if value is None:
        return None
    text = str(value).strip().lower().rstrip(".!")
    for option in options:
        if text in (option.id.lower(), option.label.lower()):
            return option
    # ASCII digits only: "²" is a digit to `isdigit` but `int` refuses it.
    number = LEADING_NUMBER.match(text)
    if number and 1 <= int(number.group(1)) <= len(options):
        return options[int(number.group(1)) - 1]
    if text in fields.YES | fields.NO:
        wanted = "yes" if text in fields.YES else "no"
        # A review's "Confirm" is its yes, "Cancel, change nothing" its no: "yes" typed
        # under the list of what will change confirms it.
        meant = {"yes": CONFIRM, "no": DECLINE}[wanted]
        for option in options:
            if option.id in (wanted, meant) or option.label.lower().startswith(wanted):
                return option
    said = _words(text)
    if not said:
        return None
    for option in options:
        if said in (_words(option.id), _words(option.label)):
            return option
    within = [o for o in options if set(said) <= set(_words(o.label)) | set(_words(o.id))]
    if len(within) == 1:
        return within[0]
    if len(said) <= SHORT_ANSWER and not negated(text):
        named = [o for o in options if _holds(said, _words(o.id))]
        if len(named) == 1:
            return named[0]
    return None


def also_answers(answered: list[Option], following: list[Option],
                 value: Any) -> Option | None:
    """The option of the next question that a typed answer to a choice also names ("send
    it to my bank" chose the payout, and names "A bank account" of "Where to?"), found
    as `match_option` finds it. Never for a number, a yes or a no, or a label of the
    question answered typed out: those answer one question only."""
    text = str(value).strip().lower().rstrip(".!")
    if len(text.split()) < 2 or LEADING_NUMBER.match(text) or text in fields.YES | fields.NO:
        return None
    if any(text in (option.id.lower(), option.label.lower()) for option in answered):
        return None
    return match_option(following, value)


def negated(text: str) -> bool:
    """Whether a message says what it does not want ("don't turn them off"): such a
    message is never read as naming an option by a guess."""
    return bool(NEGATION & set(_words(text)))


def names_label(text: str, label: str) -> bool:
    """Whether a message holds a label's words in order ("can you do it for me?" holds
    "Do it for me"), or is the label's first words ("show me how")."""
    said, words = _words(text), _words(label)
    return _holds(said, words) or (len(said) >= 2 and words[:len(said)] == said)


def _holds(said: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether `words` stand in `said`, one after the other."""
    n = len(words)
    return n > 0 and any(said[i:i + n] == words for i in range(len(said) - n + 1))


# A detail that names a value the run never asked for ("Starting:" when reminders are
# off): a label with nothing after it is left out rather than shown half-said.
UNANSWERED = re.compile(r"^[^:]{1,80}:\s*$")
# An answer in a few words names its option; a longer message is a question or a story.
SHORT_ANSWER = 5
NEGATION = frozenset({"not", "no", "never", "don", "dont", "doesn", "won", "without"})
LEADING_NUMBER = re.compile(r"^([0-9]{1,3})(?:[.):]?\s|[.):]?$)", re.ASCII)
WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """The words of a text without case, punctuation or a plural "s". Kept per text: a
    message is matched against every option's id and label, the same few dozen labels
    at every step."""
    found = []
    for word in WORD.findall(text.casefold()):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return tuple(found)


def field_view(step: Step, run: Run | None = None) -> dict[str, Any] | None:
    """What a collect step asks for, as an interface needs it (never the validation
    rules a user does not need to see), with the answer already given to it on this run
    as `value` (asked again after "Change …" at a review), or the value it just refused
    (to be corrected rather than typed again); never a secret."""
    if step.kind != "collect" or step.field is None:
        return None
    spec = step.field
    value = run.answers.get(spec.name) if run is not None else None
    refused = run.results.get("refused") if run is not None else None
    if isinstance(refused, dict) and refused.get("step") == step.id:
        value = refused.get("value")  # the refused value, to be corrected
    if fields.is_transient(spec) or value == REDACTED or isinstance(value, bool | dict | list):
        value = None
    return {"name": spec.name, "type": spec.type, "label": spec.label or step.text,
            "help": spec.help, "required": spec.required,
            "secret": fields.is_transient(spec) and spec.type != "image",
            "max_length": spec.max_length, "choices": spec.choices,
            "value": None if value is None else str(value)}
