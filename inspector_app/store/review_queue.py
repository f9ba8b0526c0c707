"""The supervisor's review queue: the team's visits waiting for a decision, and those decided.

A LocalStore mixin kept apart from store.review (decisions, comments, history) because the
queue is its own piece of work: one SQL statement per tab, ordered and filtered in the
database so a laptop with 20,000 team visits answers in well under 100 ms
(bench/review_queue.py).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from inspector_app.common.sqltypes import UTCDateTime
from inspector_app.domain.enums import (
    Classification,
    Severity,
    SignalStatus,
    VisitStatus,
)
from inspector_app.store.models import (
    Borrower,
    Review,
    ReviewComment,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.portfolio import _escape_like
from inspector_app.store.review import DRAFT
from inspector_app.store.review_rows import (
    ClassificationChange,
    QueueFilter,
    QueueRow,
    QueueTab,
    ReviewCommentRow,
    ReviewRow,
    ReviewState,
)
from inspector_app.store.rows import Actor, UserRow
from inspector_app.store.visit_lifecycle import VisitLifecycle


def _rank(column: Any) -> Any:
    """A classification column's rank (0 normal ... 4 loss) in SQL."""
    return case({c.value: c.rank for c in Classification}, value=column, else_=None)


def _signal_count(severity: Severity) -> Any:
    """How many open signals of this severity the visit raised (a correlated count)."""
    return (
        select(func.count()).select_from(RiskSignal)
        .where(RiskSignal.visit_id == Visit.id, RiskSignal.severity == severity,
               RiskSignal.status != SignalStatus.CLEARED)
        .scalar_subquery()
    )


def _has_signal(*severities: Severity) -> Any:
    """The visit raised an open signal of one of these severities (an indexed EXISTS)."""
    return (
        select(RiskSignal.id)
        .where(RiskSignal.visit_id == Visit.id, RiskSignal.severity.in_(severities),
               RiskSignal.status != SignalStatus.CLEARED)
        .exists()
    )


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    return (ids[i:i + size] for i in range(0, len(ids), size))


def _standing_reviews(session: Session, visit_ids: list[str]) -> dict[str, ReviewRow]:
    """The decision that stands (or waits) on each of the visits that has one, read with
    two plain queries (no ORM objects: a page of the queue holds 500 of them)."""
    found: dict[str, ReviewRow] = {}
    columns = (
        Review.id, Review.visit_id, Review.reviewer_id, Review.reviewer_name, Review.decision,
        Review.comment, Review.final_classification, Review.classification_reason,
        Review.decided_at, Review.updated_at, Review.state, Review.conflict,
    )
    for chunk in _chunks(visit_ids):
        rows = session.execute(
            select(*columns).where(Review.visit_id.in_(chunk), Review.decision != DRAFT)
            # A decision headquarters refused last, so it wins as in standing_review.
            .order_by((Review.state == ReviewState.CONFLICT.value), Review.decided_at,
                      Review.created_at)).all()
        comments: dict[str, list[ReviewCommentRow]] = {}
        for review_id, target, ref, text in session.execute(
                select(ReviewComment.review_id, ReviewComment.target, ReviewComment.ref,
                       ReviewComment.text)
                .where(ReviewComment.review_id.in_([r[0] for r in rows]))
                .order_by(ReviewComment.position)):
            comments.setdefault(review_id, []).append(ReviewCommentRow(target, ref, text))
        for (review_id, visit_id, reviewer_id, name, decision, comment, final, reason, decided,
             updated, state, conflict) in rows:  # the one to show last, so it wins
            found[visit_id] = ReviewRow(
                id=review_id, visit_id=visit_id, reviewer_id=reviewer_id or "",
                reviewer_name=name, decision=decision, comment=comment,
                final_classification=final, classification_reason=reason,
                decided_at=decided or updated, state=ReviewState(state), conflict=conflict,
                comments=tuple(comments.get(review_id, ())))
    return found


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date()


# -- the mixin ----------------------------------------------------------------------------------


class ReviewQueue(VisitLifecycle):
    """LocalStore's part for the supervisor's queue."""

    def team_officers(self, user: Actor) -> list[UserRow]:
        """The officers whose supervisor is ``user``, by name."""
        with self.read() as s:
            users = s.scalars(
                select(User).where(User.supervisor_id == user.id, User.id != user.id,
                                   User.active.is_(True))
                .order_by(User.display_name, User.username))
            return [UserRow(u.id, u.username, u.display_name, u.role, u.branch_id,
                            u.supervisor_id) for u in users]

    def review_queue(
        self, user: Actor, flt: QueueFilter, today: date, limit: int = 500
    ) -> list[QueueRow]:
        """The supervisor's team's visits: waiting for a decision (downgrades first, then red
        signals, then the longest wait), or decided (newest decision first). Never the
        supervisor's own visits. Filtered, sorted and cut to ``limit`` in SQL (one indexed
        query for the page's ids, then the page's details), so 20,000 visits stay fast."""
        recommended = func.coalesce(Visit.final_classification,
                                    Visit.recommended_classification)
        waiting_since = func.coalesce(Visit.submitted_at, Visit.updated_at)
        team = select(User.id).where(User.supervisor_id == user.id, User.id != user.id)
        wanted: list[ColumnElement[bool]] = [Visit.officer_id.in_(team)]
        if flt.officer_id is not None:
            wanted.append(Visit.officer_id == flt.officer_id)
        if flt.kind is not None:
            wanted.append(Visit.kind == flt.kind)
        if flt.change is not ClassificationChange.ANY:
            compare = {ClassificationChange.DOWNGRADE: operator.gt,
                       ClassificationChange.SAME: operator.eq,
                       ClassificationChange.UPGRADE: operator.lt}[flt.change]
            wanted.append(compare(_rank(recommended), _rank(Borrower.classification)))
        if flt.with_signals:
            wanted.append(_has_signal(Severity.RED, Severity.ORANGE))
        needle = flt.search.strip()
        if needle:
            pattern = f"%{_escape_like(needle)}%"
            wanted.append(or_(
                Borrower.name.like(pattern, escape="\\"),
                Borrower.code.like(pattern, escape="\\"),
                User.display_name.like(pattern, escape="\\"),
            ))
        decided = (VisitStatus.APPROVED, VisitStatus.RETURNED)
        by_visit = (
            select(Visit.id)
            .join(User, Visit.officer_id == User.id)
            .join(Borrower, Visit.borrower_id == Borrower.id)
        )
        if flt.tab is QueueTab.WAITING:
            # The team's submitted visits (ix_visits_officer_status), a few thousand at most.
            downgrade = func.coalesce(_rank(recommended) > _rank(Borrower.classification), False)
            page = by_visit.where(Visit.status == VisitStatus.SUBMITTED, *wanted).order_by(
                downgrade.desc(), _has_signal(Severity.RED).desc(), waiting_since,
                Visit.visit_date, Visit.id)
        elif len(wanted) == 1:
            # Unfiltered: walk the decisions newest first (ix_reviews_decided_at) keeping those
            # that stand on the team's decided visits, so a page costs about ``limit`` steps
            # rather than one per decided visit (15,000 of 20,000). Every decided visit has
            # its decision row: made here, brought by sync, or made by migration 0007.
            newer = aliased(Review)
            page = (
                select(Review.visit_id)
                .where(
                    Review.decision != DRAFT,
                    ~select(newer.id).where(
                        newer.visit_id == Review.visit_id, newer.decision != DRAFT,
                        or_(newer.decided_at > Review.decided_at,
                            (newer.decided_at == Review.decided_at) & (newer.id > Review.id)),
                    ).exists(),
                    select(Visit.id)
                    .where(Visit.id == Review.visit_id, Visit.status.in_(decided), *wanted)
                    .exists(),
                )
                .order_by(Review.decided_at.desc(), Review.id.desc())
            )
        else:
            # Filtered: the filter narrows the team's decided visits first, then only those
            # left are dated by their decision.
            decided_at = (
                select(func.max(Review.decided_at))
                .where(Review.visit_id == Visit.id, Review.decision != DRAFT)
                .scalar_subquery()
            )
            page = by_visit.where(Visit.status.in_(decided), *wanted).order_by(
                func.coalesce(decided_at, Visit.updated_at).desc(), Visit.id)
        details = (
            select(
                Visit.id, Visit.borrower_id, Borrower.code, Borrower.name, Visit.officer_id,
                User.display_name, Visit.kind, Visit.status, Visit.visit_date,
                type_coerce(waiting_since, UTCDateTime()), recommended,
                Borrower.classification, _signal_count(Severity.RED),
                _signal_count(Severity.ORANGE), Visit.revision, Visit.previous_revision_id,
            )
            .join(User, Visit.officer_id == User.id)
            .join(Borrower, Visit.borrower_id == Borrower.id)
        )
        with self.read() as s:
            ids = list(s.scalars(page.limit(limit)))
            found = {}
            for chunk in _chunks(ids):
                found.update({row[0]: row for row in s.execute(
                    details.where(Visit.id.in_(chunk)))})
            decisions = _standing_reviews(s, ids)
        result = []
        for visit_id in ids:
            (_id, borrower_id, code, name, officer_id, officer_name, kind, status, visit_date,
             since, rec, current, reds, oranges, revision, previous) = found[visit_id]
            decision = decisions.get(visit_id)
            until = today
            if decision is not None and flt.tab is QueueTab.DECIDED:
                until = _local_date(decision.decided_at)
            days = max(0, (until - _local_date(since)).days) if since is not None else 0
            result.append(QueueRow(
                visit_id=visit_id, borrower_id=borrower_id, borrower_code=code,
                borrower_name=name, officer_id=officer_id, officer_name=officer_name, kind=kind,
                status=status, visit_date=visit_date, waiting_since=since, days_waiting=days,
                recommended=rec, current=current, red_signals=reds, orange_signals=oranges,
                revision=revision, previous_revision_id=previous, decision=decision,
            ))
        return result
