"""A supervisor's review decision on a team member's signed visit (headquarters-only endpoint).

The decision is kept beside the visit, not written into the officer's document: the officer's
laptop stays the authority for the visit's content, headquarters for the decision, and the
officer receives it as a "review" Change in their pull. One decision per visit: a returned
visit is corrected as a new revision, which is reviewed in its own right.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector_app.domain.enums import Role
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import lock_change_log, record_change, review_record
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError, forbidden, not_found
from inspector_app.hq.models import Review, User, Visit
from inspector_app.hq.schemas import ReviewRecord, ReviewRequest
from inspector_app.hq.scope import Principal, may_see_officer

REVIEWABLE = ("signed", "submitted")
ONLY_SUPERVISORS = "只有部门负责人可以复核 / only supervisors review visits"
COMMENT_NEEDED = "退回时须填写意见 / returning a visit needs a comment"
NOT_REVIEWABLE = ("只有已签署的检查记录可以复核 / only signed visits can be reviewed "
                  "(this one is {status})")
ALREADY = "该检查记录已复核 / this visit has already been reviewed"
MOVED = ("检查记录在您复核期间已更新（版本 {v}）/ the visit changed while you reviewed it "
         "(it is at version {v})")


def review_visit(hq: Hq, p: Principal, visit_id: str, req: ReviewRequest) -> ReviewRecord:
    if p.role is not Role.SUPERVISOR:
        raise forbidden(ONLY_SUPERVISORS)
    if req.decision == "returned" and not req.comment.strip():
        raise ApiError(422, "comment_required", COMMENT_NEEDED)
    try:
        with hq.db.write() as session:
            lock_change_log(session)
            found = session.execute(
                select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
                .where(Visit.id == visit_id).with_for_update(of=Visit)
            ).first()
            # Another team's visit is answered like a missing one: its existence is not theirs
            # to know.
            if found is None or not may_see_officer(p, found[0].officer_id, found[1]):
                raise not_found()
            visit = found[0]
            if visit.status not in REVIEWABLE:
                raise ApiError(409, "not_reviewable", NOT_REVIEWABLE.format(status=visit.status))
            if req.visit_version is not None and req.visit_version != visit.version:
                raise ApiError(409, "visit_changed", MOVED.format(v=visit.version),
                               {"server_version": visit.version})
            if session.scalar(select(Review.id).where(Review.visit_id == visit.id)):
                raise ApiError(409, "already_reviewed", ALREADY)
            review = Review(visit_id=visit.id, visit_version=visit.version,
                            reviewer_id=p.user_id, decision=req.decision,
                            comment=req.comment.strip())
            session.add(review)
            session.flush()
            record_change(session, "review", review.id, review.version,
                          borrower_id=visit.borrower_id, officer_id=visit.officer_id)
            audit(session, p.username, "visit.review", "visit", visit.id, user_id=p.user_id,
                  device_id=p.device_id, decision=req.decision, review_id=review.id)
    except IntegrityError:
        raise ApiError(409, "already_reviewed", ALREADY) from None
    return review_record(review, p.display_name)
