"""Tables in answers. `kb.search.passages` keeps a table row as a paragraph of its cells
joined by " | "; a row alone ("Team | 3 TB") does not say what its cells are, so a row
that answers comes with its table, as a list item comes with its list.
"""

from __future__ import annotations

from kb.search.answer_scoring import credit
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
    of its cells, each with the name of its row. `introduced`: the sentence before the
    table is said already."""
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
        names = [cells[0] for cells in body]
        column = _asked_column(header, names, concepts)
        if column is not None:
            for r in range(first, last + 1):
                links += section.blocks[r].links
            return [*lines, *_column_said(header[column], body, column)]
        cell = _asked_cell(header, body, concepts)
        if cell is not None:
            # "how many locations on the team plan": the row and the column it names
            # meet in one cell, which is the answer ("Locations — Team: Up to 5").
            row, column = cell
            links += section.blocks[first + 1 + row].links
            return [*lines, f"{names[row]} — {header[column]}: {body[row][column]}"]
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


def _asked_column(header: list[str], row_names: list[str],
                  concepts: list[tuple[Concept, float, frozenset[str]]]) -> int | None:
    """The one column whose name holds a word of the question that no other column's
    name does ("day" of "Day pass" beside "Monthly pass"), if there is one and the
    question names no row in the same way ("employees on the free plan" asks for the
    row "Employees", said with every column)."""
    if _named(row_names, concepts):
        return None
    found = _named(header[1:], concepts)
    return found[0] + 1 if len(found) == 1 else None


def _asked_cell(header: list[str], body: list[list[str]],
                concepts: list[tuple[Concept, float, frozenset[str]]]
                ) -> tuple[int, int] | None:
    """The one cell at the row and the column the question names, each by a word no
    other row or column name holds ("Price" and "Business" for "how much does the
    business plan cost"), if the question names exactly one of each and it has text."""
    rows = _named([cells[0] for cells in body], concepts)
    columns = _named(header[1:], concepts)
    if len(rows) != 1 or len(columns) != 1:
        return None
    row, column = rows[0], columns[0] + 1
    cells = body[row]
    return (row, column) if column < len(cells) and cells[column] else None


def _named(names: list[str], concepts: list[tuple[Concept, float, frozenset[str]]]
           ) -> list[int]:
    """The names that hold a word of the question that no other of `names` holds."""
    stems = [stems_of(name) for name in names]
    named: set[int] = set()
    for concept, _, _ in concepts:
        holding = [i for i, held in enumerate(stems) if credit(concept, held) > 0]
        if len(holding) == 1:
            named.add(holding[0])
    return sorted(named)


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
