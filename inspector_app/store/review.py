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
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.checklist import Checklist
from inspector_app.domain.enums import (
    Classification,
    Role,
    VisitStatus,
)
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.store import visit_findings
from inspector_app.store.base import StoreBase
from inspector_app.store.models import (
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Photo,
    Review,
    ReviewComment,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.review_history import audit_rows, diff_rows
from inspector_app.store.review_rows import (
    AuditRow,
    ReviewCommentRow,
    ReviewRow,
    ReviewState,
    RevisionDiff,
)
from inspector_app.store.rows import Actor, Changes
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.store.visit_lifecycle import VisitLifecycle

DRAFT = "draft"  # Review.decision and Review.state of a draft
APPROVED = VisitStatus.APPROVED.value
RETURNED = VisitStatus.RETURNED.value
DECISIONS = (APPROVED, RETURNED)

# A supervisor's follow-up of a signal: outbox entity and reference_docs entity.
FOLLOW_UP = visit_findings.FOLLOW_UP
FOLLOW_UP_ACTIONS = ("escalate", "reassign", "clear")

# What a comment may be on, and how the visit names it (wire.CommentTarget).
TARGETS = ("answer", "photo", "observation", "signal")
COMMENT_MAX = 2000


# Decision rows for decided visits that lack one (migration 0008 holds a frozen copy): written
# in bulk, as the demo portfolio is, they still show in the decided tab of the queue.
DECISION_ROWS_SQL = (
    "INSERT INTO reviews (id, visit_id, reviewer_id, reviewer_name, decision, comment, "
    "final_classification, classification_reason, decided_at, state, conflict, server_id, "
    "created_at, updated_at, version) "
    "SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || "
    "hex(randomblob(6))), v.id, a.user_id, COALESCE(u.display_name, ''), v.status, "
    "COALESCE(json_extract(a.detail, '$.comment'), json_extract(a.detail, '$.reason'), ''), "
    "NULL, '', COALESCE(a.at, v.updated_at), "
    "CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.ref = v.id "
    "AND o.entity IN ('visit', 'countersign')) THEN 'pending' ELSE 'confirmed' END, "
    "'', json_extract(a.detail, '$.review_id'), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1 "
    "FROM visits v "
    "LEFT JOIN audit_log a ON a.id = (SELECT x.id FROM audit_log x WHERE x.entity = 'visit' "
    "AND x.entity_id = v.id AND x.action IN ('visit.transition', 'visit.review') "
    "AND json_extract(x.detail, '$.target') = v.status ORDER BY x.seq DESC LIMIT 1) "
    "LEFT JOIN users u ON u.id = a.user_id "
    "WHERE v.status IN ('approved', 'returned') "
    "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.visit_id = v.id AND r.decision != 'draft')"
)
# When visits written in bulk (no attribute event) became submitted: the audit log's step.
SUBMITTED_AT_SQL = (
    "UPDATE visits SET submitted_at = COALESCE(("
    " SELECT max(a.at) FROM audit_log a WHERE a.entity = 'visit' AND a.entity_id = visits.id"
    " AND ((a.action = 'visit.transition' AND json_extract(a.detail, '$.target') = 'submitted')"
    " OR (a.action = 'visit.received' AND json_extract(a.detail, '$.status') = 'submitted'))"
    "), updated_at) WHERE submitted_at IS NULL"
    " AND status IN ('submitted', 'approved', 'returned')"
)


def derive_review_rows(session: Session) -> None:
    """After visits were written in bulk with their audit trail (the demo portfolio): when each
    became submitted, and a decision row for each decided one, as migrations 0007/0008 do."""
    session.flush()
    session.execute(sql_text(SUBMITTED_AT_SQL))
    session.execute(sql_text(DECISION_ROWS_SQL))


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
    """The decision on the visit to show: one headquarters refused (CONFLICT) first — the
    supervisor must see that theirs did not stand, and its message says what does —, else
    the newest that stands or waits to be sent; None if it was never decided here or brought
    here."""
    return session.scalar(
        select(Review)
        .where(Review.visit_id == visit_id, Review.decision != DRAFT)
        .order_by((Review.state == ReviewState.CONFLICT.value).desc(),
                  Review.decided_at.desc(), Review.created_at.desc())
        .limit(1)
    )


def holding_review(session: Session, visit_id: str) -> Review | None:
    """A decision that stands (headquarters holds it) or waits to be sent: a second one is
    refused. A CONFLICT alone does not hold: headquarters refused it."""
    return session.scalar(
        select(Review)
        .where(Review.visit_id == visit_id, Review.decision != DRAFT,
               Review.state != ReviewState.CONFLICT.value)
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
    standing = holding_review(session, visit.id)
    if standing is not None:
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


# -- plain values -------------------------------------------------------------------------------


def comment_labels(session: Session, visit: Visit) -> dict[tuple[str, str], Text]:
    """What each commentable part of the visit is, in words (target, ref) -> label."""
    labels: dict[tuple[str, str], Text] = {}
    try:
        checklist = visit_checklist(visit)
    except (KeyError, ValueError, LookupError):
        checklist = None  # templates this laptop does not know: the item codes say enough
    for code in session.scalars(
            select(ChecklistAnswer.item_code).where(ChecklistAnswer.visit_id == visit.id)):
        labels["answer", code] = _item_label(checklist, code)
    for sha, caption, name in session.execute(
            select(Photo.sha256, Photo.caption, Photo.original_name)
            .where(Photo.visit_id == visit.id)):
        labels["photo", sha] = Text.same(caption or name)
    for item_id, description in session.execute(
            select(CollateralObservation.collateral_item_id, CollateralItem.description)
            .join(CollateralItem, CollateralItem.id == CollateralObservation.collateral_item_id)
            .where(CollateralObservation.visit_id == visit.id)):
        labels["observation", item_id] = Text.same(description)
    for signal_id, title in session.execute(
            select(RiskSignal.id, RiskSignal.title).where(RiskSignal.visit_id == visit.id)):
        labels["signal", signal_id] = Text.same(title)
    return labels


def _item_label(checklist: Checklist | None, code: str) -> Text:
    """The item's question (its code files it; officers go by the question), or the code of
    an item of templates this laptop does not know."""
    if checklist is None:
        return Text.same(code)
    try:
        return checklist.item(code).question
    except KeyError:
        return Text.same(code)


def review_row(review: Review, labels: dict[tuple[str, str], Text] | None = None) -> ReviewRow:
    """The review as a plain value. A draft has decision "draft", state PENDING (nothing is
    sent) and decided_at the time it was last edited."""
    labels = labels or {}
    state = ReviewState.PENDING if review.state == DRAFT else ReviewState(review.state)
    return ReviewRow(
        id=review.id, visit_id=review.visit_id, reviewer_id=review.reviewer_id or "",
        reviewer_name=review.reviewer_name, decision=review.decision, comment=review.comment,
        final_classification=review.final_classification,
        classification_reason=review.classification_reason,
        decided_at=review.decided_at or review.updated_at, state=state,
        conflict=review.conflict,
        comments=tuple(
            ReviewCommentRow(c.target, c.ref, c.text, label.zh, label.en)
            for c in review.comments
            for label in [labels.get((c.target, c.ref), Text.same(""))]
        ),
    )




class VisitReview(VisitLifecycle):
    """LocalStore's part for the supervisor's review (and the officer's view of a return)."""


    # -- the draft and the decision ------------------------------------------------------------

    def draft_review(self, visit_id: str, user: Actor) -> ReviewRow | None:
        """The user's draft of a decision on the visit (their item comments so far)."""
        with self.read() as s:
            draft = draft_of(s, visit_id, user.id)
            if draft is None:
                return None
            return review_row(draft, comment_labels(s, s.get_one(Visit, visit_id)))

    def set_review_comment(
        self, visit_id: str, user: Actor, target: str, ref: str, text: str
    ) -> ReviewRow:
        """Write (or with "" remove) the user's comment on one part of a submitted visit, in
        their draft review; TransitionError if they may not review it or the part is not in it."""
        text = text.strip()
        if len(text) > COMMENT_MAX:
            raise TransitionError(Text(
                f"意见不能超过{COMMENT_MAX}字", f"a comment cannot exceed {COMMENT_MAX} characters"
            ))
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            check_reviewer(visit, user)
            if visit.status is not VisitStatus.SUBMITTED:
                raise TransitionError(Text(
                    f"只能对待复核的检查添加意见（当前：{visit.status.zh}）",
                    f"only a submitted visit takes review comments (this one is {visit.status})",
                ))
            check_comment_target(s, visit_id, target, ref)
            draft = draft_of(s, visit_id, user.id)
            if draft is None:
                reviewer = s.get(User, user.id)
                draft = Review(visit_id=visit_id, reviewer_id=user.id, decision=DRAFT,
                               state=DRAFT, comment="", classification_reason="", conflict="",
                               reviewer_name=reviewer.display_name if reviewer else "")
                s.add(draft)
            existing = next((c for c in draft.comments if (c.target, c.ref) == (target, ref)),
                            None)
            if existing is not None and not text:
                draft.comments.remove(existing)
            elif existing is not None:
                existing.text = text
            elif text:
                position = max((c.position for c in draft.comments), default=-1) + 1
                draft.comments.append(
                    ReviewComment(target=target, ref=ref, text=text, position=position))
            draft.updated_at = utcnow()  # a draft's "when": its last edit
            s.flush()
            return review_row(draft, comment_labels(s, visit))

    def return_visit(self, visit_id: str, user: Actor, comment: str) -> Changes:
        """Return the visit to its officer: the comment and the draft's item comments become a
        PENDING decision, and the visit goes SUBMITTED -> RETURNED (audited, the comment its
        reason); sync sends both. TransitionError (nothing changed) when not allowed."""
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            draft = draft_of(s, visit_id, user.id)
            comments = [ReviewCommentRow(c.target, c.ref, c.text)
                        for c in (draft.comments if draft is not None else [])]
            record_review_in(
                s, visit, user, decision=RETURNED, comment=comment, final_classification=None,
                classification_reason="", comments=comments, when=utcnow())
            self.transition_in(s, visit, user, VisitStatus.RETURNED, comment.strip())
            return Changes.of(visit.id, borrower_id=visit.borrower_id, status=True)

    def review_of(self, visit_id: str) -> ReviewRow | None:
        """The decision on the visit that stands or waits to be sent (a CONFLICT included)."""
        with self.read() as s:
            review = standing_review(s, visit_id)
            if review is None:
                return None
            return review_row(review, comment_labels(s, s.get_one(Visit, visit_id)))

    def comments_for_revision(self, visit_id: str) -> ReviewRow | None:
        """What the officer must address: the return of this visit, or (for a revision of a
        returned visit) the return of the one it corrects; None if neither was returned."""
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            for candidate in (visit.id, visit.previous_revision_id):
                if candidate is None:
                    continue
                review = s.scalar(
                    select(Review).where(Review.visit_id == candidate,
                                         Review.decision == RETURNED)
                    .order_by(Review.decided_at.desc()).limit(1))
                if review is not None:
                    return review_row(review, comment_labels(s, s.get_one(Visit, candidate)))
            return None

    # -- history ---------------------------------------------------------------------------------

    def audit_trail(self, visit_id: str) -> list[AuditRow]:
        """The visit's history with its earlier revisions', oldest first: life-cycle steps,
        decisions, reports signed and countersigned, arrivals from headquarters, revisions."""
        with self.read() as s:
            return audit_rows(s, visit_id)

    def revision_diff(self, visit_id: str) -> RevisionDiff | None:
        """What this revision changed against the one it corrects; None for a first revision."""
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            if visit.previous_revision_id is None:
                return None
            previous = s.get(Visit, visit.previous_revision_id)
            if previous is None:
                return None
            return diff_rows(s, visit, previous)
