"""Countersigned reports between laptops: the supervisor's approval goes up, the report comes
down to the officer. A part of SyncClient (a mixin), kept apart to keep the client readable.

Up (the supervisor's laptop): countersigning writes a "countersign" outbox row in the same
transaction as the approval (store.outbox). After the files went up (the countersigned PDF is
an ordinary queued blob), the approval is posted as a review carrying the report's record;
headquarters verifies the PDF and answers the same review to a repeat, so a lost answer is
simply asked again. Only a confirmed answer removes the row, with the visit's own outbox row:
a supervisor cannot push an officer's visit, and the decision now stands at headquarters.

Down (the officer's laptop): a pulled review that names a countersigned report this laptop
does not have leaves a "report_fetch" row (sync.pull); the PDF is downloaded, its hash and
size checked, and only then recorded as the visit's report, so "latest report" is never a
file that is not on disk.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.common.files import atomic_write
from inspector_app.domain.enums import VisitStatus
from inspector_app.reports.files import report_path, reports_dir
from inspector_app.store import outbox
from inspector_app.store.models import ReferenceDoc, Report, User, Visit
from inspector_app.sync.errors import ServerError, error_body, server_message
from inspector_app.sync.mapping import visit_label
from inspector_app.sync.report import Reason, SyncIssue, SyncReport, What
from inspector_app.sync.review_apply import (
    answered_review,
    keep_headquarters_review,
    pending_decision,
)

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

NOT_DOWNLOADED = ("总行的会签报告未能下载 / the countersigned report from headquarters could "
                  "not be downloaded")
UNKNOWN_REVIEWER = ("会签人不在本机的用户中，下次同步后再试 / the countersigning supervisor is not "
                    "among this laptop's users yet; it is tried again next sync")


class ApprovalTransfer:
    """SyncClient's countersign and report-fetch steps (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport
        _current: tuple[str, str] | None

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _send_missing(self, missing: list[str], failed_blobs: set[str]) -> bool: ...

        def _check_cancelled(self) -> None: ...

        def _refused_as_conflict(self, r: httpx.Response, visit_id: str, label: str,
                                 rows: tuple[str, ...]) -> bool: ...

    # -- up: the supervisor's countersigned approvals -----------------------------------------

    def _countersigned_visits(self) -> set[str]:
        with self.store.read() as s:
            return {row.ref for row in outbox.pending(s, outbox.COUNTERSIGN)}

    def _send_countersignatures(self, failed_blobs: set[str]) -> None:
        for visit_id in sorted(self._countersigned_visits()):
            self._check_cancelled()
            self._send_countersignature(visit_id, failed_blobs, fetch_missing=True)

    def _send_countersignature(self, visit_id: str, failed_blobs: set[str], *,
                               fetch_missing: bool) -> None:
        self._current = (outbox.COUNTERSIGN, visit_id)
        with self.store.read() as s:
            report = s.scalar(
                select(Report).where(Report.visit_id == visit_id,
                                     Report.stage == outbox.COUNTERSIGNED)
                .order_by(Report.signed_at.desc()).limit(1))
            label = visit_label(s, visit_id)
        if report is None:  # nothing countersigned any more: nothing to send
            with outbox.quiet_write(self.store) as s:
                outbox.remove(s, outbox.COUNTERSIGN, visit_id)
            return
        if report.sha256 in failed_blobs:
            self._approval_failed(visit_id, label, Reason.WAITING)
            return
        with self.store.read() as s:
            body = _approval_request(s, visit_id, report)
        try:
            r = self._send("POST", f"{wire.API}/visits/{visit_id}/review",
                           json=body.model_dump(mode="json"))
        except ServerError as exc:
            self._approval_failed(visit_id, label, Reason.SERVER_ERROR, server_message(exc.args[0]))
            return
        if r.status_code in (200, 201):
            record = answered_review(r.content)
            with outbox.quiet_write(self.store) as s:
                if record is not None:
                    keep_headquarters_review(s, record)
                outbox.remove(s, outbox.COUNTERSIGN, visit_id)
                outbox.remove(s, outbox.VISIT, visit_id)
            self._report.approvals_sent += 1
            self._current = None
            return
        refused = error_body(r)
        missing = refused.detail.get("missing_blobs") if refused is not None else None
        if fetch_missing and isinstance(missing, list) and missing:
            if self._send_missing([str(m) for m in missing], failed_blobs):
                self._send_countersignature(visit_id, failed_blobs, fetch_missing=False)
            else:
                self._approval_failed(visit_id, label, Reason.WAITING)
            return
        if self._refused_as_conflict(r, visit_id, label, (outbox.COUNTERSIGN, outbox.VISIT)):
            return
        self._approval_failed(visit_id, label, Reason.REJECTED, server_message(r))

    def _approval_failed(self, visit_id: str, label: str, reason: Reason,
                         message: str = "") -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.COUNTERSIGN, visit_id, message or reason.value)
        self._report.issues.append(SyncIssue(What.APPROVAL, visit_id, reason, message, label))
        self._current = None

    # -- down: countersigned reports for the officer ------------------------------------------

    def _fetch_reports(self) -> None:
        with self.store.read() as s:
            refs = [row.ref for row in outbox.pending(s, outbox.FETCH)]
        for review_id in refs:
            self._check_cancelled()
            self._fetch_report(review_id)

    def _fetch_report(self, review_id: str) -> None:
        self._current = (outbox.FETCH, review_id)
        with self.store.read() as s:
            doc = s.get(ReferenceDoc, ("review", review_id))
            data = {} if doc is None or doc.deleted else dict(doc.data)
            try:
                record = wire.ReportRecord.model_validate(data.get("report"))
            except ValidationError:
                record = None
            visit = s.get(Visit, str(data.get("visit_id", "")))
            have = record is not None and s.scalar(
                select(Report.id).where(Report.sha256 == record.sha256)) is not None
            reviewer = data.get("reviewer_id")
            known = reviewer is not None and s.get(User, str(reviewer)) is not None
        if record is None or visit is None or have:
            self._fetched(review_id)
            return
        if not known:
            self._fetch_failed(review_id, UNKNOWN_REVIEWER)
            return
        try:
            r = self._send("GET", f"{wire.API}/blobs/{record.sha256}")
        except ServerError as exc:
            self._fetch_failed(review_id, server_message(exc.args[0]))
            return
        if r.status_code != 200:
            self._fetch_failed(review_id, server_message(r))
            return
        content = r.content
        if (len(content) != record.size_bytes
                or hashlib.sha256(content).hexdigest() != record.sha256):
            self._fetch_failed(review_id, "文件与其校验值不符 / the file does not match its hash")
            return
        _write_report_file(self.store, record.sha256, content)
        with outbox.quiet_write(self.store) as s:
            if s.scalar(select(Report.id).where(Report.sha256 == record.sha256)) is None:
                s.add(Report(visit_id=visit.id, stage=record.stage, sha256=record.sha256,
                             size_bytes=record.size_bytes, lang=record.lang,
                             signer_user_id=str(reviewer), signer_name=record.signer_name,
                             signed_at=record.signed_at,
                             supersedes_sha256=record.supersedes_sha256))
            outbox.remove(s, outbox.FETCH, review_id)
        self._report.reports_received += 1
        self._current = None

    def _fetched(self, review_id: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.remove(s, outbox.FETCH, review_id)
        self._current = None

    def _fetch_failed(self, review_id: str, message: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.FETCH, review_id, message)
        issue = SyncIssue(What.UPDATES, "", Reason.REJECTED, f"{NOT_DOWNLOADED}: {message}")
        if issue not in self._report.issues:
            self._report.issues.append(issue)
        self._current = None


def _approval_request(session: Session, visit_id: str, report: Report) -> wire.ReviewRequest:
    """The countersigned approval with what the supervisor decided on this laptop (复核意见,
    the final classification and its reason, when): from the local review if countersigning
    recorded one (sync.review_apply), else the countersignature alone, decided when signed."""
    record = wire.ReportRecord(
        id=report.id, stage=report.stage, sha256=report.sha256, size_bytes=report.size_bytes,
        lang=report.lang, signer_name=report.signer_name, signed_at=report.signed_at,
        supersedes_sha256=report.supersedes_sha256)
    review = pending_decision(session, visit_id)
    if review is None or review.decision != VisitStatus.APPROVED.value:
        return wire.ReviewRequest(decision="approved", report=record,
                                  decided_at=report.signed_at)
    final = review.final_classification
    return wire.ReviewRequest(
        decision="approved", report=record, comment=review.comment,
        final_classification=None if final is None else final.value,
        classification_reason=review.classification_reason,
        decided_at=review.decided_at or report.signed_at)


def _write_report_file(store: LocalStore, sha256: str, content: bytes) -> None:
    """The PDF under its hash, whole or not at all (a temporary file renamed into place)."""
    directory = reports_dir(store.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(report_path(store.data_dir, sha256), content, prefix=".fetching-",
                 suffix=".pdf")
