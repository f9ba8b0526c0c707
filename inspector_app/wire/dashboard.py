"""The whole-bank dashboard's wire models (administrators; a supervisor their own team).
Re-exported by inspector_app.wire.

    GET  /api/v1/dashboard?start=&end=[&today=&group=&branch=&team=]     -> Dashboard
        Every figure of the dashboard over the bank (or a branch, or a supervisor's team),
        one row per officer, team or branch (group), with the bank's (scope's) total.
    GET  /api/v1/dashboard/rows?chart=…[&key=&due=&…&offset=&limit=]     -> DashboardRows
        The borrowers, open signals or visits behind one bar or matrix cell, a page at a
        time (offset), with how many there are in all.

The measures (due buckets, signal ages, workload, grouping) are domain.dashboard's; the
classification, severity and category codes are domain.enums'.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class DashboardRowFigures(BaseModel):
    """One officer, team or branch (or the total): a row of the bar charts."""

    key: str  # the officer's or supervisor's user id, the branch's id; "" = none
    name: str  # the officer's or supervisor's name, the branch's name
    team: str = ""  # an officer's supervisor's name
    branch: str = ""  # an officer's or a team's branch name
    overdue: int = 0
    within_7: int = 0
    within_30: int = 0
    borrowers: int = 0
    visits_this_month: int = 0
    submitted: int = 0  # visits submitted in the period
    average_days_to_submit: float | None = None  # over those
    returns: int = 0  # visits returned in the period


class SeverityCount(BaseModel):
    """Open signals of one category (or age bucket) and severity."""

    key: str  # a SignalCategory code, or a SignalAge code
    severity: str
    count: int


class ClassificationCount(BaseModel):
    classification: str
    count: int


class MigrationCount(BaseModel):
    """Borrowers classified `start` on the period's first day and `end` on its last."""

    start: str
    end: str
    count: int


class ScopeOption(BaseModel):
    """A branch (by code) or a team (by its supervisor's username) to narrow the figures to."""

    kind: str  # "branch" or "team"
    key: str
    name: str


class Dashboard(BaseModel):
    """Every figure of the dashboard as of `today`; submissions, returns and the migration
    matrix over [start, end]."""

    today: date
    start: date
    end: date
    group: str  # "officer", "team" or "branch": what `rows` are
    branch: str | None = None  # the scope asked for (a branch code, a supervisor)
    team: str | None = None
    rows: list[DashboardRowFigures]
    total: DashboardRowFigures
    signals_by_category: list[SeverityCount]
    signals_by_age: list[SeverityCount]
    classifications: list[ClassificationCount]
    migration: list[MigrationCount]
    options: list[ScopeOption]  # what the caller may narrow to


class DashboardRow(BaseModel):
    """One borrower, open signal or visit behind a bar."""

    borrower_code: str
    borrower: str
    officer: str = ""  # "" for a borrower nobody is assigned to
    classification: str
    on: date | None = None  # next inspection, raised on, or the visit's date
    detail: str = ""  # a signal's title
    visit_id: str | None = None
    visit_kind: str | None = None
    visit_status: str | None = None
    days_to_submit: int | None = None


class DashboardRows(BaseModel):
    """A page of the rows behind a bar, from `offset`; `total` in all."""

    rows: list[DashboardRow]
    total: int
    offset: int
    next_offset: int | None = None
