"""The periods a supervisor compares over (the migration matrix, submissions, returns)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Period(StrEnum):
    THIS_MONTH = "this_month"
    THIS_QUARTER = "this_quarter"
    LAST_QUARTER = "last_quarter"
    THIS_YEAR = "this_year"

    def span(self, today: date) -> tuple[date, date]:
        """The first and last day of the period that contains (or, last quarter, precedes)
        today."""
        if self is Period.THIS_MONTH:
            return today.replace(day=1), _month_end(today.year, today.month)
        if self is Period.THIS_YEAR:
            return date(today.year, 1, 1), date(today.year, 12, 31)
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        if self is Period.LAST_QUARTER:
            start = (start - timedelta(days=1)).replace(day=1)
            start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        return start, _month_end(start.year, start.month + 2)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)
