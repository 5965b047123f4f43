"""Walks through a guide in the chat: the words that ask for one, and where it starts.

A guide is gone through step by step when the person asks ("show me how", "take me
through it") or takes the offer under an answer. A walk asked for after an answer goes
through the section that answered: the run is started for that section
(`procedures.engine.start(…, section=…)`), which takes it through the guide's
prerequisites, then the section, and ends it where the section ends. The chat engine
(`kb.chat.engine`) starts the walk; this module reads the words and finds the section.
It may import `kb.chat.conversations` and `procedures`, never the engine or Flask.
"""

from __future__ import annotations

import re

from kb.chat.conversations import Conversation
from procedures import graph
from procedures.compiler.steps import ANCHOR_LIMIT
from procedures.fields import said
from procedures.model import Procedure, Step
from procedures.run import Run

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
# A task named with the way asked for it: "walk me through swapping a shift", "show me how
# to export grades", "swap a shift step by step". The task is what is searched for.
TASK_WITH_WAY = (
    re.compile(_POLITE + r"(?:(?:walk|guide|take|talk) me through|show me how(?: to| i can)?|"
               r"guide me (?:to|through))(?: how to)? (?P<task>.{3,}?)"
               r"(?: step by step| one step at a time)?(?: please)?$"),
    re.compile(_POLITE + r"(?:how (?:do|can) i )?(?P<task>.{3,}?),? (?:step by step|one step at "
               r"a time)(?: please)?$"),
)
# The option of a walk: "walk:<guide>:<a step of the section to go through>" (no step: the
# whole guide).
WALK = "walk:"


def option(guide: str, step: str | None = None) -> str:
    """The option that starts a walk through the section of `step` (none: the guide)."""
    return f"{WALK}{guide}:{step or ''}"


def way_asked(text: str) -> str | None:
    """The way a whole message asks for ("do it for me": "do"; "show me how": "guide"),
    or None."""
    words = said(text)
    return next((way for way, pattern in WAYS.items() if pattern.match(words)), None)


def task_walked(text: str) -> str | None:
    """The task a message asks to be taken through step by step ("walk me through
    swapping a shift": "swapping a shift"), or None."""
    words = said(text)
    for pattern in TASK_WITH_WAY:
        found = pattern.match(words)
        if found and way_asked(found["task"]) is None:
            return found["task"]
    return None


def section_start(procedure: Procedure, anchor: str) -> str | None:
    """The first step of the guide's section with this anchor (the compiler begins its
    steps' ids with it), or of its opening (no anchor) when the opening holds steps of its
    own; None otherwise, or when no step is found (the walk then goes through the whole
    guide)."""
    prefix = anchor[:ANCHOR_LIMIT].rstrip("-") or "intro"  # as the compiler names steps
    found = next((s for s in procedure.steps
                  if s.id == prefix or s.id.startswith(f"{prefix}-")), None)
    return found.id if found is not None and found.stage else None


def next_section(procedure: Procedure, run: Run) -> Step | None:
    """The first step of the section that a walk through one section stopped at, once it
    is over (to offer it next); None for any other run."""
    if not run.section or run.status != "done" or not run.step:
        return None
    stage = procedure.step(run.step).stage
    if not stage or stage == run.section:
        return None
    return procedure.step(graph.section_entry(procedure, stage) or run.step)


def offered_walk(conv: Conversation) -> str | None:
    """The walk the last offer proposes (its button's option), when it offers one."""
    offer = next((reply for turn in reversed(conv.turns) for reply in reversed(turn.replies)
                  if reply.type == "offer"), None)
    first = offer.options[0].get("id", "") if offer is not None and offer.options else ""
    return first if first.startswith(WALK) else None
