"""The laptop's side of sync: register once, then pull, upload files, push visits, pull again.

A plain core object (no Qt) whose run takes a Progress, run off the GUI thread. Every
step is safe to interrupt anywhere: a row leaves the outbox only after the server confirmed
it, a pulled page is applied together with its cursor, and a file upload resumes from the
offset the server reports. Network failures are retried with a bounded exponential back-off;
what still fails stays in the outbox for next time and is explained in the SyncReport.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.common import passwords
from inspector_app.common.clock import utcnow
from inspector_app.common.progress import NO_PROGRESS, Cancelled, Progress
from inspector_app.domain.enums import VisitStatus
from inspector_app.reports.files import report_path
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Photo, Report, SyncState, User, Visit, VisitSync
from inspector_app.sync.approvals import ApprovalTransfer
from inspector_app.sync.errors import ServerError as _ServerError
from inspector_app.sync.errors import Unreachable as _Unreachable
from inspector_app.sync.errors import error_body as _error_body
from inspector_app.sync.errors import error_code as _error_code
from inspector_app.sync.errors import server_message as _message
from inspector_app.sync.mapping import blob_refs, payload_sha256, visit_record
from inspector_app.sync.mapping import visit_label as _visit_label
from inspector_app.sync.pull import apply_changes, upsert_registered_user
from inspector_app.sync.report import (
    Reason,
    SyncIssue,
    SyncProgress,
    SyncReport,
    What,
)
from inspector_app.sync.team import TeamTransfer

MAX_BACKOFF = 30.0  # seconds; the longest single wait between two tries
SUBMITTED_REASON = "总行已确认收到 / confirmed by headquarters"
UNREACHABLE_MESSAGE = (
    "无法连接总行服务器，请检查网络后重试 / the headquarters server is unreachable; check the "
    "network and try again"
)
NOT_REGISTERED_MESSAGE = (
    "此电脑尚未在总行登记：首次同步请提供用户名和密码 / this laptop is not registered with "
    "headquarters yet: the first sync needs your username and password"
)


class SyncError(RuntimeError):
    """Sync could not start or registration failed; the message is for the officer."""


class _Revoked(Exception):
    pass


class _Unauthorized(Exception):
    pass


@dataclass(frozen=True)
class _Blob:
    sha256: str
    what: What
    path: Path | None  # None: the file is gone from this laptop
    label: str


class SyncClient(ApprovalTransfer, TeamTransfer):
    """Talks the wire protocol (inspector_app.wire) to one headquarters server."""

    def __init__(
        self,
        store: LocalStore,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        chunk_bytes: int = wire.CHUNK_BYTES,
        retries: int = 5,
        backoff: float = 0.5,
    ) -> None:
        if chunk_bytes <= 0 or retries < 0 or backoff < 0:
            raise ValueError("chunk_bytes must be positive, retries and backoff not negative")
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.chunk_bytes = chunk_bytes
        self.retries = retries
        self.backoff = backoff
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport,
            timeout=httpx.Timeout(60.0, connect=10.0),
        )
        self._token = ""
        self._steps: Progress = NO_PROGRESS
        self._report = SyncReport()
        self._current: tuple[str, str] | None = None  # the outbox row being worked on
        self._confirmed: set[str] = set()  # visits the server confirmed in this run

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- registration ----------------------------------------------------------------------

    def is_registered(self) -> bool:
        with self.store.read() as s:
            return s.get(SyncState, 1) is not None

    def register(self, username: str, password: str, device_name: str) -> wire.RegisterResponse:
        """First sign-in on this laptop, online: keep the device token and the user (with a
        local password hash, so the same password works offline). Raises SyncError."""
        body = wire.RegisterRequest(username=username, password=password,
                                    device_name=device_name)
        try:
            r = self._send("POST", f"{wire.API}/devices/register",
                           json=body.model_dump(mode="json"), authorised=False)
        except _Unreachable:
            raise SyncError(UNREACHABLE_MESSAGE) from None
        except _ServerError as exc:
            raise SyncError(_message(exc.args[0])) from None
        if r.status_code not in (200, 201):
            raise SyncError(_message(r))
        answer = wire.RegisterResponse.model_validate_json(r.content)
        with outbox.quiet_write(self.store) as s:
            other = s.scalar(select(User.id).where(User.username == answer.user.username,
                                                   User.id != answer.user.id))
            if other is not None:
                name = answer.user.username
                raise SyncError(
                    f"本机已有另一个名为“{name}”的用户（不是总行的数据），无法登记 / another "
                    f"local user is called “{name}” (data not from headquarters, e.g. the "
                    f"demo); use a fresh data directory")
            upsert_registered_user(s, answer.user, passwords.hash_password(password))
            s.merge(SyncState(
                id=1, server_url=self.base_url, device_id=answer.device_id, token=answer.token,
                user_id=answer.user.id, cursor=0, last_sync_at=None, revoked=False,
            ))
        return answer

    # -- one sync run -----------------------------------------------------------------------

    def sync(
        self,
        progress: Progress | Callable[[SyncProgress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """Pull, upload files, push visits, pull again; what failed stays queued. SyncError
        if this laptop was never registered.

        Each report to progress carries the step's SyncProgress as its detail (its label: the
        file or visit being sent); a cancelled progress ends the run at the next step, with
        the report saying so. (A progress(SyncProgress) callback with a cancelled() one is
        still accepted.)"""
        with self.store.read() as s:
            state = s.get(SyncState, 1)
        if state is None:
            raise SyncError(NOT_REGISTERED_MESSAGE)
        self._report = report = SyncReport()
        self._confirmed = set()
        if state.revoked:
            report.revoked = True
            return report
        self._token = state.token
        self._steps = sync_progress(progress, cancelled)
        stage = "pull"
        try:
            self._pull()
            stage = "upload"
            failed = self._upload_blobs()
            stage = "push"
            self._send_countersignatures(failed)
            self._push_visits(failed)
            stage = "pull"
            self._pull()
            self._pull_team_visits()
            self._fetch_reports()
            self._fetch_team_files()
            with outbox.quiet_write(self.store) as s:
                s.get_one(SyncState, 1).last_sync_at = utcnow()
        except _Revoked:
            report.revoked = True
            with outbox.quiet_write(self.store) as s:
                s.get_one(SyncState, 1).revoked = True
        except _Unauthorized:
            report.issues.append(SyncIssue(What.UPDATES, "", Reason.UNAUTHORIZED))
        except Cancelled:
            report.cancelled = True
        except _Unreachable:
            self._gave_up(stage)
        finally:
            self._current = None
        return report

    def _gave_up(self, stage: str) -> None:
        """The server is unreachable: say so for everything still queued, try nothing more."""
        report = self._report
        if self._current is not None:
            with outbox.quiet_write(self.store) as s:
                outbox.record_failure(s, *self._current, UNREACHABLE_MESSAGE)
        if stage == "pull":
            self._updates_failed(Reason.UNREACHABLE, "")
        reported = {i.ref for i in report.issues}
        with self.store.read() as s:
            for row in outbox.pending(s, outbox.BLOB):
                if row.ref not in reported:
                    blob = _resolve_blob(self.store, s, row.ref)
                    what = blob.what if blob else What.PHOTO
                    label = blob.label if blob else row.ref
                    report.issues.append(SyncIssue(what, row.ref, Reason.UNREACHABLE,
                                                   label=label))
            approvals = {row.ref for row in outbox.pending(s, outbox.COUNTERSIGN)}
            for ref in sorted(approvals - reported):
                report.issues.append(SyncIssue(What.APPROVAL, ref, Reason.UNREACHABLE,
                                               label=_visit_label(s, ref)))
            for row in outbox.pending(s, outbox.VISIT):
                if row.ref not in reported and row.ref not in approvals:
                    report.issues.append(SyncIssue(What.VISIT, row.ref, Reason.UNREACHABLE,
                                                   label=_visit_label(s, row.ref)))

    # -- pull ----------------------------------------------------------------------------------

    def _pull(self) -> None:
        while True:
            with self.store.read() as s:
                cursor = s.get_one(SyncState, 1).cursor
            try:
                r = self._send("GET", f"{wire.API}/pull", params={"cursor": cursor})
            except _ServerError as exc:
                self._updates_failed(Reason.SERVER_ERROR, _message(exc.args[0]))
                return
            if r.status_code != 200:
                self._updates_failed(Reason.REJECTED, _message(r))
                return
            page = wire.PullResponse.model_validate_json(r.content)
            if page.revoked:
                raise _Revoked()
            try:
                # The page and its cursor in one transaction: applied whole, or not at all.
                with outbox.quiet_write(self.store) as s:
                    applied = apply_changes(s, page.changes, self.store.policy)
                    s.get_one(SyncState, 1).cursor = page.cursor
            except (SQLAlchemyError, ValueError, TypeError) as exc:
                cause = getattr(exc, "orig", None) or exc  # the database's words, not the SQL
                self._updates_failed(
                    Reason.REJECTED,
                    f"总行的更新无法应用 / an update from headquarters could not be applied: "
                    f"{cause}")
                return
            self._report.pulled += applied
            self._progress(SyncProgress("pull", self._report.pulled, 0))
            # A server that says "more" without moving its cursor would keep us here forever.
            if not page.more or page.cursor <= cursor:
                return
            self._check_cancelled()

    def _updates_failed(self, reason: Reason, message: str) -> None:
        issue = SyncIssue(What.UPDATES, "", reason, message)
        if issue not in self._report.issues:  # the second pull of a run often fails alike
            self._report.issues.append(issue)

    # -- files ----------------------------------------------------------------------------

    def _upload_blobs(self) -> set[str]:
        """Send every queued file, photos first; returns the hashes that did not go."""
        with self.store.read() as s:
            queued = {row.ref: _resolve_blob(self.store, s, row.ref)
                      for row in outbox.pending(s, outbox.BLOB)}
        orphans = [sha for sha, blob in queued.items() if blob is None]
        if orphans:  # no photo or report names it any more: nothing to send
            with outbox.quiet_write(self.store) as s:
                for sha in orphans:
                    outbox.remove(s, outbox.BLOB, sha)
        blobs = sorted((b for b in queued.values() if b is not None),
                       key=lambda b: b.what is not What.PHOTO)
        failed: set[str] = set()
        for done, blob in enumerate(blobs):
            self._check_cancelled()
            self._progress(SyncProgress("upload", done, len(blobs), blob.label))
            if not self._upload(blob, done, len(blobs)):
                failed.add(blob.sha256)
        if blobs:
            self._progress(SyncProgress("upload", len(blobs), len(blobs)))
        return failed

    def _upload(self, blob: _Blob, done: int = 0, total: int = 1) -> bool:
        """One file, resumably; True once the server holds all of it (outbox row removed)."""
        self._current = (outbox.BLOB, blob.sha256)
        if blob.path is None or not blob.path.exists():
            return self._blob_failed(blob, Reason.MISSING_FILE)
        try:
            refusal = self._send_blob(blob, blob.path, done, total)
        except _ServerError as exc:
            return self._blob_failed(blob, Reason.SERVER_ERROR, _message(exc.args[0]))
        if refusal is not None:
            reason, message = refusal
            return self._blob_failed(blob, reason, message)
        with outbox.quiet_write(self.store) as s:
            outbox.remove(s, outbox.BLOB, blob.sha256)
        if blob.what is What.PHOTO:
            self._report.photos_sent += 1
        else:
            self._report.reports_sent += 1
        self._current = None
        return True

    def _send_blob(self, blob: _Blob, path: Path, done: int,
                   total: int) -> tuple[Reason, str] | None:
        """Ask the server how much it holds, send the rest; after any failure ask again.
        None once the server has taken the last byte, else why it refused the file."""
        url = f"{wire.API}/blobs/{blob.sha256}"
        size = path.stat().st_size
        failures = 0
        while True:
            head = self._send("HEAD", url)
            if head.status_code == 200:
                return None
            if head.status_code not in (404, 206):
                return Reason.REJECTED, _message(head)
            offset = int(head.headers.get("Upload-Offset", 0)) if head.status_code == 206 else 0
            if offset >= size:  # "partial" yet holding it all: completion is the server's word
                return Reason.REJECTED, _message(head)
            r, moved = self._send_from(url, path, offset, size,
                                       lambda at: SyncProgress("upload", done, total,
                                                               blob.label, at, size))
            if r is not None and r.status_code in (200, 204):
                return None
            if r is not None and r.status_code == 413:
                return Reason.TOO_LARGE, _message(r)
            if r is not None and r.status_code < 500 and r.status_code != 409:
                return Reason.REJECTED, _message(r)
            # Cut off, 5xx, or 409 (the server holds another offset): ask again where it is.
            failures = 1 if moved else failures + 1
            if failures > self.retries:
                if r is None:
                    raise _Unreachable()
                raise _ServerError(r)
            self._sleep(self._delay(failures - 1))

    def _send_from(
        self, url: str, path: Path, offset: int, size: int,
        progress: Callable[[int], SyncProgress],
    ) -> tuple[httpx.Response | None, bool]:
        """PATCH chunks from offset until the end or the first failure: (the last response,
        None if the connection failed; whether any chunk was taken)."""
        moved = False
        with path.open("rb") as f:
            while True:
                self._check_cancelled()
                f.seek(offset)
                chunk = f.read(self.chunk_bytes)
                try:
                    r = self._http.patch(url, content=chunk, headers={
                        **self._auth(), "Upload-Offset": str(offset),
                        "Upload-Length": str(size),
                        "Content-Type": "application/offset+octet-stream",
                    })
                except httpx.TransportError:
                    return None, moved
                self._check_auth(r)
                if r.status_code not in (200, 204):
                    return r, moved
                moved = True
                offset = int(r.headers.get("Upload-Offset", offset + len(chunk)))
                self._progress(progress(offset))
                if offset >= size:
                    return r, moved

    def _blob_failed(self, blob: _Blob, reason: Reason, message: str = "") -> bool:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.BLOB, blob.sha256, message or reason.value)
        self._report.issues.append(SyncIssue(blob.what, blob.sha256, reason, message,
                                             blob.label))
        self._current = None
        return False

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
                blob = _resolve_blob(self.store, s, sha)
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
                                         SUBMITTED_REASON)

    def _visit_failed(self, visit_id: str, label: str, reason: Reason, message: str = "") -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.VISIT, visit_id, message or reason.value)
        self._report.issues.append(SyncIssue(What.VISIT, visit_id, reason, message, label))
        self._current = None

    # -- HTTP with retries ------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _send(self, method: str, url: str, *, authorised: bool = True,
              **kwargs: Any) -> httpx.Response:
        """One request, tried again on transport errors and 5xx with a growing pause."""
        headers = self._auth() if authorised else {}
        last: httpx.Response | None = None
        for attempt in range(self.retries + 1):
            self._check_cancelled()
            if attempt:
                self._sleep(self._delay(attempt - 1))
            try:
                r = self._http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError:
                last = None
                continue
            if r.status_code < 500:
                if authorised:
                    self._check_auth(r)
                return r
            last = r
        if last is None:
            raise _Unreachable()
        raise _ServerError(last)

    def _check_auth(self, r: httpx.Response) -> None:
        if r.status_code == 401:
            raise _Unauthorized()
        if r.status_code == 403 and _error_code(r) == "device_revoked":
            raise _Revoked()

    def _delay(self, attempt: int) -> float:
        return min(self.backoff * 2.0**attempt, MAX_BACKOFF)  # float power: int**int is Any

    def _sleep(self, seconds: float) -> None:
        """Wait, but notice a cancel within a tenth of a second."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check_cancelled()
            time.sleep(min(left, 0.1))

    def _check_cancelled(self) -> None:
        self._steps.check()

    def _progress(self, step: SyncProgress) -> None:
        # Each step of a run is described by a SyncProgress, handed to the Progress with it.
        self._steps.report(step.done, step.total or None, step.detail, detail=step)


# -- helpers ----------------------------------------------------------------------------------


def sync_progress(
    progress: Progress | Callable[[SyncProgress], None] | None,
    cancelled: Callable[[], bool] | None = None,
) -> Progress:
    """progress itself, or one made of a progress(SyncProgress) and a cancelled() callback."""
    if isinstance(progress, Progress):
        if cancelled is not None:
            raise TypeError("pass either a Progress or a cancelled() callback, not both")
        return progress
    report = progress
    return Progress(None if report is None else lambda step: report(step.detail),
                    cancelled_when=cancelled)


def _resolve_blob(store: LocalStore, session: Session, sha: str) -> _Blob | None:
    """Which file a queued hash is and where it lives; None if no row names it any more."""
    name = session.scalar(select(Photo.original_name).where(Photo.sha256 == sha).limit(1))
    if name is not None:
        path = store.photos.original_path(sha) if store.photos.has(sha) else None
        return _Blob(sha, What.PHOTO, path, name)
    if session.scalar(select(Report.id).where(Report.sha256 == sha)) is not None:
        path = report_path(store.data_dir, sha)
        return _Blob(sha, What.REPORT, path if path.exists() else None, f"{sha[:12]}….pdf")
    return None


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
