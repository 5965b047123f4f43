"""Dates as articles write them: "2025-09-01T10:00:00Z" in a page's markup, "Nov 01, 2023"
in Confluence's "last modified on …", "November 1, 2023 3:04 PM" in Notion's properties,
"Tue, 12 Mar, 2024 at 10:15 AM" in Freshdesk's "Modified on: …".
"""

from __future__ import annotations

import datetime as dt
import re

WRITTEN = re.compile(r"^([A-Z][a-z]{2,8}) (\d{1,2}), (\d{4})\b")
# The day first, after the day of the week or not: "Tue, 12 Mar, 2024", "3 May 2024".
DAY_FIRST = re.compile(r"^(?:[A-Z][a-z]{2,8},? )?(\d{1,2}) ([A-Z][a-z]{2,8}),? (\d{4})\b")


def written_date(text: str) -> dt.date | None:
    """The date a text opens with (ISO, or a month's name, its day and year, in either
    order), else None."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = WRITTEN.match(text)
    if found is not None:
        month, day, year = found.groups()
    elif (found := DAY_FIRST.match(text)) is not None:
        day, month, year = found.groups()
    else:
        return None
    for form in ("%B", "%b"):
        try:
            return dt.datetime.strptime(f"{month} {day} {year}", f"{form} %d %Y").date()
        except ValueError:
            continue
    return None
