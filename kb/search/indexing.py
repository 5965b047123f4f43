"""Keep the search index in step with the guides folder.

`ensure_index` is what every command calls: it opens the current build when it matches
the guides (by a fingerprint of the files and the synonym table) and rebuilds it
otherwise, under a lock so that several processes do not build at once.

A rebuild streams the guides: each is read, turned into index fields and written before
the next ones are read, so memory stays flat however many guides there are. From
`PARALLEL_FROM` guides the reading (YAML, Markdown, stemming: most of a build's time) runs
in worker processes (`kb.search.reading`) while this process feeds Whoosh.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.content import guides as guides_mod
from kb.content.folders import FolderCategories
from kb.content.guides import Guide
from kb.errors import Problem
from kb.search import index, reading
from kb.search.synonyms import Synonyms

ProcedureFinder = Callable[[Guide], str | None]
# From this many guides the guides are read by worker processes.
PARALLEL_FROM = 1000
# Bumped when what is stored for answering changes, so older builds are rebuilt.
ANSWERS_VERSION = "answers-4"


@dataclass
class BuildReport:
    """What a rebuild found: how many guides it indexed and every problem of the guides
    (as `kb.content.guides.load` reports them)."""

    guides: int = 0
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return self.guides


def _prepared(folder: Path, procedure_for: ProcedureFinder, report: BuildReport,
              workers: int) -> Iterator[index.PreparedDocument]:
    """The guides that load, ready for the writer; problems go to `report`. Broken links
    are found once every guide was seen, from the anchors and links kept of each."""
    if not folder.is_dir():
        report.problems.append(Problem(str(folder), 0, "the guides folder does not exist"))
    seen: dict[str, tuple[str, frozenset[str]]] = {}
    links: list[tuple[str, list[tuple[str, str | None, int]]]] = []
    # Folder categories are read here, once per folder, and handed to the readers.
    categories = FolderCategories(folder)
    requests = []
    for path in guides_mod.guide_files(folder):
        name = guides_mod.display_path(path)
        requests.append((path, name, categories.default_for(path, name)))
    for read in reading.read_all(requests, workers):
        report.problems.extend(read.problems)
        if read.guide is None or read.prepared is None:
            continue
        slug = read.guide.slug
        if slug in seen:
            report.problems.append(Problem(read.name, read.guide.slug_line,
                                           f"duplicate slug {slug!r}, already used by "
                                           f"{seen[slug][0]}"))
            continue
        seen[slug] = (read.name, read.anchors)
        links.append((read.name, read.links))
        read.prepared.fields["data"]["procedure"] = procedure_for(read.guide)
        report.guides += 1
        yield read.prepared
    report.problems.extend(categories.problems)
    for name, found in links:
        for slug, anchor, line in found:
            if slug not in seen:
                report.problems.append(Problem(name, line, f"broken link to '{slug}.md': "
                                                           "no such guide"))
            elif anchor and anchor not in seen[slug][1]:
                report.problems.append(Problem(name, line, f"broken link to "
                                                           f"'{slug}.md#{anchor}': no such "
                                                           "section"))
    report.problems.sort()


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


def default_workers(guides: int) -> int:
    """Worker processes for reading `guides` guides: none for a small help center (they
    cost a start-up), else one per core (reading costs more than writing, which this
    process does meanwhile), at most four: past that, Whoosh is the bottleneck."""
    if guides < PARALLEL_FROM:
        return 0
    return max(1, min(os.cpu_count() or 1, 4))


def rebuild(root: Path, folder: Path, synonyms: Synonyms, procedure_for: ProcedureFinder,
            workers: int | None = None) -> tuple[Path, BuildReport]:
    """Build a new index from the guides that load (broken ones are left out)."""
    fp = guides_fingerprint(folder, synonyms)
    report = BuildReport()
    if workers is None:
        workers = default_workers(len(guides_mod.guide_files(folder)))
    build = index.build(root, _prepared(folder, procedure_for, report, workers),
                        synonyms.words, index.phrase_pairs(synonyms.phrases()), lambda: {
                            "fingerprint": fp,
                            "guides_folder": str(folder),
                            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            "problems": len(report.problems),
                        })
    return build, report


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
