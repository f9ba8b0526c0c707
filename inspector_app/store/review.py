"""The supervisor's review of a team member's visit, in the local store.

A decision (approved by countersigning, or returned with comments) is a ``reviews`` row written
in the same transaction as the visit's life-cycle step, state PENDING until sync has delivered
it to headquarters. While reading a submitted visit the supervisor gathers item comments in a
draft review (one per visit and reviewer); returning the visit turns the draft into the
decision.

``record_review_in`` is the one way a decision is written here (report countersigning calls
it inside its own transaction, return_visit in its own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, Role, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.store.base import StoreBase
from inspector_app.store.models import (
    ChecklistAnswer,
    CollateralObservation,
    Photo,
    Review,
    ReviewComment,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.review_rows import ReviewCommentRow, ReviewState
from inspector_app.store.rows import Actor

DRAFT = "draft"  # Review.decision and Review.state of a draft
APPROVED = VisitStatus.APPROVED.value
RETURNED = VisitStatus.RETURNED.value
DECISIONS = (APPROVED, RETURNED)

# What a comment may be on, and how the visit names it (wire.CommentTarget).
TARGETS = ("answer", "photo", "observation", "signal")
COMMENT_MAX = 2000


def check_reviewer(visit: Visit, reviewer: Actor) -> None:
    """Refuse a reviewer who is not a supervisor, or who would review their own visit."""
    if reviewer.role is not Role.SUPERVISOR:
        raise TransitionError(Text(
            "只有主管可以复核检查", "only a supervisor can review a visit"
        ))
    if visit.officer_id == reviewer.id:
        raise TransitionError(Text(
            "不能复核自己的检查", "you cannot review your own visit"
        ))


def standing_review(session: Session, visit_id: str) -> Review | None:
    """The decision on the visit that stands or waits to be sent (a conflict included),
    newest first; None if it was never decided here or brought here."""
    return session.scalar(
        select(Review)
        .where(Review.visit_id == visit_id, Review.decision != DRAFT)
        .order_by(Review.decided_at.desc(), Review.created_at.desc())
        .limit(1)
    )


def draft_of(session: Session, visit_id: str, reviewer_id: str) -> Review | None:
    return session.scalar(select(Review).where(
        Review.visit_id == visit_id, Review.reviewer_id == reviewer_id,
        Review.decision == DRAFT,
    ))


def comment_refs(session: Session, visit_id: str, target: str) -> set[str]:
    """What a comment of ``target`` may name on this visit."""
    if target == "answer":
        query = select(ChecklistAnswer.item_code).where(ChecklistAnswer.visit_id == visit_id)
    elif target == "photo":
        query = select(Photo.sha256).where(Photo.visit_id == visit_id)
    elif target == "observation":
        query = select(CollateralObservation.collateral_item_id).where(
            CollateralObservation.visit_id == visit_id)
    elif target == "signal":
        query = select(RiskSignal.id).where(RiskSignal.visit_id == visit_id)
    else:
        return set()
    return set(session.scalars(query))


def check_comment_target(session: Session, visit_id: str, target: str, ref: str) -> None:
    if target not in TARGETS:
        raise TransitionError(Text(
            f"不能对“{target}”添加意见", f"a comment cannot be on a {target!r}"
        ))
    if ref not in comment_refs(session, visit_id, target):
        raise TransitionError(Text(
            "意见所指的内容不在这次检查中",
            f"the comment's {target} {ref!r} is not part of this visit",
        ))


def record_review_in(
    session: Session,
    visit: Visit,
    reviewer: Actor,
    *,
    decision: str,
    comment: str,
    final_classification: Classification | None,
    classification_reason: str,
    comments: Iterable[ReviewCommentRow],
    when: datetime,
) -> None:
    """Record the reviewer's decision on the visit inside the caller's transaction, state
    PENDING, with its audit entry "visit.review". The life-cycle step is the caller's (it
    goes with what else the decision does: countersigning, or returning).

    Refused with TransitionError: not a supervisor, the reviewer's own visit, an unknown
    decision, a return without a comment, comments on an approval or on things not in the
    visit, a final classification that differs from the officer's without a reason, a visit
    already decided.
    """
    check_reviewer(visit, reviewer)
    if decision not in DECISIONS:
        raise TransitionError(Text(
            f"未知的复核结论“{decision}”", f"unknown review decision {decision!r}"
        ))
    if when.tzinfo is None:
        raise ValueError("naive datetime given as the time of a decision")
    comment = comment.strip()
    classification_reason = classification_reason.strip()
    wanted = [
        ReviewCommentRow(c.target, c.ref, c.text.strip()) for c in comments if c.text.strip()
    ]
    if decision == RETURNED:
        if not comment:
            raise TransitionError(Text("退回检查需要填写意见", "returning a visit needs a comment"))
        if final_classification is not None:
            raise TransitionError(Text(
                "退回的检查不认定分类", "a returned visit gets no final classification"
            ))
    elif wanted:
        raise TransitionError(Text(
            "逐项意见只随退回发出", "item comments go only with a returned visit"
        ))
    if len(comment) > COMMENT_MAX or any(len(c.text) > COMMENT_MAX for c in wanted):
        raise TransitionError(Text(
            f"意见不能超过{COMMENT_MAX}字", f"a comment cannot exceed {COMMENT_MAX} characters"
        ))
    seen: set[tuple[str, str]] = set()
    for c in wanted:
        check_comment_target(session, visit.id, c.target, c.ref)
        if (c.target, c.ref) in seen:
            raise TransitionError(Text(
                "同一处只能有一条意见", "one comment per item: merge the two"
            ))
        seen.add((c.target, c.ref))
    officer_says = visit.final_classification or visit.recommended_classification
    if (final_classification is not None and final_classification != officer_says
            and not classification_reason):
        raise TransitionError(Text(
            "认定分类与客户经理的不同，需要填写原因",
            "a final classification different from the officer's needs a reason",
        ))
    standing = standing_review(session, visit.id)
    if standing is not None and standing.state != ReviewState.CONFLICT:
        raise TransitionError(Text(
            f"该检查已由{standing.reviewer_name}复核",
            f"the visit was already reviewed by {standing.reviewer_name}",
        ))
    user = session.get(User, reviewer.id)
    review = draft_of(session, visit.id, reviewer.id)
    if review is None:
        review = Review(visit_id=visit.id, reviewer_id=reviewer.id)
        session.add(review)
    review.reviewer_name = user.display_name if user is not None else ""
    review.decision = decision
    review.comment = comment
    review.final_classification = final_classification
    review.classification_reason = classification_reason
    review.decided_at = when
    review.state = ReviewState.PENDING.value
    review.conflict = ""
    review.comments = []
    session.flush()  # the draft's comments go before the same targets come back
    review.comments = [
        ReviewComment(target=c.target, ref=c.ref, text=c.text, position=i)
        for i, c in enumerate(wanted)
    ]
    session.flush()
    detail_classification = final_classification.value if final_classification else None
    StoreBase.audit(
        session, reviewer.id, "visit.review", "visit", visit.id, decision=decision,
        comment=comment, final_classification=detail_classification,
        classification_reason=classification_reason, review_id=review.id,
        comments=len(wanted), decided_at=when.isoformat(),
    )
