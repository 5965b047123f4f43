"""`kb import`: existing help articles (plain text, Markdown, HTML) into guide files.

Each article becomes `<slug>.md` with validated front matter, its headings and lists kept.
The slug comes from the title. An article that cannot be read or converted is reported
with the reason and the others are still imported; an existing guide is never
overwritten unless asked (`force`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from markdownify import markdownify

from kb.content import plaintext
from kb.content.guides import GuideMeta, read_guide
from kb.errors import ImportFailure
from procedures.source import frontmatter
from procedures.source.markdown import slugify

MAX_ARTICLE_BYTES = 2_000_000
# Parts of a web page that are never the article: navigation, scripts, page chrome.
NOISE_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "iframe", "svg", "canvas", "head", "link", "meta"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}


@dataclass(frozen=True)
class Article:
    """An article converted to a title, a Markdown body and a language."""

    title: str
    body: str
    language: str = "en"
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class Imported:
    source: Path
    target: Path
    slug: str


def read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise ImportFailure(f"larger than {MAX_ARTICLE_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure("no such file") from None
    except IsADirectoryError:
        raise ImportFailure("is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror})") from None
    if b"\x00" in data[:8192]:
        raise ImportFailure("is a binary file, not a text, Markdown or HTML article")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure("is not text in UTF-8 or Windows-1252")


def parse_article(path: Path, text: str) -> Article:
    suffix = path.suffix.lower()
    stripped = text.lstrip()
    if suffix in HTML_SUFFIXES or re.match(r"(?is)<!doctype html|<html[\s>]", stripped):
        return from_html(text)
    if suffix in MARKDOWN_SUFFIXES:
        return from_markdown(text)
    return from_plain_text(text)


def from_plain_text(text: str) -> Article:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ImportFailure("is empty")
    title = lines[0].strip().lstrip("#").strip()
    body = plaintext.to_markdown(lines[1:])
    return Article(title=title, body=body)


def from_markdown(text: str) -> Article:
    meta = None
    if text.lstrip().startswith(frontmatter.FENCE):
        try:
            doc = frontmatter.split(text.lstrip())
        except frontmatter.FrontMatterError as exc:
            raise ImportFailure(f"line {exc.line}: {exc}") from None
        meta, text = doc.meta, doc.body
    lines = text.splitlines()
    title = (meta or {}).get("title")
    # The first "# Title" is the title; the body starts after it.
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
        if match and not title:
            title = match.group(1)
            lines = lines[i + 1:]
        break
    body = "\n".join(lines)
    if not title:
        raise ImportFailure("has no title (expected a '# Title' line or a 'title' key)")
    headings = re.findall(r"(?m)^(#{1,6})\s", body)
    if headings and min(len(h) for h in headings) == 1:
        # Sections written as "# Section": shift everything down one level.
        body = re.sub(r"(?m)^(#{1,5})(\s)", r"#\1\2", body)
    return Article(title=str(title).strip(), body=body.strip() + "\n", meta=meta)


def from_html(text: str) -> Article:
    soup = BeautifulSoup(text, "html.parser")
    language = "en"
    html_tag = soup.find("html")
    if html_tag is not None and html_tag.get("lang"):
        language = str(html_tag.get("lang")).split("-")[0].lower()[:2] or "en"
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(NOISE_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    h1 = root.find("h1")
    title = h1.get_text(" ", strip=True) if h1 else page_title
    if h1 is not None:
        h1.decompose()
    if not title:
        raise ImportFailure("has no title (no <h1> or <title>)")
    body = markdownify(str(root), heading_style="ATX", bullets="-", strip=["img"])
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    # Notes written as "<p><strong>Note:</strong> ..." become callouts, as in guides.
    body = re.sub(r"(?m)^\*\*(Attention|Warning|Caution|Important|Note|Tip):?\*\*:?\s*",
                  lambda m: f"> **{m.group(1)}:** ", body)
    return dataclasses.replace(from_markdown(f"# {title}\n\n{body}"), language=language)


def summary_of(body: str, title: str) -> str:
    """The first sentence of the first paragraph, as the guide's summary."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("#", "-", "*", ">", "|")) or re.match(r"\d+\.", block):
            continue
        text = re.sub(r"[*_`\\]", "", " ".join(block.split()))
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        return sentence[:580]
    return title


def to_guide(article: Article, slug: str, category: str, today: dt.date) -> str:
    """The guide file text for an article, with front matter that passes validation."""
    meta = dict(article.meta or {})
    meta.update({"title": article.title, "slug": slug})
    meta.setdefault("category", category)
    meta.setdefault("summary", summary_of(article.body, article.title))
    meta.setdefault("tags", [])
    meta.setdefault("products", [])
    meta.setdefault("language", article.language)
    meta.setdefault("updated", today)
    meta = {k: meta[k] for k in GuideMeta.model_fields if k in meta}
    GuideMeta.model_validate(meta)
    return frontmatter.join(meta, article.body)


def import_articles(paths: list[Path], target: Path, *, force: bool = False,
                    category: str = "Imported", today: dt.date | None = None
                    ) -> tuple[list[Imported], list[tuple[Path, str]]]:
    """Import every readable article; return what was written and what failed, and why."""
    today = today or dt.date.today()
    target.mkdir(parents=True, exist_ok=True)
    done: list[Imported] = []
    failed: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for path in paths:
        try:
            article = parse_article(path, read_text(path))
            slug = slugify(article.title)[:100].strip("-")
            if not slug:
                raise ImportFailure("has a title with no letters or digits to make a slug")
            if slug in taken:
                raise ImportFailure(f"has the same title as another article of this import "
                                    f"(slug {slug!r})")
            out = target / f"{slug}.md"
            if out.exists() and not force:
                raise ImportFailure(f"would overwrite {out} (use --force to replace it)")
            text = to_guide(article, slug, category, today)
            tmp = out.with_suffix(".md.tmp")
            tmp.write_text(text, encoding="utf-8")
            guide, problems = read_guide(tmp, str(out))
            if guide is None or any("does not match the file name" not in p.message
                                    for p in problems):
                tmp.unlink()
                raise ImportFailure("; ".join(p.message for p in problems) or "invalid guide")
            tmp.replace(out)
            taken.add(slug)
            done.append(Imported(path, out, slug))
        except ImportFailure as exc:
            failed.append((path, str(exc)))
        except ValueError as exc:  # pydantic validation of the derived front matter
            failed.append((path, f"cannot make valid front matter: {exc}"))
    return done, failed
