"""Code in guide Markdown: fenced blocks and code spans, which every reading of a guide's
lines (steps written in words, FAQ pairs, capitals, raw HTML, other tools' extensions)
leaves exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A line that opens or closes fenced code; the group is the fence itself.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Inline code: its backticks (group 1) and its text (group 2).
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def unfenced(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code; the fences themselves are code."""
    fenced = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield i, line
