"""Tables in answers. `kb.search.passages` keeps a table row as a paragraph of its cells
joined by " | "; a row alone ("Team | 3 TB") does not say what its cells are, so a row
that answers comes with its table, as a list item comes with its list.
"""

from __future__ import annotations

from kb.search.answer_units import MAX_ITEMS, Block, Section


def is_row(block: Block) -> bool:
    """Whether a paragraph is a table row (`kb.search.passages` keeps one as its cells
    joined by " | ")."""
    return block.kind == "p" and len(block.sentences) == 1 and " | " in block.sentences[0][0]


def table_lines(section: Section, b: int, links: list[tuple[str, str]]) -> list[str]:
    """A table row with its table, as a list item comes with its list: the sentence
    before the table, then its rows (a long table: its first row, which names the
    columns, and the rows around the one that answers), without empty cells."""
    first = last = b
    while first > 0 and is_row(section.blocks[first - 1]):
        first -= 1
    while last + 1 < len(section.blocks) and is_row(section.blocks[last + 1]):
        last += 1
    rows = list(range(first, last + 1))
    if len(rows) > MAX_ITEMS:
        rows = [first, *(r for r in range(max(first + 1, b - 1), min(last, b + 1) + 1))]
    lines: list[str] = []
    before = section.blocks[first - 1] if first > 0 else None
    if before is not None and before.kind == "p":
        lines.append(before.sentences[-1][0])
        links += before.links
    for r in rows:
        if r > first and r - 1 not in rows:
            lines.append("…")
        cells = [cell.strip() for cell in section.blocks[r].sentences[0][0].split(" | ")]
        lines.append(" | ".join(cell for cell in cells if cell))
        links += section.blocks[r].links
    left = last - rows[-1]
    if left:
        lines.append(f"…and {left} more row{'s' if left > 1 else ''} in the guide.")
    return lines
