"""Web pages saved by Microsoft Word ("Save as Web Page") or exported by Google Docs,
made ordinary HTML.

Many help articles were first written in Word. Its HTML writes a list as paragraphs
(`<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>`), each opening with its
number or bullet inside a conditional comment for old browsers
(`<![if !supportLists]>1.&nbsp;&nbsp;<![endif]>`), and the title as a paragraph
(`<p class=MsoTitle>`). Read as they are, the lists are paragraphs that start with
"if !supportLists?1.", and the title is said twice. This module turns such paragraphs into
`<ol>`/`<ul>` lists (nested by their level), drops the conditional markers, and makes the
title paragraph the page's `<h1>`. Google Docs writes bold and italics as classes defined
in the page's stylesheet (`.c1{font-weight:700}`) and the title as `<p class="title">`:
those spans become `<strong>`/`<em>` (so "**Note:**" is still a note's label) and the title
paragraph the `<h1>`. HTML from anywhere else is left as it is.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

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
