"""Plain-text help articles to Markdown, for `kb import`.

Plain text exported from a help center loses its markup but keeps a recognisable shape:
the title on the first line, headings as short lines without final punctuation, list
items starting with "- " (or "•", "*", "1.", "1)"), notes starting with "Note:" or
"Attention:". This module recovers that structure; it never drops a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•‣▪◦]|(?P<num>\d{1,2})[.)])\s+(?P<text>.+)$")
CALLOUT = re.compile(r"^(?P<label>attention|warning|caution|important|note|tip|info|remark)"
                     r"\s*[:!-]\s*(?P<text>.+)$", re.IGNORECASE)
CONTINUATION = ("...", "…")
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90


@dataclass
class Line:
    kind: str  # "heading", "item", "callout", "para", "blank"
    text: str
    level: int = 0
    ordered: bool = False
    indent: int = 0


def _looks_like_heading(text: str, next_text: str | None) -> bool:
    if next_text is None or not text:
        return False
    if len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text.endswith((".", ":", ";", ",", "!", "?")):
        return False
    # Headings start with a capital (or "...", for the alternatives of a section).
    return text[0].isupper() or text[0].isdigit() or text.startswith(CONTINUATION)


def classify(lines: list[str]) -> list[Line]:
    """Label each line of an article body (after its title)."""
    stripped = [raw.rstrip() for raw in lines]
    nonblank = [i for i, s in enumerate(stripped) if s.strip()]
    following = {i: (stripped[nonblank[k + 1]].strip() if k + 1 < len(nonblank) else None)
                 for k, i in enumerate(nonblank)}
    out: list[Line] = []
    for i, raw in enumerate(stripped):
        text = raw.strip()
        if not text:
            out.append(Line("blank", ""))
            continue
        bullet = BULLET.match(raw)
        if bullet:
            out.append(Line("item", bullet["text"].strip(), ordered=bool(bullet["num"]),
                            indent=len(bullet["indent"].expandtabs(4))))
            continue
        callout = CALLOUT.match(text)
        if callout:
            out.append(Line("callout", callout["text"].strip(), level=0,
                            ordered=False, indent=0))
            out[-1].level = 0
            out[-1].text = f"**{callout['label'].capitalize()}:** {callout['text'].strip()}"
            continue
        if _looks_like_heading(text, following[i]):
            out.append(Line("heading", text))
            continue
        out.append(Line("para", text))
    _assign_heading_levels(out)
    return out


def _assign_heading_levels(lines: list[Line]) -> None:
    """`##` for sections, `###` for the alternatives or cases inside a section.

    A heading is a sub-heading when it starts with "..." (the seed's "... as a
    collaborator"), when it directly follows a paragraph ending with ":" (an introduced
    list of cases), or when it is a sibling of the previous sub-heading (same first word).
    """
    previous_content: Line | None = None
    last_sub_first_word: str | None = None
    for line in lines:
        if line.kind == "blank":
            continue
        if line.kind != "heading":
            previous_content = line
            continue
        first_word = line.text.split()[0].lower()
        sub = (line.text.startswith(CONTINUATION)
               or (previous_content is not None and previous_content.kind == "para"
                   and previous_content.text.endswith(":"))
               or (last_sub_first_word is not None and first_word == last_sub_first_word))
        line.level = 3 if sub else 2
        last_sub_first_word = first_word if sub else None
        previous_content = line


def to_markdown(lines: list[str]) -> str:
    """The Markdown body of a plain-text article (its title line excluded)."""
    blocks: list[str] = []
    list_block: list[str] = []
    indents: list[int] = []

    def close_list() -> None:
        if list_block:
            blocks.append("\n".join(list_block))
            list_block.clear()
            indents.clear()

    counters: dict[int, int] = {}
    for line in classify(lines):
        if line.kind == "item":
            while indents and line.indent < indents[-1]:
                indents.pop()
            if not indents or line.indent > indents[-1]:
                indents.append(line.indent)
            depth = len(indents) - 1
            if line.ordered:
                counters[depth] = counters.get(depth, 0) + 1
                marker = f"{counters[depth]}."
            else:
                marker = "-"
            list_block.append(f"{'   ' * depth}{marker} {_escape(line.text)}")
            continue
        if line.kind == "blank":
            continue
        close_list()
        counters.clear()
        if line.kind == "heading":
            blocks.append(f"{'#' * line.level} {_escape(line.text)}")
        elif line.kind == "callout":
            blocks.append(f"> {line.text}")
        else:
            blocks.append(_escape(line.text))
    close_list()
    return "\n\n".join(blocks) + "\n"


def _escape(text: str) -> str:
    """Keep text literal in Markdown: characters that would start markup are escaped."""
    text = re.sub(r"([\\`*_<>\[\]])", r"\\\1", text)
    # A line starting with "#", "+", ">" or "1." would become a heading, list or quote.
    return re.sub(r"^([#+>]|\d+[.)])", r"\\\1", text)
