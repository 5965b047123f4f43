"""Dates as articles write them: "2025-09-01T10:00:00Z" in a page's markup, "Nov 01, 2023"
in Confluence's "last modified on …", "November 1, 2023 3:04 PM" in Notion's properties.
"""

from __future__ import annotations

import datetime as dt
import re

WRITTEN = re.compile(r"^([A-Z][a-z]{2,8}) (\d{1,2}), (\d{4})\b")


def written_date(text: str) -> dt.date | None:
    """The date a text opens with (ISO, or a month's name, its day and year), else None."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = WRITTEN.match(text)
    if found is None:
        return None
    for month in ("%B", "%b"):
        try:
            return dt.datetime.strptime(" ".join(found.groups()), f"{month} %d %Y").date()
        except ValueError:
            continue
    return None
