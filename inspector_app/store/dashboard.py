"""The supervisor's dashboard from the team's data on this laptop (so it works offline).

A LocalStore part: ``team_dashboard(today, start, end)`` gives every figure, each one SQL
aggregate (GROUP BY, correlated first-move lookups), never a Python loop over the team's rows;
``drill(Drill)`` gives the borrowers, signals or visits behind one bar or matrix cell, with
the same conditions as the figure, so a bar of 6 opens a list of 6 (bench/dashboard.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from inspector_app.common.export_table import ExportTable
from inspector_app.common.progress import NO_PROGRESS, Progress
from inspector_app.domain.enums import Classification, Role, SignalStatus
from inspector_app.domain.listings import migration_matrix_table
from inspector_app.store.base import StoreBase
from inspector_app.store.dashboard_rows import (
    UNASSIGNED,
    Drill,
    DrillRow,
    DueBucket,
    OfficerDue,
    OfficerWorkload,
    SignalAge,
    TeamDashboard,
    Workload,
)
from inspector_app.store.models import (
    Borrower,
    ClassificationMove,
    Review,
    RiskSignal,
    User,
    Visit,
)

RETURNED = "returned"  # Review.decision of a return


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
    return func.coalesce(first_move, Borrower.classification)


def _officer_key(column: Any) -> Any:
    return func.coalesce(column, literal(UNASSIGNED))


def _between(column: Any, first: date | None, last: date | None) -> ColumnElement[bool]:
    conditions = []
    if first is not None:
        conditions.append(column >= first)
    if last is not None:
        conditions.append(column <= last)
    return and_(*conditions)


def _age_bucket(today: date) -> Any:
    """An open signal's SignalAge code, in SQL."""
    whens = []
    for age in SignalAge:
        earliest, _latest = age.bounds(today)
        if earliest is not None:
            whens.append((RiskSignal.raised_on >= earliest, age.value))
    return case(*whens, else_=SignalAge.OLDER.value)


def _month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


_OPEN = RiskSignal.status != SignalStatus.CLEARED
_SUBMITTED_ON = func.date(Visit.submitted_at)
_DAYS_TO_SUBMIT = func.julianday(_SUBMITTED_ON) - func.julianday(Visit.visit_date)


class TeamDashboards(StoreBase):
    """LocalStore's dashboard queries."""

    def team_dashboard(self, today: date, start: date, end: date) -> TeamDashboard:
        """Every figure of the dashboard as of ``today``; the migration matrix, the average
        days to submission and the returns over [start, end]."""
        with self.read() as s:
            names = self._officer_names(s)
            due_rows = s.execute(
                select(_officer_key(Borrower.officer_id),
                       *(func.count().filter(_between(Borrower.next_due_on, *b.bounds(today)))
                         for b in DueBucket))
                .group_by(_officer_key(Borrower.officer_id))
            ).all()
            by_category = s.execute(
                select(RiskSignal.category, RiskSignal.severity, func.count())
                .where(_OPEN).group_by(RiskSignal.category, RiskSignal.severity)).all()
            age = _age_bucket(today)
            by_age = s.execute(
                select(age, RiskSignal.severity, func.count()).where(_OPEN)
                .group_by(age, RiskSignal.severity)).all()
            classes = s.execute(select(Borrower.classification, func.count())
                                .group_by(Borrower.classification)).all()
            migration = _migration(s, start, end)
            workload = self._workload(s, names, today, start, end)
        due = [OfficerDue(key, names.get(key, key), *counts) for key, *counts in due_rows
               if any(counts)]
        return TeamDashboard(
            today=today, start=start, end=end,
            due=sorted(due, key=lambda d: (-d.overdue, d.officer)),
            signals_by_category={(c, sev): n for c, sev, n in by_category},
            signals_by_age={(SignalAge(a), sev): n for a, sev, n in by_age},
            classifications={c: n for c, n in classes},
            migration=migration,
            workload=workload,
        )

    def migration_export(self, start: date, end: date, lang: str = "zh",
                         progress: Progress = NO_PROGRESS) -> ExportTable:
        """The migration matrix over [start, end] as the dashboard shows it, as a table with
        totals and the period (the app's Export… and ``inspector-app export matrix``)."""
        progress.report(0, None)
        with self.read() as s:
            counts = _migration(s, start, end)
        progress.check()
        return migration_matrix_table(counts, start, end, lang)

    def drill(self, drill: Drill) -> list[DrillRow]:
        """The borrowers, open signals or visits behind one bar or cell of the dashboard."""
        if drill.chart in ("signal_category", "signal_age"):
            return self._signal_rows(drill)
        if drill.chart == "workload" and drill.workload is not Workload.BORROWERS:
            return self._visit_rows(drill)
        return self._borrower_rows(drill)

    # -- figures -------------------------------------------------------------------------------

    @staticmethod
    def _officer_names(s: Any) -> dict[str, str]:
        return {i: n for i, n in s.execute(select(User.id, User.display_name))}

    @staticmethod
    def _workload(s: Any, names: dict[str, str], today: date, start: date, end: date
                  ) -> list[OfficerWorkload]:
        month_first, month_last = _month(today)
        officer = _officer_key(Visit.officer_id)
        borrowers = dict(s.execute(
            select(_officer_key(Borrower.officer_id), func.count())
            .group_by(_officer_key(Borrower.officer_id))).all())
        visits = dict(s.execute(
            select(officer, func.count()).where(Visit.visit_date.between(month_first, month_last))
            .group_by(officer)).all())
        submitted = {k: (n, avg) for k, n, avg in s.execute(
            select(officer, func.count(), func.avg(_DAYS_TO_SUBMIT))
            .where(_SUBMITTED_ON.between(start, end)).group_by(officer))}
        returns = dict(s.execute(
            select(officer, func.count(func.distinct(Visit.id)))
            .join(Review, Review.visit_id == Visit.id)
            .where(*_returned_in(start, end)).group_by(officer)).all())
        officers = set(borrowers) | set(visits) | set(submitted) | set(returns)
        officers |= set(s.scalars(select(User.id).where(User.role == Role.OFFICER,
                                                        User.active)))
        rows = []
        for key in officers:  # one per officer, not per row
            n_submitted, average = submitted.get(key, (0, None))
            rows.append(OfficerWorkload(
                key, names.get(key, key), borrowers.get(key, 0), visits.get(key, 0),
                n_submitted, None if average is None else float(average), returns.get(key, 0)))
        return sorted(rows, key=lambda w: (-w.borrowers, w.officer))

    # -- what is behind a bar ------------------------------------------------------------------

    def _borrower_rows(self, drill: Drill) -> list[DrillRow]:
        officer = aliased(User)
        query = (select(Borrower.id, Borrower.code, Borrower.name, officer.display_name,
                        Borrower.classification, Borrower.next_due_on)
                 .outerjoin(officer, officer.id == Borrower.officer_id)
                 .where(*_borrower_conditions(drill))
                 .order_by(Borrower.next_due_on.is_(None), Borrower.next_due_on, Borrower.name))
        with self.read() as s:
            return [DrillRow(i, code, name, who or "", c, due)
                    for i, code, name, who, c, due in s.execute(query)]

    def _signal_rows(self, drill: Drill) -> list[DrillRow]:
        officer = aliased(User)
        query = (select(Borrower.id, Borrower.code, Borrower.name, officer.display_name,
                        Borrower.classification, RiskSignal.raised_on, RiskSignal.title)
                 .join(Borrower, Borrower.id == RiskSignal.borrower_id)
                 .outerjoin(officer, officer.id == Borrower.officer_id)
                 .where(_OPEN, *_signal_conditions(drill))
                 .order_by(RiskSignal.raised_on, Borrower.name))
        with self.read() as s:
            return [DrillRow(i, code, name, who or "", c, raised, title)
                    for i, code, name, who, c, raised, title in s.execute(query)]

    def _visit_rows(self, drill: Drill) -> list[DrillRow]:
        officer = aliased(User)
        query = (select(Borrower.id, Borrower.code, Borrower.name, officer.display_name,
                        Borrower.classification, Visit.visit_date, Visit.id, Visit.kind,
                        Visit.status, _DAYS_TO_SUBMIT)
                 .join(Borrower, Borrower.id == Visit.borrower_id)
                 .outerjoin(officer, officer.id == Visit.officer_id)
                 .where(*_visit_conditions(drill))
                 .order_by(Visit.visit_date, Borrower.name))
        with self.read() as s:
            return [DrillRow(i, code, name, who or "", c, on, visit_id=v, visit_kind=kind,
                             visit_status=status,
                             days_to_submit=None if days is None else int(days))
                    for i, code, name, who, c, on, v, kind, status, days in s.execute(query)]


def _migration(s: Any, start: date, end: date
               ) -> dict[tuple[Classification, Classification], int]:
    """(classification at the start, at the end) -> borrowers: the one query behind the
    matrix on screen and its export."""
    before, after = classification_on(start, before=True), classification_on(end, before=False)
    moves = s.execute(select(before, after, func.count()).group_by(before, after)).all()
    return {(Classification(a), Classification(b)): n for a, b, n in moves}


def _returned_in(start: date, end: date) -> list[ColumnElement[bool]]:
    return [Review.decision == RETURNED, Review.state != "draft",
            func.date(Review.decided_at).between(start, end)]


def _officer_is(column: Any, officer_id: str | None) -> Iterator[ColumnElement[bool]]:
    if officer_id is not None:
        yield column.is_(None) if officer_id == UNASSIGNED else column == officer_id


def _borrower_conditions(drill: Drill) -> Iterator[Any]:
    yield from _officer_is(Borrower.officer_id, drill.officer_id)
    if drill.chart == "due" and drill.due is not None:
        yield _between(Borrower.next_due_on, *drill.due.bounds(drill.today))
    elif drill.chart == "classification" and drill.classification is not None:
        yield Borrower.classification == drill.classification
    elif drill.chart == "migration":
        assert drill.start is not None and drill.end is not None
        yield classification_on(drill.start, before=True) == drill.classification
        yield classification_on(drill.end, before=False) == drill.to_classification


def _signal_conditions(drill: Drill) -> Iterator[Any]:
    if drill.severity is not None:
        yield RiskSignal.severity == drill.severity
    if drill.category is not None:
        yield RiskSignal.category == drill.category
    if drill.age is not None:
        yield _between(RiskSignal.raised_on, *drill.age.bounds(drill.today))


def _visit_conditions(drill: Drill) -> Iterator[Any]:
    yield from _officer_is(Visit.officer_id, drill.officer_id)
    if drill.workload is Workload.VISITS_THIS_MONTH:
        yield Visit.visit_date.between(*_month(drill.today))
    elif drill.workload is Workload.SUBMITTED:
        assert drill.start is not None and drill.end is not None
        yield _SUBMITTED_ON.between(drill.start, drill.end)
    elif drill.workload is Workload.RETURNS:
        assert drill.start is not None and drill.end is not None
        yield Visit.id.in_(select(Review.visit_id).where(*_returned_in(drill.start, drill.end)))
