"""The officer's work list: the due list with filters, and the officer's numbers at a glance.

A part of LocalStore (``store.work_list(...)``, ``store.officer_counts(...)``). Filters are
applied in SQL, so the list over 20,000 borrowers stays one indexed query and the GUI never
filters rows itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
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
from inspector_app.store.rows import DueRow

# "Due this week": the coming seven days, as the main window colours them.
DUE_SOON_DAYS = 7

# Visits the officer still has to sign: nothing on paper yet.
UNSIGNED = (VisitStatus.DRAFT, VisitStatus.COMPLETED)

# Borrower ids per IN list: far below SQLite's limit on bound parameters (999 before 3.32).
_CHUNK = 900


@dataclass(frozen=True)
class WorkFilter:
    """What the officer narrowed the work list to; the defaults show everything."""

    text: str = ""
    kind: VisitKind | None = None  # the kind of inspection due
    classification: Classification | None = None
    with_signals: bool = False  # only borrowers with open risk signals
    awaiting_review: bool = False  # only borrowers with a submitted visit not yet reviewed

    @property
    def narrowed(self) -> bool:
        """True if anything besides the search text is set."""
        return (self.kind is not None or self.classification is not None or self.with_signals
                or self.awaiting_review)


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
    ) -> list[DueRow]:
        """Borrowers by next due date (most overdue first), narrowed by ``where``."""
        query = (
            select(
                Borrower.id, Borrower.code, Borrower.name, Borrower.industry,
                Borrower.classification, Borrower.open_signals, Borrower.next_due_on,
                Borrower.next_due_kind, User.display_name,
            )
            .outerjoin(User, Borrower.officer_id == User.id)
            .order_by(Borrower.next_due_on.is_(None), Borrower.next_due_on, Borrower.name)
        )
        for condition in _conditions(where, officer_id):
            query = query.where(condition)
        if limit is not None:
            query = query.limit(limit)
        with self.read() as s:
            rows = [DueRow(*row) for row in s.execute(query)]
            returned = returned_visits(s, officer_id)
            owed = outstanding_by_borrower(s, [r.borrower_id for r in rows])
        return [replace(r, outstanding_fen=owed.get(r.borrower_id),
                        returned_visit_id=returned.get(r.borrower_id, (None, 0))[0],
                        returned_comments=returned.get(r.borrower_id, (None, 0))[1])
                for r in rows]

    def officer_counts(
        self, officer_id: str | None, today: date, *, soon_days: int = DUE_SOON_DAYS
    ) -> OfficerCounts:
        """Overdue, due within soon_days, unsigned visits and unsynced items of the officer
        (officer_id None: everyone's, as a supervisor sees them)."""
        mine = [] if officer_id is None else [Borrower.officer_id == officer_id]
        due = Borrower.next_due_on
        soon = today + timedelta(days=soon_days)
        borrowers = select(
            func.count(),
            func.count().filter(due < today),
            func.count().filter(due >= today, due <= soon),
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
    """Borrower id -> (its returned visit not yet revised, the return's item comments)."""
    revised = select(Visit.previous_revision_id).where(Visit.previous_revision_id.is_not(None))
    latest_return = (
        select(Review.id).where(Review.visit_id == Visit.id, Review.decision == "returned")
        .order_by(Review.decided_at.desc()).limit(1).scalar_subquery()
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
        query = query.where(Visit.officer_id == officer_id)
    if borrower_id is not None:
        query = query.where(Visit.borrower_id == borrower_id)
    return {borrower: (visit, n or 0) for borrower, visit, n in session.execute(query)}


def outstanding_by_borrower(session: Session, borrower_ids: Sequence[str]) -> dict[str, int]:
    """Borrower id -> its loans' balances by headquarters' repayment data; a borrower none of
    whose loans has any is left out. Read for the rows shown only, by the loans' index."""
    owed: dict[str, int] = {}
    for start in range(0, len(borrower_ids), _CHUNK):
        chunk = borrower_ids[start:start + _CHUNK]
        sums = session.execute(
            select(Loan.borrower_id, func.sum(Loan.outstanding_fen))
            .where(Loan.borrower_id.in_(chunk), Loan.repayment_as_of.is_not(None))
            .group_by(Loan.borrower_id))
        owed.update((borrower_id, int(total)) for borrower_id, total in sums)
    return owed


def _conditions(where: WorkFilter, officer_id: str | None) -> Iterator[Any]:
    if officer_id is not None:
        yield Borrower.officer_id == officer_id
    if where.kind is not None:
        yield Borrower.next_due_kind == where.kind
    if where.classification is not None:
        yield Borrower.classification == where.classification
    if where.with_signals:
        yield Borrower.open_signals > 0
    if where.awaiting_review:
        yield Borrower.id.in_(
            select(Visit.borrower_id).where(Visit.status == VisitStatus.SUBMITTED))
    needle = where.text.strip()
    if needle:
        pattern = f"%{_escape_like(needle)}%"
        yield or_(
            Borrower.name.like(pattern, escape="\\"),
            Borrower.code.like(pattern, escape="\\"),
            Borrower.id_number.like(pattern, escape="\\"),
            Borrower.industry.in_(_industries_matching(needle)),
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _industries_matching(text: str) -> list[str]:
    """Industry codes whose Chinese or English label contains text (search by industry name)."""
    low = text.lower()
    return [i.value for i in Industry if low in i.zh or low in i.en.lower() or low in i.value]
