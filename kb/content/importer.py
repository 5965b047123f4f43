"""`kb import`: existing help articles into guide files.

Files in plain text, Markdown or HTML (`kb.content.articles`) and Zendesk Help Center
exports (`kb.content.zendesk`) become `<slug>.md` guides with validated front matter. An
article that cannot be read or converted is reported with the reason and the others are
still imported; an existing guide is never overwritten unless asked (`force`). Every
guide is checked before it is written, so a message names the guide file it would be,
and what the importer had to change or leave out is said in sentences.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kb.content import zendesk
from kb.content.articles import Article, parse_article, read_text
from kb.content.folders import DEFAULT_CATEGORY, humanise
from kb.content.guidefile import to_guide
from kb.content.guides import display_path, guide_files, parse_guide
from kb.content.links import relink
from kb.content.markdown import ParsedBody
from kb.errors import ImportFailure
from procedures.source.files import FOLDER_SETTINGS
from procedures.source.markdown import slugify

MAX_SLUG = 100
ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm", ".xhtml",
                    ".json"}


@dataclass(frozen=True)
class Imported:
    """An article written as a guide; `notes` say what was changed on the way."""

    source: Path
    target: Path
    slug: str
    label: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """An article (or a whole file) that was not imported, and why. `deliberate` ones
    (a draft, left out unless asked) are reported but are not a failure of the import."""

    source: Path
    label: str
    reason: str
    deliberate: bool = False


@dataclass
class Options:
    """What `kb import` was asked: where to, and how (see its `--help`)."""

    target: Path
    force: bool = False
    category: str = DEFAULT_CATEGORY
    by_category: bool = False
    drafts: bool = False
    today: dt.date | None = None


class _Run:
    """One `kb import`: the slugs taken so far and what was written or refused."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.today = options.today or dt.date.today()
        self.done: list[Imported] = []
        self.failed: list[Failure] = []
        self.taken: set[str] = set()
        self.exports: list[tuple[Path, zendesk.Export]] = []
        self.files: list[tuple[Path, Article, str, list[str]]] = []
        # Slugs are unique across every folder of the target: the guides already there.
        self.existing = {path.stem: path for path in guide_files(options.target)}

    def claim(self, title: str, fallback: str) -> tuple[str, str | None]:
        """A free slug for a title, with a note when it had to differ from the title's.

        A title without Latin letters or digits ("如何重置密码") names no file, so the
        `fallback` (the article's file name, or its id in an export) does."""
        base = slugify(title)[:MAX_SLUG].strip("-")
        note = None
        if not base:
            base = slugify(fallback)[:MAX_SLUG].strip("-")
            if not base:
                raise ImportFailure("neither its title nor its name has letters or digits "
                                    "to name the guide by")
            note = (f"Its title has no Latin letters or digits to name the guide by, so "
                    f"the guide is named {base}.md.")
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        if slug != base:
            note = (f"Another article of this import has the same title, so this guide is "
                    f"named {slug}.md.")
        return slug, note

    def folder_for(self, category: str) -> Path:
        if not self.options.by_category:
            return self.options.target
        folder = self.options.target / (slugify(category) or "imported")
        folder.mkdir(parents=True, exist_ok=True)
        settings = folder / FOLDER_SETTINGS
        if humanise(folder.name) != category and not settings.exists():
            settings.write_text(yaml.safe_dump({"name": category}, allow_unicode=True),
                                encoding="utf-8")
        return folder

    def write(self, source: Path, label: str, article: Article, slug: str,
              notes: Iterable[str]) -> None:
        category = article.category or self.options.category
        out = self.folder_for(category) / f"{slug}.md"
        elsewhere = self.existing.get(slug)
        if elsewhere is not None and elsewhere.resolve() != out.resolve():
            raise ImportFailure(f"a guide named {slug}.md already exists in "
                                f"{display_path(elsewhere)}")
        if out.exists() and not self.options.force:
            raise ImportFailure(f"it would replace {display_path(out)} "
                                "(use --force to replace it)")
        if not article.body.strip():
            raise ImportFailure("it has a title but no text under it")
        try:
            text, meta_notes = to_guide(article, slug, self.options.category, self.today)
        except ValidationError as exc:  # a derived value no guide accepts
            where = ", ".join(str(err["loc"][0]) for err in exc.errors() if err["loc"])
            raise ImportFailure(f"no valid guide front matter can be made from it "
                                f"({where or 'front matter'})") from None
        guide, problems = parse_guide(text, out, display_path(out))
        if guide is None or problems:
            raise ImportFailure("the guide made from it would not be valid ("
                                + "; ".join(str(p) for p in problems) + ")")
        tmp = out.with_name(f".{out.name}.tmp")  # hidden: never listed as a guide
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
        self.done.append(Imported(source, out, slug, label,
                                  (*article.notes, *meta_notes, *notes)))

    def attempt(self, source: Path, label: str, article: Article, slug: str,
                notes: Iterable[str] = ()) -> None:
        try:
            self.write(source, label, article, slug, notes)
        except ImportFailure as exc:
            self.failed.append(Failure(source, label, str(exc)))

    def import_folder(self, folder: Path) -> None:
        """Every article file under a folder, as a help center's export often is: one
        sub-folder per category, which names the category of the articles in it."""
        found = [path for path in sorted(folder.rglob("*"))
                 if path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file()
                 and not any(part.startswith(".") for part in path.relative_to(folder).parts)]
        if not found:
            self.failed.append(Failure(folder, str(folder), "it is a folder with no text, "
                                       "Markdown, HTML or JSON files in it"))
        for path in found:
            self.import_file(path, humanise(path.parent.name) if path.parent != folder
                             else None)

    def import_file(self, path: Path, category: str | None = None) -> None:
        if path.is_dir():
            self.import_folder(path)
            return
        label = str(path)
        try:
            is_export = path.suffix.lower() == ".json"
            text = read_text(path, zendesk.MAX_EXPORT_BYTES if is_export else None)
            if is_export:
                self.import_export(path, text)
                return
            article = parse_article(path, text)
            if category and not article.category:
                article = dataclasses.replace(article, category=category)
            # A guide brought from another knowledge base keeps its public name.
            own_slug = str((article.meta or {}).get("slug") or "")
            slug, note = self.claim(own_slug or article.title, path.stem)
        except ImportFailure as exc:
            self.failed.append(Failure(path, label, str(exc)))
            return
        self.files.append((path, article, slug, [note] if note else []))

    def finish_files(self) -> None:
        """Write the articles read from files, their links to each other made guide
        links now that every file's guide name is known."""
        by_source = {Path(os.path.normpath(path.absolute())): slug
                     for path, _, slug, _ in self.files}
        anchors = {slug: {h.anchor for h in ParsedBody(article.body).headings}
                   for _, article, slug, _ in self.files}

        def slug_of(target: Path) -> str | None:
            found = by_source.get(Path(os.path.normpath(target.absolute())))
            if found is None and target.suffix == ".md" and (
                    target.stem in self.existing or target.stem in self.taken):
                found = target.stem  # already written as a link to a guide
            return found

        for path, article, slug, notes in self.files:
            body, link_notes = relink(article.body, path, slug_of,
                                      lambda s: anchors.get(s, set()))
            self.attempt(path, str(path), dataclasses.replace(article, body=body), slug,
                         [*notes, *link_notes])

    def import_export(self, path: Path, text: str) -> None:
        """Read a Zendesk export; its articles are written by `finish`, once every
        file is read, so links and sections can reach across the files of an import."""
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailure(f"it is not valid JSON (line {exc.lineno}: {exc.msg})"
                                ) from None
        export = zendesk.read_export(data, drafts=self.options.drafts)
        for label, reason in export.skipped:
            self.failed.append(Failure(path, f"{path}: {label}", reason))
        for label in export.drafts:
            self.failed.append(Failure(path, f"{path}: {label}", "it is a draft (use --drafts "
                                       "to import drafts too)", deliberate=True))
        self.exports.append((path, export))

    def finish_exports(self) -> None:
        """Write the articles of the Zendesk exports read."""
        sections: dict[str, dict[str, Any]] = {}
        categories: dict[str, dict[str, Any]] = {}
        for _, export in self.exports:
            sections.update(export.sections)
            categories.update(export.categories)
        slugs: dict[str, str] = {}
        claimed: list[tuple[Path, zendesk.Export, zendesk.Entry, str, str | None]] = []
        for path, export in self.exports:
            for entry in export.entries:
                zendesk.place(entry, sections, categories)
                fallback = entry.key if entry.key.startswith("entry") else f"article-{entry.key}"
                try:
                    slug, note = self.claim(entry.title, fallback)
                except ImportFailure as exc:
                    self.failed.append(Failure(path, f"{path}: {entry.label}", str(exc)))
                    continue
                slugs[entry.key] = slug
                claimed.append((path, export, entry, slug, note))
        for path, export, entry, slug, note in claimed:
            self.attempt(path, f"{path}: {entry.label}", export.article(entry, slugs), slug,
                         [note] if note else [])


def import_articles(paths: list[Path], target: Path, *, force: bool = False,
                    category: str = DEFAULT_CATEGORY, today: dt.date | None = None,
                    by_category: bool = False, drafts: bool = False
                    ) -> tuple[list[Imported], list[Failure]]:
    """Import every readable article; return what was written and what was not, and why."""
    target.mkdir(parents=True, exist_ok=True)
    run = _Run(Options(target, force, category, by_category, drafts, today))
    for path in paths:
        run.import_file(path)
    run.finish_files()
    run.finish_exports()
    return run.done, run.failed
