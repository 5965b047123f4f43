"""Reading guide files for the index, here or in worker processes.

Reading a guide (YAML front matter, Markdown, stems of every passage) is most of the
cost of a build. For a large help center it is spread over worker processes, each a
fresh interpreter running this module (`python -m kb.search.reading`): unlike a fork, that
is safe in a process that runs threads (the guides watcher), and unlike multiprocessing's
spawn, it never re-imports the caller's main script. A worker reads a batch of paths from
its standard input and answers with the batch read, both pickled; batches are handed out
in turn and collected in the same order, so guides come back in file order.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kb.content import guides as guides_mod
from kb.content.guides import Guide
from kb.errors import Problem, SearchIndexError
from kb.search import index, passages

# Guides per batch, and batches in flight per worker: enough to keep every process busy,
# few enough that read guides never pile up in memory (nor requests in a pipe).
BATCH = 32
AHEAD = 3

# Sections that point to other guides ("Learn more", "See also") describe those guides,
# not this one: their words would make a question about the other guide match this one.
REFERENCE_SECTION = re.compile(r"^(learn more|see also|related( guides| articles| topics)?|"
                               r"further reading|more information|read more)\b", re.I)


def document(guide: Guide, procedure: str | None) -> index.IndexDocument:
    """What the index keeps of one guide."""
    sections = [p for p in guide.passages if not REFERENCE_SECTION.match(p.title)]
    data = {
        "title": guide.title,
        "summary": guide.meta.summary,
        "category": guide.meta.category,
        "procedure": procedure,
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
    return index.IndexDocument(
        slug=guide.slug,
        category=guide.meta.category,
        title=guide.title,
        tags=" ".join([*guide.meta.tags, *guide.meta.products]),
        headings=" ".join(p.title for p in sections if p.level > 1),
        summary=guide.meta.summary,
        body=" ".join(p.text for p in sections),
        data=data,
    )


@dataclass
class ReadGuide:
    """One guide file read and prepared for the index, with what the link check needs.
    `guide` is the bare guide, without its parsed Markdown (the procedure finder looks
    at it); `prepared` has no procedure yet."""

    name: str
    problems: list[Problem]
    guide: Guide | None = None
    prepared: index.PreparedDocument | None = None
    anchors: frozenset[str] = frozenset()
    links: list[tuple[str, str | None, int]] = field(default_factory=list)


# What a worker is asked to read: a guide file, its name in messages, and the category
# of its folder for a guide that names none (`kb.content.folders`).
Request = tuple[Path, str, str | None]


def read(path: Path, name: str, default_category: str | None = None) -> ReadGuide:
    guide, problems = guides_mod.read_guide(path, name, default_category=default_category)
    if guide is None:
        return ReadGuide(name, problems)
    bare = Guide(meta=guide.meta, path=guide.path, body=guide.body,
                 body_line=guide.body_line, slug_line=guide.slug_line)
    return ReadGuide(name, problems, bare, index.prepare(document(guide, None)),
                     frozenset(h.anchor for h in guide.headings),
                     [(link.slug, link.anchor, link.line) for link in guide.parsed.guide_links()])


def read_all(files: list[Request], workers: int) -> Iterator[ReadGuide]:
    """The files read in order, by `workers` processes (0: in this one)."""
    if workers < 1:
        yield from (read(*request) for request in files)
        return
    batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
    # The worker imports this package from wherever this process found it.
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    procs = [subprocess.Popen([sys.executable, "-m", "kb.search.reading"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
             for _ in range(min(workers, len(batches)))]
    try:
        pending: deque[subprocess.Popen[bytes]] = deque()
        for n, batch in enumerate(batches):
            proc = procs[n % len(procs)]
            _send(proc.stdin, batch)
            pending.append(proc)
            if len(pending) >= AHEAD * len(procs):
                yield from _receive(pending.popleft())
        while pending:
            yield from _receive(pending.popleft())
    finally:
        for proc in procs:
            # End of work; and a worker still answering (this build failed) stops on
            # the closed pipe instead of waiting for a reader.
            for stream in (proc.stdin, proc.stdout):
                if stream:
                    stream.close()
        failed = False
        for proc in procs:
            try:
                failed = bool(proc.wait(timeout=30)) or failed
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                failed = True
        if failed and sys.exc_info()[0] is None:
            raise SearchIndexError("a worker reading guides for the index failed")


def _send(stream: IO[bytes] | None, value: Any) -> None:
    assert stream is not None
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _receive(proc: subprocess.Popen[bytes]) -> list[ReadGuide]:
    try:
        found: list[ReadGuide] = pickle.load(proc.stdout)  # type: ignore[arg-type]
    except EOFError:
        raise SearchIndexError("a worker reading guides for the index stopped; its "
                               "error is above") from None
    return found


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's loop: a batch of requests in, the batch read out, until stdin closes."""
    while True:
        try:
            batch = pickle.load(stdin)
            _send(stdout, [read(*request) for request in batch])
        except (EOFError, BrokenPipeError):
            return  # the build is over (or was abandoned)


if __name__ == "__main__":
    # Through the module's real name, so what is pickled names `kb.search.reading`
    # classes rather than `__main__` ones.
    from kb.search.reading import _serve as serve

    serve(sys.stdin.buffer, sys.stdout.buffer)
