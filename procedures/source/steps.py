"""Steps numbered in words: "Step 1: …", "**Step 2.** …", "Step 3 – …", read as a list.

Many help articles number their steps with a label at the start of a paragraph or line
instead of a Markdown list. Read as paragraphs they are prose: the guided procedure would
show them as one note, and an answer could not quote them as steps. Two or more such
labels in a row, numbered one after the other, are the list the author meant.

One rule serves every reader: the importer writes the list into the guide it saves
(`kb.content.tidy`), and every parse of a guide body (`procedures.source.markdown.parse`:
the help-center page, search and the compiler) reads a guide written that way by hand as
the same list, with every line kept at its number so that problems still name the
file's line. Code blocks are left alone; a lone labelled paragraph, or labels out of
order, stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from procedures.source.code import FENCE

# "Step 1:", "STEP 2.", "**Step 3:**", "__Step 4__ -", "Step 5)"; the text may follow on
# the same line or start on the next.
STEP = re.compile(r"^ {0,3}(?P<mark>\*\*|__)?\s*step\s+(?P<n>\d{1,3})\s*"
                  r"(?:[:.)]|\s[-–—])?\s*(?P=mark)?\s*(?:[:.)]|[-–—]\s)?\s*(?P<text>.*)$",
                  re.IGNORECASE)
# A line that starts a block of its own: it ends a step's paragraph.
BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\||```|~~~)")


@dataclass
class _Step:
    text: str
    more: list[str] = field(default_factory=list)  # its paragraph's further lines
    bare: bool = False  # the label stood alone; the text is the next line
    gap: int = 0  # blank lines between it and the next step of the run


def steps_as_list(body: str, keep_lines: bool = False) -> tuple[str, int]:
    """The body with each run of "Step N" labels made a numbered list, and how many runs
    were changed. With `keep_lines`, every line stays at its number (what a parse for
    `file:line` messages needs); without, the list is written as an author would."""
    lines = body.split("\n")
    out: list[str] = []
    runs = 0
    i = 0
    fenced = False
    while i < len(lines):
        if FENCE.match(lines[i]):
            fenced = not fenced
        if fenced or not STEP.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        steps, end = _run(lines, i)
        if len(steps) < 2:
            out.append(lines[i])
            i += 1
            continue
        if keep_lines:
            out.extend(_kept(steps))
        else:
            out.extend(_written(steps, before=bool(out and out[-1].strip()),
                                after=end < len(lines) and bool(lines[end].strip())))
        runs += 1
        i = end
    return "\n".join(out), runs


def _written(steps: list[_Step], before: bool, after: bool) -> list[str]:
    """The run as a tight list, set apart from the text around it by blank lines."""
    out = [""] if before else []
    for n, step in enumerate(steps, start=1):
        out.append(f"{n}. {step.text}")
        out.extend(f"   {line}" for line in step.more)
    return out + ([""] if after else [])


def _kept(steps: list[_Step]) -> list[str]:
    """The run in exactly as many lines as it had. An ordered list starting at 1 may
    interrupt a paragraph (CommonMark), so no blank line is needed before it; a bare
    label's text moves up to it and leaves a blank line, as do the gaps between steps
    (the list is then loose, which changes only its spacing)."""
    out: list[str] = []
    for n, step in enumerate(steps, start=1):
        out.append(f"{n}. {step.text}")
        out.extend([""] if step.bare else [])
        out.extend(f"   {line}" for line in step.more)
        out.extend([""] * step.gap)
    return out


def _run(lines: list[str], start: int) -> tuple[list[_Step], int]:
    """The steps of the run starting at `start`, numbered one after the other, and the
    index of the first line after it."""
    steps: list[_Step] = []
    expected: int | None = None
    i = start
    while i < len(lines):
        begin = i
        found = STEP.match(lines[i])
        if found is None or (expected is not None and int(found["n"]) != expected):
            break
        expected = int(found["n"]) + 1
        step = _Step(found["text"].strip())
        i += 1
        # The step's paragraph goes on until a blank line, a block or the next step.
        while i < len(lines) and lines[i].strip() and not STEP.match(lines[i]) \
                and not BLOCK_START.match(lines[i]):
            step.more.append(lines[i].strip())
            i += 1
        if not step.text and step.more:
            step.text, step.bare = step.more.pop(0), True
        if not step.text:
            i = begin  # a bare "Step 3:" with nothing to do: the run ends before it
            break
        if steps:
            steps[-1].gap = _blanks_before(lines, begin)
        steps.append(step)
        # Blank lines between two steps belong to the run; anything else ends it.
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and STEP.match(lines[j]):
            i = j
    return steps, _after(lines, start, steps, i)


def _blanks_before(lines: list[str], index: int) -> int:
    """How many blank lines stand right before line `index`."""
    count = 0
    while index - count > 0 and not lines[index - count - 1].strip():
        count += 1
    return count


def _after(lines: list[str], start: int, steps: list[_Step], stop: int) -> int:
    """Where the run's lines end: `stop`, unless a step after a blank line was refused
    (numbered out of order), in which case the blank lines stay outside the run."""
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return stop if steps else start
