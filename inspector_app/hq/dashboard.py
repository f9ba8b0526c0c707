"""Headquarters' whole-bank dashboard: the supervisor's figures (store.dashboard) over the
whole bank, a branch or a team, one row per officer, team or branch, counted in the database.

Each figure is one GROUP BY query over headquarters' tables: inspections overdue, due within
7 and in 8-30 days and the borrowers, from borrower_due (hq.due_cache, worked out again for
the borrowers marked since the last look); visits this month, submitted in the period with the
days from visit to submission, and returned in the period; open signals by category and by
age, by severity; borrowers by classification now, and the migration matrix over the period
from classification_moves (only borrowers that moved since the period began are looked at one
by one; the rest stayed where they are). The total is the rows' sum (the average weighted by
the submissions), so it is the same numbers. bench/hq_dashboard.py times it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from inspector_app.domain.dashboard import DueBucket, GroupBy
from inspector_app.domain.enums import Role
from inspector_app.hq.dashboard_sql import (
    OPEN,
    RETURNED,
    Ask,
    Officer,
    age_bucket,
    between,
    classification_now,
    classification_on,
    days_to_submit,
    group_key,
    month,
    moved_since,
    scope,
    submitted_in,
    utc_days,
)
from inspector_app.hq.db import Database
from inspector_app.hq.due_cache import refresh_stale
from inspector_app.hq.models import (
    Assignment,
    Borrower,
    BorrowerDue,
    Branch,
    Review,
    SignalEntry,
    User,
    Visit,
)
from inspector_app.wire import (
    ClassificationCount,
    Dashboard,
    DashboardRowFigures,
    MigrationCount,
    ScopeOption,
    SeverityCount,
)

_COUNTS = ("overdue", "within_7", "within_30", "borrowers", "visits_this_month", "submitted",
           "returns")


def borrowers_by_officer() -> Any:
    """Borrowers with their due row and officer, for the borrower figures and their rows."""
    return (select(Borrower.id).select_from(Borrower)
            .outerjoin(BorrowerDue, BorrowerDue.borrower_id == Borrower.id)
            .outerjoin(Assignment, Assignment.borrower_id == Borrower.id)
            .outerjoin(Officer, Officer.id == Assignment.officer_id))


def signals_by_officer() -> Any:
    return (select(SignalEntry.id).select_from(SignalEntry)
            .outerjoin(Assignment, Assignment.borrower_id == SignalEntry.borrower_id)
            .outerjoin(Officer, Officer.id == Assignment.officer_id))


def whole_bank_dashboard(db: Database, ask: Ask, branch: str | None = None,
                         team: str | None = None) -> Dashboard:
    """Every figure for ``ask`` (branch and team: the scope as asked, echoed back)."""
    refresh_stale(db)
    with db.read() as s:
        dialect = s.get_bind().dialect.name
        key = group_key(ask.group)
        where = scope(ask)
        figures: dict[str, dict[str, Any]] = defaultdict(dict)
        due = borrowers_by_officer().with_only_columns(
            key, *(func.count().filter(between(BorrowerDue.next_due_on, *b.bounds(ask.today)))
                   for b in DueBucket), func.count())
        for k, overdue, within_7, within_30, n in s.execute(due.where(*where).group_by(key)):
            figures[k].update(overdue=overdue, within_7=within_7, within_30=within_30,
                              borrowers=n)
        visits = select(key, func.count()).select_from(Visit).join(
            Officer, Officer.id == Visit.officer_id)
        for k, n in s.execute(visits.where(Visit.visit_date.between(*month(ask.today)), *where)
                              .group_by(key)):
            figures[k]["visits_this_month"] = n
        submitted = visits.add_columns(func.sum(days_to_submit(dialect)))
        for k, n, days in s.execute(submitted.where(submitted_in(ask.start, ask.end), *where)
                                    .group_by(key)):
            figures[k].update(submitted=n, days=float(days or 0))
        since, until = utc_days(ask.start, ask.end)
        returns = (select(key, func.count(func.distinct(Visit.id))).select_from(Review)
                   .join(Visit, Visit.id == Review.visit_id)
                   .join(Officer, Officer.id == Visit.officer_id)
                   .where(Review.decision == RETURNED, Review.decided_at >= since,
                          Review.decided_at < until, *where).group_by(key))
        for k, n in s.execute(returns):
            figures[k]["returns"] = n
        for k in _everyone(s, ask, key):
            figures.setdefault(k, {})
        rows = _named(s, ask.group, figures)
        return Dashboard(
            today=ask.today, start=ask.start, end=ask.end, group=ask.group.value,
            branch=branch, team=team, rows=rows, total=_total(rows),
            signals_by_category=_signals(s, ask, SignalEntry.category),
            signals_by_age=_signals(s, ask, age_bucket(ask.today)),
            classifications=[ClassificationCount(classification=c, count=n) for c, n in s.execute(
                borrowers_by_officer().with_only_columns(classification_now(), func.count())
                .where(*where).group_by(classification_now()))],
            migration=_migration(s, ask),
            options=_options(s, ask),
        )


def _everyone(s: Session, ask: Ask, key: Any) -> list[str]:
    """Every active officer's row (a row of zeros says something too)."""
    return list(s.scalars(select(key).select_from(Officer).where(
        Officer.role == Role.OFFICER, Officer.active, *scope(ask)).distinct()))


def _signals(s: Session, ask: Ask, by: Any) -> list[SeverityCount]:
    query = signals_by_officer().with_only_columns(by, SignalEntry.severity, func.count())
    return [SeverityCount(key=k, severity=sev, count=n) for k, sev, n in s.execute(
        query.where(OPEN, *scope(ask)).group_by(by, SignalEntry.severity))]


def _migration(s: Session, ask: Ask) -> list[MigrationCount]:
    """Borrowers by (classification on the first day, on the last): those that moved since
    the first day one by one, the others on the diagonal where they are now."""
    moved = Borrower.id.in_(moved_since(ask.start))
    before = classification_on(ask.start, before=True)
    after = classification_on(ask.end, before=False)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for a, b, n in s.execute(borrowers_by_officer().with_only_columns(before, after, func.count())
                             .where(moved, *scope(ask)).group_by(before, after)):
        counts[(a, b)] += n
    for c, n in s.execute(borrowers_by_officer().with_only_columns(classification_now(),
                                                                   func.count())
                          .where(not_(moved), *scope(ask)).group_by(classification_now())):
        counts[(c, c)] += n
    return [MigrationCount(start=a, end=b, count=n) for (a, b), n in sorted(counts.items())]


def _named(s: Session, group: GroupBy, figures: dict[str, dict[str, Any]]
           ) -> list[DashboardRowFigures]:
    users = {u.id: u for u in s.execute(select(User.id, User.display_name, User.supervisor_id,
                                               User.branch_id))}
    branches: dict[str, str] = dict(s.execute(select(Branch.id, Branch.name)).all())
    rows = []
    for key, f in figures.items():
        team = branch = ""
        if group is GroupBy.BRANCH:
            name = branches.get(key, "")
        else:
            user = users.get(key)
            name = user.display_name if user is not None else ""
            if user is not None:
                boss = users.get(user.supervisor_id) if group is GroupBy.OFFICER else None
                team = boss.display_name if boss is not None else ""
                branch = branches.get(user.branch_id or "", "")
        submitted = f.get("submitted", 0)
        rows.append(DashboardRowFigures(
            key=key, name=name, team=team, branch=branch,
            average_days_to_submit=f["days"] / submitted if submitted else None,
            **{c: f.get(c, 0) for c in _COUNTS}))
    return sorted(rows, key=lambda r: (-r.overdue, -r.borrowers, r.key == "", r.name, r.key))


def _total(rows: list[DashboardRowFigures]) -> DashboardRowFigures:
    counts = {c: sum(getattr(r, c) for r in rows) for c in _COUNTS}
    days = sum((r.average_days_to_submit or 0) * r.submitted for r in rows)
    return DashboardRowFigures(key="*", name="", **counts,
                               average_days_to_submit=days / counts["submitted"]
                               if counts["submitted"] else None)


def _options(s: Session, ask: Ask) -> list[ScopeOption]:
    """The branches and teams the caller may narrow to (within a scope: that scope's)."""
    branches = s.execute(select(Branch.code, Branch.name).order_by(Branch.code))
    teams = s.execute(select(User.username, User.display_name, User.branch_id)
                      .where(User.role == Role.SUPERVISOR, User.active)
                      .order_by(User.branch_id, User.display_name))
    options = [ScopeOption(kind="branch", key=code, name=name) for code, name in branches
               if ask.team_id is None]
    options += [ScopeOption(kind="team", key=username, name=name)
                for username, name, branch_id in teams
                if ask.branch_id in (None, branch_id) and ask.team_id is None]
    return options
