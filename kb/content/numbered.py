"""Steps written as "Step 1: …", "Step 2: …" paragraphs, made a numbered list.

Many help centers number their steps in words rather than with a list: a paragraph per
step opening with "Step 1:", "**Step 2.**" or "Step 3 –". Read as paragraphs, they are
prose: the guided procedure would show them as one note, and an answer could not quote
them as steps. Two or more such paragraphs in a row, numbered one after the other, are
the list the author meant, and become one (`1. …`), their further lines kept with them.
Code blocks are left alone.
"""

from __future__ import annotations

import re

from procedures.source.steps import STEP

FENCE = re.compile(r"^ {0,3}(```|~~~)")
# A line that starts a block of its own: it ends a step's paragraph.
BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\||```|~~~)")


def steps_as_list(body: str) -> tuple[str, int]:
    """The body with each run of "Step N" paragraphs made a numbered list, and how many
    runs were changed."""
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
        if out and out[-1].strip():
            out.append("")
        for n, (first, more) in enumerate(steps, start=1):
            out.append(f"{n}. {first}")
            out.extend(f"   {line}" for line in more)
        if end < len(lines) and lines[end].strip():
            out.append("")
        runs += 1
        i = end
    return "\n".join(out), runs


def _run(lines: list[str], start: int) -> tuple[list[tuple[str, list[str]]], int]:
    """The steps of the run starting at `start`, each (its first line, its further
    lines), numbered one after the other; and the index of the first line after it."""
    steps: list[tuple[str, list[str]]] = []
    expected: int | None = None
    i = start
    while i < len(lines):
        begin = i
        found = STEP.match(lines[i])
        if found is None or (expected is not None and int(found["n"]) != expected):
            break
        expected = int(found["n"]) + 1
        text = found["text"].strip()
        more: list[str] = []
        i += 1
        # The step's paragraph goes on until a blank line, a block or the next step.
        while i < len(lines) and lines[i].strip() and not STEP.match(lines[i]) \
                and not BLOCK_START.match(lines[i]):
            more.append(lines[i].strip())
            i += 1
        if not text and more:
            text = more.pop(0)
        if not text:
            i = begin  # a bare "Step 3:" with nothing to do: the run ends before it
            break
        steps.append((text, more))
        # Blank lines between two steps belong to the run; anything else ends it.
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and STEP.match(lines[j]):
            i = j
    return steps, _after(lines, start, steps, i)


def _after(lines: list[str], start: int, steps: list[tuple[str, list[str]]],
           stop: int) -> int:
    """Where the run's lines end: `stop`, unless a step after a blank line was refused
    (numbered out of order), in which case the blank lines stay outside the run."""
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return stop if steps else start
