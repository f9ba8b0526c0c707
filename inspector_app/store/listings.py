"""The laptop's lists as export tables: the supervisor's visits and the due list.

A LocalStore part. The rows are the ones the screens show (LocalStore.review_queue with the
queue's filter, LocalStore.work_list with the work list's), every one of them rather than the
screen's first page, said through domain.listings so headquarters' export has the same
columns. ``inspector-app export visits`` takes every visit on this laptop instead of a
queue's tab.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select

from inspector_app.common.export_table import ExportTable
from inspector_app.common.progress import NO_PROGRESS, Progress
from inspector_app.domain.enums import Classification, Severity, VisitKind
from inspector_app.domain.listings import (
    DueListing,
    VisitListing,
    due_list_table,
    visits_table,
)
from inspector_app.store.models import Borrower, User, Visit
from inspector_app.store.portfolio import Portfolio, WorkFilter
from inspector_app.store.review_queue import (
    ReviewQueue,
    _chunks,
    _signal_count,
    _standing_reviews,
)
from inspector_app.store.review_rows import QueueFilter, QueueRow, ReviewRow
from inspector_app.store.rows import Actor, DueRow

# The screens show the first page; an export has every row the filter lets through.
EVERYTHING = 10_000_000


def _local_date(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone().date()


def visit_listing(row: QueueRow) -> VisitListing:
    """A row of the supervisor's queue as the export says it."""
    listing = VisitListing(
        officer=row.officer_name, borrower_code=row.borrower_code,
        borrower=row.borrower_name, kind=row.kind, visit_date=row.visit_date,
        revision=row.revision, status=row.status, submitted_on=_local_date(row.waiting_since),
        current=row.current, recommended=row.recommended, red_signals=row.red_signals,
        orange_signals=row.orange_signals,
    )
    decision = row.decision
    if decision is None:
        return listing
    return replace(listing, reviewer=decision.reviewer_name,
                   decided_on=_local_date(decision.decided_at),
                   final=decision.final_classification, review_comment=decision.comment)


def due_listing(row: DueRow) -> DueListing:
    """A line of the work list as the export says it."""
    return DueListing(
        borrower_code=row.code, borrower=row.name, industry=row.industry,
        classification=Classification(row.classification), open_signals=row.open_signals,
        outstanding_fen=row.outstanding_fen, last_visit=row.last_visit_on,
        next_due=row.next_due_on,
        kind=None if row.next_due_kind is None else VisitKind(row.next_due_kind),
        reason=row.next_due_reason, officer=row.officer,
    )


class Listings(ReviewQueue, Portfolio):
    """LocalStore's part that makes the export tables."""

    def visits_export(
        self,
        user: Actor | None,
        flt: QueueFilter | None,
        today: date,
        lang: str = "zh",
        progress: Progress = NO_PROGRESS,
    ) -> ExportTable:
        """The supervisor's queue as user filtered it (flt), every row; flt None: every visit
        on this laptop (the command line's), newest first."""
        progress.report(0, None)
        if flt is not None and user is not None:
            rows = self.review_queue(user, flt, today, limit=EVERYTHING)
        else:
            rows = self.all_visit_rows()
        progress.check()
        return visits_table([visit_listing(r) for r in rows], today, lang)

    def due_list_export(
        self,
        where: WorkFilter,
        *,
        officer_id: str | None,
        today: date,
        lang: str = "zh",
        progress: Progress = NO_PROGRESS,
    ) -> ExportTable:
        """The work list as filtered, every borrower (not the screen's first thousand)."""
        progress.report(0, None)
        rows = self.work_list(where, officer_id=officer_id, today=today)
        progress.check()
        return due_list_table([due_listing(r) for r in rows], today, lang)

    def all_visit_rows(self) -> list[QueueRow]:
        """Every visit on this laptop as a queue row (its decision, if any), newest first."""
        query = (
            select(
                Visit.id, Visit.borrower_id, Borrower.code, Borrower.name, Visit.officer_id,
                User.display_name, Visit.kind, Visit.status, Visit.visit_date,
                Visit.submitted_at, Visit.final_classification,
                Visit.recommended_classification, Borrower.classification,
                _signal_count(Severity.RED), _signal_count(Severity.ORANGE), Visit.revision,
                Visit.previous_revision_id,
            )
            .join(User, Visit.officer_id == User.id)
            .join(Borrower, Visit.borrower_id == Borrower.id)
            .order_by(Visit.visit_date.desc(), Borrower.code, Visit.revision.desc())
        )
        with self.read() as s:
            found = s.execute(query).all()
            decisions: dict[str, ReviewRow] = {}
            for chunk in _chunks([row[0] for row in found]):
                decisions.update(_standing_reviews(s, chunk))
        return [
            QueueRow(
                visit_id=visit_id, borrower_id=borrower_id, borrower_code=code,
                borrower_name=name, officer_id=officer_id, officer_name=officer_name,
                kind=kind, status=status, visit_date=visit_date, waiting_since=submitted,
                days_waiting=0, recommended=final or recommended, current=current,
                red_signals=reds, orange_signals=oranges, revision=revision,
                previous_revision_id=previous, decision=decisions.get(visit_id),
            )
            for (visit_id, borrower_id, code, name, officer_id, officer_name, kind, status,
                 visit_date, submitted, final, recommended, current, reds, oranges, revision,
                 previous) in found
        ]
