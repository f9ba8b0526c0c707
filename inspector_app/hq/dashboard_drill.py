"""The borrowers, open signals or visits behind one bar or cell of the whole-bank dashboard,
a page at a time, with how many there are: the same conditions as the figure
(hq.dashboard_sql), so a bar of 6 opens a list of 6."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from inspector_app.domain.dashboard import DueBucket, SignalAge, Workload
from inspector_app.hq.dashboard import borrowers_by_officer, signals_by_officer
from inspector_app.hq.dashboard_sql import (
    OPEN,
    RETURNED,
    Ask,
    Officer,
    between,
    classification_now,
    days_to_submit,
    key_is,
    migration_cells,
    month,
    scope,
    submitted_in,
    utc_days,
)
from inspector_app.hq.db import Database
from inspector_app.hq.due_cache import refresh_stale
from inspector_app.hq.models import Borrower, BorrowerDue, Review, SignalEntry, Visit
from inspector_app.wire import DashboardRow, DashboardRows

CHARTS = ("due", "signal_category", "signal_age", "classification", "migration", "workload")


@dataclass(frozen=True)
class Bar:
    """A clicked bar or cell: the chart and its keys (those a chart does not use are None).
    ``key`` is a row of the grouping (an officer's, a supervisor's or a branch's id)."""

    chart: str
    key: str | None = None
    due: DueBucket | None = None
    category: str | None = None
    age: SignalAge | None = None
    severity: str | None = None
    classification: str | None = None  # now, or on the period's first day
    to_classification: str | None = None  # on its last day
    workload: Workload | None = None


def bar_rows(db: Database, ask: Ask, bar: Bar, offset: int, limit: int) -> DashboardRows:
    """Rows [offset, offset + limit) behind the bar, and how many in all."""
    refresh_stale(db)
    with db.read() as s:
        if bar.chart in ("signal_category", "signal_age"):
            query, make = _signal_rows(ask, bar)
        elif bar.chart == "workload" and bar.workload is not Workload.BORROWERS:
            query, make = _visit_rows(s, ask, bar)
        else:
            query, make = _borrower_rows(ask, bar)
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = [make(r) for r in s.execute(query.offset(offset).limit(limit))]
    following = offset + len(rows)
    return DashboardRows(rows=rows, total=total, offset=offset,
                         next_offset=following if following < total else None)


def _key(ask: Ask, bar: Bar) -> Iterator[Any]:
    if bar.key is not None:
        yield key_is(ask.group, bar.key)


def _borrower_rows(ask: Ask, bar: Bar) -> tuple[Any, Any]:
    conditions = [*scope(ask)]
    if bar.chart == "due" and bar.due is not None:
        conditions += [*_key(ask, bar), between(BorrowerDue.next_due_on,
                                                *bar.due.bounds(ask.today))]
    elif bar.chart == "classification":
        conditions.append(classification_now() == bar.classification)
    elif bar.chart == "migration":
        conditions.append(_in_cell(ask, bar))
    else:  # the workload's borrowers
        conditions += list(_key(ask, bar))
    query = (borrowers_by_officer().with_only_columns(
        Borrower.code, Borrower.name, Officer.display_name, classification_now(),
        BorrowerDue.next_due_on).where(*conditions)
        .order_by(BorrowerDue.next_due_on.is_(None), BorrowerDue.next_due_on, Borrower.name,
                  Borrower.id))

    def make(r: Any) -> DashboardRow:
        return DashboardRow(borrower_code=r[0], borrower=r[1], officer=r[2] or "",
                            classification=r[3], on=r[4])
    return query, make


def _in_cell(ask: Ask, bar: Bar) -> Any:
    """The borrowers of a matrix cell: those that moved since the period began as their
    moves say; on the diagonal also those that did not move and are there now."""
    moved = migration_cells(ask).subquery()
    cell = Borrower.id.in_(select(moved.c.borrower_id).where(
        moved.c.start == bar.classification, moved.c.end == bar.to_classification))
    if bar.classification != bar.to_classification:
        return cell
    return or_(cell, and_(classification_now() == bar.classification,
                          Borrower.id.not_in(select(moved.c.borrower_id))))


def _signal_rows(ask: Ask, bar: Bar) -> tuple[Any, Any]:
    conditions = [OPEN, *scope(ask)]
    if bar.severity is not None:
        conditions.append(SignalEntry.severity == bar.severity)
    if bar.category is not None:
        conditions.append(SignalEntry.category == bar.category)
    if bar.age is not None:
        earliest, latest = bar.age.bounds(ask.today)
        in_age = between(SignalEntry.raised_on, earliest, latest)
        # One without a day counts as the oldest, as in the figure.
        conditions.append(in_age | SignalEntry.raised_on.is_(None) if bar.age is SignalAge.OLDER
                          else in_age)
    query = (signals_by_officer().join(Borrower, Borrower.id == SignalEntry.borrower_id)
             .outerjoin(BorrowerDue, BorrowerDue.borrower_id == Borrower.id)
             .with_only_columns(Borrower.code, Borrower.name, Officer.display_name,
                                classification_now(), SignalEntry.raised_on, SignalEntry.title)
             .where(*conditions)
             .order_by(SignalEntry.raised_on, Borrower.name, SignalEntry.id))

    def make(r: Any) -> DashboardRow:
        return DashboardRow(borrower_code=r[0], borrower=r[1], officer=r[2] or "",
                            classification=r[3], on=r[4], detail=r[5] or "")
    return query, make


def _visit_rows(s: Session, ask: Ask, bar: Bar) -> tuple[Any, Any]:
    conditions = [*scope(ask), *_key(ask, bar)]
    if bar.workload is Workload.VISITS_THIS_MONTH:
        conditions.append(Visit.visit_date.between(*month(ask.today)))
    elif bar.workload is Workload.SUBMITTED:
        conditions.append(submitted_in(ask.start, ask.end))
    else:
        since, until = utc_days(ask.start, ask.end)
        conditions.append(Visit.id.in_(select(Review.visit_id).where(
            Review.decision == RETURNED, Review.decided_at >= since, Review.decided_at < until)))
    days = days_to_submit(s.get_bind().dialect.name)
    query = (select(Borrower.code, Borrower.name, Officer.display_name, classification_now(),
                    Visit.visit_date, Visit.id, Visit.payload["kind"].as_string(), Visit.status,
                    days)
             .select_from(Visit).join(Officer, Officer.id == Visit.officer_id)
             .join(Borrower, Borrower.id == Visit.borrower_id)
             .outerjoin(BorrowerDue, BorrowerDue.borrower_id == Borrower.id)
             .where(*conditions).order_by(Visit.visit_date, Borrower.name, Visit.id))

    def make(r: Any) -> DashboardRow:
        return DashboardRow(borrower_code=r[0], borrower=r[1], officer=r[2] or "",
                            classification=r[3], on=r[4], visit_id=r[5], visit_kind=r[6],
                            visit_status=r[7], days_to_submit=None if r[8] is None
                            else int(r[8]))
    return query, make
