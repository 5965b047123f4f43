"""Guide Markdown as both readers parse it: one parser, one rule for anchors and links.

The help-center page (`kb.content.markdown`) and the procedure compiler
(`procedures.compiler.outline`) must agree on every heading's anchor, since a chat answer
links to a section and a compiled step id starts with its section's anchor, and on what
is a step. Both parse a body with `parse` and take the slug rule and the de-duplication
of anchors from here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from procedures.source.steps import steps_as_list

# A link from one guide to another, written `other-slug.md` or `other-slug.md#anchor`.
GUIDE_LINK = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?:#(?P<anchor>[\w-]*))?$")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one configured parser: CommonMark, tables, strikethrough, no raw HTML (guide
    text is content, never trusted markup)."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def parse(body: str) -> list[Token]:
    """The tokens of a guide body, its steps numbered in words ("Step 1:", "Step 2:")
    read as the list they are (`procedures.source.steps`); every line keeps its number,
    so token maps are the body's lines."""
    return parser().parse(steps_as_list(body, keep_lines=True)[0])


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: the form of slugs and anchors."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Anchors:
    """Unique anchors for the headings of one guide, given in document order: every
    heading, nested or not, takes part, and a repeated title gets `-2`, `-3`, ..."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, title: str) -> str:
        anchor = base = slugify(title) or "section"
        n = 2
        while anchor in self._used:
            anchor, n = f"{base}-{n}", n + 1
        self._used.add(anchor)
        return anchor
