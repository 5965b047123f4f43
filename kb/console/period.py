"""The date range a console page reports on, read from what the owner typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
DAY_S = 86_400


class BadPeriod(ValueError):
    """Raised for a date range that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Period:
    """Whole days, UTC, from `first` to `last` included."""

    first: date
    last: date

    @property
    def start(self) -> float:
        return datetime(self.first.year, self.first.month, self.first.day,
                        tzinfo=UTC).timestamp()

    @property
    def end(self) -> float:
        return self.start + self.days * DAY_S

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def day(self, index: int) -> date:
        return self.first + timedelta(days=index)

    @classmethod
    def parse(cls, first: str | None, last: str | None, today: date | None = None) -> Period:
        today = today or datetime.now(UTC).date()
        end = _date(last, "end") if last else today
        start = _date(first, "start") if first else end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise BadPeriod("The start date comes after the end date; swap them.")
        if (end - start).days >= MAX_DAYS:
            raise BadPeriod("Choose a range of at most three years.")
        return cls(start, end)


def _date(text: str, which: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadPeriod(f"The {which} date “{text[:40]}” is not a date: write it as "
                        "year-month-day, for example 2026-11-01.") from None
