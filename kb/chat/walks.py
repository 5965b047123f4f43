"""Walks through a guide in the chat: the words that ask for one, and where it starts.

A guide is gone through step by step when the person asks ("show me how", "take me
through it") or takes the offer under an answer. A walk asked for after an answer goes
through the section that answered, from its first step, after the guide's prerequisites
check when the guide has one; it stops where that section ends. The chat engine
(`kb.chat.engine`) runs the walk; this module reads the words and the guide's steps.
It may import `kb.chat.conversations` and `procedures`, never the engine or Flask.
"""

from __future__ import annotations

import re

from kb.chat.conversations import Conversation
from procedures.compiler.steps import ANCHOR_LIMIT
from procedures.engine import Progress
from procedures.model import Procedure

# What people type to take one of an offer's two ways whatever its buttons say ("Secure
# it for me", "Show me how to do it in the Manager"): the whole message, so that a new
# question that happens to hold "do" or "show" is never taken for one.
_POLITE = r"^(?:(?:please|can you|could you|would you|will you|just|then|ok|okay|yes)[ ,]+)*"
WAYS = {
    "do": re.compile(_POLITE + r"(?:(?:do|handle|fix|sort|change) (?:it|this|that)(?: out)?"
                     r"(?: for me)?|you do it|(?:do it )?for me)(?: please)?$"),
    "guide": re.compile(_POLITE + r"(?:show me(?: how)?(?: to do it)?|(?:walk|guide|take) me "
                        r"through(?: it| this| the steps)?|guide me|(?:go )?step by step|"
                        r"explain(?: it| this)?(?: to me)?|"
                        r"i(?:'ll| will) do it(?: myself)?|(?:let me )?do it myself|myself)"
                        r"(?: please)?$"),
}
# The kinds of step that wait for the person (what the progress counts).
ASKING = ("instruction", "choice", "collect")
# The compiled check of a guide's prerequisites (`procedures.compiler.steps`).
PREREQUISITES = "prerequisites-check"
# The option of a walk: "walk:<guide>:<first step>:<first step of its section>" (the first
# step is the prerequisites check when the section comes after it).
WALK = "walk:"


def way_asked(text: str) -> str | None:
    """The way a whole message asks for ("do it for me": "do"; "show me how": "guide"),
    or None."""
    said = " ".join(text.lower().replace("’", "'").strip(" ?!.").split())
    return next((way for way, pattern in WAYS.items() if pattern.match(said)), None)


def within(progress: Progress | None, procedure: Procedure, step_id: str,
            section: str | None) -> Progress | None:
    """The progress of a walk through one section: the questions left are that
    section's, from the current step on, not the whole guide's."""
    if progress is None or not section:
        return progress
    ids = procedure.step_ids()
    here = ids.index(step_id) if step_id in ids else 0
    left = max(sum(1 for s in procedure.steps[here:]
                   if s.stage == section and s.kind in ASKING), 1)
    return progress.model_copy(update={"remaining": left, "left": left,
                                       "total": progress.done + left})


def section_start(procedure: Procedure, anchor: str, stage: str = "") -> str | None:
    """The first step of the guide's section with this anchor (its steps' ids begin with
    it), or of the stage with this name; None for the guide's opening, or when no step
    is found (the walk then starts at the beginning)."""
    prefix = anchor[:ANCHOR_LIMIT].rstrip("-")  # as the compiler names the steps
    for step in procedure.steps:
        if stage and step.stage == stage:
            return step.id
        if prefix and (step.id == prefix or step.id.startswith(f"{prefix}-")):
            return step.id if step.stage else None
    return None


def offered_walk(conv: Conversation) -> str | None:
    """The walk the last offer proposes (its button's option), when it offers one."""
    offer = next((reply for turn in reversed(conv.turns) for reply in reversed(turn.replies)
                  if reply.type == "offer"), None)
    first = offer.options[0].get("id", "") if offer is not None and offer.options else ""
    return first if first.startswith(WALK) else None


def walk_start(procedure: Procedure, at: str | None) -> str | None:
    """Where a walk through the section at `at` starts: the guide's prerequisites check
    when the guide has one before that section (never skipped), else `at` itself."""
    ids = procedure.step_ids()
    if at and at in ids and PREREQUISITES in ids and ids.index(PREREQUISITES) < ids.index(at):
        return PREREQUISITES
    return at
