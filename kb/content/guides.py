"""Guides: the front-matter model, loading a folder of guides, and their checks.

A guide is a Markdown file with YAML front matter. Loading never stops at the first
problem: every problem of every file is collected as a `Problem` (`file:line: message`)
and the guides that are fine still load, so one broken file does not take the help center
down.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kb.content.folders import FolderCategories
from kb.content.markdown import Heading, ParsedBody, Passage
from kb.errors import GuideNotFound, Problem
from procedures.source import frontmatter
from procedures.source.code import CODE_SPAN, unfenced
from procedures.source.files import guide_files as list_guide_files

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_GUIDE_BYTES = 1_000_000


class GuideMeta(BaseModel):
    """The front matter of a guide. Unknown keys are errors, so a typo fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: ShortText
    slug: Slug = Field(description="Stable public name; the file is named `<slug>.md`.")
    category: ShortText
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=600)]
    tags: tuple[ShortText, ...] = ()
    products: tuple[ShortText, ...] = ()
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    updated: dt.date = Field(description="Date of the last content change, shown to readers.")


@dataclass(frozen=True)
class Guide:
    """A loaded guide: validated metadata and its Markdown body."""

    meta: GuideMeta
    path: Path
    body: str
    body_line: int
    slug_line: int = 1

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def title(self) -> str:
        return self.meta.title

    @cached_property
    def parsed(self) -> ParsedBody:
        return ParsedBody(self.body, self.body_line)

    @property
    def passages(self) -> list[Passage]:
        return self.parsed.passages(self.meta.title)

    @property
    def headings(self) -> list[Heading]:
        return self.parsed.headings

    def html(self, guide_url: Callable[[str, str | None], str] = lambda slug, anchor:
             page_url(slug, anchor)) -> str:
        # Rendering mutates link tokens, so it works on a fresh parse.
        return ParsedBody(self.body, self.body_line).render(guide_url)


def read_guide(path: Path, display: str | None = None, *,
               default_category: str | None = None) -> tuple[Guide | None, list[Problem]]:
    """Load one guide file; return it (or None) with the problems found in it alone."""
    name = display or str(path)
    try:
        if path.stat().st_size > MAX_GUIDE_BYTES:
            return None, [Problem(name, 1, f"the file is larger than {MAX_GUIDE_BYTES} bytes")]
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, f"the file is not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read the file: {exc.strerror}")]
    return parse_guide(text, path, name, default_category=default_category)


def parse_guide(text: str, path: Path, display: str | None = None, *,
                default_category: str | None = None) -> tuple[Guide | None, list[Problem]]:
    """Check the text of a guide that is (or will be) the file `path`, without reading it.

    `kb import` checks a guide before it writes it, so its messages name the file the
    guide is going to be, never a temporary one. `default_category` is the category of a
    guide that does not name one: its folder's (see `kb.content.folders`).
    """
    name = display or str(path)
    if "\x00" in text:
        return None, [Problem(name, 1, "the file is binary, not Markdown text")]
    try:
        doc = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(name, exc.line, str(exc))]
    meta_in = doc.meta
    if default_category and "category" not in meta_in:
        meta_in = {**meta_in, "category": default_category}
    try:
        meta = GuideMeta.model_validate(meta_in)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else None
            where = f"'{'.'.join(str(x) for x in err['loc'])}'" if err["loc"] else "front matter"
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown key (allowed: " + ", ".join(GuideMeta.model_fields) + ")"
            elif err["type"] == "missing":
                message = "missing required key"
            problems.append(Problem(name, doc.line_of(key), f"{where}: {message}"))
        return None, problems
    guide = Guide(meta=meta, path=path, body=doc.body, body_line=doc.body_line,
                  slug_line=doc.line_of("slug"))
    return guide, _body_problems(guide, name, doc)


def _body_problems(guide: Guide, name: str, doc: frontmatter.Document) -> list[Problem]:
    problems: list[Problem] = []
    if guide.path.stem != guide.slug:
        problems.append(Problem(name, doc.line_of("slug"),
                                f"slug {guide.slug!r} does not match the file name "
                                f"{guide.path.name!r} (expected '{guide.slug}.md')"))
    if not guide.body.strip():
        problems.append(Problem(name, doc.body_line, "the guide has no content after the "
                                                     "front matter"))
        return problems
    for heading in guide.headings:
        if heading.level == 1:
            problems.append(Problem(name, heading.line,
                                    "a '#' heading in the body: the title belongs in the front "
                                    "matter, sections start at '##'"))
    problems += [Problem(name, doc.body_line + n, f"raw HTML {tag} is shown as written, "
                         "not rendered: write it in Markdown (`kb import` converts it)")
                 for n, tag in _raw_html(guide.body)]
    passages = guide.passages
    for i, passage in enumerate(passages):
        has_child = i + 1 < len(passages) and passages[i + 1].level > passage.level
        if passage.level > 1 and not passage.text and not has_child:
            problems.append(Problem(name, passage.line, f"section '{passage.title}' is empty"))
    return problems


# HTML elements an author may write by habit; guides render Markdown only, so such a tag
# shows up as text. (Other words in angle brackets are placeholders: "<your domain>".)
# (A tag written with a backslash, `<b\>`, is text on purpose.)
HTML_TAG = re.compile(r"(?<!\\)</?(?:br|b|i|u|strong|em|kbd|code|samp|img|p|div|span|"
                      r"details|summary|a|ul|ol|li|table|tr|td|th|sup|sub|h[1-6]|hr|pre|"
                      r"iframe|script|style|font|center)\b[^<>\\]*>", re.IGNORECASE)


def _raw_html(body: str) -> list[tuple[int, str]]:
    """(line within the body, first tag) of each line outside code that holds an HTML
    tag."""
    found = []
    for n, line in unfenced(body.split("\n")):
        tag = HTML_TAG.search(CODE_SPAN.sub("", line))
        if tag is not None:
            found.append((n, tag.group(0)[:40]))
    return found


def page_url(slug: str, anchor: str | None = None) -> str:
    """The help center's address of a guide, or of one of its sections."""
    return f"/guides/{slug}" + (f"#{anchor}" if anchor else "")


def guide_files(folder: Path) -> list[Path]:
    """The guide files of a folder and its sub-folders (see `procedures.source.files`)."""
    return list_guide_files(folder)


@dataclass
class KnowledgeBase:
    """The guides that loaded, in file order, plus every problem found while loading."""

    folder: Path
    guides: dict[str, Guide]
    problems: list[Problem]

    def get(self, slug: str) -> Guide:
        try:
            return self.guides[slug]
        except KeyError:
            raise GuideNotFound(slug) from None

    def __iter__(self) -> Iterator[Guide]:
        return iter(self.guides.values())

    def __len__(self) -> int:
        return len(self.guides)


def load(folder: str | os.PathLike[str], files: Iterable[Path] | None = None) -> KnowledgeBase:
    """Load every guide of `folder` and its sub-folders; problems are collected, never
    raised. Slugs are unique across folders: a second file with a slug already taken is
    reported with both paths and left out."""
    folder = Path(folder)
    problems: list[Problem] = []
    guides: dict[str, Guide] = {}
    if not folder.is_dir():
        problems.append(Problem(str(folder), 0, "the guides folder does not exist"))
    categories = FolderCategories(folder)
    for path in files if files is not None else guide_files(folder):
        name = display_path(path)
        guide, found = read_guide(path, name,
                                  default_category=categories.default_for(path, name))
        problems.extend(found)
        if guide is None:
            continue
        if guide.slug in guides:
            other = display_path(guides[guide.slug].path)
            problems.append(Problem(name, guide.slug_line,
                                    f"duplicate slug {guide.slug!r}, already used by {other}"))
            continue
        guides[guide.slug] = guide
    problems.extend(categories.problems)
    for guide in guides.values():
        for link in guide.parsed.guide_links():
            target = guides.get(link.slug)
            if target is None:
                problems.append(Problem(display_path(guide.path), link.line,
                                        f"broken link to '{link.slug}.md': no such guide"))
            elif link.anchor and link.anchor not in {h.anchor for h in target.headings}:
                problems.append(Problem(display_path(guide.path), link.line,
                                        f"broken link to '{link.slug}.md#{link.anchor}': "
                                        "no such section"))
    return KnowledgeBase(folder=folder, guides=guides, problems=sorted(problems))


def display_path(path: Path) -> str:
    """A path as the user will recognise it: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
