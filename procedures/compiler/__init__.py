"""Guide Markdown to a procedure: the steps a guided run walks through, in guide order.

Any guide written in the house style compiles, including help articles imported from
elsewhere: every list item becomes a step, paragraphs and callouts become notes and
warnings, `###` subsections, "If ..." cases and sections that are ways to do one task
("… (mobile app)", "… (web app)") become choices whose branches rejoin, and
a Prerequisites list becomes a yes/no check. Step ids come from section anchors and
positions, never from a step's words, so a reworded guide keeps the ids its runs refer
to. Only a file without front matter or slug is refused (`CompileError`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from procedures.compiler import outline as blocks
from procedures.compiler import wording
from procedures.compiler.steps import Fork, Node, StepBuilder
from procedures.errors import CompileError
from procedures.model import Option, Procedure, Step
from procedures.source import frontmatter
from procedures.source.problems import Problem


def compile_guide(text: str, path: str = "<guide>") -> Procedure:
    """The procedure for one whole guide file (front matter and Markdown body)."""
    meta, body, body_line = _front_matter(text, path)
    slug = str(meta.get("slug") or "").strip()
    if not slug:
        raise CompileError([Problem(path, 1, "the front matter has no 'slug'")])
    title = str(meta.get("title") or slug).strip()
    outline = blocks.parse(body, body_line)
    builder = StepBuilder(slug)
    # The opening is a stage of its own only when sections follow it.
    nodes = builder.intro(outline.intro, title if outline.sections else "")
    for group in _by_task(outline.sections):
        nodes += builder.ways(group) if len(group) > 1 else builder.section(group[0])
    done = Step(id=builder.claim("done"), kind="end", outcome="done",
                text=f"You have followed every step of “{title}”.",
                line=len(text.splitlines()) or 1)
    _wire(nodes, done.id)
    return Procedure(id=slug, title=title, source=path, requires=builder.requires,
                     steps=[*_flatten(nodes), done])


def _by_task(sections: list[blocks.Section]) -> list[list[blocks.Section]]:
    """Consecutive sections grouped when they are ways to do one task
    (`wording.other_ways`), each other section alone."""
    groups: list[list[blocks.Section]] = []
    for section in sections:
        if groups and wording.other_ways([*(s.title for s in groups[-1]), section.title]):
            groups[-1].append(section)
        else:
            groups.append([section])
    return groups


def _front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """The YAML mapping, the body, and the file line where the body starts, split by the
    same reader as the knowledge base's; a byte-order mark is tolerated here."""
    try:
        document = frontmatter.split(text.lstrip("\ufeff"))
    except frontmatter.FrontMatterError as exc:
        raise CompileError([Problem(path, exc.line, str(exc))]) from None
    return document.meta, document.body, document.body_line


def _wire(nodes: list[Node], after: str) -> str:
    """Link each step to the one after it; branches rejoin at `after`. Returns the entry."""
    following = after
    for node in reversed(nodes):
        if isinstance(node, Fork):
            options = [Option(id=b.option, label=b.label, next=_wire(b.nodes, following))
                       for b in node.branches]
            node.step = Step(id=node.id, kind="choice", text=node.text, line=node.line,
                             stage=node.stage, options=options, details=node.details)
        elif node.kind != "end":
            node.next = following
        following = node.id
    return following


def _flatten(nodes: list[Node]) -> Iterator[Step]:
    """Steps in document order: a choice, then each of its branches."""
    for node in nodes:
        if isinstance(node, Fork):
            if node.step is not None:  # made by _wire before flattening
                yield node.step
            for branch in node.branches:
                yield from _flatten(branch.nodes)
        else:
            yield node
