"""What the whole-bank dashboard's figures (hq.dashboard) and the rows behind them
(hq.dashboard_drill) share: who asks for what (Ask), the grouping key and the scope as SQL,
and each measure's condition, so a bar of 6 opens a list of 6.

A borrower counts under its officer (the assignment), a visit under the officer who made it,
a signal under its borrower's officer; a team is the officer's supervisor, a branch the
officer's branch. A borrower nobody is assigned to is its own row ("" as key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, cast, func, literal_column, select
from sqlalchemy.orm import aliased

from inspector_app.domain.dashboard import GroupBy, SignalAge
from inspector_app.domain.enums import Classification, SignalStatus
from inspector_app.hq.models import (
    Borrower,
    BorrowerDue,
    ClassificationMove,
    SignalEntry,
    User,
    Visit,
)

RETURNED = "returned"  # Review.decision of a return

# Constants written into the SQL, not bound: PostgreSQL matches a grouped expression to the
# selected one by its text, and two bound parameters are two different texts.
NONE: ColumnElement[str] = literal_column("''")
NORMAL: ColumnElement[str] = literal_column(f"'{Classification.NORMAL.value}'")

# The officer a figure counts under (joined per query).
Officer = aliased(User, name="officer")


@dataclass(frozen=True)
class Ask:
    """The figures asked for: the day they are as of, the period, the rows' grouping, and the
    part of the bank (branch_id: one branch's officers; team_id: one supervisor's)."""

    today: date
    start: date
    end: date
    group: GroupBy = GroupBy.OFFICER
    branch_id: str | None = None
    team_id: str | None = None


def group_key(group: GroupBy) -> Any:
    column = {GroupBy.OFFICER: Officer.id, GroupBy.TEAM: Officer.supervisor_id,
              GroupBy.BRANCH: Officer.branch_id}[group]
    return func.coalesce(column, NONE)


def scope(ask: Ask) -> list[ColumnElement[bool]]:
    conditions = []
    if ask.branch_id is not None:
        conditions.append(Officer.branch_id == ask.branch_id)
    if ask.team_id is not None:
        conditions.append(Officer.supervisor_id == ask.team_id)
    return conditions


def between(column: Any, first: date | None, last: date | None) -> ColumnElement[bool]:
    conditions = []
    if first is not None:
        conditions.append(column >= first)
    if last is not None:
        conditions.append(column <= last)
    return and_(*conditions)


def month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def utc_days(first: date, last: date) -> tuple[datetime, datetime]:
    """[first, last] as the UTC moments [start of first, start of the day after last): the
    laptop's dashboard counts a submission on its UTC day too."""
    return (datetime.combine(first, time(), UTC),
            datetime.combine(last + timedelta(days=1), time(), UTC))


def submitted_in(first: date, last: date) -> ColumnElement[bool]:
    since, until = utc_days(first, last)
    return and_(Visit.submitted_at >= since, Visit.submitted_at < until)


def days_to_submit(dialect: str) -> Any:
    """Days from the visit's date to its submission's (UTC) day."""
    if dialect == "postgresql":
        return cast(Visit.submitted_at, Date) - Visit.visit_date
    return func.julianday(func.date(Visit.submitted_at)) - func.julianday(Visit.visit_date)


OPEN = SignalEntry.status != SignalStatus.CLEARED.value


def age_bucket(today: date) -> Any:
    """An open signal's SignalAge code, in SQL (one without a day counts as the oldest)."""
    whens = []
    for age in SignalAge:
        earliest, _latest = age.bounds(today)
        if earliest is not None:
            whens.append((SignalEntry.raised_on >= earliest, age.value))
    return case(*whens, else_=SignalAge.OLDER.value)


def classification_now() -> Any:
    """A borrower's classification now (borrower_due; normal until first worked out)."""
    return func.coalesce(BorrowerDue.classification, NORMAL)



def classification_on(day: date, *, before: bool) -> Any:
    """Each borrower's classification on ``day`` (at its start if ``before``, else at its
    end): what the first move after that moment moved from, else the classification now."""
    later = (ClassificationMove.moved_on >= day) if before else (ClassificationMove.moved_on > day)
    first_move = (
        select(ClassificationMove.from_classification)
        .where(ClassificationMove.borrower_id == Borrower.id, later)
        .order_by(ClassificationMove.moved_on, ClassificationMove.id)
        .limit(1).correlate(Borrower).scalar_subquery()
    )
    return func.coalesce(first_move, classification_now())


def moved_since(day: date) -> Any:
    """The borrowers with a move on or after ``day``: the only ones off the diagonal."""
    return select(ClassificationMove.borrower_id).where(ClassificationMove.moved_on >= day)
