"""Tables in answers. `kb.search.passages` keeps a table row as a paragraph of its cells
joined by " | "; a row alone ("Team | 3 TB") does not say what its cells are, so a row
that answers comes with its table, as a list item comes with its list.
"""

from __future__ import annotations

from kb.search.answer_scoring import named_among
from kb.search.answer_units import MAX_ITEMS, Section, stems_of, table_span
from kb.search.index import Concept


def table_lines(section: Section, b: int, links: list[tuple[str, str]],
                concepts: list[tuple[Concept, float, frozenset[str]]],
                introduced: bool = False) -> list[str]:
    """A table row with its table, as a list item comes with its list: the sentence
    before the table, then its rows (a long table: its first row, which names the
    columns, and the rows around the one that answers), without empty cells. When the
    question names one column of a table of rows and columns ("how much is a day pass"
    beside "Pay as you go | Day pass | Monthly pass"), that column is the answer: a list
    of its cells, each with the name of its row; when it names a row as well, the cell
    where they meet. `introduced`: the sentence before the table is said already."""
    first, last = table_span(section, b)
    rows = list(range(first, last + 1))
    if len(rows) > MAX_ITEMS:
        rows = [first, *(r for r in range(max(first + 1, b - 1), min(last, b + 1) + 1))]
    lines: list[str] = []
    before = section.blocks[first - 1] if first > 0 else None
    if before is not None and before.kind == "p" and not introduced:
        lines.append(before.sentences[-1][0])
        links += before.links
    header = _cells(section, first)
    # A table whose first row names the columns above a column of row names (its corner
    # is empty: "| | Free | Team |"): each row is said with its column names ("Employees
    # — Free: Up to 10; Team: Unlimited"), which reads alone and aloud; shown as cells, a
    # row would not line up with names that lost their empty corner.
    matrix = len(header) > 2 and not header[0] and all(header[1:])
    if matrix:
        body = [_cells(section, r) for r in range(first + 1, last + 1)]
        asked_rows = named_among([stems_of(cells[0]) for cells in body], concepts)
        asked = named_among([stems_of(name) for name in header[1:]], concepts)
        column = asked[0] + 1 if len(asked) == 1 else None
        if column is not None and not asked_rows:
            # "how much is a day pass": the column the question names is the answer.
            for r in range(first, last + 1):
                links += section.blocks[r].links
            return [*lines, *_column_said(header[column], body, column)]
        if column is not None and len(asked_rows) == 1 and \
                column < len(body[asked_rows[0]]) and body[asked_rows[0]][column]:
            # "how many locations on the team plan": the row and the column it names
            # meet in one cell, which is the answer ("Locations — Team: Up to 5").
            cells = body[asked_rows[0]]
            links += section.blocks[first + 1 + asked_rows[0]].links
            return [*lines, f"{cells[0]} — {header[column]}: {cells[column]}"]
    for r in rows:
        # Rows left out are marked, but not before the first row said: the names of the
        # columns, said with every row, are not shown as a row of their own.
        if r > first and r - 1 not in rows and not (matrix and rows.index(r) == 1):
            lines.append("…")
        if not (matrix and r == first):
            lines.append(_row_said(_cells(section, r), header if matrix else None))
        links += section.blocks[r].links
    left = last - rows[-1]
    if left:
        lines.append(f"…and {left} more row{'s' if left > 1 else ''} in the guide.")
    return lines


def _column_said(name: str, body: list[list[str]], column: int) -> list[str]:
    """A column as its name and a list of its cells, each with its row's name: one
    thing's properties, one per line, as a list reads ("Day pass:", "- Price: €9")."""
    said = [f"- {cells[0]}: {cells[column]}" for cells in body
            if len(cells) > column and cells[0] and cells[column]]
    left = len(said) - MAX_ITEMS if len(said) > MAX_ITEMS + 1 else 0
    more = [f"…and {left} more rows in the guide."] if left else []
    return [f"{name}:", *said[:len(said) - left], *more]


def _row_said(cells: list[str], header: list[str] | None) -> str:
    """A row as a line: with the names of the columns when `header` is given
    ("Employees — Free: Up to 10; Team: Unlimited"), else its cells ("Team | 3 TB")."""
    if header is None or not cells[0]:
        return " | ".join(cell for cell in cells if cell)
    # A short row leaves the last columns out (strict=False).
    said = "; ".join(f"{name}: {cell}" for name, cell
                     in zip(header[1:], cells[1:], strict=False) if cell)
    return f"{cells[0]} — {said}" if said else cells[0]


def _cells(section: Section, b: int) -> list[str]:
    return [cell.strip() for cell in section.blocks[b].sentences[0][0].split(" | ")]
