"""Markdown written for other documentation tools, made plain guide Markdown.

Help centers move from documentation sites as often as from help-desk products, and their
Markdown carries each tool's extensions: admonitions written `:::note` (Docusaurus,
VitePress) or `:::(Warning) (Title)` (Document360), `!!! warning "Title"` with an
indented body (MkDocs), `> [!IMPORTANT]` (GitHub) or `{% hint style="info" %}` (GitBook);
MDX lines that import or export components and the component tags themselves; heading
ids written `{#id}`; and HTML written inside the Markdown (`<kbd>Ctrl</kbd>`, `<br>`,
`<details>`, `<img>`, `<p align="center">`), which a
guide never renders. Left as they are, they show up as stray text on the guide page and in
answers. A guide shows a note as a callout
(`> **Note:** …`, what the HTML reader makes of a page's note boxes and what the compiler
knows as a note or a warning), so each admonition becomes one, and so does a paragraph
opening with a bold label ("**Tip:** …"); the MDX lines are code for the old site, not
text, so they go; HTML becomes its Markdown (bold, italics, code, links, line breaks) or
its text (images go, as when an HTML page is imported). Fenced code and code spans are left
exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kb.content.dates import written_date
from kb.content.tidy import counted
from procedures.source.callouts import HOUSE_LABELS
from procedures.source.code import CODE_SPAN, FENCE

# The label a guide's callout takes for each kind of admonition (each a note or a warning
# of the guide format: `procedures.source.callouts`).
LABELS = {
    "note": "Note", "info": "Info", "information": "Info", "tip": "Tip", "hint": "Tip",
    "success": "Tip", "check": "Tip", "abstract": "Note", "summary": "Note",
    "example": "Note", "question": "Note", "quote": "Note", "seealso": "Note",
    "important": "Important", "warning": "Warning", "caution": "Caution",
    "attention": "Attention", "danger": "Danger", "error": "Warning",
    "failure": "Warning", "bug": "Warning",
}
# `:::note[Title]`, `:::tip Title` (Docusaurus, VitePress), `:::(Warning) (Title)`
# (Document360, whose kind and title are in brackets, the title often empty: `()`).
COLONS_OPEN = re.compile(r"^\s{0,3}:::+\s*(?:(\w+)|\((\w+)\))\s*"
                         r"(?:\[(.*)\]|\((.*)\)|(.*))$")
COLONS_CLOSE = re.compile(r"^\s{0,3}:::+\s*$")
BANGS_OPEN = re.compile(r'^(?:!!!|\?\?\?\+?)\s+(\w+)(?:\s+"(.*)")?\s*$')
ALERT = re.compile(r"^\s{0,3}>\s*\[!(\w+)\]\s*$")
HINT_OPEN = re.compile(r"""^\s*\{%\s*hint\s+style=["'](\w+)["']\s*%\}\s*$""")
HINT_CLOSE = re.compile(r"^\s*\{%\s*endhint\s*%\}\s*$")
MDX_CODE = re.compile(r"""^(?:import\s+(?:[\w*{}\s,]+\s+from\s+)?["'][^"']+["'];?"""
                      r"""|export\s+(?:const|let|var|function|default)\b.*)\s*$""")
# A line that is only a component's opening or closing tag (`<Tabs>`, `</TabItem>`):
# components are capitalised, which HTML elements never are.
COMPONENT = re.compile(r"^\s*<(/?)([A-Z][\w.]*)((?:\s[^<>]*)?)/?>\s*$")
LABEL_ATTRIBUTE = re.compile(r"""\b(?:label|title)=["']([^"']+)["']""")
HEADING_ID = re.compile(r"^(#{1,6}\s.*?)\s*\{#[\w:.-]+\}\s*$")


def plain_markdown(body: str) -> tuple[str, list[str]]:
    """The body with other tools' extensions made guide Markdown, and what was changed,
    as sentences for the user."""
    out: list[str] = []
    lines = body.splitlines()
    callouts = dropped = empty = html = 0
    for start, end, fenced in _blocks(lines):
        if fenced:
            out.extend(lines[start:end])
            continue
        i = start
        while i < end:
            line = lines[i]
            made = _callout(lines, i, end)
            if made is not None:
                callout, i = made
                if callout:
                    out.extend(_separated(out, callout))
                    callouts += 1
                else:  # an admonition with nothing in it says nothing
                    empty += 1
                continue
            if MDX_CODE.match(line):
                dropped += 1
            elif (tag := COMPONENT.match(line)) is not None:
                label = LABEL_ATTRIBUTE.search(tag.group(3)) if not tag.group(1) else None
                if label:
                    out.extend(_separated(out, [f"**{label.group(1)}**"]))
            else:
                plain = _without_html(HEADING_ID.sub(r"\1", line))
                html += plain != line
                for part in plain.split("\n"):
                    opens = not out or not out[-1].strip()
                    if part.strip() or not opens:  # one blank line is enough
                        # A label opens a callout only where a paragraph opens.
                        out.append(_labelled(part) if opens else part)
            i += 1
    notes = []
    if callouts:
        notes.append(f"{counted(callouts, 'admonition')} of another documentation tool "
                     f"became {'a callout' if callouts == 1 else 'callouts'} "
                     "(“> **Note:** …”).")
    if empty:
        notes.append(f"{counted(empty, 'empty admonition')} left out.")
    if dropped:
        notes.append(f"{counted(dropped, 'line')} of MDX code (import or export) left out.")
    if html:
        notes.append(f"HTML inside the Markdown of {counted(html, 'line').lower()} became "
                     "Markdown or text.")
    return "\n".join(out), notes


# HTML inside Markdown, tag by tag: its Markdown, or nothing (the text stays).
HTML_TAGS = [
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"<(b|strong)\b[^>]*>(.*?)</\1>", re.I), r"**\2**"),
    (re.compile(r"<(i|em)\b[^>]*>(.*?)</\1>", re.I), r"*\2*"),
    (re.compile(r"<(kbd|code|samp)\b[^>]*>(.*?)</\1>", re.I), r"`\2`"),
    (re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.I), r"\n**\1**\n"),
    (re.compile(r"""<a\b[^>]*\bhref=["']([^"']+)["'][^>]*>(.*?)</a>""", re.I), r"[\2](\1)"),
    (re.compile(r"<img\b[^>]*>", re.I), ""),
    (re.compile(r"</p\s*>", re.I), "\n"),
    (re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>"), ""),
]
# A paragraph that opens with a callout's label in bold is that callout, help desks' own
# labels included ("**Good to know:**", `procedures.source.callouts.HOUSE_LABELS`).
LABELLED = re.compile(r"^\*\*(" + "|".join([*sorted(set(LABELS.values())), *HOUSE_LABELS])
                      + r"):?\*\*:?\s*")
# A paragraph or a quote that opens with one of these signs is a callout of that kind
# (Notion, Confluence and many docs write notes so: "> 💡 Press ? for help").
SIGNS = {"⚠️": "Warning", "⚠": "Warning", "🚨": "Danger", "❗️": "Important", "❗": "Important",
         "ℹ️": "Info", "ℹ": "Info", "💡": "Tip", "📝": "Note", "📌": "Note"}
SIGNED = re.compile(r"^(>\s*)?(" + "|".join(sorted(map(re.escape, SIGNS), key=len,
                                                   reverse=True)) + r")\s*(?!\s*$)")


def _labelled(line: str) -> str:
    """A line opening a paragraph, as a callout when its label or sign says it is one."""
    line = LABELLED.sub(r"> **\1:** ", line)
    signed = SIGNED.match(line)
    if signed is None:
        return line
    rest = line[signed.end():]
    # "⚠️ **Warning:** …" says its label already.
    rest = re.sub(r"^\*\*(\w+):?\*\*:?\s*", "", rest) if LABELLED.match(rest) else rest
    return f"> **{SIGNS[signed.group(2)]}:** {rest}"


def _without_html(line: str) -> str:
    """A line with its HTML made Markdown or text; code spans left as they are."""
    if "<" not in line:
        return line
    parts = CODE_SPAN.split(line)
    # split() gives text, then (backticks, code) pairs, then text...
    out = []
    for n, part in enumerate(parts):
        if n % 3 == 0:
            for pattern, replacement in HTML_TAGS:
                part = pattern.sub(replacement, part)
            out.append(part)
        elif n % 3 == 1:
            out.append(part + parts[n + 1] + part)
    text = "".join(out)
    return text if text.strip() or not line.strip() else ""


def _blocks(lines: list[str]) -> Iterator[tuple[int, int, bool]]:
    """(start, end, fenced) spans of the lines: fenced code apart, left as written."""
    start = i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        if i > start:
            yield start, i, False
        mark = fence.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].lstrip().startswith(mark):
            j += 1
        yield i, min(j + 1, len(lines)), True
        start = i = j + 1
    if start < len(lines):
        yield start, len(lines), False


def _callout(lines: list[str], i: int, end: int) -> tuple[list[str], int] | None:
    """The callout for an admonition opening at line `i`, and the line after it; None
    when no admonition opens there."""
    line = lines[i]
    if (m := COLONS_OPEN.match(line)) and (m.group(1) or m.group(2)).lower() in LABELS:
        j = i + 1
        while j < end and not COLONS_CLOSE.match(lines[j]):
            j += 1
        title = (m.group(3) or m.group(4) or m.group(5) or "").strip()
        return _quoted(m.group(1) or m.group(2), title, lines[i + 1:j]), min(j + 1, end)
    if (m := BANGS_OPEN.match(line)) and m.group(1).lower() in LABELS:
        j = i + 1
        while j < end and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
            j += 1
        while j > i + 1 and not lines[j - 1].strip():
            j -= 1
        inner = [ln[4:] if ln.startswith("    ") else ln.lstrip("\t") for ln in lines[i + 1:j]]
        return _quoted(m.group(1), (m.group(2) or "").strip(), inner), j
    if (m := ALERT.match(line)) and m.group(1).lower() in LABELS:
        j = i + 1
        while j < end and lines[j].lstrip().startswith(">"):
            j += 1
        inner = [re.sub(r"^\s{0,3}>\s?", "", ln) for ln in lines[i + 1:j]]
        return _quoted(m.group(1), "", inner), j
    if (m := HINT_OPEN.match(line)) and m.group(1).lower() in LABELS:
        j = i + 1
        while j < end and not HINT_CLOSE.match(lines[j]):
            j += 1
        return _quoted(m.group(1), "", lines[i + 1:j]), min(j + 1, end)
    return None


def _quoted(kind: str, title: str, inner: list[str]) -> list[str]:
    """A callout: `> **Label:** ` before the first paragraph (after the admonition's own
    title, when it has one), every line of the body quoted."""
    while inner and not inner[0].strip():
        inner = inner[1:]
    while inner and not inner[-1].strip():
        inner = inner[:-1]
    lead = f"**{LABELS[kind.lower()]}:**"
    if title and title.lower() != kind.lower():
        lead += f" **{title.rstrip('.:')}.**"
    elif not inner:
        return []
    if not inner or _starts_block(inner[0]):
        return [f"> {lead}", *(f"> {ln}" if ln.strip() else ">" for ln in inner)]
    first, *rest = inner
    return [f"> {lead} {first.strip()}", *(f"> {ln}" if ln.strip() else ">" for ln in rest)]


def _starts_block(line: str) -> bool:
    """Whether a line opens a list, a heading, a table or code, which cannot follow the
    label on its line."""
    return bool(re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|#|\||```|~~~)", line))


def _separated(out: list[str], block: list[str]) -> list[str]:
    """`block` as a block of its own: a blank line before it unless there is one."""
    return ["", *block, ""] if out and out[-1].strip() else [*block, ""]


# The properties Notion writes under a page's title when exporting it as Markdown
# ("Created: October 5, 2023 3:04 PM", "Tags: Sharing, Guests"), and the guide key each
# one gives (None: a property of the old workspace, left out).
NOTION_PROPERTIES = {"tags": "tags", "category": "category", "last edited": "updated",
                     "last edited time": "updated", "updated": "updated",
                     "created": None, "created by": None, "created time": None,
                     "last edited by": None, "owner": None, "status": None, "type": None,
                     "assign": None, "verification": None}
PROPERTY = re.compile(r"^([A-Za-z][A-Za-z ]{1,30}):\s+(\S.*)$")


def page_properties(lines: list[str]) -> tuple[dict[str, Any], list[str], list[str]]:
    """The properties block that opens a page exported from Notion, read as guide keys;
    the lines without it; and what was done, as sentences. Only a block of two or more
    known properties counts: a body that opens with "Note: …" is text."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    found: list[tuple[str, str]] = []
    while end < len(lines) and (m := PROPERTY.match(lines[end].strip())) and \
            m.group(1).lower() in NOTION_PROPERTIES:
        found.append((m.group(1).lower(), m.group(2).strip()))
        end += 1
    if len(found) < 2 or (end < len(lines) and lines[end].strip()):
        return {}, lines, []
    meta: dict[str, Any] = {}
    for name, value in found:
        key = NOTION_PROPERTIES[name]
        if key == "tags":
            meta["tags"] = [t.strip() for t in value.split(",") if t.strip()]
        elif key == "category":
            meta["category"] = value
        elif key == "updated" and (date := written_date(value)) is not None:
            meta["updated"] = date
    note = (f"Its {len(found)} page properties (Notion) were left out of the text"
            + (f"; {', '.join(sorted(meta))} taken as the guide's." if meta else "."))
    return meta, lines[:start] + lines[end:], [note]

