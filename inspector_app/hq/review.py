"""A supervisor's review decision on a team member's signed visit (headquarters-only endpoint).

The decision is kept beside the visit, not written into the officer's document: the officer's
laptop stays the authority for the visit's content, headquarters for the decision, and the
officer receives it as a "review" Change in their pull. One decision per visit: a returned
visit is corrected as a new revision, which is reviewed in its own right.

A supervisor approves on their laptop by countersigning the officer's signed report; that
approval arrives here with the countersigned report (uploaded as a blob first). The report is
verified before anything is stored (check_countersigned: the officer's exact signed file with
a countersignature added, every signature valid, nothing beyond form filling), kept with the
review, and linked to the visit so the officer's laptop may download it. The same
countersigned approval sent again gets the same answer: a lost answer is simply asked again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspector_app.domain.enums import Role
from inspector_app.hq.audit import audit
from inspector_app.hq.blobs import SHA256_RE
from inspector_app.hq.changes import lock_change_log, record_change, review_record
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError, forbidden, not_found
from inspector_app.hq.models import Review, User, Visit, VisitBlob
from inspector_app.hq.push import MISSING
from inspector_app.hq.report_check import check_countersigned
from inspector_app.hq.schemas import ReviewRecord, ReviewRequest
from inspector_app.hq.scope import Principal, may_see_officer
from inspector_app.sync.wire import ReportRecord

REVIEWABLE = ("signed", "submitted")
ONLY_SUPERVISORS = "只有部门负责人可以复核 / only supervisors review visits"
COMMENT_NEEDED = "退回时须填写意见 / returning a visit needs a comment"
NOT_REVIEWABLE = ("只有已签署的检查记录可以复核 / only signed visits can be reviewed "
                  "(this one is {status})")
ALREADY = "该检查记录已复核 / this visit has already been reviewed"
REPORT_APPROVES = ("会签报告只能随“通过”提交 / a countersigned report comes only with an "
                   "approval")
INVALID_REPORT = ("复核报告应为会签报告，并以小写十六进制 SHA-256 标识 / the report must be a "
                  "countersigned one, named by its lowercase hex SHA-256")
NO_SIGNED_REPORT = ("总行没有该检查的客户经理签署报告 / headquarters holds no signed report by "
                    "the officer for this visit")
MOVED = ("检查记录在您复核期间已更新（版本 {v}）/ the visit changed while you reviewed it "
         "(it is at version {v})")


def review_visit(hq: Hq, p: Principal, visit_id: str, req: ReviewRequest) -> ReviewRecord:
    if p.role is not Role.SUPERVISOR:
        raise forbidden(ONLY_SUPERVISORS)
    if req.decision == "returned" and not req.comment.strip():
        raise ApiError(422, "comment_required", COMMENT_NEEDED)
    if req.report is not None:
        if req.decision != "approved":
            raise ApiError(422, "report_needs_approval", REPORT_APPROVES)
        if not SHA256_RE.fullmatch(req.report.sha256) or req.report.stage != "countersigned":
            raise ApiError(422, "invalid_report", INVALID_REPORT)
        # The slow part (pyHanko) before the write transaction, as a push does.
        same = _check_countersignature(hq, p, visit_id, req.report)
        if same is not None:
            return same
    try:
        with hq.db.write() as session:
            found = session.execute(
                select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
                .where(Visit.id == visit_id).with_for_update(of=Visit)
            ).first()
            # After the visit's row lock, as a push takes them: the same order everywhere,
            # so the two never wait on each other in a cycle.
            lock_change_log(session)
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
            earlier = session.scalars(select(Review).where(Review.visit_id == visit.id)).first()
            if earlier is not None:
                if _same_countersignature(earlier, p, req.report):
                    return review_record(earlier, p.display_name)  # raced its own retry
                raise ApiError(409, "already_reviewed", ALREADY)
            review = Review(visit_id=visit.id, visit_version=visit.version,
                            reviewer_id=p.user_id, decision=req.decision,
                            comment=req.comment.strip(),
                            report=None if req.report is None else req.report.model_dump(
                                mode="json"))
            session.add(review)
            if req.report is not None:
                _link_report(session, visit.id, req.report.sha256)
            session.flush()
            record_change(session, "review", review.id, review.version,
                          borrower_id=visit.borrower_id, officer_id=visit.officer_id)
            audit(session, p.username, "visit.review", "visit", visit.id, user_id=p.user_id,
                  device_id=p.device_id, decision=req.decision, review_id=review.id)
    except IntegrityError:
        if req.report is not None:  # a retry stored it first: answer as that one was
            same = _check_countersignature(hq, p, visit_id, req.report)
            if same is not None:
                return same
        raise ApiError(409, "already_reviewed", ALREADY) from None
    return review_record(review, p.display_name)


def _same_countersignature(review: Review, p: Principal, report: ReportRecord | None) -> bool:
    return (report is not None and review.reviewer_id == p.user_id
            and review.decision == "approved" and review.report is not None
            and review.report.get("sha256") == report.sha256)


def _check_countersignature(hq: Hq, p: Principal, visit_id: str,
                            report: ReportRecord) -> ReviewRecord | None:
    """The review already stored for this countersigned report (the same answer again), or
    None once the report is verified; ApiError if it may not or cannot be accepted."""
    with hq.db.read() as session:
        found = session.execute(
            select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
            .where(Visit.id == visit_id)
        ).first()
        if found is None or not may_see_officer(p, found[0].officer_id, found[1]):
            raise not_found()
        visit = found[0]
        earlier = session.scalars(select(Review).where(Review.visit_id == visit_id)).first()
        if earlier is not None and _same_countersignature(earlier, p, report):
            return review_record(earlier, p.display_name)
        status, payload = visit.status, dict(visit.payload)
    if status not in REVIEWABLE:
        raise ApiError(409, "not_reviewable", NOT_REVIEWABLE.format(status=status))
    signed = _officer_report(payload)
    if signed is None:
        raise ApiError(409, "no_signed_report", NO_SIGNED_REPORT)
    if not hq.blobs.complete(report.sha256):
        raise ApiError(422, "missing_blobs", MISSING, {"missing_blobs": [report.sha256]})
    reason = check_countersigned(hq, report, signed)
    if reason is not None:
        raise ApiError(422, "rejected", reason)
    return None


def _officer_report(payload: dict[str, Any]) -> ReportRecord | None:
    """The officer's latest signed report in the stored visit."""
    signed = [ReportRecord.model_validate(r) for r in payload.get("reports", [])
              if r.get("stage") == "signed"]
    return max(signed, key=lambda r: r.signed_at) if signed else None


def _link_report(session: Session, visit_id: str, sha256: str) -> None:
    """The countersigned PDF belongs to the visit: whoever may see the visit may download it."""
    if session.get(VisitBlob, (visit_id, sha256)) is None:
        session.add(VisitBlob(visit_id=visit_id, sha256=sha256, kind="report"))
