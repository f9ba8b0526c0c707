"""The dashboards' measures, one definition for the supervisor's laptop (store.dashboard) and
headquarters' whole-bank figures (hq.dashboard): when an inspection is due (DueBucket), how
old an open signal is (SignalAge), a workload measure (Workload), and what a bank-wide figure
is grouped by (GroupBy)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class DueBucket(StrEnum):
    """When a borrower's next inspection falls, seen from today; the buckets do not overlap."""

    OVERDUE = "overdue"  # before today
    WITHIN_7 = "within_7"  # today to today + 7
    WITHIN_30 = "within_30"  # today + 8 to today + 30

    def bounds(self, today: date) -> tuple[date | None, date | None]:
        """The first and last due date of the bucket (None: open-ended)."""
        if self is DueBucket.OVERDUE:
            return None, today - timedelta(days=1)
        if self is DueBucket.WITHIN_7:
            return today, today + timedelta(days=7)
        return today + timedelta(days=8), today + timedelta(days=30)


class SignalAge(StrEnum):
    """How long an open signal has been open, in days since it was raised."""

    UP_TO_30 = "0-30"
    UP_TO_90 = "31-90"
    UP_TO_180 = "91-180"
    OLDER = "181+"

    def bounds(self, today: date) -> tuple[date | None, date]:
        """The earliest and latest raised_on of the bucket (None: open-ended)."""
        youngest, oldest = _AGE_DAYS[self]
        earliest = None if oldest is None else today - timedelta(days=oldest)
        return earliest, today - timedelta(days=youngest)


_AGE_DAYS: dict[SignalAge, tuple[int, int | None]] = {
    SignalAge.UP_TO_30: (0, 30),
    SignalAge.UP_TO_90: (31, 90),
    SignalAge.UP_TO_180: (91, 180),
    SignalAge.OLDER: (181, None),
}


class Workload(StrEnum):
    """One measure of an officer's workload (a bar of the workload chart)."""

    BORROWERS = "borrowers"
    VISITS_THIS_MONTH = "visits_this_month"
    SUBMITTED = "submitted"  # visits submitted in the period (their average days)
    RETURNS = "returns"  # visits returned in the period


class GroupBy(StrEnum):
    """What the whole-bank dashboard's rows are: officers, teams (by supervisor) or branches
    (the officer's)."""

    OFFICER = "officer"
    TEAM = "team"
    BRANCH = "branch"
