"""Signing a visit's report and keeping the signed files.

Signed PDFs live in the data directory under reports/, named by their SHA-256, so a file is
never overwritten and its name is its fingerprint. Each step that can fail (the certificate,
rendering, signing) happens before the database changes; the database change (the Report
row plus the life-cycle step) is one transaction, and its failure removes the new file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.sign.signers import Signer
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.files import fsync_dir
from inspector_app.common.progress import Progress, fraction_progress
from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, Role, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.reports.certificate_files import check_certificate_owner
from inspector_app.reports.data import REPORT_TZ, ReportData, load_report_data
from inspector_app.reports.pdf import PROGRESS_STEPS, render_report
from inspector_app.reports.review_block import ReviewBlock
from inspector_app.reports.signing import (
    SignedInfo,
    SigningError,
    certify_report,
    countersign_report,
    load_signer,
)
from inspector_app.store.models import Report, User, Visit
from inspector_app.store.review import check_reviewer, record_review_in
from inspector_app.store.review_rows import Approval
from inspector_app.store.rows import Actor, ReportRow

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

SIGNED = "signed"
COUNTERSIGNED = "countersigned"


def reports_dir(data_dir: Path) -> Path:
    return data_dir / "reports"


def report_path(data_dir: Path, sha256: str) -> Path:
    return reports_dir(data_dir) / f"{sha256}.pdf"


def latest_report(store: LocalStore, visit_id: str) -> ReportRow | None:
    """The newest stored report of the visit (countersigned beats signed)."""
    return store.latest_report(visit_id)


def sign_visit(
    store: LocalStore,
    visit_id: str,
    officer: Actor,
    p12_path: Path,
    password: str,
    *,
    lang: str = "zh",
    handwritten_png: bytes | None = None,
    signed_at: datetime | None = None,
    progress: Progress | Callable[[float], None] | None = None,
) -> Report:
    """Render the completed visit's report, certify it with the officer's certificate, keep
    the file and mark the visit signed. SigningError/TransitionError change nothing.

    progress counts up to PROGRESS_STEPS (or is a progress(fraction) callback); signing is
    not cancelled half-way, so its cancel flag is not looked at."""
    steps = fraction_progress(progress)
    when = signed_at or datetime.now(REPORT_TZ)
    # The certificate first: a wrong password must not leave a half-done signing behind.
    signer = load_signer(p12_path, password, now=when)
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        if visit.status is not VisitStatus.COMPLETED:
            raise TransitionError(Text(
                f"只能签署已完成的检查（当前：{visit.status.zh}）",
                f"only a completed visit can be signed (this one is {visit.status})",
            ))
        if officer.role is not Role.OFFICER or visit.officer_id != officer.id:
            raise TransitionError(Text(
                "只有本次检查的客户经理可以签署",
                "only the visit's own officer can sign it",
            ))
        _check_owner(signer, s.get_one(User, officer.id), store.data_dir, OFFICER_WHOSE)
        supersedes = _previous_report_sha(s, visit)
    if handwritten_png is not None:
        with store.write() as s:  # still an unsigned visit: an ordinary edit
            s.get_one(Visit, visit_id).officer_signature_png = handwritten_png

    data = load_report_data(store, visit_id, lang, supersedes_sha256=supersedes)
    out, info = certify_rendered(store, data, signer, when, _share(steps, 0.0, 0.8))
    try:
        report = keep_report(store, out, visit_id, officer, SIGNED, lang, info.signer, when,
                             supersedes, VisitStatus.SIGNED)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    steps.report(PROGRESS_STEPS, PROGRESS_STEPS)
    return report


def certify_rendered(
    store: LocalStore, data: ReportData, signer: Signer, when: datetime,
    progress: Progress | None = None,
) -> tuple[Path, SignedInfo]:
    """The report of ``data`` (a completed visit: no watermark) rendered and certified by
    ``signer``, in a new file under reports/ that keep_report names by its hash."""
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as draft:
        rendered = render_report(data, store.photos, draft, draft=False, progress=progress)
        draft.seek(0)
        layout = rendered.signature_layout
        out = _new_report_file(store.data_dir)
        try:
            info = certify_report(
                draft.read(), out, signer, page=layout.page_index,
                officer_box=(*layout.officer_seal_box,),
                supervisor_box=(*layout.supervisor_seal_box,),
                review_boxes={name: (*box,) for name, box in layout.review_boxes.items()},
                signed_at=when, location=data.place,
            )
        except BaseException:
            out.unlink(missing_ok=True)
            raise
    return out, info


APPROVED_TEXT = Text("同意", "Approved")
CLASSIFICATION_REASON = Text("分类调整理由", "Reason for the classification")


def countersign_visit(
    store: LocalStore,
    visit_id: str,
    supervisor: Actor,
    p12_path: Path,
    password: str,
    *,
    approval: Approval | None = None,
    handwritten_png: bytes | None = None,
    signed_at: datetime | None = None,
) -> Report:
    """The supervisor approves a submitted visit and countersigns its signed report in the
    field left for it; the officer's signature stays valid (an incremental update).

    The countersignature fills the report's 复核确认 block (reviewer, date, decision, final
    classification, opinion: approval's) and shows ``handwritten_png`` in its seal; the
    decision is recorded (store.review.record_review_in) in the transaction that keeps the
    file and approves the visit. Without an approval, the supervisor confirms the officer's
    classification and gives no opinion. SigningError/TransitionError change nothing."""
    when = signed_at or datetime.now(REPORT_TZ)
    signer = load_signer(p12_path, password, now=when)
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        signed = s.scalar(
            select(Report).where(Report.visit_id == visit_id, Report.stage == SIGNED)
        )
        if signed is None:
            raise TransitionError(Text("该检查没有已签署的报告", "the visit has no signed report"))
        lang = signed.lang
        target = VisitStatus.APPROVED if visit.status is VisitStatus.SUBMITTED else None
        if target is None and visit.status is not VisitStatus.APPROVED:
            raise TransitionError(Text(
                f"只能复核已提交的检查（当前：{visit.status.zh}）",
                f"only a submitted visit can be countersigned (this one is {visit.status})",
            ))
        check_reviewer(visit, supervisor)  # before anything is signed
        _check_owner(signer, s.get_one(User, supervisor.id), store.data_dir, SUPERVISOR_WHOSE)
        officers = visit.final_classification or visit.recommended_classification
        if approval is None and officers is not None:
            approval = Approval(comment="", final_classification=officers)
        if approval is not None:
            _check_approval(approval, officers)
        reviewer_name = s.get_one(User, supervisor.id).display_name
    review = review_block(lang, reviewer_name or signer.subject_name or "", when, approval,
                          officers)
    out, info = countersign_file(store, signed.sha256, signer, when, review, handwritten_png)
    try:
        return keep_report(store, out, visit_id, supervisor, COUNTERSIGNED, lang, info.signer,
                           when, signed.supersedes_sha256, target,
                           approval=approval if target is not None else None)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def review_block(lang: str, reviewer_name: str, when: datetime, approval: Approval | None,
                 officers: Classification | None) -> ReviewBlock:
    """The 复核确认 block a countersignature fills: approval's classification and opinion
    (none given: the officer's classification confirmed, no opinion)."""
    return ReviewBlock(
        reviewer_name=reviewer_name,
        review_date=when.astimezone(REPORT_TZ).date(),
        decision=APPROVED_TEXT.in_(lang),
        final_classification=approval.final_classification.label(lang) if approval else "",
        opinion=_opinion(approval, officers, lang) if approval else "",
    )


def countersign_file(store: LocalStore, signed_sha256: str, signer: Signer, when: datetime,
                     review: ReviewBlock, handwritten_png: bytes | None
                     ) -> tuple[Path, SignedInfo]:
    """The kept signed report countersigned by ``signer``, in a new file under reports/ that
    keep_report names by its hash."""
    out = _new_report_file(store.data_dir)
    try:
        info = countersign_report(report_path(store.data_dir, signed_sha256), out, signer,
                                  signed_at=when, review=review, handwritten_png=handwritten_png)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out, info


OFFICER_WHOSE = Text("本次检查的客户经理", "the visit's officer")
SUPERVISOR_WHOSE = Text("复核人", "the reviewer")


def _check_owner(signer: Signer, user: User, data_dir: Path, whose: Text) -> None:
    """The certificate is the signing user's (certificate_files.check_certificate_owner)."""
    if signer.signing_cert is None:  # pragma: no cover - load_signer refuses this
        raise SigningError(Text("证书文件中没有证书", "the file has no certificate"))
    check_certificate_owner(signer.signing_cert.dump(), user.username, user.display_name,
                            data_dir, whose=whose)


def _check_approval(approval: Approval, officers: Classification | None) -> None:
    if not isinstance(approval.final_classification, Classification):
        raise TransitionError(Text("最终分类无效", "the final classification is not valid"))
    if (officers is not None and approval.final_classification is not officers
            and not approval.classification_reason.strip()):
        raise TransitionError(Text(
            f"最终分类与客户经理认定的{officers.zh}不同，请说明理由",
            f"the final classification differs from the officer's ({officers.en}): "
            "give a reason",
        ))


def _opinion(approval: Approval, officers: Classification | None, lang: str) -> str:
    """The 复核意见 as the report shows it: the comment, then why the classification
    differs from the officer's, if it does."""
    parts = [approval.comment.strip()]
    reason = approval.classification_reason.strip()
    if reason and approval.final_classification is not officers:
        colon = "：" if lang == "zh" else ": "
        parts.append(f"{CLASSIFICATION_REASON.in_(lang)}{colon}{reason}")
    return "\n".join(p for p in parts if p)


def keep_report(
    store: LocalStore,
    signed_file: Path,
    visit_id: str,
    user: Actor,
    stage: str,
    lang: str,
    signer_name: str,
    when: datetime,
    supersedes: str | None,
    target: VisitStatus | None,
    *,
    approval: Approval | None = None,
) -> Report:
    """Name the signed file by its hash and record it, with the life-cycle step (and the
    supervisor's decision, given an approval), at once; the audit entry is dated ``when``."""
    data = signed_file.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    final = report_path(store.data_dir, sha)
    os.replace(signed_file, final)
    fsync_dir(final.parent)  # the name is durable before the row that points at it
    try:
        with store.write() as s:
            report = Report(
                visit_id=visit_id, stage=stage, sha256=sha, size_bytes=len(data), lang=lang,
                signer_user_id=user.id, signer_name=signer_name, signed_at=when,
                supersedes_sha256=supersedes,
            )
            s.add(report)
            s.flush()
            entry = store.audit(s, user.id, f"report.{stage}", "report", report.id,
                                visit=visit_id, sha256=sha)
            entry.at = when
            if approval is not None:
                _record_approval(s, s.get_one(Visit, visit_id), user, approval, when)
            if target is not None:
                store.transition_in(s, s.get_one(Visit, visit_id), user, target)
    except BaseException:
        final.unlink(missing_ok=True)  # the row was rolled back with it
        raise
    return report


def _record_approval(session: Session, visit: Visit, reviewer: Actor, approval: Approval,
                     when: datetime) -> None:
    """The decision, as the store keeps reviews (PENDING until the sync sends it)."""
    record_review_in(
        session, visit, reviewer, decision="approved", comment=approval.comment,
        final_classification=approval.final_classification,
        classification_reason=approval.classification_reason, comments=(), when=when,
    )


def _new_report_file(data_dir: Path) -> Path:
    directory = reports_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=".signing-", suffix=".pdf")
    os.close(fd)
    os.unlink(name)  # the signer writes it (via its own temp file and rename)
    return Path(name)


def _previous_report_sha(session: Session, visit: Visit) -> str | None:
    """For a revision: the hash of the report of the visit it corrects, if it had one."""
    if visit.previous_revision_id is None:
        return None
    return session.scalar(
        select(Report.sha256)
        .where(Report.visit_id == visit.previous_revision_id)
        .order_by(Report.signed_at.desc())
        .limit(1)
    )


def _share(progress: Progress, start: float, end: float) -> Progress:
    """A Progress for one stage, reported to progress as the share from start to end."""
    return Progress(lambda step: progress.report(
        int((start + (end - start) * step.fraction) * PROGRESS_STEPS), PROGRESS_STEPS))

