"""Zendesk Help Center exports: the JSON of its articles API, one guide per article.

Many help centers move from Zendesk, whose API lists articles as `{"articles": [...]}`
with `id`, `title`, `body` (HTML), `section_id`, `label_names`, `locale`, `updated_at`,
`html_url` and `draft`; an export may add the `sections` and `categories` lists. A section
leads to its category, whose name becomes the guide's category. Links between articles of
the export (their `html_url`, or `/hc/<locale>/articles/<id>-...` paths) become links
between guides (`other-slug.md`). An entry with fields missing is imported as far as it
can be; what is skipped is listed with the reason, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from kb.content.articles import Article, html_to_markdown
from kb.content.tidy import counted, short_title, tidy_body, unshouted
from kb.content.webpage import label_callouts, media_left_out
from kb.errors import ImportFailure

MAX_EXPORT_BYTES = 200_000_000
ARTICLE_PATH = re.compile(r"/hc/(?:[A-Za-z-]+/)?articles/(?P<id>\d+)")
LOCALE = re.compile(r"^(?P<lang>[a-z]{2})(?:-(?P<region>[a-z]{2}))?$", re.IGNORECASE)


@dataclass
class Entry:
    """One article of the export that will be imported, with what was left out of it."""

    key: str
    label: str
    title: str
    html: str
    category: str | None = None
    tags: tuple[str, ...] = ()
    language: str = "en"
    updated: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    full_title: str = ""
    section_id: Any = None


@dataclass
class Export:
    """The articles to import, the entries that cannot be (label, reason), the drafts
    left out on purpose, and the address of the old help center."""

    entries: list[Entry]
    skipped: list[tuple[str, str]]
    base_url: str | None
    drafts: list[str] = field(default_factory=list)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)

    def article(self, entry: Entry, slugs: dict[str, str]) -> Article:
        """The entry as an article, its links to other imported articles made guide links
        (`slugs`: article key -> slug)."""
        soup = BeautifulSoup(entry.html, "html.parser")
        notes = list(entry.notes)
        outside = 0
        for link in soup.find_all("a"):
            href = str(link.get("href") or "").strip()
            target = ARTICLE_PATH.search(urlsplit(href).path) if href else None
            if target and target["id"] in slugs:
                link["href"] = f"{slugs[target['id']]}.md"
            elif href.startswith("/") and not href.startswith("//"):
                # A path on the old help center: keep it pointing there, when known.
                if self.base_url:
                    link["href"] = urljoin(self.base_url, href)
                else:
                    link.unwrap()
                outside += bool(target)
            elif target:
                outside += 1
        if outside:
            verb = "points" if outside == 1 else "point"
            notes.append(f"{counted(outside, 'link')} to articles outside this import still "
                         f"{verb} to the old help center.")
        label_callouts(soup)
        notes += media_left_out(soup)
        body, tidy_notes = tidy_body(html_to_markdown(soup))
        if entry.full_title != entry.title:
            body = f"{entry.full_title}\n\n{body}"
        title, body, case_notes = unshouted(entry.title, body)
        return Article(title=title, body=body, language=entry.language,
                       notes=(*notes, *tidy_notes, *case_notes),
                       category=entry.category, tags=entry.tags, updated=entry.updated)


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(item["id"]): item for item in items
            if isinstance(item, dict) and item.get("id") is not None}


def read_export(data: Any, *, drafts: bool = False) -> Export:
    """The articles of an export (the articles API's JSON); ImportFailure when the data
    holds no article list at all."""
    if isinstance(data, list):
        data = {"articles": data}
    elif isinstance(data, dict) and isinstance(data.get("article"), dict):
        data = {**data, "articles": [data["article"]]}  # the API's answer for one article
    lookups = isinstance(data, dict) and any(isinstance(data.get(k), list)
                                             for k in ("sections", "categories"))
    if not isinstance(data, dict) or not (isinstance(data.get("articles"), list) or lookups):
        raise ImportFailure("it is not a Zendesk Help Center export: it has no "
                            "\"articles\" list")
    sections = _by_id(data.get("sections"))
    categories = _by_id(data.get("categories"))
    entries: list[Entry] = []
    skipped: list[tuple[str, str]] = []
    drafts_left: list[str] = []
    base_url: str | None = None
    for number, item in enumerate(data.get("articles") or [], start=1):
        if not isinstance(item, dict):
            skipped.append((f"entry {number}", "it is not an article object"))
            continue
        key = str(item.get("id")) if item.get("id") is not None else f"entry-{number}"
        title = _text(item.get("title")) or _text(item.get("name"))
        label = f"article {item['id']}" if item.get("id") is not None else f"entry {number}"
        label += f" “{short_title(title)[0]}”" if title else ""
        base_url = base_url or _site_of(item.get("html_url"))
        if item.get("draft") is True and not drafts:
            drafts_left.append(label)
            continue
        reason = _refusal(item, title)
        if reason:
            skipped.append((label, reason))
            continue
        short, title_note = short_title(title)
        entry = Entry(key=key, label=label, title=short, html=str(item["body"]),
                      full_title=title, notes=[title_note] if title_note else [],
                      section_id=item.get("section_id"))
        _describe(entry, item)
        entries.append(entry)
    return Export(entries, skipped, base_url, drafts_left, sections, categories)


def _refusal(item: dict[str, Any], title: str) -> str | None:
    """Why an entry cannot be imported at all, or None."""
    if not title:
        return "it has no title"
    body = item.get("body")
    if not isinstance(body, str) or not BeautifulSoup(body, "html.parser").get_text().strip():
        return "it has no body text"
    return None


def _site_of(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def place(entry: Entry, sections: dict[str, dict[str, Any]],
          categories: dict[str, dict[str, Any]]) -> None:
    """Set the entry's category: its section's category's name, else the section's name.

    Sections and categories may come with the articles or in files of their own (the API
    lists them separately), so this runs once every file of an import is read."""
    if entry.section_id is None or not sections:
        return
    section = sections.get(str(entry.section_id))
    if section is None:
        entry.notes.append(f"Its section ({entry.section_id}) is not in the export, so it "
                           "is in the default category.")
        return
    category = categories.get(str(section.get("category_id")))
    name = _text((category or {}).get("name")) or _text(section.get("name"))
    entry.category = name[:200] or None


def _describe(entry: Entry, item: dict[str, Any]) -> None:
    """Tags, language and date, each left at its default with a note when unusable."""
    labels = item.get("label_names") or []
    tags = [_text(x)[:200] for x in labels if _text(x)] if isinstance(labels, list) else []
    entry.tags = tuple(dict.fromkeys(tags))
    if isinstance(labels, list) and len(tags) < len(labels):
        entry.notes.append("Labels that are not text were left out of its tags.")
    locale = item.get("locale") or item.get("source_locale")
    match = LOCALE.match(locale) if isinstance(locale, str) else None
    if match:
        region = match["region"]
        entry.language = match["lang"].lower() + (f"-{region.upper()}" if region else "")
    elif locale:
        language = str(locale).split("-")[0].lower()
        entry.language = language if re.fullmatch(r"[a-z]{2}", language) else "en"
        if entry.language == "en" and language != "en":
            entry.notes.append(f"Its locale “{locale}” is not a language code, so it is "
                               "in English.")
    updated = item.get("updated_at") or item.get("edited_at") or item.get("created_at")
    try:
        entry.updated = dt.datetime.fromisoformat(str(updated).replace("Z", "+00:00")).date()
    except ValueError:
        entry.notes.append("It has no valid update date, so it is dated today.")
