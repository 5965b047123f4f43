"""Callouts: a note or a warning in a guide, written as a quote that opens with its label
in bold (`> **Attention:** …`, `> **Tip:** …`).

The label says which it is: the compiler makes a warning a step to acknowledge and a note
something said along the way, the help-center page draws a warning in amber and a note in
a calmer colour, and `kb import` gives the admonitions of other tools the label of their
kind.
"""

from __future__ import annotations

from typing import Literal

WARNING_LABELS = frozenset("attention warning caution important danger".split())
# Help desks' own labels of a note ("Good to know:", "Please note:"), as they write them.
HOUSE_LABELS = ("Good to know", "Please note", "Keep in mind", "Heads up", "Did you know",
                "Pro tip", "Remember")
NOTE_LABELS = frozenset([*"note tip info information remark hint reminder".split(),
                         *(label.lower() for label in HOUSE_LABELS)])


def callout_kind(label: str) -> Literal["warning", "note"] | None:
    """"warning" or "note" for a known callout label (any case, with or without its
    colon), else None."""
    label = label.strip().rstrip(":").strip().lower()
    if label in WARNING_LABELS:
        return "warning"
    return "note" if label in NOTE_LABELS else None
