"""A supervisor's review decision on a team member's signed visit (headquarters-only endpoint).

The decision is kept beside the visit, not written into the officer's document: the officer's
laptop stays the authority for the visit's content, headquarters for the decision, and the
officer receives it as a "review" Change in their pull (after a handover, so does the officer
who took the borrower over: hq.visit_holder). One decision per visit: a returned visit is
corrected as a new revision, which is reviewed in its own right.

A supervisor approves on their laptop by countersigning the officer's signed report; that
approval arrives here with the countersigned report (uploaded as a blob first). The report is
verified before anything is stored (check_countersigned: the officer's exact signed file with
a countersignature added, every signature valid, nothing beyond form filling), and the
countersignature's certificate must be one headquarters holds for the posting supervisor (or
become theirs on first use, see certificates.py); only then is it kept with the review, and
linked to the visit so the officer's laptop may download it. The same
decision sent again gets the same answer: a lost answer is simply asked again.

A visit approved without a report (a plain approval) may still be countersigned afterwards by
the supervisor who approved it: the countersigned report is attached to that approval (a new
version of the review, so the officer pulls it, and an audit entry). Any other second decision
is refused with 409 and what stands: approved against returned, another countersigned report
of an approval that has one, or another supervisor's decision.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, Role, VisitStatus
from inspector_app.hq.audit import audit
from inspector_app.hq.blob_access import unusable
from inspector_app.hq.blobs import SHA256_RE
from inspector_app.hq.certificates import (
    COUNTERSIGNATURE,
    Signer,
    claim,
    countersigner,
    signer_problem,
)
from inspector_app.hq.changes import lock_change_log, record_change, review_record
from inspector_app.hq.context import CLOCK_SKEW, Hq
from inspector_app.hq.errors import ApiError, forbidden, not_found
from inspector_app.hq.lifecycle import set_reviewed_status
from inspector_app.hq.models import Review, User, Visit, VisitBlob
from inspector_app.hq.push import MISSING
from inspector_app.hq.report_check import check_countersigned, report_signers
from inspector_app.hq.schemas import ReviewRecord, ReviewRequest
from inspector_app.hq.scope import Principal, may_see_officer
from inspector_app.hq.visit_holder import officers_told
from inspector_app.wire import ReportRecord

REVIEWABLE = ("signed", "submitted")
# A plain approval may be countersigned later, whatever the officer's laptop pushed meanwhile.
COUNTERSIGNABLE = (*REVIEWABLE, "approved")
ONLY_SUPERVISORS = "只有部门负责人可以复核 / only supervisors review visits"
COMMENT_NEEDED = "退回时须填写意见 / returning a visit needs a comment"
NOT_REVIEWABLE = ("只有已签署的检查记录可以复核（该记录状态：{status_zh}）/ only signed visits "
                  "can be reviewed (its status: {status_en})")
ALREADY = "该检查记录已复核 / this visit has already been reviewed"
ALREADY_RETURNED = ("该检查记录已由{name}退回，客户经理修订后作为新版本另行复核 / this visit was "
                    "already returned by {name}; the officer corrects it as a new revision, "
                    "which is reviewed in its own right")
ALREADY_APPROVED = ("该检查记录已由{name}复核通过，不能再退回 / this visit was already approved "
                    "by {name} and cannot be returned")
OTHER_REVIEWER = ("该检查记录已由{name}复核（{decision_zh}），会签须由作出决定的负责人本人进行 / "
                  "this visit was already reviewed ({decision_en}) by {name}; only the "
                  "supervisor who decided may countersign or repeat it")
OTHER_COMMENT = ("该检查记录已由您以不同的意见退回 / you already returned this visit with a "
                 "different comment")
ALREADY_COUNTERSIGNED = ("该检查记录已有会签报告（{sha}…），不能再附另一份 / this visit's "
                         "approval already carries a countersigned report ({sha}…); another "
                         "one cannot replace it")
DECISION_LABELS = {"approved": Text("通过", "approved"), "returned": Text("退回", "returned")}
REPORT_APPROVES = ("会签报告只能随“通过”提交 / a countersigned report comes only with an "
                   "approval")
INVALID_REPORT = ("复核报告应为会签报告，并以小写十六进制 SHA-256 标识 / the report must be a "
                  "countersigned one, named by its lowercase hex SHA-256")
NO_SIGNED_REPORT = ("总行没有该检查的客户经理签署报告 / headquarters holds no signed report by "
                    "the officer for this visit")
MOVED = ("检查记录在您复核期间已更新（版本 {v}）/ the visit changed while you reviewed it "
         "(it is at version {v})")
OWN_VISIT = ("不能复核本人的检查记录 / you cannot review your own visit; its officer's "
             "supervisor reviews it")
CLASSIFICATION_APPROVES = ("只有“通过”可以认定五级分类 / only an approval confirms a "
                           "classification")
COMMENTS_RETURN = ("逐项意见只能随“退回”提交 / item comments come only with a return")
UNKNOWN_CLASSIFICATION = ("未知的五级分类“{value}” / unknown loan classification {value!r} "
                          "(one of {known})")
REASON_REQUIRED = ("认定的分类（{final_zh}）与客户经理的（{officer_zh}）不同，须说明理由 / the "
                   "classification you confirm ({final_en}) differs from the officer's "
                   "({officer_en}); give the reason")
# The comments' targets (item codes, photo hashes) are in the error's detail, for IT: the
# supervisor reads how many, in words.
UNKNOWN_TARGET = ("有 {n} 条逐项意见指向该检查记录中没有的内容（检查项、照片、押品或预警信号），"
                  "请刷新后重新填写 / {n} item comment(s) point at what this visit does not "
                  "have (a checklist item, photo, collateral item or signal); refresh the "
                  "visit and comment again")
DECIDED_NAIVE = ("复核时间须带时区 / the time of the decision needs a UTC offset")
DECIDED_IN_FUTURE = ("复核时间 {at} 晚于总行当前时间，请检查电脑时钟 / the time of the decision "
                     "({at}) is in the future; check the laptop's clock")
CLASSIFICATIONS = tuple(c.value for c in Classification)
# Where a comment's ref must be found in the stored visit, per target: the list and the key.
COMMENT_REFS = {"answer": ("answers", "item_code"), "photo": ("photos", "sha256"),
                "observation": ("observations", "collateral_item_id"),
                "signal": ("signals", "id")}


def _in_both(name: str, text: Text) -> dict[str, str]:
    """A message's {name_zh} and {name_en}: each half of "中文 / English" in its language."""
    return {f"{name}_zh": text.zh, f"{name}_en": text.en}


def _classification(value: str | None) -> Text:
    if value is None:
        return Text.same("—")
    try:
        return Classification(value).text
    except ValueError:
        return Text.same(value)


def _status(value: str) -> Text:
    try:
        return VisitStatus(value).text
    except ValueError:
        return Text.same(value)


def _decision(value: str) -> Text:
    return DECISION_LABELS.get(value, Text.same(value))


class _Again(Enum):
    """What a second decision on a reviewed visit means."""

    SAME = "same"  # the decision that stands, asked again: answer it
    COUNTERSIGN = "countersign"  # a plain approval now countersigned: attach the report


def _second_decision(earlier: Review, p: Principal, req: ReviewRequest,
                     earlier_name: str) -> _Again:
    """How a decision on a visit that already has one is answered; ApiError 409 if it
    conflicts with what stands (with what stands, in words and in the detail)."""
    detail = {"decision": earlier.decision, "reviewer_name": earlier_name,
              "review_id": earlier.id, "decided_at": earlier.decided_at.isoformat(),
              "comment": earlier.comment}

    def conflict(message: str, code: str = "already_reviewed") -> ApiError:
        return ApiError(409, code, message, detail)

    if req.decision != earlier.decision:
        template = ALREADY_RETURNED if earlier.decision == "returned" else ALREADY_APPROVED
        raise conflict(template.format(name=earlier_name))
    if earlier.reviewer_id != p.user_id:
        raise conflict(OTHER_REVIEWER.format(
            name=earlier_name, **_in_both("decision", _decision(earlier.decision))))
    if earlier.decision == "returned":
        if req.comment.strip() != earlier.comment:
            raise conflict(OTHER_COMMENT)
        return _Again.SAME
    if req.report is None:
        return _Again.SAME  # approved, and it is: with or without its countersigned report
    if earlier.report is None:
        return _Again.COUNTERSIGN
    if earlier.report.get("sha256") == req.report.sha256:
        return _Again.SAME
    raise conflict(ALREADY_COUNTERSIGNED.format(sha=str(earlier.report.get("sha256"))[:12]),
                   "already_countersigned")


def _check_request(req: ReviewRequest, now: datetime) -> None:
    """What a decision may carry, whatever the visit: ApiError 422 if not."""
    if req.decision == "returned" and not req.comment.strip():
        raise ApiError(422, "comment_required", COMMENT_NEEDED)
    if req.decision == "returned" and req.final_classification is not None:
        raise ApiError(422, "classification_needs_approval", CLASSIFICATION_APPROVES)
    if req.decision == "approved" and req.comments:
        raise ApiError(422, "comments_need_return", COMMENTS_RETURN)
    if req.final_classification is not None and req.final_classification not in CLASSIFICATIONS:
        raise ApiError(422, "unknown_classification", UNKNOWN_CLASSIFICATION.format(
            value=req.final_classification, known=", ".join(CLASSIFICATIONS)))
    if req.decided_at is not None:
        if req.decided_at.tzinfo is None or req.decided_at.utcoffset() is None:
            raise ApiError(422, "invalid_decided_at", DECIDED_NAIVE)
        if req.decided_at > now + CLOCK_SKEW:
            raise ApiError(422, "decided_in_future", DECIDED_IN_FUTURE.format(
                at=req.decided_at.isoformat()), {"decided_at": req.decided_at.isoformat(),
                                                 "server_time": now.isoformat()})


def officers_classification(payload: dict[str, Any]) -> str | None:
    """The classification the officer signed: their final one, else the recommended one."""
    final = payload.get("final_classification") or payload.get("recommended_classification")
    return str(final) if final else None


def _check_against_visit(payload: dict[str, Any], req: ReviewRequest) -> None:
    """What a decision may carry for this stored visit: a classification other than the
    officer's needs its reason; item comments must point at what the visit has. ApiError 422."""
    officer = officers_classification(payload)
    final = req.final_classification
    if (req.decision == "approved" and final is not None and final != officer
            and not req.classification_reason.strip()):
        raise ApiError(422, "reason_required",
                       REASON_REQUIRED.format(**_in_both("final", _classification(final)),
                                              **_in_both("officer", _classification(officer))),
                       {"final_classification": final, "officer_classification": officer})
    unknown = [c for c in req.comments if c.ref not in _comment_refs(payload, c.target)]
    if unknown:
        raise ApiError(422, "unknown_comment_target", UNKNOWN_TARGET.format(n=len(unknown)),
                       {"unknown": [{"target": c.target, "ref": c.ref} for c in unknown]})


def _comment_refs(payload: dict[str, Any], target: str) -> set[str]:
    key, field = COMMENT_REFS[target]
    return {str(part[field]) for part in payload.get(key) or () if part.get(field) is not None}


def _own_visit(p: Principal, officer_id: str) -> None:
    if officer_id == p.user_id:
        raise ApiError(403, "own_visit", OWN_VISIT)


def review_visit(hq: Hq, p: Principal, visit_id: str, req: ReviewRequest) -> ReviewRecord:
    if p.role is not Role.SUPERVISOR:
        raise forbidden(ONLY_SUPERVISORS)
    _check_request(req, utcnow())
    if req.report is not None:
        if req.decision != "approved":
            raise ApiError(422, "report_needs_approval", REPORT_APPROVES)
        if not SHA256_RE.fullmatch(req.report.sha256) or req.report.stage != "countersigned":
            raise ApiError(422, "invalid_report", INVALID_REPORT)
        # The slow part (pyHanko) before the write transaction, as a push does.
        checked = _check_countersignature(hq, p, visit_id, req)
        if isinstance(checked, ReviewRecord):
            return checked
        signer: Signer | None = checked
    try:
        with hq.db.write() as session:
            found = session.execute(
                select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
                .where(Visit.id == visit_id).with_for_update(of=Visit)
            ).first()
            if found is not None:
                _own_visit(p, found[0].officer_id)
            # Another team's visit is answered like a missing one: its existence is not theirs
            # to know.
            if found is None or not may_see_officer(p, found[0].officer_id, found[1]):
                raise not_found()
            visit = found[0]
            earlier = session.scalars(select(Review).where(Review.visit_id == visit.id)).first()
            name = p.display_name
            if earlier is not None:
                name = _reviewer_name(session, earlier)
                if _second_decision(earlier, p, req, name) is _Again.SAME:
                    return review_record(earlier, name)  # a retry, or raced its own retry
            _check_version(visit, req, REVIEWABLE if earlier is None else COUNTERSIGNABLE)
            if earlier is None:
                _check_against_visit(visit.payload, req)
                if _officer_report(visit.payload) is None:
                    raise ApiError(409, "no_signed_report", NO_SIGNED_REPORT)
            if req.report is not None and signer is not None:
                problem = claim(session.connection(), hq.settings, p.user_id, signer,
                                COUNTERSIGNATURE, actor=p.username, device_id=p.device_id,
                                visit_id=visit.id)
                if problem is not None:
                    raise ApiError(422, "wrong_signer", problem)
            # Row and certificate locks first, the change-log lock last, as a push takes
            # them: the same order everywhere, so they never wait on each other in a cycle.
            lock_change_log(session)
            if earlier is not None:
                assert req.report is not None  # _Again.COUNTERSIGN
                _attach_countersignature(session, p, visit, earlier, req.report)
                return review_record(earlier, name)
            now = utcnow()
            review = Review(visit_id=visit.id, visit_version=visit.version,
                            reviewer_id=p.user_id, decision=req.decision,
                            comment=req.comment.strip(),
                            report=None if req.report is None else req.report.model_dump(
                                mode="json"),
                            final_classification=(
                                req.final_classification or officers_classification(
                                    visit.payload)) if req.decision == "approved" else None,
                            classification_reason=req.classification_reason.strip(),
                            comments=[c.model_dump(mode="json") for c in req.comments],
                            decided_at=req.decided_at or now, received_at=now)
            session.add(review)
            set_reviewed_status(session.connection(), visit, req.decision)
            if req.report is not None:
                _link_report(session, visit.id, req.report.sha256)
            session.flush()
            _announce(session, visit, review)
            audit(session, p.username, "visit.review", "visit", visit.id, user_id=p.user_id,
                  device_id=p.device_id, decision=req.decision, review_id=review.id,
                  decided_at=review.decided_at.isoformat(),
                  final_classification=review.final_classification,
                  classification_reason=review.classification_reason,
                  comments=len(review.comments))
    except IntegrityError:
        # Two first decisions raced (the visit's row lock makes this rare): answer as the one
        # that was stored, or refuse as conflicting with it.
        same = _answer_stored(hq, p, visit_id, req)
        if same is not None:
            return same
        raise ApiError(409, "already_reviewed", ALREADY) from None
    return review_record(review, p.display_name)


def _check_version(visit: Visit, req: ReviewRequest, statuses: tuple[str, ...]) -> None:
    if visit.status not in statuses:
        raise ApiError(409, "not_reviewable", NOT_REVIEWABLE.format(
            **_in_both("status", _status(visit.status))), {"status": visit.status})
    if req.visit_version is not None and req.visit_version != visit.version:
        raise ApiError(409, "visit_changed", MOVED.format(v=visit.version),
                       {"server_version": visit.version})


def _attach_countersignature(session: Session, p: Principal, visit: Visit, review: Review,
                             report: ReportRecord) -> None:
    """The countersigned report joins the plain approval it confirms: a new version of the
    review, pulled by the officer (whose laptop then downloads the report)."""
    review.report = report.model_dump(mode="json")
    review.version += 1
    _link_report(session, visit.id, report.sha256)
    session.flush()
    _announce(session, visit, review)
    audit(session, p.username, "visit.countersign", "visit", visit.id, user_id=p.user_id,
          device_id=p.device_id, review_id=review.id, report_sha256=report.sha256,
          approved_at=review.decided_at.isoformat())


def _announce(session: Session, visit: Visit, review: Review) -> None:
    """The decision's new version, pulled by the officer who signed the visit and, after a
    handover, by the officer who holds it now (who revises a return)."""
    for officer_id in officers_told(session, visit):
        record_change(session, "review", review.id, review.version,
                      borrower_id=visit.borrower_id, officer_id=officer_id)


def _reviewer_name(session: Session, review: Review) -> str:
    return session.scalar(select(User.display_name).where(User.id == review.reviewer_id)) or ""


def _answer_stored(hq: Hq, p: Principal, visit_id: str, req: ReviewRequest
                   ) -> ReviewRecord | None:
    """The stored review if ``req`` is the same decision again, else None (or ApiError 409)."""
    with hq.db.read() as session:
        earlier = session.scalars(select(Review).where(Review.visit_id == visit_id)).first()
        if earlier is None:
            return None
        name = _reviewer_name(session, earlier)
        if _second_decision(earlier, p, req, name) is _Again.SAME:
            return review_record(earlier, name)
    return None


def _check_countersignature(hq: Hq, p: Principal, visit_id: str,
                            req: ReviewRequest) -> ReviewRecord | Signer:
    """The review already stored for this countersigned approval (the same answer again), or
    once the report is verified, the countersignature's certificate (to be claimed for the
    supervisor with the review); ApiError if it may not or cannot be accepted (a conflicting
    decision is refused before the slow verification)."""
    report = req.report
    assert report is not None
    with hq.db.read() as session:
        found = session.execute(
            select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
            .where(Visit.id == visit_id)
        ).first()
        if found is not None:
            _own_visit(p, found[0].officer_id)
        if found is None or not may_see_officer(p, found[0].officer_id, found[1]):
            raise not_found()
        visit = found[0]
        statuses: tuple[str, ...] = REVIEWABLE
        earlier = session.scalars(select(Review).where(Review.visit_id == visit_id)).first()
        if earlier is not None:
            name = _reviewer_name(session, earlier)
            if _second_decision(earlier, p, req, name) is _Again.SAME:
                return review_record(earlier, name)
            statuses = COUNTERSIGNABLE
        status, payload = visit.status, dict(visit.payload)
    if status not in statuses:
        raise ApiError(409, "not_reviewable", NOT_REVIEWABLE.format(
            **_in_both("status", _status(status))), {"status": status})
    if earlier is None:
        _check_against_visit(payload, req)
    signed = _officer_report(payload)
    if signed is None:
        raise ApiError(409, "no_signed_report", NO_SIGNED_REPORT)
    if unusable(hq, p, [report.sha256]):  # not complete, or neither p's nor readable
        raise ApiError(422, "missing_blobs", MISSING, {"missing_blobs": [report.sha256]})
    reason = check_countersigned(hq, report, signed)
    if reason is not None:
        raise ApiError(422, "rejected", reason)
    signer = countersigner(report_signers(hq, report.sha256))
    if signer is None:  # verified with two signatures, so not expected; refused all the same
        raise ApiError(422, "rejected", INVALID_REPORT)
    with hq.db.read_core() as conn:
        problem = signer_problem(conn, hq.settings, p.user_id, signer, COUNTERSIGNATURE)
    if problem is not None:
        raise ApiError(422, "wrong_signer", problem)
    return signer


def _officer_report(payload: dict[str, Any]) -> ReportRecord | None:
    """The officer's latest signed report in the stored visit."""
    signed = [ReportRecord.model_validate(r) for r in payload.get("reports", [])
              if r.get("stage") == "signed"]
    return max(signed, key=lambda r: r.signed_at) if signed else None


def _link_report(session: Session, visit_id: str, sha256: str) -> None:
    """The countersigned PDF belongs to the visit: whoever may see the visit may download it."""
    if session.get(VisitBlob, (visit_id, sha256)) is None:
        session.add(VisitBlob(visit_id=visit_id, sha256=sha256, kind="report"))
