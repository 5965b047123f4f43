"""Guide Markdown to an outline of sections and blocks, for the procedure compiler.

The compiler needs structure, not HTML: which section a paragraph belongs to, which list
items nest under which, where a callout starts, and the file line of each. The body is
parsed once with markdown-it-py configured like the product's renderer, so a guide
compiles to what readers see; raw HTML is disabled there too, so it arrives here as
literal text, never as markup. Inline Markdown is flattened to plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from procedures.model import Link
from procedures.source.markdown import GUIDE_LINK, Anchors
from procedures.source.markdown import parse as parse_body

# A callout label written without bold: "Note: ...", "Attention! ...".
PLAIN_LABEL = re.compile(r"^(?P<label>[A-Za-z]{2,15})\s*[:!]\s*")


@dataclass
class Text:
    """Inline Markdown as plain text, with the guides it links to."""

    text: str = ""
    links: list[Link] = field(default_factory=list)
    only_link: bool = False  # the whole text is one link: a reference, not an action


@dataclass
class Item:
    """A list item: its own text, further paragraphs as details, nested lists."""

    text: Text
    line: int
    details: list[str] = field(default_factory=list)
    lists: list[Block] = field(default_factory=list)


@dataclass
class Block:
    """A paragraph, list, quote, table, code block or minor heading (`####` and deeper).

    For a quote, `text` is its first paragraph, `label` the bold or "Word:" lead of that
    paragraph with `after` the text that follows it, and `body` the blocks after it."""

    kind: str
    line: int
    text: Text = field(default_factory=Text)
    details: list[str] = field(default_factory=list)
    ordered: bool = False
    items: list[Item] = field(default_factory=list)
    label: str = ""
    after: str = ""
    body: list[Block] = field(default_factory=list)


@dataclass
class Section:
    """A `##` section or a `###` subsection; `anchor` is unique in the guide."""

    title: str
    anchor: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Outline:
    """The blocks before the first section, then the sections in order."""

    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def parse(body: str, first_line: int = 1) -> Outline:
    """The outline of a guide body whose first line is line `first_line` of the file."""
    reader = _Reader(first_line)
    tokens = parse_body(body)
    reader.assign_anchors(tokens)
    return reader.outline(SyntaxTreeNode(tokens))


class _Reader:
    """One parse: file lines and heading anchors for the nodes of one body."""

    def __init__(self, first_line: int):
        self.first_line = first_line
        self.anchors: dict[int, str] = {}

    def line(self, node: SyntaxTreeNode) -> int:
        return (node.map[0] if node.map else 0) + self.first_line

    def assign_anchors(self, tokens: list[Token]) -> None:
        # Every heading, nested or not, takes part in the de-duplication, in document
        # order, exactly as the rendered page numbers its anchors.
        anchors = Anchors()
        for i, token in enumerate(tokens):
            if token.type != "heading_open" or not token.map:
                continue
            title = _flatten(SyntaxTreeNode([tokens[i + 1]]).children).text
            self.anchors[token.map[0]] = anchors.take(title)

    def outline(self, root: SyntaxTreeNode) -> Outline:
        outline = Outline()
        section: Section | None = None
        promoted = False  # the current section is a `###` that had no `##` above it
        target = outline.intro
        for node in root.children:
            if node.type != "heading":
                block = self.block(node)
                if block is not None:
                    target.append(block)
                continue
            level, title = int(node.tag[1]), _inline(node).text
            anchor = self.anchors.get(node.map[0] if node.map else -1, "section")
            heading = Section(title, anchor, self.line(node))
            # A `###` with no `##` above it has no section to belong to: it is one itself.
            if level <= 2 or (level == 3 and (section is None or promoted)):
                section, promoted = heading, level == 3
                outline.sections.append(section)
            elif level == 3 and section is not None:
                section.subsections.append(heading)
            else:
                target.append(Block("heading", heading.line, Text(title)))
                continue
            target = heading.blocks
        return outline

    def block(self, node: SyntaxTreeNode) -> Block | None:
        line = self.line(node)
        if node.type == "paragraph":
            return Block("paragraph", line, _inline(node))
        if node.type in ("bullet_list", "ordered_list"):
            items = [self.item(child) for child in node.children]
            return Block("list", line, ordered=node.type == "ordered_list", items=items)
        if node.type == "blockquote":
            return self.quote(node, line)
        if node.type == "table":
            rows = [" | ".join(_inline(cell).text for cell in row.children)
                    for part in node.children for row in part.children]
            return Block("table", line, Text(rows[0] if rows else ""), details=rows[1:])
        if node.type in ("fence", "code_block"):
            return Block("code", line, Text(node.content.strip()))
        if node.type == "heading":  # only inside quotes: a minor heading
            return Block("heading", line, _inline(node))
        return None  # thematic breaks carry no content

    def item(self, node: SyntaxTreeNode) -> Item:
        children = list(node.children)
        text = Text()
        if children and children[0].type not in ("bullet_list", "ordered_list"):
            first = children.pop(0)
            text = _inline(first) if first.type == "paragraph" else Text(_plain(first))
        item = Item(text, self.line(node))
        for child in children:
            if child.type in ("bullet_list", "ordered_list"):
                block = self.block(child)
                if block is not None:
                    item.lists.append(block)
            elif _plain(child):
                item.details.append(_plain(child))
        return item

    def quote(self, node: SyntaxTreeNode, line: int) -> Block:
        children = list(node.children)
        quote = Block("quote", line)
        if children and children[0].type == "paragraph":
            first = children.pop(0)
            quote.text = _inline(first)
            quote.label, quote.after = _label(first, quote.text.text)
        quote.body = [b for b in (self.block(child) for child in children) if b is not None]
        return quote


def _label(paragraph: SyntaxTreeNode, text: str) -> tuple[str, str]:
    """The lead label of a callout ("Attention") and the text after it, or ("", text)."""
    inline = paragraph.children[0].children if paragraph.children else []
    leading = [c for c in inline if not (c.type == "text" and not c.content.strip())]
    if leading and leading[0].type == "strong":
        label = _flatten(leading[0].children).text
        rest = text[len(label):] if text.startswith(label) else text
        return label.rstrip(" :!"), rest.lstrip(" :!-–—")
    match = PLAIN_LABEL.match(text)
    if match:
        return match["label"], text[match.end():]
    return "", text


def _inline(node: SyntaxTreeNode) -> Text:
    """The flattened text of a paragraph, heading or table cell."""
    inline = node.children[0] if node.children and node.children[0].type == "inline" else None
    return _flatten(inline.children) if inline is not None else Text()


def _flatten(nodes: list[SyntaxTreeNode]) -> Text:
    parts: list[str] = []
    links: list[Link] = []

    def walk(children: list[SyntaxTreeNode]) -> None:
        for child in children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            else:  # emphasis, links, images, strikethrough: their text
                start = len(parts)
                walk(child.children)
                match = GUIDE_LINK.match(str(child.attrs.get("href", "")))
                if child.type == "link" and match:
                    label = " ".join("".join(parts[start:]).split())
                    if all(link.slug != match["slug"] for link in links):
                        links.append(Link(slug=match["slug"], text=label))

    walk(nodes)
    meaningful = [n for n in nodes if not (n.type == "text" and not n.content.strip())]
    only_link = len(meaningful) == 1 and meaningful[0].type == "link"
    return Text(" ".join("".join(parts).split()), links, only_link)


def _plain(node: SyntaxTreeNode) -> str:
    """Any block as one line of plain text, for details."""
    if node.type in ("fence", "code_block"):
        return node.content.strip()
    if node.type == "inline":
        return _flatten(node.children).text
    return " ".join(t for t in (_plain(child) for child in node.children) if t)
