"""Date windows used by plans and assessments. The caller always supplies the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of dates; ``end`` is ``None`` when open-ended."""

    start: date
    end: date | None


def day_offset(start: date, days: int) -> date:
    """The date ``days`` days after ``start`` (day 0 is ``start`` itself)."""
    return start + timedelta(days=days)


def window(start: date, first_day: int, last_day: int | None) -> DateWindow:
    """The window from day ``first_day`` to day ``last_day`` after ``start``."""
    end = None if last_day is None else day_offset(start, last_day)
    return DateWindow(day_offset(start, first_day), end)
