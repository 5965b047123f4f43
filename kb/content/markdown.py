"""Guide Markdown: parsing with markdown-it-py, passages per section, safe HTML.

Raw HTML is disabled: guide text is content, never trusted markup, so `<script>` in a
guide is shown as text. Each `##`/`###` section becomes a passage with an anchor, so that
search can quote the passage that matches instead of the top of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from procedures.source.callouts import callout_kind
from procedures.source.markdown import GUIDE_LINK, Anchors, parse, parser


@dataclass(frozen=True)
class Passage:
    """One section of a guide: the intro (level 1) or a `##`/`###` section."""

    anchor: str
    title: str
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class GuideLink:
    """A link from a guide to another guide, written `other-slug.md` in Markdown."""

    slug: str
    anchor: str | None
    line: int


@dataclass(frozen=True)
class Heading:
    """A heading found in the body, for the table of contents and the checks."""

    level: int
    title: str
    anchor: str
    line: int


def inline_text(token: Token) -> str:
    """The plain text of an inline token (emphasis, code and links flattened)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


# A block of code this short is a message or a command ("Error 4012: reset not allowed"):
# what people search for and what the sentence after it explains. Longer code (a
# configuration file) is neither searched nor quoted.
MAX_QUOTED_CODE_LINES = 3
MAX_QUOTED_CODE_CHARS = 200


def quotable_code(code: str) -> bool:
    """Whether a code block is short enough to be a passage (a message, a command)."""
    lines = [line for line in code.splitlines() if line.strip()]
    return 0 < len(lines) <= MAX_QUOTED_CODE_LINES and len(code) <= MAX_QUOTED_CODE_CHARS


class ParsedBody:
    """A guide body parsed once: tokens with absolute line numbers, anchors assigned."""

    def __init__(self, body: str, first_line: int = 1):
        self.tokens = parse(body)
        self.first_line = first_line
        self.headings: list[Heading] = []
        anchors = Anchors()
        for i, token in enumerate(self.tokens):
            if token.type != "heading_open":
                continue
            title = inline_text(self.tokens[i + 1])
            anchor = anchors.take(title)
            token.attrSet("id", anchor)
            self.headings.append(Heading(int(token.tag[1]), title, anchor, self.line_of(token)))

    def line_of(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + self.first_line

    def passages(self, intro_title: str) -> list[Passage]:
        """Split the body at `##`/`###` headings; text before the first is the intro."""
        passages: list[Passage] = []
        title, anchor, level, line = intro_title, "", 1, self.first_line
        chunks: list[str] = []

        def flush() -> None:
            text = " ".join(c for c in chunks if c).strip()
            if text or level > 1:
                passages.append(Passage(anchor, title, level, text, line))

        heading_iter = iter(self.headings)
        i = 0
        while i < len(self.tokens):
            token = self.tokens[i]
            if token.type == "heading_open" and token.tag in ("h2", "h3"):
                flush()
                heading = next(h for h in heading_iter if h.anchor == token.attrGet("id"))
                title, anchor = heading.title, heading.anchor
                level, line = heading.level, heading.line
                chunks = []
                i += 3
                continue
            if token.type == "inline":
                chunks.append(inline_text(token))
            elif token.type in ("fence", "code_block") and quotable_code(token.content):
                chunks.append(" ".join(token.content.split()))
            i += 1
        flush()
        return passages

    def guide_links(self) -> list[GuideLink]:
        """Links to other guides (`slug.md` or `slug.md#anchor`)."""
        links: list[GuideLink] = []
        for token in self.tokens:
            if token.type != "inline":
                continue
            for child in token.children or []:
                if child.type == "link_open":
                    match = GUIDE_LINK.match(str(child.attrGet("href") or ""))
                    if match:
                        links.append(GuideLink(match["slug"], match["anchor"],
                                               self.line_of(token)))
        return links

    def render(self, guide_url: Callable[[str, str | None], str]) -> str:
        """HTML with heading ids; `slug.md` links become `guide_url(slug, anchor)`."""
        for token in self.tokens:
            for child in token.children or []:
                if child.type != "link_open":
                    continue
                href = str(child.attrGet("href") or "")
                match = GUIDE_LINK.match(href)
                if match:
                    child.attrSet("href", guide_url(match["slug"], match["anchor"]))
                elif re.match(r"^https?://", href):
                    child.attrSet("rel", "noopener noreferrer")
        for n, token in enumerate(self.tokens):
            if token.type == "blockquote_open":
                kind = _callout_kind(self.tokens, n)
                if kind is not None:
                    token.attrSet("class", f"callout callout-{kind}")
        html: str = parser().renderer.render(self.tokens, parser().options, {})
        # A table wider than a phone scrolls inside its own box instead of widening the
        # whole page; the box takes the focus so that it scrolls with the keyboard too.
        # (Guides cannot hold raw HTML: every "<table>" here is one of their tables.)
        return html.replace("<table>", '<div class="table-scroll" role="region" '
                                       'tabindex="0" aria-label="Table"><table>') \
            .replace("</table>", "</table></div>")


def _callout_kind(tokens: list[Token], n: int) -> str | None:
    """"warning" or "note" for the quote opening at token n when it opens with a bold
    callout label (`> **Tip:** …`), else None."""
    inline = next((t for t in tokens[n + 1:n + 4] if t.type == "inline"), None)
    children = [c for c in (inline.children or []) if c.type != "text" or c.content] \
        if inline is not None else []
    if len(children) >= 3 and children[0].type == "strong_open" and \
            children[1].type == "text":
        return callout_kind(children[1].content)
    return None
