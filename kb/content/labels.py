"""Bold lines standing alone, made the headings their writers meant.

Word processors and many help desks have no heading styles in use: a section starts with
a short paragraph in bold ("**Before you start**", "**Steps:**"), then its text. Read as
a paragraph, that label is one more line of prose: the article has one section, search
cannot tell the prerequisites from the steps, and the page has no table of contents. A
short bold line with text under it becomes a heading one level below the heading it
stands under. A callout's label ("**Note:**") stays one, a sentence in bold ("**Do not
unplug the router.**") stays emphasis, and bold questions are left to `kb.content.faq`.
"""

from __future__ import annotations

import re

from kb.content.faq import level_below
from procedures.source.callouts import callout_kind
from procedures.source.code import unfenced

# A whole line in bold, a colon allowed inside or after it.
BOLD_LINE = re.compile(r"^ {0,3}(\*\*|__)(?P<text>[^*_\s][^*_]*?)\s*:?\1\s*:?\s*$")
MAX_WORDS = 8
MAX_CHARS = 60
HEADING = re.compile(r"^ {0,3}#{1,6}\s")


def labels_as_headings(body: str) -> tuple[str, int]:
    """The body with each bold label line that has text under it made a heading; and how
    many were changed."""
    lines = body.split("\n")
    # Each label is placed under the headings the writer made, not under the label
    # before it: "**Before you start**" and "**Steps**" are both sections of the article.
    written = list(lines)
    changed = 0
    for i, line in unfenced(lines):
        found = BOLD_LINE.match(line)
        if found is None or not _is_label(found["text"]):
            continue
        if i > 0 and lines[i - 1].strip():
            continue  # a line of a paragraph, not a paragraph of its own
        following = next((other for other in lines[i + 1:] if other.strip()), "")
        if not following or HEADING.match(following) or BOLD_LINE.match(following):
            continue  # nothing of its own under it
        lines[i] = f"{'#' * level_below(written, i)} {found['text']}"
        if i + 1 < len(lines) and lines[i + 1].strip():
            lines[i] += "\n"  # a heading, then its text as a block of its own
        changed += 1
    return "\n".join(lines), changed


def _is_label(text: str) -> bool:
    """Whether bold text reads as a section's name: short, not a sentence or a question,
    not a callout's label."""
    text = text.strip()
    return (len(text) <= MAX_CHARS and len(text.split()) <= MAX_WORDS
            and not text.endswith((".", "!", "?", ",", ";"))
            and callout_kind(text) is None  # "**Note:**" alone, then the note
            and any(ch.isalpha() for ch in text))
