"""The laptop's side of sync: register once, then pull, upload files, push visits, pull again.

A plain core object (no Qt) whose run takes a Progress, run off the GUI thread. Every
step is safe to interrupt anywhere: a row leaves the outbox only after the server confirmed
it, a pulled page is applied together with its cursor, and a file upload resumes from the
offset the server reports. Network failures are retried with a bounded exponential back-off;
what still fails stays in the outbox for next time and is explained in the SyncReport.

This module holds registration, the order of a run, the pull and HTTP with retries; the other
steps are SyncClient's mixins: uploads (files), push (visits), approvals (countersigned
reports), team (the supervisor's team feed and decisions), handover (letting go of and
taking over borrowers) and handover_signatures (the record's signatures made on the laptop,
and the records to sign fetched for offline signing).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from inspector_app import wire
from inspector_app.common import passwords
from inspector_app.common.clock import utcnow
from inspector_app.common.progress import NO_PROGRESS, Cancelled, Progress
from inspector_app.common.text import Text, UserError
from inspector_app.store import outbox
from inspector_app.store.handovers import SIGNATURE_OUTBOX
from inspector_app.store.local import LocalStore
from inspector_app.store.models import ReferenceDoc, SyncState, User
from inspector_app.store.review import FOLLOW_UP
from inspector_app.sync.approvals import ApprovalTransfer
from inspector_app.sync.errors import ServerError as _ServerError
from inspector_app.sync.errors import Unreachable as _Unreachable
from inspector_app.sync.errors import error_code as _error_code
from inspector_app.sync.errors import server_message as _message
from inspector_app.sync.follow_ups import FollowUpTransfer, follow_up_label
from inspector_app.sync.handover import HandoverTransfer
from inspector_app.sync.handover_signatures import HandoverSignatures
from inspector_app.sync.mapping import visit_label as _visit_label
from inspector_app.sync.pull import (
    apply_changes,
    kinds_missed,
    kinds_recorded,
    record_kinds_pulled,
    upsert_registered_user,
)
from inspector_app.sync.push import VisitPushes
from inspector_app.sync.report import (
    Reason,
    SyncIssue,
    SyncProgress,
    SyncReport,
    What,
)
from inspector_app.sync.team import TeamTransfer
from inspector_app.sync.unreachable import CONNECT_TIMEOUT, why_unreachable
from inspector_app.sync.uploads import FileUploads, resolve_queued_file

MAX_BACKOFF = 30.0  # seconds; the longest single wait between two tries
# Followed by why (sync.unreachable): a refused connection, a name that does not resolve...
UNREACHABLE = Text("无法连接总行服务器：", "cannot reach the headquarters server: ")
# Transport errors before the server ever answered: retrying a refused connection, a name
# that does not resolve or a certificate not trusted changes nothing within seconds, and the
# officer is waiting. Once the server has answered, a dropped connection is retried.
_NOT_REACHED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol,
                httpx.ProxyError)
NOT_REGISTERED = Text(
    "此电脑尚未在总行登记：首次同步请提供用户名和密码",
    "this laptop is not registered with headquarters yet: the first sync needs your username "
    "and password",
)


class SyncError(UserError, RuntimeError):
    """Sync could not start or registration failed; ``.text`` is for the officer.

    Still a RuntimeError, as it was before it carried a Text, for callers that catch that."""


def server_url(text: str) -> str:
    """The headquarters address as typed, https:// assumed when no scheme is given; SyncError
    if it cannot be a server's address."""
    typed = text.strip()
    address = typed if "://" in typed else f"https://{typed}"
    try:
        url: httpx.URL | None = httpx.URL(address)
    except httpx.InvalidURL:
        url = None
    # httpx takes nearly anything; what it had to percent-encode in a host was no host name.
    if (url is None or url.scheme not in ("http", "https") or not url.host
            or "%" in url.host or (url.port or 0) > 65535):
        raise SyncError(Text(
            f"“{typed}”不是有效的服务器地址（例如 https://hq.example.cn）",
            f"“{typed}” is not a server address (e.g. https://hq.example.cn)"))
    return address.rstrip("/")


class ServerUnreachable(SyncError):
    """Registration could not reach the server; ``.text`` says why."""


class _Revoked(Exception):
    pass


class _Unauthorized(Exception):
    pass


class SyncClient(ApprovalTransfer, TeamTransfer, FollowUpTransfer, HandoverTransfer,
                 HandoverSignatures, FileUploads, VisitPushes):
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
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        if chunk_bytes <= 0 or retries < 0 or backoff < 0 or connect_timeout <= 0:
            raise ValueError("chunk_bytes and connect_timeout must be positive, retries and "
                             "backoff not negative")
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.chunk_bytes = chunk_bytes
        self.retries = retries
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport,
            timeout=httpx.Timeout(60.0, connect=connect_timeout),
        )
        self._reached = False  # the server has answered a request of this client
        self._last_failure: httpx.TransportError | None = None  # why it did not answer
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
        except _Unreachable as exc:
            raise ServerUnreachable(UNREACHABLE + exc.why) from None
        except _ServerError as exc:
            raise SyncError(Text.parse(_message(exc.args[0]))) from None
        if r.status_code not in (200, 201):
            raise SyncError(Text.parse(_message(r)))
        answer = wire.RegisterResponse.model_validate_json(r.content)
        with outbox.quiet_write(self.store) as s:
            other = s.scalar(select(User.id).where(User.username == answer.user.username,
                                                   User.id != answer.user.id))
            if other is not None:
                name = answer.user.username
                raise SyncError(Text(
                    f"本机已有另一个名为“{name}”的用户（不是总行的数据），无法登记",
                    f"another local user is called “{name}” (data not from headquarters, e.g. "
                    "the demo); use a fresh data directory",
                ))
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
            raise SyncError(NOT_REGISTERED)
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
            self._send_follow_ups()
            self._release_handovers()  # only once everything above went through
            self._send_handover_signatures()
            stage = "pull"
            self._pull()
            self._settle_handovers()
            self._fetch_records_to_sign()
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
        except _Unreachable as exc:
            self._gave_up(stage, exc.why)
        finally:
            self._current = None
        return report

    def _gave_up(self, stage: str, why: Text) -> None:
        """The server is unreachable: say so, and why, for everything still queued; try
        nothing more."""
        report = self._report
        report.unreachable = str(UNREACHABLE + why)
        if self._current is not None:
            with outbox.quiet_write(self.store) as s:
                outbox.record_failure(s, *self._current, report.unreachable)
        if stage == "pull":
            self._updates_failed(Reason.UNREACHABLE, "")
        reported = {i.ref for i in report.issues}
        with self.store.read() as s:
            for row in outbox.pending(s, outbox.BLOB):
                if row.ref not in reported:
                    blob = resolve_queued_file(self.store, s, row.ref)
                    what = blob.what if blob else What.PHOTO
                    label = blob.label if blob else row.ref
                    report.issues.append(SyncIssue(what, row.ref, Reason.UNREACHABLE,
                                                   label=label))
            approvals = {row.ref for row in outbox.pending(s, outbox.COUNTERSIGN)}
            for ref in sorted(approvals - reported):
                report.issues.append(SyncIssue(What.APPROVAL, ref, Reason.UNREACHABLE,
                                               label=_visit_label(s, ref)))
            rows = [row for row in outbox.pending(s, outbox.VISIT)
                    if row.ref not in reported and row.ref not in approvals]
        # Another officer's visit queued on a supervisor's laptop is a decision to send.
        decisions = self._team_visit_rows([row.ref for row in rows])
        with self.store.read() as s:
            for row in rows:
                what = What.APPROVAL if row.ref in decisions else What.VISIT
                report.issues.append(SyncIssue(what, row.ref, Reason.UNREACHABLE,
                                               label=_visit_label(s, row.ref)))
            for row in outbox.pending(s, SIGNATURE_OUTBOX):
                if row.ref not in reported:
                    report.issues.append(SyncIssue(What.HANDOVER, row.ref, Reason.UNREACHABLE))
            for row in outbox.pending(s, FOLLOW_UP):
                if row.ref not in reported:
                    doc = s.get(ReferenceDoc, (FOLLOW_UP, row.ref))
                    label = follow_up_label(s, dict(doc.data) if doc is not None else {})
                    report.issues.append(SyncIssue(What.FOLLOW_UP, row.ref, Reason.UNREACHABLE,
                                                   label=label))

    # -- pull ----------------------------------------------------------------------------------

    def _pull(self) -> None:
        with self.store.read() as s:
            missed, recorded = kinds_missed(s), kinds_recorded(s)
        if missed and not self._pull_pages(missed, catching_up=True):
            return
        if self._pull_pages(wire.PULL_ENTITIES) and not recorded:
            with outbox.quiet_write(self.store) as s:
                record_kinds_pulled(s)

    def _pull_pages(self, kinds: tuple[str, ...], *, catching_up: bool = False) -> bool:
        """Pull pages of these kinds of record until headquarters has no more; True if all
        came. The laptop's cursor moves with each page, unless ``catching_up``: kinds this
        version understands that an older one never asked for, read from the start of the
        log (sync.pull.kinds_missed); a catch-up cut short starts again next time."""
        cursor = 0
        while True:
            if not catching_up:
                with self.store.read() as s:
                    cursor = s.get_one(SyncState, 1).cursor
            try:
                # The kinds of record asked for: headquarters sends no other.
                r = self._send("GET", f"{wire.API}/pull", params={"cursor": cursor},
                               headers={wire.ENTITIES_HEADER: wire.entities_header(kinds)})
            except _ServerError as exc:
                self._updates_failed(Reason.SERVER_ERROR, _message(exc.args[0]))
                return False
            if r.status_code != 200:
                self._updates_failed(Reason.REJECTED, _message(r))
                return False
            page = wire.PullResponse.model_validate_json(r.content)
            if page.revoked:
                raise _Revoked()
            try:
                # The page and its cursor in one transaction: applied whole, or not at all.
                with outbox.quiet_write(self.store) as s:
                    applied = apply_changes(s, page.changes, self.store.policy)
                    if not catching_up:
                        s.get_one(SyncState, 1).cursor = page.cursor
            except (SQLAlchemyError, ValueError, TypeError) as exc:
                cause = getattr(exc, "orig", None) or exc  # the database's words, not the SQL
                self._updates_failed(
                    Reason.REJECTED,
                    f"总行的更新无法应用 / an update from headquarters could not be applied: "
                    f"{cause}")
                return False
            self._report.pulled += applied
            self._progress(SyncProgress("pull", self._report.pulled, 0))
            # A server that says "more" without moving its cursor would keep us here forever.
            if not page.more or page.cursor <= cursor:
                return True
            cursor = page.cursor
            self._check_cancelled()

    def _updates_failed(self, reason: Reason, message: str) -> None:
        issue = SyncIssue(What.UPDATES, "", reason, message)
        if issue not in self._report.issues:  # the second pull of a run often fails alike
            self._report.issues.append(issue)

    # -- HTTP with retries ------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _send(self, method: str, url: str, *, authorised: bool = True,
              **kwargs: Any) -> httpx.Response:
        """One request, tried again on transport errors and 5xx with a growing pause."""
        headers = {**(self._auth() if authorised else {}), **kwargs.pop("headers", {})}
        last: httpx.Response | None = None
        for attempt in range(self.retries + 1):
            self._check_cancelled()
            if attempt:
                self._sleep(self._delay(attempt - 1))
            try:
                r = self._http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                self._last_failure, last = exc, None
                if not self._reached and isinstance(exc, _NOT_REACHED):
                    break
                continue
            self._reached = True
            if r.status_code < 500:
                if authorised:
                    self._check_auth(r)
                return r
            last = r
        if last is None:
            raise self._unreachable()
        raise _ServerError(last)

    def _unreachable(self) -> _Unreachable:
        """The server given up on, with why the last try failed."""
        failure = self._last_failure or httpx.TransportError("no answer")
        host = httpx.URL(self.base_url).netloc.decode("ascii", "replace")
        return _Unreachable(why_unreachable(failure, host, self.connect_timeout))

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
