"""The supervisor's dashboard as plain values: the figures of each chart, and which bar or
cell was clicked (a Drill) with the rows behind it (DrillRow). Made by store.dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from inspector_app.domain.enums import (
    Classification,
    Severity,
    SignalCategory,
    VisitKind,
    VisitStatus,
)

# The officer_id of borrowers nobody is assigned to (a bar of their own, not hidden).
UNASSIGNED = ""


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


@dataclass(frozen=True)
class OfficerDue:
    officer_id: str  # UNASSIGNED for borrowers without an officer
    officer: str
    overdue: int
    within_7: int
    within_30: int

    def count(self, bucket: DueBucket) -> int:
        return {DueBucket.OVERDUE: self.overdue, DueBucket.WITHIN_7: self.within_7,
                DueBucket.WITHIN_30: self.within_30}[bucket]


@dataclass(frozen=True)
class OfficerWorkload:
    officer_id: str
    officer: str
    borrowers: int
    visits_this_month: int
    submitted: int  # visits submitted in the period
    average_days_to_submit: float | None  # over those; None when there are none
    returns: int  # visits returned in the period


@dataclass(frozen=True)
class TeamDashboard:
    """Every figure of the supervisor's dashboard, as of ``today`` over [start, end]."""

    today: date
    start: date
    end: date
    due: list[OfficerDue]
    # Open (not cleared) signals by category and by age, each split by severity.
    signals_by_category: dict[tuple[SignalCategory, Severity], int]
    signals_by_age: dict[tuple[SignalAge, Severity], int]
    classifications: dict[Classification, int]  # borrowers by classification now
    # (classification at the start, at the end) -> borrowers
    migration: dict[tuple[Classification, Classification], int]
    workload: list[OfficerWorkload]


@dataclass(frozen=True)
class Drill:
    """A clicked bar or cell: which figure and its keys; the fields a chart does not use stay
    None. ``today``, ``start`` and ``end`` date it as the dashboard was dated."""

    chart: str  # "due", "signal_category", "signal_age", "classification", "migration",
    # "workload"
    today: date
    start: date | None = None
    end: date | None = None
    officer_id: str | None = None
    due: DueBucket | None = None
    category: SignalCategory | None = None
    age: SignalAge | None = None
    severity: Severity | None = None
    classification: Classification | None = None  # now, or at the start of the period
    to_classification: Classification | None = None  # at the end of the period
    workload: Workload | None = None


@dataclass(frozen=True)
class DrillRow:
    """One borrower, signal or visit behind a clicked bar."""

    borrower_id: str
    code: str
    name: str
    officer: str
    classification: Classification
    on: date | None = None  # next due date, raised on, or the visit's date
    detail: str = ""  # the signal's title
    visit_id: str | None = None
    visit_kind: VisitKind | None = None
    visit_status: VisitStatus | None = None
    days_to_submit: int | None = None

    @property
    def is_visit(self) -> bool:
        return self.visit_id is not None
