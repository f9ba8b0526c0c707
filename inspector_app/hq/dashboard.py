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
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from inspector_app.common.export_table import ExportTable
from inspector_app.domain.dashboard import DueBucket, GroupBy
from inspector_app.domain.enums import Classification, Role
from inspector_app.domain.listings import migration_matrix_table
from inspector_app.hq.dashboard_sql import (
    OPEN,
    RETURNED,
    Ask,
    Officer,
    age_bucket,
    between,
    classification_now,
    days_to_submit,
    group_key,
    migration_cells,
    month,
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
        # One pass over the borrowers: each row's due buckets and borrowers, by classification
        # now (the classification chart, and the migration matrix's diagonal).
        now = classification_now()
        borrowers = (select(key, now, *(func.count().filter(
            between(BorrowerDue.next_due_on, *b.bounds(ask.today))) for b in DueBucket),
            func.count()).select_from(BorrowerDue)
            .outerjoin(Assignment, Assignment.borrower_id == BorrowerDue.borrower_id)
            .outerjoin(Officer, Officer.id == Assignment.officer_id)
            .where(*where).group_by(key, now))
        classes: dict[str, int] = defaultdict(int)
        for k, c, overdue, within_7, within_30, n in s.execute(borrowers):
            row = figures[k]
            for name, value in (("overdue", overdue), ("within_7", within_7),
                                ("within_30", within_30), ("borrowers", n)):
                row[name] = row.get(name, 0) + value
            classes[c] += n
        # One pass over the visits of this month or submitted in the period (two index ranges).
        this_month = Visit.visit_date.between(*month(ask.today))
        submitted = submitted_in(ask.start, ask.end)
        visits = (select(key, func.count().filter(this_month), func.count().filter(submitted),
                         func.sum(days_to_submit(dialect)).filter(submitted))
                  .select_from(Visit).join(Officer, Officer.id == Visit.officer_id)
                  .where(or_(this_month, submitted), *where).group_by(key))
        for k, n_month, n_submitted, days in s.execute(visits):
            figures[k].update(visits_this_month=n_month, submitted=n_submitted,
                              days=float(days or 0))
        since, until = utc_days(ask.start, ask.end)
        returns = (select(key, func.count()).select_from(Review)  # one review a visit
                   .join(Visit, Visit.id == Review.visit_id)
                   .join(Officer, Officer.id == Visit.officer_id)
                   .where(Review.decision == RETURNED, Review.decided_at >= since,
                          Review.decided_at < until, *where).group_by(key))
        for k, n in s.execute(returns):
            figures[k]["returns"] = n
        for k in _everyone(s, ask, key):
            figures.setdefault(k, {})
        rows = _named(s, ask.group, figures)
        signals = _signals(s, ask)
        return Dashboard(
            today=ask.today, start=ask.start, end=ask.end, group=ask.group.value,
            branch=branch, team=team, rows=rows, total=_total(rows),
            signals_by_category=signals[0], signals_by_age=signals[1],
            classifications=[ClassificationCount(classification=c, count=n)
                             for c, n in sorted(classes.items())],
            migration=_migration(s, ask, classes),
            options=_options(s, ask),
        )


def migration_table(db: Database, today: date, start: date, end: date, lang: str
                    ) -> ExportTable:
    """The whole bank's migration matrix over [start, end] as the export's table (`inspector-hq
    export matrix`): the counts the dashboard shows, with the laptops' rows, columns and
    totals."""
    board = whole_bank_dashboard(db, Ask(today, start, end))
    counts = {(Classification(m.start), Classification(m.end)): m.count
              for m in board.migration}
    return migration_matrix_table(counts, start, end, lang)


def _everyone(s: Session, ask: Ask, key: Any) -> list[str]:
    """Every active officer's row (a row of zeros says something too)."""
    return list(s.scalars(select(key).select_from(Officer).where(
        Officer.role == Role.OFFICER, Officer.active, *scope(ask)).distinct()))


def _signals(s: Session, ask: Ask) -> tuple[list[SeverityCount], list[SeverityCount]]:
    """Open signals by category and by age, each by severity: one pass over them."""
    age = age_bucket(ask.today)
    by_category: dict[tuple[str, str], int] = defaultdict(int)
    by_age: dict[tuple[str, str], int] = defaultdict(int)
    for category, a, severity, n in s.execute(
            signals_by_officer().with_only_columns(SignalEntry.category, age,
                                                   SignalEntry.severity, func.count())
            .where(OPEN, *scope(ask)).group_by(SignalEntry.category, age, SignalEntry.severity)):
        by_category[(category, severity)] += n
        by_age[(a, severity)] += n
    return ([SeverityCount(key=k, severity=sev, count=n) for (k, sev), n in by_category.items()],
            [SeverityCount(key=k, severity=sev, count=n) for (k, sev), n in by_age.items()])


def _migration(s: Session, ask: Ask, now: dict[str, int]) -> list[MigrationCount]:
    """Borrowers by (classification on the first day, on the last): those that moved since
    the first day as their moves say, the others (``now`` less the moved) where they are."""
    moved = migration_cells(ask).subquery()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    stayed = dict(now)
    for a, b, c, n in s.execute(select(moved.c.start, moved.c.end, moved.c.now, func.count())
                                .group_by(moved.c.start, moved.c.end, moved.c.now)):
        counts[(a, b)] += n
        stayed[c] = stayed.get(c, 0) - n
    for c, n in stayed.items():
        if n:
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
