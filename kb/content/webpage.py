"""What a saved web page says besides its article's text: its title without the site's
name, the category its breadcrumbs name, the date it states, its note boxes, and what of
it a guide cannot show.

A help center's page, saved from the browser or exported, wraps the article in the old
site: the site's name after the title, breadcrumbs, a date in the article's header, note
boxes marked only by their class or icon. `kb.content.articles` reads the page through
these before it turns the article into Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from kb.content.dates import written_date
from kb.content.dialects import LABELS, SIGNS
from kb.content.tidy import counted
from procedures.source.callouts import callout_kind

# Words of the class of an HTML box that sets something apart (a note, a warning).
BOX_WORDS = frozenset("callout alert admonition notice panel message macro box banner "
                      "hint".split())
# Box words that mean a note even when no kind is named (unlike "panel" or "box").
NOTE_BOX_WORDS = frozenset("callout admonition notice".split())
COLOUR_LABELS = {"red": "Warning", "orange": "Warning", "yellow": "Warning",
                 "blue": "Note", "green": "Tip", "grey": "Note", "gray": "Note"}


def label_callouts(soup: BeautifulSoup) -> None:
    """Note boxes marked only by their class (`<div class="alert alert-warning">`,
    `<aside class="note">`) start with their label, as a guide's callout does: the words
    alone would read as ordinary text, and an `<aside>` would be dropped as page chrome."""
    for box in soup.find_all(["div", "aside", "section", "p", "blockquote", "figure"]):
        classes = [str(c) for c in box.get_attribute_list("class") if c]
        label = _callout_label(classes)
        icon = box.find(class_="icon")
        if isinstance(icon, Tag) and "callout" in " ".join(classes):
            # Notion's callout: a box whose icon says its kind ("💡" a tip), a note when
            # the icon is none of the known signs.
            label = SIGNS.get(icon.get_text(strip=True), label or "Note")
        if label is None:
            continue
        if isinstance(icon, Tag):
            icon.decompose()
        if box.name in ("aside", "figure"):
            box.name = "div"
        found = box.find("p") if box.name != "p" else box
        if not isinstance(found, Tag):
            # The first element that holds the box's text, else the box itself.
            found = next((d for d in box.find_all("div") if d.get_text(strip=True)), None)
        target = found if isinstance(found, Tag) else box
        text = target.get_text(" ", strip=True)
        first = re.match(r"^\W*(\w+(?: \w+){0,3})\s*:", text)
        if not text or (first is not None and (first.group(1).lower() in LABELS or
                                               callout_kind(first.group(1)) is not None)):
            continue  # labelled already ("Tip:", "Good to know:")
        strong = soup.new_tag("strong")
        strong.string = f"{label}:"
        target.insert(0, " ")
        target.insert(0, strong)


def _callout_label(classes: list[str]) -> str | None:
    """The callout label a box's classes give it: a class that is a kind of note
    (`warning`), or a kind inside a box's class (`alert-info`, `callout--tip`,
    `confluence-information-macro-note`, `warningBox`). The last, most specific, kind
    named wins."""
    for name in classes:
        if name.lower() in LABELS:
            return LABELS[name.lower()]
    for name in reversed(classes):
        parts = [p.lower() for p in re.split(r"[_-]+|(?<=[a-z])(?=[A-Z])", name) if p]
        if not BOX_WORDS.intersection(parts):
            continue
        for part in reversed(parts):
            if part in LABELS:
                return LABELS[part]
    for name in reversed(classes):
        parts = [p.lower() for p in re.split(r"[_-]+|(?<=[a-z])(?=[A-Z])", name) if p]
        if NOTE_BOX_WORDS.intersection(parts):
            # A callout of no named kind ("callout-yellow", Help Scout; Intercom's
            # "intercom-interblocks-callout"): by its colour, else a note.
            return next((COLOUR_LABELS[p] for p in parts if p in COLOUR_LABELS), "Note")
    return None


def media_left_out(root: Tag) -> tuple[str, ...]:
    """What of the article a guide cannot show (pictures, embedded videos), said so
    that its author can add the words a screenshot stood for."""
    pictures = len(root.find_all("img"))
    videos = len(root.find_all(["iframe", "video", "embed", "object"]))
    notes = []
    if pictures:
        notes.append(f"{counted(pictures, 'picture')} left out: a guide shows text only.")
    if videos:
        notes.append(f"{counted(videos, 'embedded video')} left out: a guide shows text "
                     "only.")
    return tuple(notes)


# "Reset your password – Acme Help Center": a page's <title> often ends with the site's name.
SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:\||–|—|-|·|::|:)\s+(?P<site>[^|–—·:]{2,60})$")


# Words of a site's name rather than of an article's title ("Acme Help Center").
SITE_WORDS = re.compile(r"\b(help|support|docs|documentation|center|centre|knowledge|faq|"
                        r"guides?|academy|community)\b", re.IGNORECASE)


def without_site_name(title: str, site: str = "") -> str:
    """A page title without the site's name after a separator: the name the page gives
    (`og:site_name`), else a few words that read as a site's ("… – Acme Help Center"),
    never a part of the title itself ("Step 1 - Install the app")."""
    found = SITE_SUFFIX.match(title)
    if found is None or len(found["title"].split()) < 2:
        return title
    suffix = found["site"].strip()
    if (site and suffix.lower() == site.lower()) or \
            (len(suffix.split()) <= 5 and SITE_WORDS.search(suffix)):
        return found["title"]
    return title


def page_title(soup: BeautifulSoup) -> str:
    """The page's <title>, without the site's name after it."""
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    return without_site_name(title, _site_name(soup))


def _site_name(soup: BeautifulSoup) -> str:
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    return str(meta.get("content") or "").strip() if isinstance(meta, Tag) else ""


def breadcrumbs(soup: BeautifulSoup) -> list[str]:
    """The names of a page's breadcrumb trail after its first (the site's home): the last
    one names the article's category in a help center."""
    trail = soup.find(lambda tag: "breadcrumb" in " ".join(
        [*tag.get_attribute_list("class"), str(tag.get("aria-label") or "")]).lower())
    if not isinstance(trail, Tag):
        return []
    items = trail.find_all("li") or trail.find_all("a")
    names = [" ".join(item.get_text(" ", strip=True).split()) for item in items]
    return [name for name in names[1:] if name and len(name) <= 60]


# The class words of the line under an article's title that says who wrote it and when
# ("Updated 3 weeks ago", "Written by Ana · 3 min read"): about the page, not the task.
BYLINE_WORDS = frozenset("meta byline author authors updated published timestamp date "
                         "dates info readtime reading".split())
BYLINE_TEXT = re.compile(r"^(last )?(updated|modified|edited|published|posted|written|"
                         r"created)\b|\b(min(ute)?s? read|ago)$|^by [A-Z]", re.I)
MAX_BYLINE = 120


def drop_bylines(root: Tag) -> None:
    """Remove the article's byline and date line, when its class says so (or it is a
    <time> alone) and its short text reads like one. Its date, when absolute, was read
    first (`updated`); a relative one ("3 weeks ago") says nothing a guide can keep."""
    for tag in root.find_all(["div", "p", "span", "time", "small", "ul"]):
        if tag.decomposed:
            continue
        text = tag.get_text(" ", strip=True)
        if not text or len(text) > MAX_BYLINE or tag.find(["h1", "h2", "h3", "ol", "table"]):
            continue
        words = {w for c in tag.get_attribute_list("class") if c
                 for w in re.split(r"[-_\s]+", str(c).lower()) if w}
        if (words & BYLINE_WORDS or tag.name == "time") and BYLINE_TEXT.search(text):
            tag.decompose()


# The prompt under a help center's article asking for a vote, and its tally.
FEEDBACK_PROMPT = re.compile(
    r"^(was this (article|page|answer|guide|information) (helpful|useful)|(is|was) this "
    r"(helpful|useful)|did (this|we) (answer|solve) your (question|problem)|how (helpful|"
    r"useful) was this (article|page)|\d+ out of \d+ found this helpful)\s*[?.!]?$", re.I)


def drop_feedback_prompts(root: Tag) -> None:
    """Remove "Was this article helpful?" and its tally: the old help center's own vote,
    not the article (the guide's page asks its own)."""
    for tag in root.find_all(["h2", "h3", "h4", "h5", "h6", "p", "div", "span", "legend"]):
        if not tag.decomposed and FEEDBACK_PROMPT.match(tag.get_text(" ", strip=True)):
            tag.decompose()


# The heading of a list of other pages that the old help center adds around an article
# ("Related articles", "Articles in this section", "Recently viewed articles").
LINK_LIST_HEADING = re.compile(
    r"^((related|similar|popular|top|recent|recently viewed|more|other) (articles|guides|"
    r"pages|posts|questions)|articles in this (section|category)|(you|people) (may|might) "
    r"also (like|read|be interested in))\s*[:?]?$", re.I)


def drop_link_lists(root: Tag) -> tuple[str, ...]:
    """Remove the lists of other pages the old site shows under an article: a heading
    such as "Related articles" over a list whose items are links and nothing else. They
    are the site's navigation, not the article, and their titles would make the guide
    match questions about those pages (the guide's page shows its own related guides).
    An author's "See also" with sentences stays."""
    dropped: list[str] = []
    for heading in root.find_all(["h2", "h3", "h4", "h5", "h6"]):
        name = " ".join(heading.get_text(" ", strip=True).split())
        if heading.decomposed or not LINK_LIST_HEADING.match(name):
            continue
        listed = heading.find_next_sibling()
        if not isinstance(listed, Tag) or listed.name not in ("ul", "ol") or \
                not _only_links(listed):
            continue
        box = heading.parent
        listed.decompose()
        heading.decompose()
        if isinstance(box, Tag) and box is not root and box.name in ("section", "div") \
                and not box.get_text(strip=True):
            box.decompose()
        dropped.append(f"\u201c{name}\u201d")
    if not dropped:
        return ()
    return (f"{counted(len(dropped), 'list')} of other pages ({', '.join(dropped)}) left "
            "out: the guide's page shows its own related guides.",)


def _only_links(listed: Tag) -> bool:
    """Whether every item of a list is a link and nothing else (its text is its links')."""
    items = listed.find_all("li", recursive=False)
    return bool(items) and all(
        item.find("a") is not None and
        " ".join(item.get_text(" ", strip=True).split()) ==
        " ".join(" ".join(a.get_text(" ", strip=True) for a in item.find_all("a")).split())
        for item in items)


def tabs_as_sections(root: Tag, title: str) -> tuple[str, ...]:
    """Tabbed panels (ARIA `role="tabpanel"`, "Windows" | "macOS") as sub-sections headed
    by their tab's label, one level below the heading they stand under (right under the
    title, as "<title> (<label>)": ways to do the guide's task), and the row of tabs
    gone: read as the page reads, the panels' steps would follow each other with nothing
    to tell whose they are, and the guided procedure would walk them all. A note of what
    was done."""
    placed = []
    for panel in root.find_all(True, attrs={"role": "tabpanel"}):
        label = _tab_label(root, panel)
        if label:
            # Under the page's own heading, found before any panel is headed (the
            # panels are side by side, not one under the other).
            above = panel.find_previous(["h2", "h3", "h4", "h5", "h6"])
            level = int(above.name[1]) if isinstance(above, Tag) else 1
            if level == 1 and title:
                # Right under the title: sections of their own, each the task done one
                # way ("Install the app (Windows)"), which the compiler makes a choice.
                label = f"{title} ({label})"
            placed.append((panel, label, min(level + 1, 6)))
    if not placed:
        return ()
    for panel, label, level in placed:
        heading = BeautifulSoup("", "html.parser").new_tag(f"h{level}")
        heading.string = label
        panel.insert_before(heading)
    for tab in root.find_all(True, attrs={"role": "tab"}):
        # The tab, its list item, and the row of tabs once it holds nothing else.
        holder = tab.parent if isinstance(tab.parent, Tag) and tab.parent.name == "li" \
            else tab
        row = holder.parent
        holder.decompose()
        while isinstance(row, Tag) and row is not root and not row.get_text(strip=True):
            emptied, row = row, row.parent
            emptied.decompose()
    became = "became a sub-section headed by its tab" if len(placed) == 1 else \
        "became sub-sections headed by their tabs"
    return (f"{counted(len(placed), 'tabbed panel')} {became}.",)


def _tab_label(root: Tag, panel: Tag) -> str:
    """The label of the tab that shows a panel: the tab that says it controls the panel,
    the one the panel says labels it, or the link to the panel's id."""
    panel_id = str(panel.get("id") or "")
    labelled_by = str(panel.get("aria-labelledby") or "")
    for tab in root.find_all(True, attrs={"role": "tab"}):
        controls = str(tab.get("aria-controls") or "")
        link = tab if tab.name == "a" else tab.find("a")
        href = str(link.get("href") or "") if isinstance(link, Tag) else ""
        if (panel_id and (controls == panel_id or href == f"#{panel_id}")) or \
                (labelled_by and tab.get("id") == labelled_by):
            return " ".join(tab.get_text(" ", strip=True).split())
    return ""


def unwrap_layout_tables(root: Tag) -> None:
    """Replace a table that only lays things out (no row has text in two cells: a note
    box drawn as an icon beside its text, a one-cell frame) with what its cells hold, in
    order. As a Markdown table it would be empty headings around one sentence."""
    for table in root.find_all("table"):
        if table.decomposed or table.find("table"):
            continue  # the inner table is looked at on its own
        rows = table.find_all("tr")
        if not rows or any(sum(1 for cell in row.find_all(["td", "th"], recursive=False)
                               if cell.get_text(strip=True)) > 1 for row in rows):
            continue
        for cell in table.find_all(["td", "th"]):
            if cell.get_text(strip=True):
                cell.name = "div"
                table.insert_before(cell.extract())
        table.decompose()


# The class or id help desks give the element that holds an article's text alone, inside
# a page that also holds its title, byline, votes and links (Zendesk's and Freshdesk's
# "article-body", "article-content", schema.org's "articleBody").
ARTICLE_TEXT = re.compile(r"^article[-_]?(body|content|text)$|^articlebody$", re.I)


def article_root(soup: BeautifulSoup) -> Tag:
    """The element that holds the article: the one element marked as the article's text
    (and holding some), else `<article>`, `<main>` or the body. A page without
    `<article>` (Freshdesk's) holds its breadcrumbs, byline and feedback buttons beside
    the text, which would otherwise become the guide's first lines."""
    marked = [tag for tag in soup.find_all(["div", "section"])
              if any(ARTICLE_TEXT.match(str(name)) for name in
                     [*tag.get_attribute_list("class"), tag.get("id") or "",
                      tag.get("itemprop") or ""] if name)]
    outer = [tag for tag in marked if not any(other in tag.parents for other in marked)]
    if len(outer) == 1 and outer[0].get_text(strip=True):
        return outer[0]
    found = soup.find("article") or soup.find("main") or soup.body or soup
    return found if isinstance(found, Tag) else soup


# A line that says when the page last changed, in words ("Modified on: Tue, 12 Mar,
# 2024") or around a <time> ("Last updated on <time>…</time>").
CHANGED_ON = re.compile(r"^(last )?(updated|modified|edited|revised)( on)?\s*:?\s*"
                        r"(?P<date>.{6,40})$", re.I)
CHANGED = re.compile(r"\b(updated|modified|edited|revised)\b", re.I)


def updated(soup: BeautifulSoup) -> dt.date | None:
    """When the article was last changed, as its page states it: the modified-time meta
    of articles, else the first <time datetime> of the article, else a <time> elsewhere
    on the page that says it is the last change ("Last updated on May 3, 2024" in a
    footer under the article), else a short line that says it in words ("Modified on:
    Tue, 12 Mar, 2024"). Each place is read only when the ones before gave no date."""
    def stamps() -> Iterator[str]:
        meta = soup.find("meta", attrs={"property": "article:modified_time"})
        if isinstance(meta, Tag):
            yield str(meta.get("content") or "")
        article = soup.find("article") or soup
        yield from (str(t.get("datetime") or "") for t in article.find_all("time", limit=1))
        yield from (str(t.get("datetime") or "") for t in soup.find_all("time")
                    if CHANGED.search(_said_around(t)))
        for tag in soup.find_all(["p", "span", "div", "small"]):
            found = CHANGED_ON.match(tag.get_text(" ", strip=True)[:MAX_BYLINE])
            if found:
                yield found["date"]

    return next((day for day in map(written_date, stamps()) if day is not None), None)


def _said_around(time: Tag) -> str:
    """The text of a <time> and of the element it stands in ("Updated <time>…</time>")."""
    parent = time.parent if isinstance(time.parent, Tag) else time
    return parent.get_text(" ", strip=True)[:MAX_BYLINE]
