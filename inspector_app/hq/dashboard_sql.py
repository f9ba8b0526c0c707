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
    Assignment,
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



def first_moves(day: date, *, before: bool) -> Any:
    """(borrower_id, classification): for each borrower that moved after the moment (the
    start of ``day`` if ``before``, else its end), what its first move after it moved from,
    i.e. its classification at that moment. Set-based (the first day, then the first id of
    that day), so the whole bank's moves are two grouped scans, not a lookup per borrower."""
    later = (ClassificationMove.moved_on >= day) if before else (ClassificationMove.moved_on > day)
    first_day = (select(ClassificationMove.borrower_id, func.min(ClassificationMove.moved_on)
                        .label("on")).where(later).group_by(ClassificationMove.borrower_id)
                 .subquery())
    move = aliased(ClassificationMove)
    first = (select(move.borrower_id, func.min(move.id).label("id"))
             .join(first_day, and_(first_day.c.borrower_id == move.borrower_id,
                                   first_day.c.on == move.moved_on))
             .group_by(move.borrower_id).subquery())
    found = aliased(ClassificationMove)
    return (select(first.c.borrower_id, found.from_classification.label("classification"))
            .join(found, found.id == first.c.id).subquery())


def migration_cells(ask: Ask) -> Any:
    """(borrower_id, start, end, now) of every borrower that moved since the period began,
    with the officer joined for the scope: the only borrowers off the diagonal, and the
    diagonal's correction."""
    start, end = first_moves(ask.start, before=True), first_moves(ask.end, before=False)
    now = classification_now()
    return (select(start.c.borrower_id, start.c.classification.label("start"),
                   func.coalesce(end.c.classification, now).label("end"), now.label("now"))
            .select_from(start)
            .outerjoin(BorrowerDue, BorrowerDue.borrower_id == start.c.borrower_id)
            .outerjoin(end, end.c.borrower_id == start.c.borrower_id)
            .outerjoin(Assignment, Assignment.borrower_id == start.c.borrower_id)
            .outerjoin(Officer, Officer.id == Assignment.officer_id)
            .where(*scope(ask)))


def key_is(group: GroupBy, key: str) -> ColumnElement[bool]:
    """group_key(group) == key, as a condition an index can serve."""
    column = {GroupBy.OFFICER: Officer.id, GroupBy.TEAM: Officer.supervisor_id,
              GroupBy.BRANCH: Officer.branch_id}[group]
    return column == key if key else column.is_(None)
