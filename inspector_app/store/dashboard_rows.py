"""The dashboard as plain values: the figures of each chart, and which bar or cell was clicked
(a Drill) with the rows behind it (DrillRow). Made by store.dashboard for the supervisor's
team, and from headquarters' answer (sync.dashboard_reader) for the whole bank, where a row
of the charts may be a team or a branch (Scope) rather than an officer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The measures are the domain's (headquarters counts with the same ones); found here too.
from inspector_app.domain.dashboard import DueBucket as DueBucket
from inspector_app.domain.dashboard import GroupBy as GroupBy
from inspector_app.domain.dashboard import SignalAge as SignalAge
from inspector_app.domain.dashboard import Workload as Workload
from inspector_app.domain.enums import (
    Classification,
    Severity,
    SignalCategory,
    VisitKind,
    VisitStatus,
)

# The officer_id of borrowers nobody is assigned to (a bar of their own, not hidden).
UNASSIGNED = ""


@dataclass(frozen=True)
class Scope:
    """Which part of the bank the figures cover and what their rows are. The supervisor's
    laptop has its team only (the defaults); headquarters narrows to a branch or a team."""

    group: GroupBy = GroupBy.OFFICER
    branch: str | None = None  # a branch's code: only the officers of that branch
    team: str | None = None  # a supervisor's username: only their team


@dataclass(frozen=True)
class ScopeChoice:
    """A branch or a team an administrator may narrow the figures to."""

    kind: str  # "branch" or "team"
    key: str  # the branch's code, the supervisor's username
    name: str


@dataclass(frozen=True)
class OfficerDue:
    officer_id: str  # UNASSIGNED for borrowers without an officer
    officer: str
    overdue: int
    within_7: int
    within_30: int
    team: str = ""  # the officer's supervisor, or a team's branch (headquarters' figures)
    branch: str = ""

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
    team: str = ""
    branch: str = ""


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
    scope: Scope = field(default_factory=Scope)
    # What the figures may be narrowed to (headquarters' branches and teams).
    choices: tuple[ScopeChoice, ...] = ()


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
    scope: Scope = field(default_factory=Scope)  # officer_id is then a row of that grouping


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


@dataclass(frozen=True)
class DrillPage:
    """Some of the rows behind a bar, from ``offset``; ``total`` of them in all."""

    rows: list[DrillRow]
    total: int
    offset: int = 0

    @property
    def more(self) -> bool:
        return self.offset + len(self.rows) < self.total
