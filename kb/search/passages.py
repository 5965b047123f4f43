"""The structure of a guide's sections, kept for answering: paragraphs, sentences, lists.

Search ranks whole guides, but an answer is a sentence, a list item or the list a sentence
introduces. So each section is stored, at indexing time, as a list of blocks (a paragraph
cut into sentences, one list item, a table row, or a short code block such as an error
message, as one sentence) with the links inside them resolved to URLs; the
reader stems them once per build, which keeps the stored documents small. The answer
extractor (`kb.search.answers`) only reads these blocks.

The stored form is plain lists and strings (it goes into the index's stored field):
a section is `[anchor, title, level, [block, ...]]` and a block is
`[kind, list_id, ordered, depth, [sentence, ...], [[link text, url], ...]]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from kb.content.guides import Guide, page_url
from kb.content.markdown import inline_text, quotable_code
from procedures.source.markdown import GUIDE_LINK

# A sentence ends at ".", "!" or "?" followed by a space and a capital (or a quote, a
# digit, a bracket); "e.g. the" or "ex. VAT" do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[])")
# Abbreviations after which a capital does not start a new sentence.
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "ex.", "approx.", "incl.", "vs.", "no.")


@dataclass
class Block:
    """A paragraph (kind "p") or a list item ("li") of one section."""

    kind: str
    sentences: list[str]
    list_id: int = -1
    ordered: bool = False
    depth: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass
class Section:
    anchor: str
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)


def split_sentences(text: str) -> list[str]:
    """A paragraph cut into sentences (a paragraph without full stops is one sentence)."""
    pieces = SENTENCE_END.split(text.strip())
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].lower().endswith(ABBREVIATIONS):
            sentences[-1] += " " + piece
        elif piece:
            sentences.append(piece)
    return sentences


def _links(token: Token, resolve: Callable[[str], str | None]) -> list[tuple[str, str]]:
    """The links of an inline token as (text, URL); links that lead nowhere are dropped."""
    links: list[tuple[str, str]] = []
    href: str | None = None
    text: list[str] = []
    for child in token.children or []:
        if child.type == "link_open":
            href, text = resolve(str(child.attrGet("href") or "")), []
        elif child.type == "link_close":
            label = "".join(text).strip()
            if href and label:
                links.append((label, href))
            href = None
        elif href is not None and child.type in ("text", "code_inline"):
            text.append(child.content)
    return links


def resolve_link(href: str) -> str | None:
    """A link of a guide as the reader follows it: another guide's page, or a web address."""
    match = GUIDE_LINK.match(href)
    if match:
        return page_url(match["slug"], match["anchor"])
    if re.match(r"^https?://", href):
        return href
    return None


def sections(guide: Guide) -> list[Section]:
    """The guide's sections, split at `##`/`###` like `Guide.passages`, as blocks."""
    result = [Section("", guide.title, 1)]
    tokens = guide.parsed.tokens
    lists: list[tuple[int, bool]] = []  # open lists: (id, ordered)
    items: list[Block] = []  # open list items
    row: list[str] | None = None  # cells of an open table row
    next_list = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open" and token.tag in ("h2", "h3"):
            result.append(Section(str(token.attrGet("id") or ""), inline_text(tokens[i + 1]),
                                  int(token.tag[1])))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append((next_list, kind == "ordered_list_open"))
            next_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            list_id, ordered = lists[-1]
            item = Block("li", [], list_id, ordered, len(lists) - 1)
            items.append(item)
            result[-1].blocks.append(item)
        elif kind == "list_item_close":
            items.pop()
        elif kind in ("fence", "code_block") and not items and quotable_code(token.content):
            # An error message or a command shown as code ("Error 4012: reset not
            # allowed") is what people search for and what the sentence after it
            # explains; longer code (a configuration file) is not an answer to quote.
            result[-1].blocks.append(Block("p", [" ".join(token.content.split())]))
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if any(row):
                result[-1].blocks.append(Block("p", [" | ".join(row)]))
            row = None
        elif kind == "inline":
            text = " ".join(inline_text(token).split())
            links = _links(token, resolve_link)
            if row is not None:
                row.append(text)
            elif items and text:
                items[-1].sentences.append(text)
                items[-1].links.extend(links)
            elif text and tokens[i - 1].type != "heading_open":
                result[-1].blocks.append(Block("p", split_sentences(text), links=links))
        i += 1
    return result


def dump(guide_sections: list[Section]) -> list[Any]:
    """The stored form (see the module docstring)."""
    return [[s.anchor, s.title, s.level,
             [[b.kind, b.list_id, b.ordered, b.depth, b.sentences,
               [list(link) for link in b.links]]
              for b in s.blocks if b.sentences]]
            for s in guide_sections]
