"""Steps numbered in words: "Step 1: …", "**Step 2.** …", "Step 3 – …".

Many help articles number their steps with a label at the start of a paragraph instead
of a Markdown list. The importer turns such paragraphs into a list
(`kb.content.numbered`), and the compiler reads them as steps in a guide written that
way by hand (`procedures.compiler.outline`): both recognise a label with this pattern.
"""

from __future__ import annotations

import re

# "Step 1:", "STEP 2.", "**Step 3:**", "__Step 4__ -", "Step 5)"; the text may follow on
# the same line or start on the next.
STEP = re.compile(r"^ {0,3}(?P<mark>\*\*|__)?\s*step\s+(?P<n>\d{1,3})\s*"
                  r"(?:[:.)]|\s[-–—])?\s*(?P=mark)?\s*(?:[:.)]|[-–—]\s)?\s*(?P<text>.*)$",
                  re.IGNORECASE)


def step_label(text: str) -> tuple[int, str] | None:
    """(the step's number, the text after its label) when `text` opens with one."""
    found = STEP.match(text)
    if found is None:
        return None
    return int(found["n"]), found["text"].strip()
