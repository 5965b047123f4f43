"""Charts as SVG markup built on the server, and the same data as CSV.

Every chart is drawn from a `Table` (a label column, then number columns), which the page
also shows beside the chart and offers as CSV: the figures are never only in a picture.
Only presentation attributes are used (no inline styles), so the pages pass the site's
Content-Security-Policy.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html import escape

COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b"]
WIDTH, BAR_ROW, LEFT = 640, 22, 170


@dataclass
class Table:
    """A titled table: `headers[0]` labels the rows, the other columns are numbers."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return out.getvalue()


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bars(table: Table, columns: list[int] | None = None, stacked: bool = True,
         max_rows: int = 40) -> str:
    """Horizontal bars, one row per table row; several columns stacked or side by side."""
    columns = columns or list(range(1, len(table.headers)))
    rows = table.rows[:max_rows]
    per_row = BAR_ROW if stacked else BAR_ROW * len(columns) // 2 + 8
    height = 34 + per_row * max(len(rows), 1)
    totals = [sum(_num(r[c]) for c in columns) if stacked else max(
        (_num(r[c]) for c in columns), default=0) for r in rows]
    top = max(totals, default=0) or 1.0
    span = WIDTH - LEFT - 60
    parts = [f'<svg class="chart chart-bars" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'role="img" aria-label="{escape(table.title)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, column in enumerate(columns):  # legend
        lx = LEFT + i * 150
        parts.append(f'<rect x="{lx}" y="4" width="12" height="12" '
                     f'fill="{COLORS[i % len(COLORS)]}"/><text x="{lx + 16}" y="15" '
                     f'font-size="12" fill="currentColor">{escape(table.headers[column])}'
                     '</text>')
    for n, row in enumerate(rows):
        y = 26 + n * per_row
        label = str(row[0])
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text x="{LEFT - 6}" y="{y + 14}" font-size="12" text-anchor="end" '
                     f'fill="currentColor"><title>{escape(label)}</title>{escape(short)}'
                     '</text>')
        x = float(LEFT)
        for i, column in enumerate(columns):
            value = _num(row[column])
            w = span * value / top
            bar_y = y + 2 if stacked else y + 2 + i * (BAR_ROW // 2)
            bar_h = BAR_ROW - 6 if stacked else BAR_ROW // 2 - 2
            parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                         f'fill="{COLORS[i % len(COLORS)]}"><title>{escape(label)}: '
                         f'{escape(table.headers[column])} {_fmt(value)}</title></rect>')
            if stacked:
                x += w
            else:
                parts.append(f'<text x="{LEFT + w + 4:.1f}" y="{bar_y + bar_h - 1}" '
                             f'font-size="10" fill="currentColor">{_fmt(value)}</text>')
        if stacked:
            parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="11" '
                         f'fill="currentColor">{_fmt(totals[n])}</text>')
    if not rows:
        parts.append(f'<text x="{LEFT}" y="44" font-size="13" fill="currentColor">'
                     'Nothing recorded in this period.</text>')
    parts.append("</svg>")
    return "".join(parts)


def columns_over_time(table: Table, columns: list[int] | None = None) -> str:
    """Vertical bars per day (stacked), for a table whose rows are days."""
    columns = columns or list(range(1, len(table.headers)))
    rows = table.rows
    height, bottom, left = 220, 190, 40
    n = max(len(rows), 1)
    step = (WIDTH - left - 10) / n
    totals = [sum(_num(r[c]) for c in columns) for r in rows]
    top = max(totals, default=0) or 1.0
    parts = [f'<svg class="chart chart-days" viewBox="0 0 {WIDTH} {height}" width="100%" '
             'role="img" '
             f'aria-label="{escape(table.title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" '
             'stroke="currentColor" stroke-width="0.5"/>',
             f'<text x="{left - 4}" y="30" font-size="11" text-anchor="end" '
             f'fill="currentColor">{_fmt(top)}</text>',
             f'<text x="{left - 4}" y="{bottom}" font-size="11" text-anchor="end" '
             'fill="currentColor">0</text>']
    for i, column in enumerate(columns):
        lx = left + i * 150
        parts.append(f'<rect x="{lx}" y="4" width="12" height="12" '
                     f'fill="{COLORS[i % len(COLORS)]}"/><text x="{lx + 16}" y="15" '
                     f'font-size="12" fill="currentColor">{escape(table.headers[column])}'
                     '</text>')
    for k, row in enumerate(rows):
        y = float(bottom)
        for i, column in enumerate(columns):
            h = (bottom - 30) * _num(row[column]) / top
            y -= h
            parts.append(f'<rect x="{left + k * step + 1:.1f}" y="{y:.1f}" '
                         f'width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                         f'fill="{COLORS[i % len(COLORS)]}"><title>{escape(str(row[0]))}: '
                         f'{escape(table.headers[column])} {_fmt(_num(row[column]))}</title>'
                         '</rect>')
    if rows:
        for k in sorted({0, len(rows) - 1}):
            anchor = "start" if k == 0 else "end"
            tx = left + k * step + (0 if k == 0 else step)
            parts.append(f'<text x="{tx:.1f}" y="{bottom + 16}" font-size="11" '
                         f'text-anchor="{anchor}" fill="currentColor">'
                         f'{escape(str(rows[k][0]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
