"""Web pages saved by Microsoft Word ("Save as Web Page") or exported by Google Docs or
Confluence, made ordinary HTML.

Many help articles were first written in Word. Its HTML writes a list as paragraphs
(`<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>`), each opening with its
number or bullet inside a conditional comment for old browsers
(`<![if !supportLists]>1.&nbsp;&nbsp;<![endif]>`), and the title as a paragraph
(`<p class=MsoTitle>`). Read as they are, the lists are paragraphs that start with
"if !supportLists?1.", and the title is said twice. This module turns such paragraphs into
`<ol>`/`<ul>` lists (nested by their level), drops the conditional markers, and makes the
title paragraph the page's `<h1>`. Google Docs writes bold and italics as classes defined
in the page's stylesheet (`.c1{font-weight:700}`) and the title as `<p class="title">`:
those spans become `<strong>`/`<em>` (so "**Note:**" is still a note's label), the title
paragraph the `<h1>`, and links lead where they point instead of through Google's
redirect. Confluence's export titles a page "Space : Page", and surrounds it with the
space's breadcrumbs, a "Created by …, last modified on …" line and a "Document generated
by Confluence" footer: the title loses the space's name, the last breadcrumb is the
category, the date is kept, and the rest goes. HTML from anywhere else is left as it
is.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from kb.content.dates import written_date

# A list paragraph's number or bullet, written for browsers without list support.
MARKER = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.DOTALL | re.IGNORECASE)
CONDITIONAL = re.compile(r"<!\[(?:if [^\]]*|endif)\]>", re.IGNORECASE)
LEVEL = re.compile(r"mso-list:\s*\w+\s+level(\d+)", re.IGNORECASE)
# "1.", "a)", "iv.", "(2)": a numbered item; anything else (·, o, §, -) a bullet.
NUMBERED = re.compile(r"^\(?[0-9a-zA-Z]{1,4}[.)]$")


def is_word_html(text: str) -> bool:
    """Whether a page was saved by Word."""
    return "urn:schemas-microsoft-com:office:word" in text or "class=Mso" in text or \
        'class="Mso' in text


def unword(text: str) -> str:
    """The page's HTML with list markers kept as marked spans and other conditional
    comments dropped (to be read by `tidy_word`)."""
    text = MARKER.sub(lambda m: f'<span data-word-marker="">{m.group(1)}</span>', text)
    return CONDITIONAL.sub("", text)


def tidy_word(soup: BeautifulSoup) -> None:
    """Word's list paragraphs made lists and its title paragraph the `<h1>`, in place."""
    title = soup.find("p", class_=re.compile(r"^MsoTitle"))
    if isinstance(title, Tag) and soup.find("h1") is None:
        title.name = "h1"
    for first in soup.find_all("p"):
        if first.parent is None or not _is_item(first) or _is_item(_previous(first)):
            continue
        run = [first]
        while _is_item(_next(run[-1])):
            run.append(_next(run[-1]))  # type: ignore[arg-type]
        _as_list(soup, run)


def _is_item(node: Tag | None) -> bool:
    return isinstance(node, Tag) and node.name == "p" and \
        bool(LEVEL.search(str(node.get("style") or "")))


def _next(node: Tag) -> Tag | None:
    sibling = node.find_next_sibling()
    return sibling if isinstance(sibling, Tag) else None


def _previous(node: Tag) -> Tag | None:
    sibling = node.find_previous_sibling()
    return sibling if isinstance(sibling, Tag) else None


def _as_list(soup: BeautifulSoup, run: list[Tag]) -> None:
    """Replace a run of list paragraphs by a list, nested by each paragraph's level."""
    stack: list[tuple[int, Tag]] = []  # (level, open list)
    top: Tag | None = None
    for paragraph in run:
        found = LEVEL.search(str(paragraph.get("style") or ""))
        level = int(found.group(1)) if found else 1
        marker = paragraph.find("span", attrs={"data-word-marker": True})
        sign = ""
        if isinstance(marker, Tag):
            sign = " ".join(marker.get_text(" ").replace("\xa0", " ").split())
            marker.decompose()
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            opened = soup.new_tag("ol" if NUMBERED.match(sign) else "ul")
            if stack:
                last = stack[-1][1].find_all("li", recursive=False)
                (last[-1] if last else stack[-1][1]).append(opened)
            else:
                top = opened
            stack.append((level, opened))
        item = soup.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        stack[-1][1].append(item)
    assert top is not None
    run[0].replace_with(top)
    for paragraph in run[1:]:
        paragraph.decompose()


def is_google_docs(text: str) -> bool:
    """Whether a page was exported by Google Docs."""
    return 'class="c' in text and ("doc-content" in text or "lst-kix" in text)


def tidy_google_docs(soup: BeautifulSoup) -> None:
    """Google Docs' styled spans made `<strong>`/`<em>` and its title paragraph the `<h1>`,
    in place."""
    css = " ".join(style.get_text() for style in soup.find_all("style"))
    bold = set(re.findall(r"\.(c\d+)\s*\{[^}]*font-weight:\s*(?:700|bold)", css))
    italic = set(re.findall(r"\.(c\d+)\s*\{[^}]*font-style:\s*italic", css))
    for span in soup.find_all("span"):
        classes = set(span.get_attribute_list("class") or [])
        for names, tag in ((bold, "strong"), (italic, "em")):
            if classes & names and span.get_text(strip=True):
                span.wrap(soup.new_tag(tag))
    title = soup.find("p", class_="title")
    if isinstance(title, Tag) and soup.find("h1") is None:
        title.name = "h1"
    for link in soup.find_all("a", href=True):
        link["href"] = unredirected(str(link["href"]))


def unredirected(href: str) -> str:
    """The address a Google Docs link leads to: the export sends every link through
    Google's redirect ("https://www.google.com/url?q=<address>&sa=D&…"), which a reader
    of the help center should not pass through."""
    parts = urlsplit(href)
    if parts.netloc not in ("www.google.com", "google.com") or parts.path != "/url":
        return href
    target = parse_qs(parts.query).get("q", [""])[0]
    return target if urlsplit(target).scheme in ("http", "https", "mailto") else href


def is_confluence(text: str) -> bool:
    """Whether a page was exported by Confluence."""
    return 'content="Atlassian Confluence"' in text or \
        ('id="title-text"' in text and "confluence" in text.lower())


def tidy_confluence(soup: BeautifulSoup) -> None:
    """Confluence's export made an article, in place: the title without the space's
    name, the breadcrumbs and the date as an ordinary page states them (`<nav
    aria-label="breadcrumb">`, `article:modified_time`), its page chrome removed."""
    title = soup.find(id="title-text")
    if isinstance(title, Tag):
        text = title.get_text(" ", strip=True)
        title.string = text.split(" : ", 1)[1] if " : " in text else text
    crumbs = soup.find(id="breadcrumbs")
    if isinstance(crumbs, Tag):
        crumbs["aria-label"] = "breadcrumb"
        holder = soup.new_tag("nav")
        crumbs.wrap(holder)  # nav: page chrome, read for its category, then dropped
    meta = soup.find(class_="page-metadata")
    if isinstance(meta, Tag):
        _, said, when = meta.get_text(" ", strip=True).partition("last modified on ")
        day = written_date(when) if said else None
        if day is not None:
            stamp = soup.new_tag("meta", attrs={"property": "article:modified_time",
                                                "content": day.isoformat()})
            (soup.head or soup).append(stamp)
        meta.decompose()
    for chrome in (soup.find(id="footer"), soup.find(id="breadcrumb-section")):
        if isinstance(chrome, Tag) and chrome.find(id="breadcrumbs") is None:
            chrome.decompose()
