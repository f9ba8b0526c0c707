"""SyncClient's visit step: every queued visit goes up as a document on the version it was
based on, oldest revision first; what the server answers decides what is kept.

A part of SyncClient (a mixin), kept apart to keep the client readable. A document is
remembered until its answer is in, so a lost answer is settled by sending it again on the same
base version; the outbox row goes only once the server holds the current content. A visit
signed on this laptop becomes "submitted" when headquarters confirms it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.enums import VisitStatus
from inspector_app.store import outbox
from inspector_app.store.models import User, Visit, VisitSync
from inspector_app.sync.errors import ServerError as _ServerError
from inspector_app.sync.errors import error_body as _error_body
from inspector_app.sync.errors import server_message as _message
from inspector_app.sync.mapping import blob_refs, payload_sha256, visit_record
from inspector_app.sync.mapping import visit_label as _visit_label
from inspector_app.sync.report import Reason, SyncIssue, SyncProgress, SyncReport, What
from inspector_app.sync.uploads import QueuedFile, resolve_queued_file

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

SUBMITTED_REASON = Text("总行已确认收到", "confirmed by headquarters")  # the step's reason


class VisitPushes:
    """SyncClient's visit push step (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport
        _current: tuple[str, str] | None
        _confirmed: set[str]

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _check_cancelled(self) -> None: ...

        _progress: Callable[[SyncProgress], None]

        def _upload(self, blob: QueuedFile, done: int = 0, total: int = 1) -> bool: ...

        def _countersigned_visits(self) -> set[str]: ...

        def _team_visit_rows(self, refs: list[str]) -> set[str]: ...

        def _send_decisions(self, visit_ids: set[str]) -> None: ...

    # -- visits ---------------------------------------------------------------------------

    def _push_visits(self, failed_blobs: set[str]) -> None:
        # A visit this laptop countersigned goes up as that approval, never as a push (which
        # is its officer's): its row leaves with the confirmed approval.
        approvals = self._countersigned_visits()
        with self.store.read() as s:
            rows = [r for r in outbox.pending(s, outbox.VISIT) if r.ref not in approvals]
        # Another officer's visit (on a supervisor's laptop) goes up as a decision, not a push.
        decisions = self._team_visit_rows([r.ref for r in rows])
        self._send_decisions(decisions)
        rows = [r for r in rows if r.ref not in decisions]
        with self.store.read() as s:
            revision = {v.id: v.revision for v in s.scalars(
                select(Visit).where(Visit.id.in_([r.ref for r in rows])))}
        # A corrected visit refers to the revision before it: send the older ones first.
        rows.sort(key=lambda r: revision.get(r.ref, 0))
        for done, row in enumerate(rows):
            self._check_cancelled()
            self._progress(SyncProgress("push", done, len(rows), row.ref))
            self._push(row.ref, failed_blobs, fetch_missing=True)
        if rows:
            self._progress(SyncProgress("push", len(rows), len(rows)))

    def _push(self, visit_id: str, failed_blobs: set[str], *, fetch_missing: bool) -> None:
        self._current = (outbox.VISIT, visit_id)
        with self.store.read() as s:
            record = visit_record(s, visit_id)
            acked = s.get(VisitSync, visit_id)
            label = _visit_label(s, visit_id)
        if record is None:  # the visit is gone; there is nothing to send
            with outbox.quiet_write(self.store) as s:
                outbox.remove(s, outbox.VISIT, visit_id)
            return
        if acked is not None and acked.unanswered is not None:
            if not self._settle_unanswered(acked, label):
                return
            with self.store.read() as s:
                acked = s.get(VisitSync, visit_id)
        sha = payload_sha256(record)
        if acked is not None and acked.acked_payload_sha256 == sha:
            # Edited and changed back, or confirmed by a run that stopped before tidying up.
            self._acknowledge(record, sha, acked.acked_version)
            return
        if failed_blobs.intersection(blob_refs(record)):
            self._visit_failed(visit_id, label, Reason.WAITING)
            return
        base = acked.acked_version if acked is not None else 0
        r = self._put(record, base, label)
        if r is None:
            return
        result = _push_result(r, visit_id)
        if r.status_code == 200 and result.status in ("stored", "unchanged"):
            self._acknowledge(record, sha, result.server_version, confirmed=True)
            return
        self._set_unanswered(visit_id, None)  # a definite "no": the server did not store it
        if r.status_code == 409 or result.status == "conflict":
            self._conflict(visit_id, label, result.message)
        elif result.missing_blobs and fetch_missing:
            if self._send_missing(result.missing_blobs, failed_blobs):
                self._push(visit_id, failed_blobs, fetch_missing=False)
            else:
                self._visit_failed(visit_id, label, Reason.WAITING)
        else:
            self._visit_failed(visit_id, label, Reason.REJECTED, result.message or _message(r))
        self._current = None

    def _put(self, record: wire.VisitRecord, base: int, label: str) -> httpx.Response | None:
        """Send the document, remembering it until the answer is in: if the answer is lost,
        the server may hold it as a new version this laptop does not know about."""
        self._set_unanswered(record.id, record.model_dump(mode="json"))
        body = wire.VisitPush(base_version=base, visit=record)
        try:
            return self._send("PUT", f"{wire.API}/visits/{record.id}",
                              json=body.model_dump(mode="json"))
        except _ServerError as exc:
            self._visit_failed(record.id, label, Reason.SERVER_ERROR, _message(exc.args[0]))
            return None

    def _settle_unanswered(self, acked: VisitSync, label: str) -> bool:
        """Send again the document whose answer was lost, on the same base version: the server
        answers "unchanged" (with its version) if it had stored it. False if the visit cannot
        go further in this run."""
        sent = wire.VisitRecord.model_validate(acked.unanswered)
        r = self._put(sent, acked.acked_version, label)
        if r is None:
            return False
        result = _push_result(r, sent.id)
        if r.status_code == 200 and result.status in ("stored", "unchanged"):
            self._acknowledge(sent, payload_sha256(sent), result.server_version, confirmed=True)
            return True
        self._set_unanswered(sent.id, None)
        if r.status_code == 409 or result.status == "conflict":
            self._conflict(sent.id, label, result.message)
            return False
        return True  # it was never stored; the current document goes instead

    def _set_unanswered(self, visit_id: str, document: dict[str, Any] | None) -> None:
        with outbox.quiet_write(self.store) as s:
            row = s.get(VisitSync, visit_id)
            if row is None:
                if document is None:
                    return
                row = VisitSync(visit_id=visit_id, acked_version=0)
                s.add(row)
            row.unanswered = document

    def _conflict(self, visit_id: str, label: str, message: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_conflict(s, visit_id, message or Reason.CONFLICT.value)
        self._report.issues.append(
            SyncIssue(What.VISIT, visit_id, Reason.CONFLICT, message, label))
        self._current = None

    def _send_missing(self, missing: list[str], failed_blobs: set[str]) -> bool:
        """The server lacks some of the visit's files: queue and send them now."""
        with outbox.quiet_write(self.store) as s:
            outbox.enqueue(s, outbox.BLOB, missing)
        ok = True
        for sha in missing:
            with self.store.read() as s:
                blob = resolve_queued_file(self.store, s, sha)
            if blob is None or not self._upload(blob):
                failed_blobs.add(sha)
                ok = False
        return ok

    def _acknowledge(self, pushed: wire.VisitRecord, sha: str, server_version: int, *,
                     confirmed: bool = False) -> None:
        """The server holds this content: remember it, and only now let the outbox row go.
        ``confirmed``: the server said so in this run (counted as sent)."""
        if confirmed:
            self._confirmed.add(pushed.id)
            self._report.visits_sent = len(self._confirmed)
        with outbox.quiet_write(self.store) as s:
            s.merge(VisitSync(visit_id=pushed.id, acked_version=server_version,
                              acked_payload_sha256=sha, acked_at=utcnow(), unanswered=None))
            current = visit_record(s, pushed.id)
            # An edit made while the push was on its way stays queued for the next run.
            if current is not None and payload_sha256(current) == sha:
                outbox.remove(s, outbox.VISIT, pushed.id)
            visit = s.get(Visit, pushed.id)
            if (pushed.status == VisitStatus.SIGNED.value and visit is not None
                    and visit.status is VisitStatus.SIGNED):
                officer = s.get_one(User, visit.officer_id)
                self.store.transition_in(s, visit, officer, VisitStatus.SUBMITTED,
                                         str(SUBMITTED_REASON))

    def _visit_failed(self, visit_id: str, label: str, reason: Reason, message: str = "") -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.VISIT, visit_id, message or reason.value)
        self._report.issues.append(SyncIssue(What.VISIT, visit_id, reason, message, label))
        self._current = None


def _push_result(r: httpx.Response, visit_id: str) -> wire.PushResult:
    """The PushResult of a PUT, also when a refusal came as an ErrorBody (the wire allows
    both): the missing blobs are then looked for in its detail."""
    try:
        return wire.PushResult.model_validate_json(r.content)
    except ValidationError:
        pass
    body = _error_body(r)
    detail = body.detail if body is not None else {}
    missing = detail.get("missing_blobs") or []
    return wire.PushResult(
        visit_id=visit_id, status="rejected", server_version=0,
        missing_blobs=[str(m) for m in missing] if isinstance(missing, list) else [],
        message=body.message if body is not None else "",
    )
