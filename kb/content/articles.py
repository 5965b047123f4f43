"""Reading one help article, whatever its form, into a title and a guide's Markdown body.

Plain text (title on the first line), Markdown and HTML pages are accepted. Reading is
forgiving about structure (see `kb.content.tidy`) and strict only about what cannot be
read at all: a binary file, text in an unknown encoding, an empty file. Those raise
`ImportFailure` with a reason written to follow "... was not imported: ". What other tools
put around an article is read elsewhere: documentation sites' Markdown in
`kb.content.dialects`, Word, Google Docs and Confluence in `kb.content.office`, a saved web
page's title, breadcrumbs, date and note boxes in `kb.content.webpage`.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

from kb.content import office, plaintext, webpage
from kb.content.dialects import LABELLED, page_properties, plain_markdown
from kb.content.pagechrome import after_site_links, drop_page_chrome
from kb.content.tidy import short_title, tidy_body, unshouted
from kb.errors import ImportFailure
from procedures.source import frontmatter

MAX_ARTICLE_BYTES = 2_000_000
# Parts of a web page that are never the article: navigation, scripts, page chrome.
NOISE_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "iframe", "svg", "canvas", "head", "link", "meta"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16")]
# In Western text decoded as Windows-1252, accented letters are a few per cent of the
# letters; text in another encoding (Cyrillic, Japanese...) read that way is mostly them.
MAX_FOREIGN_SHARE = 0.3
UTF8_SEQUENCE = re.compile(rb"[\xC2-\xF4][\x80-\xBF]+")


@dataclass(frozen=True)
class Article:
    """An article converted to a title, a Markdown body and what is known about it."""

    title: str
    body: str
    language: str = "en"
    meta: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()
    category: str | None = None
    tags: tuple[str, ...] = ()
    updated: dt.date | None = None


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The text of an article file; ImportFailure when it is not readable text."""
    limit = max_bytes or MAX_ARTICLE_BYTES
    try:
        if path.is_dir():
            raise ImportFailure("it is a folder, not a file")
        if path.stat().st_size > limit:
            raise ImportFailure(f"it is larger than {limit // 1_000_000} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure("there is no such file") from None
    except OSError as exc:
        raise ImportFailure(f"it cannot be read ({exc.strerror})") from None
    text = decode(data)
    if not text.strip():
        raise ImportFailure("the file is empty")
    return text


def decode(data: bytes) -> str:
    """Bytes to text: a byte-order mark is obeyed, then UTF-8, then Windows-1252 when the
    result reads like Western text."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFailure(f"its text is not valid {encoding.upper()} although "
                                    "it starts like it") from None
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise ImportFailure("it is a binary file, not a text, Markdown or HTML article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if UTF8_SEQUENCE.search(data):
            # Accented letters already written in UTF-8: a Windows-1252 reading would turn
            # them all into "Ã©", so the bad byte is reported where it is.
            line = data[:exc.start].count(b"\n") + 1
            raise ImportFailure(f"line {line} has a byte (0x{data[exc.start]:X}) that is not "
                                "UTF-8, unlike the rest of the text; save it as UTF-8 and "
                                "import it again") from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if ord(c) > 127)
    if not text or (letters and foreign / len(letters) > MAX_FOREIGN_SHARE):
        raise ImportFailure("its text is in an encoding other than UTF-8 or Windows-1252; "
                            "save it as UTF-8 and import it again")
    return text


def _control_share(data: bytes) -> float:
    control = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return control / max(len(data), 1)


def parse_article(path: Path, text: str) -> Article:
    """The article of a file, by its suffix (or an HTML document's first tag)."""
    suffix = path.suffix.lower()
    stripped = text.lstrip("\ufeff \t\r\n")
    # Saved as .txt, an article may still be a web page or a fragment of one...
    if suffix in HTML_SUFFIXES or re.match(
            r"(?is)<!doctype html|<(?:html|body|article|main|h[1-6]|p|div|section)[\s>]",
            stripped):
        return from_html(text)
    # ... or Markdown: a title and sections written as "#" headings.
    if suffix in MARKDOWN_SUFFIXES or len(re.findall(r"(?m)^#{1,6}[ \t]+\S", text)) >= 2:
        return from_markdown(text)
    return from_plain_text(text)


def _titled(first_line: str, rest: list[str], keep_long: list[str]) -> tuple[str, list[str],
                                                                             list[str]]:
    """Title, body lines and notes, for a first line that may be a whole sentence."""
    title, note = short_title(first_line)
    if note is None:
        return title, rest, []
    return title, [*keep_long, "", *rest], [note]


def from_plain_text(text: str) -> Article:
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ImportFailure("the file is empty")
    first = lines[0].strip().lstrip("#").strip()
    rest = lines[1:]
    if rest and plaintext.RULE.fullmatch(rest[0].strip()):
        rest = rest[1:]  # the title's underline
    title, rest, notes = _titled(first, rest, [first])
    rest, chrome_notes = drop_page_chrome(rest)
    body, tidy_notes = tidy_body(plaintext.to_markdown(rest))
    title, body, case_notes = unshouted(title, body)
    return Article(title=title, body=body,
                   notes=(*notes, *chrome_notes, *tidy_notes, *case_notes))


def from_markdown(text: str) -> Article:
    meta: dict[str, Any] | None = None
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith(frontmatter.FENCE):
        try:
            doc = frontmatter.split(text.lstrip())
        except frontmatter.FrontMatterError as exc:
            raise ImportFailure(f"its front matter is invalid (line {exc.line}: {exc})"
                                ) from None
        meta, text = doc.meta, doc.body
    text, dialect_notes = plain_markdown(text)
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    title = str((meta or {}).get("title") or "").strip()
    notes: list[str] = []
    if lines and not title:
        first = lines[0]
        heading = re.match(r"^#{1,6}\s+(.+?)(?:\s+#+)?\s*$", first)
        setext = len(lines) > 1 and re.fullmatch(r"\s*(=+|-+)\s*", lines[1]) and first.strip()
        if heading:
            text_line, rest = heading.group(1), lines[1:]
        elif setext:
            text_line, rest = first.strip(), lines[2:]
        else:
            text_line, rest = first.strip(), lines[1:]
        # "Export your contacts – Acme Help Center": a page clipped from a help center.
        text_line = webpage.without_site_name(text_line)
        title, lines, notes = _titled(text_line, rest, [text_line])
        if meta is None:
            found, lines, property_notes = page_properties(lines)
            meta, notes = (found or None), [*notes, *property_notes]
    elif title:
        lines = _without_heading(lines, title)
        title, note = short_title(title)
        notes = [note] if note else []
    if not title:
        raise ImportFailure("it has no title and no text to take one from")
    lines, clipped = after_site_links(lines, title)
    if clipped:
        notes.append("The site's links above the article (menu, breadcrumbs) left out, "
                     "down to the article's own heading.")
    lines, chrome_notes = drop_page_chrome(lines)
    notes.extend(chrome_notes)
    body, tidy_notes = tidy_body("\n".join(lines))
    title, body, case_notes = unshouted(title, body)
    return Article(title=title, body=body, meta=meta,
                   notes=(*notes, *dialect_notes, *tidy_notes, *case_notes))


def _without_heading(lines: list[str], title: str) -> list[str]:
    """The body without its first line when that line is a heading repeating the title of
    the front matter (documentation sites often write both): the guide's title is shown
    once, and its sections stay at their level."""
    if not lines:
        return lines
    atx = re.match(r"^#\s+(.+?)(?:\s+#+)?\s*$", lines[0])
    setext = len(lines) > 1 and re.fullmatch(r"\s*=+\s*", lines[1])
    heading = atx.group(1) if atx else lines[0] if setext else None
    if heading is None or _words(heading) != _words(title):
        return lines
    rest = lines[1:] if atx else lines[2:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    return rest


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def html_to_markdown(root: Tag | BeautifulSoup) -> str:
    """The Markdown of an HTML fragment: images dropped, notes made callouts."""
    for table in root.find_all("table"):
        _unspan(table)
        _bold_first_row_as_header(table)
    for terms in root.find_all("dl"):
        _definitions_as_paragraphs(terms)
    body = markdownify(str(root), heading_style="ATX", bullets="-", strip=["img"])
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    # Notes written as "<p><strong>Note:</strong> ..." become callouts, as in guides.
    return "\n".join(LABELLED.sub(r"> **\1:** ", line) for line in body.split("\n"))


def _unspan(table: Tag) -> None:
    """A table whose cells span rows or columns, as one cell per row and column: a
    Markdown table has no spans, and a row left a cell short would shift its values under
    the wrong headings ("10" under "Plan" instead of "Devices"). A cell spanning rows is
    repeated in each (every row then reads whole); one spanning columns is followed by
    empty cells."""
    pending: dict[int, Tag] = {}  # column -> the cell spanning down into it
    left: dict[int, int] = {}  # column -> rows it still spans
    for row in table.find_all("tr"):
        cells = list(row.find_all(["td", "th"], recursive=False))
        placed: list[Tag] = []
        column = 0
        queue = list(cells)
        # Fill the row column by column: a cell spanning down from above takes its
        # column first, then the row's own cells in order; stop when both run out.
        while queue or any(c >= column and left.get(c, 0) > 0 for c in left):
            if left.get(column, 0) > 0:
                copy = _copy_cell(pending[column])
                placed.append(copy)
                left[column] -= 1
                column += 1
                continue
            if not queue:
                break
            cell = queue.pop(0)
            span_down = _span(cell, "rowspan")
            span_across = _span(cell, "colspan")
            for attr in ("rowspan", "colspan"):
                if attr in cell.attrs:
                    del cell.attrs[attr]
            placed.append(cell)
            if span_down > 1:
                pending[column], left[column] = cell, span_down - 1
            for _ in range(span_across - 1):
                column += 1
                placed.append(_copy_cell(cell, empty=True))
            column += 1
        for cell in cells:
            cell.extract()
        for cell in placed:
            row.append(cell)


def _definitions_as_paragraphs(terms: Tag) -> None:
    """A definition list (`<dl>`) as paragraphs: a question (`<dt>` ending with "?") on a
    line of its own above its answer, which the FAQ reading then makes a section; a term
    as "**Term:** definition". (Markdown has no definition lists: written with ":", the
    answers showed a stray colon on the page and in answers.)"""
    soup = BeautifulSoup("", "html.parser")
    term: Tag | None = None  # the last term (not a question), which its definition joins
    for item in terms.find_all(["dt", "dd"], recursive=False):
        name, item.name = item.name, "p"
        if name == "dt":
            text = item.get_text(" ", strip=True)
            term = None if text.endswith("?") else item
            if term is not None:
                strong = soup.new_tag("strong")
                strong.string = text.rstrip(":") + ":"
                item.clear()
                item.append(strong)
        elif term is not None:
            # The definition follows its term on the same line.
            term.append(" ")
            for child in list(item.children):
                term.append(child.extract())
            item.decompose()
    terms.unwrap()


def _bold_first_row_as_header(table: Tag) -> None:
    """A table with no header cells whose first row is bold throughout, as editors write
    a header: that row becomes the header (a Markdown table always has one; left to
    itself it would be an empty row over a row of bold names, and answers read a table's
    column names from its header)."""
    if table.find(["th", "thead"]):
        return
    first = table.find("tr")
    cells = first.find_all("td", recursive=False) if isinstance(first, Tag) else []
    if not cells or not all(_bold_throughout(cell) for cell in cells):
        return
    for cell in cells:
        for bold in cell.find_all(["strong", "b"]):
            bold.unwrap()
        cell.name = "th"


def _bold_throughout(cell: Tag) -> bool:
    text = " ".join(cell.get_text(" ", strip=True).split())
    bold = " ".join(" ".join(b.get_text(" ", strip=True)
                             for b in cell.find_all(["strong", "b"])).split())
    return bool(text) and text == bold


def _span(cell: Tag, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1"))), 100))
    except ValueError:
        return 1


def _copy_cell(cell: Tag, empty: bool = False) -> Tag:
    soup = BeautifulSoup("", "html.parser")
    copy = soup.new_tag(cell.name)
    if not empty:
        copy.string = cell.get_text(" ", strip=True)
    return copy


def from_html(text: str) -> Article:
    word = office.is_word_html(text)
    soup = BeautifulSoup(office.unword(text) if word else text, "html.parser")
    if word:
        office.tidy_word(soup)
    elif office.is_google_docs(text):
        office.tidy_google_docs(soup)
    elif office.is_confluence(text):
        office.tidy_confluence(soup)
    language = "en"
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        language = str(html_tag.get("lang")).split("-")[0].lower()[:2] or "en"
    page_title = webpage.page_title(soup)
    updated = webpage.updated(soup)
    trail = webpage.breadcrumbs(soup)
    webpage.label_callouts(soup)
    root = webpage.article_root(soup)
    # The title before the page chrome goes: help centers put it in the article's own
    # <header>, which is chrome elsewhere.
    h1 = root.find("h1") or soup.find("h1")
    title = h1.get_text(" ", strip=True) if isinstance(h1, Tag) else page_title
    if isinstance(h1, Tag):
        h1.decompose()
    webpage.drop_bylines(root)
    webpage.drop_feedback_prompts(root)
    left_out = webpage.drop_link_lists(root) + webpage.media_left_out(root)
    webpage.unwrap_layout_tables(root)
    # Before the page's buttons go: a tab is often one.
    tabbed = webpage.tabs_as_sections(root, short_title(title)[0] if title else "")
    for tag in soup(NOISE_TAGS):
        tag.decompose()
    untitled: tuple[str, ...] = ()
    if not title:
        # No <h1> and no <title>: the first heading, else the first line, as in a plain
        # text article.
        first = next((t for t in root.find_all(["h2", "h3", "h4", "h5", "h6", "p", "li"])
                      if t.get_text(strip=True)), None)
        if first is None:
            raise ImportFailure("it has no title (no <h1> or <title>) and no text")
        title = first.get_text(" ", strip=True)
        what = "heading" if first.name.startswith("h") else "line"
        untitled = (f"The page has no <h1> or <title>: its first {what} is the title.",)
        first.decompose()
    short, note = short_title(title)
    body = html_to_markdown(root)
    if note:
        body = f"{title}\n\n{body}"
    article = from_markdown(f"# {short}\n\n{body}")
    notes = untitled + ((note,) if note else ()) + left_out + tabbed + article.notes
    category = next((c for c in reversed(trail) if c.lower() != title.lower()), None)
    return dataclasses.replace(article, language=language, notes=notes,
                               updated=updated or article.updated,
                               category=article.category or category)
