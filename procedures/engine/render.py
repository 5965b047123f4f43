"""Text of the engine's messages: `{answers.x}` / `{results.y}` templates, and the few
phrasing helpers (short form of a value, summary with the changes made, capital letter).

Templates are filled from the run's data (`Run.context()`); a reference to something the
run does not hold is left as written, so a missing value shows instead of vanishing.
"""

from __future__ import annotations

import re
from typing import Any

from procedures import conditions
from procedures.engine.formats import FORMATS, short
from procedures.model import TEMPLATE
from procedures.run import Run


def render(text: str, run: Run) -> str:
    """`text` with each `{path}` replaced by the run's value at that path."""
    context = run.context()

    def replace(match: re.Match[str]) -> str:
        found = conditions.lookup(context, match.group(1))
        fmt = FORMATS.get(match.group(2) or "")
        if fmt is not None and found is not conditions.MISSING:
            return fmt(found, context, match.group(3) or "")
        if found is conditions.MISSING or found is None:
            return match.group(0)
        if isinstance(found, list):
            return ", ".join(short(item) for item in found) or "none"
        return short(found)

    return agreed(TEMPLATE.sub(replace, text))


# "3 product(s)", "1 application password(s)": a count and the noun it counts.
COUNTED = re.compile(r"\b(\d+)((?: [A-Za-z-]+){0,2}?) ([A-Za-z]+)\(s\)")


def agreed(text: str) -> str:
    """A text whose "N thing(s)" agree with their count once it is known: "1 product",
    "3 products", "0 API tokens"."""
    def number(match: re.Match[str]) -> str:
        count, between, noun = match.groups()
        return f"{count}{between} {noun}{'' if count == '1' else 's'}"

    return COUNTED.sub(number, text) if "(s)" in text else text


def resolve(value: Any, run: Run, transient: dict[str, Any]) -> Any:
    """An action's argument: a whole-string reference keeps the referenced value's type
    (and reads a secret from `transient`, where it lives for one turn only)."""
    if isinstance(value, str):
        whole = TEMPLATE.fullmatch(value)
        if whole:
            path = whole.group(1)
            if path.startswith("answers.") and path[8:] in transient:
                return transient[path[8:]]
            found = conditions.lookup(run.context(), path)
            return None if found is conditions.MISSING else found
        return render(value, run)
    return value


def unfilled(text: str, limit: int = 60) -> str:
    """A step's text read outside any run (the owner's funnel of a procedure): each value
    a run fills in shown as "…" ("The Manager shows you as …"), cut at a word."""
    plain = " ".join(TEMPLATE.sub("…", text).split()).replace("….", "…")
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def item_label(template: str, item: Any) -> str:
    """The label of a dynamic option: `{item}` or `{item.field}` filled from one item."""
    return TEMPLATE.sub(lambda match: _item_field(item, match.group(1)), template)


def _item_field(item: Any, path: str) -> str:
    if not path.startswith("item"):
        return "{" + path + "}"
    found = item if path == "item" else conditions.lookup(item, path[5:])
    return "" if found is conditions.MISSING or found is None else short(found)


# Between a run's closing sentence and the changes it lists (`summary`).
CHANGES_SAID = " Changed in your account: "


def summary(run: Run, text: str) -> str:
    """The closing sentence, followed by what was changed in the account (if anything)."""
    if run.changes and "{changes}" not in text:
        changes = "; ".join(c.rstrip(". ") for c in run.changes)
        return f"{text}{CHANGES_SAID}{changes}."
    return text


def closing(summary_text: str) -> str:
    """A run's summary without the changes it lists: for an interface that shows the
    changes itself (the wizard's list, the chat's results just said)."""
    return summary_text.split(CHANGES_SAID, 1)[0]


def as_sentence(text: str) -> str:
    """A text ending as a sentence does ("Your name is now Ada Lovelace" gets its
    period); empty stays empty."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "…", ":")) else f"{text}."


def capital(text: str) -> str:
    """A backend message as a sentence start (capitalised, without its final period)."""
    text = text.rstrip(".")
    return text[:1].upper() + text[1:]
