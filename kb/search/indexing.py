"""Keep the search index in step with the guides folder.

`ensure_index` is what every command calls: it opens the current build when it matches
the guides (by a fingerprint of the files and the synonym table) and rebuilds it
otherwise, under a lock so that several processes do not build at once.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kb.content import guides as guides_mod
from kb.content.guides import Guide, KnowledgeBase
from kb.search import index, passages
from kb.search.synonyms import Synonyms

ProcedureFinder = Callable[[Guide], str | None]
# From this many guides the index is written by several processes.
PARALLEL_FROM = 1000
# Bumped when what is stored for answering changes, so older builds are rebuilt.
ANSWERS_VERSION = "answers-4"


# Sections that point to other guides ("Learn more", "See also") describe those guides,
# not this one: their words would make a question about the other guide match this one.
REFERENCE_SECTION = re.compile(r"^(learn more|see also|related( guides| articles| topics)?|"
                               r"further reading|more information|read more)\b", re.I)


def documents(kb: KnowledgeBase, procedure_for: ProcedureFinder) -> Iterator[index.IndexDocument]:
    for guide in kb:
        sections = [p for p in guide.passages if not REFERENCE_SECTION.match(p.title)]
        data = {
            "title": guide.title,
            "summary": guide.meta.summary,
            "category": guide.meta.category,
            "procedure": procedure_for(guide),
            "passages": [
                (p.anchor, p.title, p.level, p.text,
                 " ".join(sorted(set(index.stems(p.text)))),
                 " ".join(sorted(set(index.stems(p.title)))))
                for p in sections
            ],
            # As JSON text: unpickling a string costs nothing for the guides that are
            # ranked but never quoted.
            "sections": json.dumps(passages.dump([s for s in passages.sections(guide)
                                                  if not REFERENCE_SECTION.match(s.title)]),
                                   ensure_ascii=False),
        }
        yield index.IndexDocument(
            slug=guide.slug,
            category=guide.meta.category,
            title=guide.title,
            tags=" ".join([*guide.meta.tags, *guide.meta.products]),
            headings=" ".join(p.title for p in sections if p.level > 1),
            summary=guide.meta.summary,
            body=" ".join(p.text for p in sections),
            data=data,
        )


def guides_fingerprint(folder: Path, synonyms: Synonyms) -> str:
    return index.fingerprint(guides_mod.guide_files(folder),
                             extra=f"{synonyms.digest}/{ANSWERS_VERSION}")


def is_stale(root: Path, folder: Path, synonyms: Synonyms) -> bool:
    build = index.current_build(root)
    if build is None:
        return True
    manifest = index.read_manifest(build)
    return (manifest.get("fingerprint") != guides_fingerprint(folder, synonyms)
            or manifest.get("schema") != index.SCHEMA_VERSION)


def rebuild(root: Path, folder: Path, synonyms: Synonyms,
            procedure_for: ProcedureFinder) -> tuple[Path, KnowledgeBase]:
    """Build a new index from the guides that load (broken ones are left out)."""
    fp = guides_fingerprint(folder, synonyms)
    kb = guides_mod.load(folder)
    processes = min(os.cpu_count() or 1, 4) if len(kb) >= PARALLEL_FROM else 1
    build = index.build(root, documents(kb, procedure_for), synonyms.words, {
        "fingerprint": fp,
        "guides_folder": str(folder),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "problems": len(kb.problems),
    }, processes=processes)
    return build, kb


def ensure_index(root: Path, folder: Path, synonyms: Synonyms,
                 procedure_for: ProcedureFinder) -> Path:
    """The current build, rebuilt first if it is missing or does not match the guides."""
    if not is_stale(root, folder, synonyms):
        return index.current_build(root)  # type: ignore[return-value]
    with index.build_lock(root):
        # Another process may have rebuilt while this one waited for the lock.
        if is_stale(root, folder, synonyms):
            rebuild(root, folder, synonyms, procedure_for)
        return index.current_build(root)  # type: ignore[return-value]
