"""A supervisor's decision between this laptop's ``reviews`` table and headquarters.

Headquarters holds the decision that stands. What it says comes here three ways: a "review"
Change in the pull (the officer's laptop, and the supervisor's for the team), a StoredVisit's
review in the team feed (the supervisor's laptop), and the answer to a decision posted from
here. Each becomes (or confirms) a local ``reviews`` row, state CONFIRMED, with its item
comments, keyed by headquarters' review id (``server_id``) so the same decision arriving twice
is one row.

A decision made on this laptop (state PENDING) is confirmed when headquarters holds the same
one (same reviewer, same decision; a return with the same comment). If headquarters refuses
it because another decision stands (409), the local row is kept as CONFLICT with
headquarters' message: it is shown, never silently dropped, and never sent again; the visit
then follows headquarters' decision.

Everything here runs inside the caller's (quiet) transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.domain.enums import Classification, VisitStatus
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Review, ReviewComment, User, Visit
from inspector_app.store.review import DRAFT
from inspector_app.store.review_rows import ReviewState

_OUTCOMES = {VisitStatus.APPROVED.value: VisitStatus.APPROVED,
             VisitStatus.RETURNED.value: VisitStatus.RETURNED}
# Where a visit may still take a decision from headquarters: not decided here (or a local
# decision that headquarters refused, see follow_headquarters).
UNDECIDED = (VisitStatus.SIGNED, VisitStatus.SUBMITTED)


def review_record(data: dict[str, Any]) -> wire.ReviewRecord | None:
    """A pulled review's data as a ReviewRecord, or None if this version cannot read it."""
    try:
        return wire.ReviewRecord.model_validate(data)
    except ValidationError:
        return None


def answered_review(content: bytes) -> wire.ReviewRecord | None:
    """The ReviewRecord headquarters answered a posted decision with, None if unreadable."""
    try:
        return wire.ReviewRecord.model_validate_json(content)
    except ValidationError:
        return None


def pending_decision(session: Session, visit_id: str) -> Review | None:
    """The decision made on this laptop that headquarters has not confirmed yet."""
    return session.scalar(
        select(Review).where(Review.visit_id == visit_id, Review.decision != DRAFT,
                             Review.state == ReviewState.PENDING.value)
        .order_by(Review.decided_at.desc()).limit(1))


def _same_decision(local: Review, record: wire.ReviewRecord) -> bool:
    """Headquarters holds this laptop's decision (its answer may have been lost): the same
    reviewer and decision, and a return with the same comment (what the server answers as the
    same decision again, not a conflicting one)."""
    if local.reviewer_id != record.reviewer_id or local.decision != record.decision:
        return False
    return record.decision != VisitStatus.RETURNED.value or (
        local.comment.strip() == record.comment.strip())


def keep_headquarters_review(session: Session, record: wire.ReviewRecord) -> Review | None:
    """Headquarters' decision as a CONFIRMED local row with its item comments (created, or
    updated by its server id, or this laptop's pending decision confirmed). None if the visit
    is not on this laptop. A pending local decision that differs is left PENDING: it goes up
    and headquarters' 409 turns it into a CONFLICT with headquarters' own words."""
    if session.get(Visit, record.visit_id) is None:
        return None
    review = session.scalar(select(Review).where(Review.server_id == record.id))
    if review is None:
        mine = pending_decision(session, record.visit_id)
        if mine is not None and _same_decision(mine, record):
            review = mine
    if review is None:
        review = Review(visit_id=record.visit_id, decision=record.decision)
        session.add(review)
    _fill(session, review, record)
    return review


def _fill(session: Session, review: Review, record: wire.ReviewRecord) -> None:
    known = session.get(User, record.reviewer_id) is not None
    review.server_id = record.id
    review.visit_id = record.visit_id
    review.reviewer_id = record.reviewer_id if known else None
    review.reviewer_name = record.reviewer_name
    review.decision = record.decision
    review.comment = record.comment
    review.final_classification = _classification(record.final_classification)
    review.classification_reason = record.classification_reason
    review.decided_at = record.decided_at
    review.state = ReviewState.CONFIRMED.value
    review.conflict = ""
    wanted = [(c.target, c.ref, c.text) for c in record.comments]
    if [(c.target, c.ref, c.text) for c in review.comments] != wanted:
        review.comments = []
        session.flush()  # the old comments go before the same targets come back
        review.comments = [ReviewComment(target=t, ref=ref, text=text, position=i)
                           for i, (t, ref, text) in enumerate(wanted)]
    session.flush()


def _classification(code: str | None) -> Classification | None:
    try:
        return None if code is None else Classification(code)
    except ValueError:
        return None  # a classification this version does not know; the decision still counts


def follow_headquarters(session: Session, visit: Visit, decision: str, *,
                        review_id: str | None, comment: str,
                        reviewer_id: str | None = None,
                        overrule: bool = False) -> bool:
    """The visit takes headquarters' decision (audited "visit.review", from headquarters).
    Only an undecided visit moves, unless ``overrule``: this laptop's own decision was refused
    and the one that stands at headquarters replaces it. True if the status changed."""
    target = _OUTCOMES.get(decision)
    if target is None or visit.status is target:
        return False
    if visit.status not in UNDECIDED and not overrule:
        return False
    if reviewer_id is not None and session.get(User, reviewer_id) is None:
        reviewer_id = None  # the audit entry's user must exist on this laptop
    source = visit.status
    visit.status = target
    LocalStore.audit(session, reviewer_id, "visit.review", "visit", visit.id,
                     source=source.value, target=target.value, review_id=review_id,
                     comment=comment, from_headquarters=True)
    return True


def record_conflict(session: Session, visit_id: str, message: str,
                    detail: dict[str, Any]) -> None:
    """Headquarters refused this laptop's decision because another one stands (its 409
    detail: decision, reviewer_name, review_id, decided_at, comment): the local decision is
    kept as CONFLICT with headquarters' message, and the visit follows headquarters."""
    mine = pending_decision(session, visit_id)
    if mine is not None:
        mine.state = ReviewState.CONFLICT.value
        mine.conflict = message
    visit = session.get(Visit, visit_id)
    decision = str(detail.get("decision") or "")
    review_id = str(detail.get("review_id") or "") or None
    if visit is None or decision not in _OUTCOMES:
        return
    if review_id is not None and session.scalar(
            select(Review.id).where(Review.server_id == review_id)) is None:
        # What stands, as far as the refusal says; the pull or the feed brings the rest
        # (item comments, classification) under the same server id.
        decided = aware_datetime(detail.get("decided_at"))
        if decided is not None:
            session.add(Review(
                visit_id=visit_id, reviewer_id=None,
                reviewer_name=str(detail.get("reviewer_name") or ""), decision=decision,
                comment=str(detail.get("comment") or ""), decided_at=decided,
                state=ReviewState.CONFIRMED.value, server_id=review_id))
    follow_headquarters(session, visit, decision, review_id=review_id,
                        comment=str(detail.get("comment") or ""), overrule=True)


def aware_datetime(value: object) -> datetime | None:
    """An ISO time with its offset, None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None
