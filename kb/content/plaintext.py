"""Plain-text help articles to Markdown, for `kb import`.

Plain text exported from a help center loses its markup but keeps a recognisable shape:
the title on the first line, headings as short lines without final punctuation, list
items starting with "- " (or "•", "*", "1.", "1)"), notes starting with "Note:" or
"Attention:". Tables lose their borders and arrive as lines of cells separated by
"|" (`Standard | 60 | |`) or by tabs: a run of such lines with the same columns becomes a Markdown
table, and a lone or ragged one stays a line of text. This module recovers that
structure; it never drops a line's words (the old site's own lines around the article
are left out before, by `kb.content.pagechrome`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.content.faq import PLAIN_QUESTION
from procedures.source.steps import STEP

BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•‣▪◦]|(?P<num>\d{1,2})[.)])\s+(?P<text>.+)$")
CALLOUT = re.compile(r"^(?P<label>attention|warning|caution|important|note|tip|info|remark)"
                     r"\s*[:!-]\s*(?P<text>.+)$", re.IGNORECASE)
CONTINUATION = ("...", "…")
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
MAX_CELL_CHARS = 80
RULE = re.compile(r"([=\-~*_#+])\1{2,}")


@dataclass
class Line:
    kind: str  # "heading", "item", "callout", "para", "row", "blank"
    text: str
    level: int = 0
    ordered: bool = False
    indent: int = 0
    cells: tuple[str, ...] = ()


def cells_of(text: str) -> list[str] | None:
    """The cells of a table-like line ("Standard | 60 | |"), or None for other lines
    (a sentence that happens to hold a "|" is prose, not a row)."""
    text = text.strip()
    if "|" not in text and "\t" in text and not BULLET.match(text):
        # Columns pasted from a spreadsheet.
        cells = [cell.strip() for cell in re.split(r"\t+", text)]
        return cells if len(cells) >= 2 else None
    if "|" not in text or (text.endswith((".", "!", "?")) and len(text.split()) > 8):
        return None
    inner = text[1:] if text.startswith("|") else text
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = [cell.strip() for cell in inner.split("|")]
    return cells if len(cells) >= 2 and any(cells) else None


def _is_delimiter(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells)


def find_tables(lines: list[str]) -> dict[int, tuple[str, ...]]:
    """Line index -> the cells of that table row, for every run of table-like lines (a
    blank line between rows allowed) that forms a real table: two rows or more, of short
    cells; short rows are padded. Markdown delimiter rows map to an empty tuple."""
    rows: dict[int, tuple[str, ...]] = {}
    run: list[tuple[int, list[str]]] = []

    def close() -> None:
        body = [(i, c) for i, c in run if not _is_delimiter(c)]
        # Trailing empty cells ("Standard | 60 | |") are only the line's border.
        body = [(i, c[:max(k + 1 for k, x in enumerate(c) if x)]) for i, c in body]
        if len(body) >= 2 and all(len(x) <= MAX_CELL_CHARS for _, c in body for x in c):
            width = max(len(c) for _, c in body)
            rows.update((i, tuple(c + [""] * (width - len(c)))) for i, c in body)
            rows.update((i, ()) for i, c in run if _is_delimiter(c))
        run.clear()

    gap = 0
    for i, raw in enumerate(lines):
        if not raw.strip():
            gap += 1
            continue
        cells = cells_of(raw)
        if cells is None or gap > 1:
            close()
        if cells is not None:
            run.append((i, cells))
        gap = 0
    close()
    return rows


def _short_line(text: str) -> bool:
    """Short, and not ended like a sentence: the shape of a heading."""
    return (bool(text) and len(text) <= MAX_HEADING_CHARS
            and len(text.split()) <= MAX_HEADING_WORDS
            and not text.endswith((".", ":", ";", ",", "!", "?")))


def _looks_like_heading(text: str, next_text: str | None) -> bool:
    if next_text is None:
        return False
    if _in_capitals(text):
        return True  # "WHAT HAPPENS WHEN I RUN OUT OF SPACE?": capitals mark a heading
    if not _short_line(text):
        return False
    # Headings start with a capital (or "...", for the alternatives of a section).
    return text[0].isupper() or text[0].isdigit() or text.startswith(CONTINUATION)


def _short_question(text: str) -> bool:
    """A short question on a line of its own (`faq.PLAIN_QUESTION`, "Remove, archive or
    delete?"): in an article whose other sections open with short lines, the question
    its text answers."""
    return (PLAIN_QUESTION.match(text) is not None and len(text) <= MAX_HEADING_CHARS
            and len(text.split()) <= MAX_HEADING_WORDS)


def in_capitals(text: str) -> bool:
    """Whether a text's letters, four at least, are all capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _in_capitals(text: str) -> bool:
    """A short line written all in capitals, even one that asks a question; not a
    sentence ending with a full stop (shouted text is still a sentence)."""
    return in_capitals(text) and len(text) <= MAX_HEADING_CHARS and \
        len(text.split()) <= MAX_HEADING_WORDS and not text.endswith((".", ";", ","))


def classify(lines: list[str]) -> list[Line]:
    """Label each line of an article body (after its title).

    A line of only "=", "-", "*"... underlines the heading above it ("Steps" then
    "-----"), or is a separator; either way it is drawing, not text, and goes."""
    stripped = [raw.rstrip() for raw in lines]
    rules = {i for i, s in enumerate(stripped) if RULE.fullmatch(s.strip())}
    underlined = {i - 1 for i in rules if i > 0 and i - 1 not in rules
                  and _short_line(stripped[i - 1].strip())}
    stripped = ["" if i in rules else s for i, s in enumerate(stripped)]
    nonblank = [i for i, s in enumerate(stripped) if s.strip()]
    following = {i: (stripped[nonblank[k + 1]].strip() if k + 1 < len(nonblank) else None)
                 for k, i in enumerate(nonblank)}
    tables = find_tables(stripped)
    # A question standing alone between blank lines heads what follows it when the
    # article writes its headings as short lines: one question is not an FAQ
    # (`kb.content.faq`), but the article's own heading for a section.
    headed = not underlined and any(
        _looks_like_heading(stripped[i].strip(), following[i]) for i in nonblank)
    alone = {i for i in nonblank if headed and _short_question(stripped[i].strip())
             and (i == 0 or not stripped[i - 1].strip())
             and i + 1 < len(stripped) and not stripped[i + 1].strip()
             and not (following[i] or "?").endswith("?")}
    out: list[Line] = []
    for i, raw in enumerate(stripped):
        text = raw.strip()
        if not text:
            out.append(Line("blank", ""))
            continue
        if i in tables:
            if tables[i]:  # a source delimiter row is dropped; the table gets its own
                out.append(Line("row", text, cells=tables[i]))
            continue
        if cells_of(text) is not None:  # a lone or ragged "a | b" line is text
            out.append(Line("para", text))
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
        # An article that underlines its headings marks them all that way. "Step 1 - Go
        # to Settings" is short, but a step (`procedures.source.steps` lists them).
        if i in underlined or i in alone or (not underlined and not STEP.match(text) and
                                             _looks_like_heading(text, following[i])):
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
    table: list[tuple[str, ...]] = []

    def close_table() -> None:
        if table:
            blocks.append(markdown_table(table))
            table.clear()

    for line in classify(lines):
        if line.kind == "row":
            close_list()
            table.append(line.cells)
            continue
        if line.kind == "blank":
            continue
        close_table()
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
        close_list()
        counters.clear()
        if line.kind == "heading":
            blocks.append(f"{'#' * line.level} {_escape(line.text)}")
        elif line.kind == "callout":
            blocks.append(f"> {line.text}")
        else:
            blocks.append(_escape(line.text))
    close_list()
    close_table()
    return "\n\n".join(blocks) + "\n"


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    """A Markdown table; the first row is its header unless it holds a number (then it is
    data, under an empty header)."""
    width = len(rows[0])
    first = rows[0]
    has_header = all(cell and not re.search(r"\d", cell) for cell in first)
    header, body = (first, rows[1:]) if has_header else (("",) * width, rows)

    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(_escape(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([row(header), "| " + " | ".join(["---"] * width) + " |",
                      *(row(cells) for cells in body)])


def _escape(text: str) -> str:
    """Keep text literal in Markdown: characters that would start markup are escaped."""
    text = re.sub(r"([\\`*_<>\[\]])", r"\\\1", text)
    # A line starting with "#", "+" or ">" would become a heading, list or quote: the
    # sign is escaped. One starting with "1." or "1)" and a space would become a numbered
    # list: its dot is escaped, as a backslash before a digit is no escape and would be
    # shown ("5.00" or "2.5 GB" starts no list and is left alone).
    text = re.sub(r"^([#+>])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)
