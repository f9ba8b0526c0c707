"""The officer's work list: the due list with filters, and the officer's numbers at a glance.

A part of LocalStore (``store.work_list(...)``, ``store.officer_counts(...)``). Filters are
applied in SQL, so the list over 20,000 borrowers stays one indexed query and the GUI never
filters rows itself. The numbers and the filters that narrow the list to them share their
conditions, so "逾期 6" clicked shows six borrowers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from inspector_app.domain.enums import Classification, Industry, VisitKind, VisitStatus
from inspector_app.store import outbox
from inspector_app.store.base import StoreBase
from inspector_app.store.models import (
    Borrower,
    Loan,
    OutboxEntry,
    Review,
    ReviewComment,
    User,
    Visit,
)
from inspector_app.store.related_parties import related_notices
from inspector_app.store.rows import DueRow
from inspector_app.store.schedule_cache import STORED_REASON
from inspector_app.store.search_key import pinyin_needle

# "Due this week": the coming seven days, as the main window colours them.
DUE_SOON_DAYS = 7

# Visits the officer still has to sign: nothing on paper yet.
UNSIGNED = (VisitStatus.DRAFT, VisitStatus.COMPLETED)

# The list's order: most overdue first, no due date last (ix_borrowers_work_list). The code
# (unique, and next in that index) settles ties, so page after page never skips or repeats.
_DUE_ORDER = (Borrower.next_due_on.is_(None), Borrower.next_due_on, Borrower.name,
              Borrower.code)
_PAGE_COLUMNS = ("id", "code", "name", "industry", "classification", "open_signals",
                 "next_due_on", "next_due_kind", "next_due_reason")


class DueWindow(StrEnum):
    """When the next inspection is due, as the officer's numbers count it."""

    OVERDUE = "overdue"  # before today
    THIS_WEEK = "this_week"  # today or within DUE_SOON_DAYS


@dataclass(frozen=True)
class WorkFilter:
    """What the officer narrowed the work list to; the defaults show everything."""

    text: str = ""
    kind: VisitKind | None = None  # the kind of inspection due
    classification: Classification | None = None
    with_signals: bool = False  # only borrowers with open risk signals
    awaiting_review: bool = False  # only borrowers with a submitted visit not yet reviewed
    due: DueWindow | None = None  # only borrowers overdue, or due this week
    unsigned: bool = False  # only borrowers with a visit in draft or completed, not signed

    @property
    def narrowed(self) -> bool:
        """True if anything besides the search text is set."""
        return (self.kind is not None or self.classification is not None or self.with_signals
                or self.awaiting_review or self.due is not None or self.unsigned)


@dataclass(frozen=True)
class OfficerCounts:
    """The officer's numbers at a glance, over the whole portfolio (not the filtered list)."""

    overdue: int
    due_this_week: int
    unsigned_visits: int  # drafts and completed visits not yet signed
    unsynced: int  # visits and files headquarters has not confirmed yet
    borrowers: int
    # Submitted visits no supervisor has decided on: a supervisor's queue (the team's, synced
    # down), an officer's visits waiting for a decision.
    awaiting_review: int = 0


class Portfolio(StoreBase):
    """LocalStore's work-list queries."""

    def work_list(
        self,
        where: WorkFilter = WorkFilter(),
        *,
        officer_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        today: date | None = None,
    ) -> list[DueRow]:
        """Borrowers by next due date (most overdue first), narrowed by ``where``; today
        dates a DueWindow filter (default: the system's date). limit and offset page it."""
        page = select(
            Borrower.id, Borrower.code, Borrower.name, Borrower.industry,
            Borrower.classification, Borrower.open_signals, Borrower.next_due_on,
            Borrower.next_due_kind, Borrower.officer_id,
            STORED_REASON.label("next_due_reason"),
        ).order_by(*_DUE_ORDER)
        for condition in _conditions(where, officer_id, today or date.today()):
            page = page.where(condition)
        if limit is not None:
            page = page.limit(limit)
        if offset:
            page = page.offset(offset)
        # The page's own columns, then what is worked out for its rows alone: in the list
        # query itself SQLite would work them out for all 20,000 borrowers before sorting.
        shown = page.subquery()
        query = (
            select(*[shown.c[name] for name in _PAGE_COLUMNS], User.display_name,
                   *_extras(shown.c.id))
            .outerjoin(User, shown.c.officer_id == User.id)
            .order_by(shown.c.next_due_on.is_(None), shown.c.next_due_on, shown.c.name,
                      shown.c.code)
        )
        with self.read() as s:
            found = s.execute(query).all()
            returned = returned_visits(s, officer_id)
            # The page's borrowers only: a link is rare, and one indexed query finds them.
            related = related_notices(s, (row[0] for row in found))
        rows = []
        for (borrower_id, code, name, industry, classification, open_signals, due_on,
             due_kind, reason, officer, outstanding_fen, last_visit_on, open_visit) in found:
            visit, comments = returned.get(borrower_id, (None, 0))
            rows.append(DueRow(
                borrower_id=borrower_id, code=code, name=name, industry=industry,
                classification=classification, open_signals=open_signals, next_due_on=due_on,
                next_due_kind=due_kind, officer=officer, returned_visit_id=visit,
                returned_comments=comments, outstanding_fen=outstanding_fen,
                last_visit_on=last_visit_on, open_visit=open_visit, next_due_reason_json=reason,
                related=related.get(borrower_id, ()),
            ))
        return rows

    def work_list_count(
        self, where: WorkFilter = WorkFilter(), *, officer_id: str | None = None,
        today: date | None = None,
    ) -> int:
        """How many borrowers work_list would list with no limit."""
        query = select(func.count()).select_from(Borrower)
        for condition in _conditions(where, officer_id, today or date.today()):
            query = query.where(condition)
        with self.read() as s:
            return s.scalar(query) or 0

    def officer_counts(
        self, officer_id: str | None, today: date, *, soon_days: int = DUE_SOON_DAYS
    ) -> OfficerCounts:
        """Overdue, due within soon_days, unsigned visits and unsynced items of the officer
        (officer_id None: everyone's, as a supervisor sees them)."""
        mine = [] if officer_id is None else [Borrower.officer_id == officer_id]
        borrowers = select(
            func.count(),
            func.count().filter(due_within(DueWindow.OVERDUE, today, soon_days)),
            func.count().filter(due_within(DueWindow.THIS_WEEK, today, soon_days)),
        ).where(*mine)
        visits = select(
            func.count().filter(Visit.status.in_(UNSIGNED)),
            func.count().filter(Visit.status == VisitStatus.SUBMITTED),
        ).select_from(Visit)
        if officer_id is not None:
            visits = visits.where(Visit.officer_id == officer_id)
        with self.read() as s:
            total, overdue, due_soon = s.execute(borrowers).one()
            unsigned, awaiting = s.execute(visits).one()
            # Counted in SQL: after a day offline the outbox holds hundreds of photos.
            unsynced = s.scalar(
                select(func.count()).select_from(OutboxEntry)
                .where(OutboxEntry.entity.in_((outbox.VISIT, outbox.BLOB)))
            ) or 0
        return OfficerCounts(overdue, due_soon, unsigned or 0, unsynced, total, awaiting or 0)


def returned_visits(
    session: Session, officer_id: str | None, borrower_id: str | None = None
) -> dict[str, tuple[str, int]]:
    """Borrower id -> (its returned visit not yet revised, the return's item comments), of
    the borrowers ``officer_id`` looks after (a visit signed by the officer who handed them
    over included: it is theirs to revise now)."""
    revised = select(Visit.previous_revision_id).where(Visit.previous_revision_id.is_not(None))
    # Correlated to the outer visit by name: nested one level deeper than SQLAlchemy's
    # automatic correlation reaches, it counted the comments of the latest return of any visit.
    latest_return = (
        select(Review.id).where(Review.visit_id == Visit.id, Review.decision == "returned")
        .order_by(Review.decided_at.desc()).limit(1).correlate(Visit).scalar_subquery()
    )
    comments = (
        select(func.count()).select_from(ReviewComment)
        .where(ReviewComment.review_id == latest_return).scalar_subquery()
    )
    query = (
        select(Visit.borrower_id, Visit.id, comments)
        .where(Visit.status == VisitStatus.RETURNED, Visit.id.not_in(revised))
        .order_by(Visit.visit_date, Visit.created_at)  # the newest last, so it wins
    )
    if officer_id is not None:
        query = query.where(Visit.borrower_id.in_(
            select(Borrower.id).where(Borrower.officer_id == officer_id)))
    if borrower_id is not None:
        query = query.where(Visit.borrower_id == borrower_id)
    return {borrower: (visit, n or 0) for borrower, visit, n in session.execute(query)}


def due_within(window: DueWindow, today: date, soon_days: int = DUE_SOON_DAYS
               ) -> ColumnElement[bool]:
    """The borrowers whose next inspection falls in window, seen from today."""
    due = Borrower.next_due_on
    if window is DueWindow.OVERDUE:
        return due < today
    return due.between(today, today + timedelta(days=soon_days))


def _extras(borrower_id: Any) -> tuple[Any, Any, Any]:
    """Per borrower shown: its loans' balances by headquarters' repayment data (NULL while no
    loan of the borrower has any), its last visit on record and the status of its visit not
    signed yet."""
    outstanding = (select(func.sum(Loan.outstanding_fen))
                   .where(Loan.borrower_id == borrower_id, Loan.repayment_as_of.is_not(None))
                   .scalar_subquery())
    # As the schedule counts it (schedule_cache): a visit on record, whatever its status now.
    last_visit = (select(func.max(Visit.visit_date))
                  .where(Visit.borrower_id == borrower_id, Visit.status != VisitStatus.DRAFT)
                  .scalar_subquery())
    unsigned = (select(Visit.status)
                .where(Visit.borrower_id == borrower_id, Visit.status.in_(UNSIGNED))
                .order_by((Visit.status == VisitStatus.DRAFT).desc(), Visit.created_at.desc())
                .limit(1).scalar_subquery())  # the draft first: the most pressing
    return outstanding, last_visit, unsigned


def _conditions(where: WorkFilter, officer_id: str | None, today: date) -> Iterator[Any]:
    if officer_id is not None:
        yield Borrower.officer_id == officer_id
    if where.kind is not None:
        yield Borrower.next_due_kind == where.kind
    if where.classification is not None:
        yield Borrower.classification == where.classification
    if where.with_signals:
        yield Borrower.open_signals > 0
    if where.due is not None:
        yield due_within(where.due, today)
    if where.awaiting_review:
        yield Borrower.id.in_(
            select(Visit.borrower_id).where(Visit.status == VisitStatus.SUBMITTED))
    if where.unsigned:
        mine = [] if officer_id is None else [Visit.officer_id == officer_id]
        yield Borrower.id.in_(
            select(Visit.borrower_id).where(Visit.status.in_(UNSIGNED), *mine))
    needle = where.text.strip()
    if needle:
        pattern = f"%{_escape_like(needle)}%"
        matches = [
            Borrower.name.like(pattern, escape="\\"),
            Borrower.code.like(pattern, escape="\\"),
            Borrower.id_number.like(pattern, escape="\\"),
            Borrower.industry.in_(_industries_matching(needle)),
        ]
        pinyin = pinyin_needle(needle)
        if pinyin is not None:  # "zjdy": letters and digits only, nothing to escape
            matches.append(Borrower.search_key.like(f"%{pinyin}%"))
        yield or_(*matches)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _industries_matching(text: str) -> list[str]:
    """Industry codes whose Chinese or English label contains text (search by industry name)."""
    low = text.lower()
    return [i.value for i in Industry if low in i.zh or low in i.en.lower() or low in i.value]
