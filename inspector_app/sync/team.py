"""The supervisor's laptop in sync: the team's signed visits come down, decisions go up.

A part of SyncClient (a mixin), kept apart to keep the client readable.

Down: after the pull, a supervisor's laptop reads headquarters' visit feed (GET /visits) from
its own cursor; each page is written whole with its cursor (sync.team_apply), and the photos
and reports those visits name are queued and downloaded, each checked against its SHA-256 and
size before it is kept — so a visit to review is on the laptop with its files, offline.

Up: approving goes up as a countersigned approval (sync.approvals). Returning a visit with
comments is a local transition on the supervisor's laptop; it goes up as a "returned" review
with the comment from the audit trail, never as a push (a supervisor cannot push an
officer's visit). A lost answer is settled by the next pull, which brings the stored review.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select

from inspector_app import wire
from inspector_app.common.files import fsync_dir, temp_file
from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.reports.files import report_path, reports_dir
from inspector_app.store import outbox
from inspector_app.store.models import AuditEntry, Photo, Report, SyncState, User, Visit
from inspector_app.sync.errors import ServerError, error_body, server_message
from inspector_app.sync.mapping import visit_label
from inspector_app.sync.report import Reason, SyncIssue, SyncProgress, SyncReport, What
from inspector_app.sync.review_apply import (
    answered_review,
    keep_headquarters_review,
    pending_decision,
    record_conflict,
)
from inspector_app.sync.team_apply import TEAM_FILE, apply_team_visits

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

FILES_NOT_DOWNLOADED = ("团队检查的照片或报告未能全部下载，下次同步时将继续 / some photos or "
                        "reports of the team's visits could not be downloaded; they will be "
                        "fetched next time")
FEED_NOT_READ = ("未能获取团队的检查记录 / the team's visits could not be received")
NO_RETURN_COMMENT = "退回意见 / returned for correction"
MISMATCH = "文件与其校验值不符 / the file does not match its hash"
# 409 codes meaning another decision stands at headquarters (not a retryable refusal).
CONFLICTING = ("already_reviewed", "already_countersigned")


class TeamTransfer:
    """SyncClient's team feed and review-decision steps (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport
        _current: tuple[str, str] | None
        _http: httpx.Client

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _auth(self) -> dict[str, str]: ...

        def _check_cancelled(self) -> None: ...

        _progress: Callable[[SyncProgress], None]

    def _me(self) -> User | None:
        with self.store.read() as s:
            state = s.get_one(SyncState, 1)
            return s.get(User, state.user_id)

    def _is_supervisor(self) -> bool:
        me = self._me()
        return me is not None and me.role is Role.SUPERVISOR

    # -- down: the team's visits ---------------------------------------------------------------

    def _pull_team_visits(self) -> None:
        if not self._is_supervisor():
            return
        until = 0  # fixed by the first page: this sync reads the feed up to there
        while True:
            with self.store.read() as s:
                cursor = s.get_one(SyncState, 1).team_cursor
            params = {"cursor": cursor, **({"until": until} if until else {})}
            try:
                r = self._send("GET", f"{wire.API}/visits", params=params)
            except ServerError as exc:
                self._team_failed(server_message(exc.args[0]))
                return
            if r.status_code != 200:
                self._team_failed(server_message(r))
                return
            try:
                page = wire.VisitFeed.model_validate_json(r.content)
            except ValidationError as exc:
                self._team_failed(str(exc.errors()[0].get("msg", exc)))
                return
            try:
                with outbox.quiet_write(self.store) as s:
                    done = apply_team_visits(s, page.visits, self.store)
                    s.get_one(SyncState, 1).team_cursor = page.cursor
            except (ValueError, TypeError) as exc:  # a record this version cannot read
                self._team_failed(str(exc))
                return
            self._report.team_visits_received += done.received
            self._report.team_decisions_received += done.decided
            self._progress(SyncProgress("team", self._report.team_visits_received, 0))
            if not page.more or page.cursor <= cursor:
                return
            # A visit pushed again while this sync pages comes once, next sync, in its
            # latest state (a server without `until` answers 0: read to its top as before).
            until = until or page.until
            self._check_cancelled()

    def _team_failed(self, message: str) -> None:
        issue = SyncIssue(What.UPDATES, "", Reason.REJECTED, f"{FEED_NOT_READ}: {message}")
        if issue not in self._report.issues:
            self._report.issues.append(issue)

    def _fetch_team_files(self) -> None:
        with self.store.read() as s:
            wanted = [row.ref for row in outbox.pending(s, TEAM_FILE)]
        failed = 0
        for done, sha in enumerate(wanted):
            self._check_cancelled()
            self._progress(SyncProgress("files", done, len(wanted), sha[:12]))
            self._current = (TEAM_FILE, sha)
            try:
                problem = self._fetch_team_file(sha)
            except ServerError as exc:
                problem = server_message(exc.args[0])
            with outbox.quiet_write(self.store) as s:
                if problem:
                    outbox.record_failure(s, TEAM_FILE, sha, problem)
                else:
                    outbox.remove(s, TEAM_FILE, sha)
            failed += bool(problem)
            self._report.team_files_received += not problem
            self._current = None
        if failed:
            issue = SyncIssue(What.UPDATES, "", Reason.REJECTED, FILES_NOT_DOWNLOADED)
            if issue not in self._report.issues:
                self._report.issues.append(issue)

    def _fetch_team_file(self, sha: str) -> str:
        """Download one file into its place; "" once it is here, else why not."""
        with self.store.read() as s:
            photo = s.scalar(select(Photo).where(Photo.sha256 == sha).limit(1))
            report = s.scalar(select(Report).where(Report.sha256 == sha))
        if photo is None and report is None:
            return ""  # no visit here names it any more
        if photo is not None and self.store.photos.has(sha):
            return ""
        if photo is None and report is not None and report_path(self.store.data_dir,
                                                                 sha).exists():
            return ""
        if photo is not None:
            size, suffix = photo.size_bytes, Path(photo.original_name).suffix
        else:
            assert report is not None
            size, suffix = report.size_bytes, ".pdf"
        # Beside the reports (same disk, so the rename into place is atomic); the photo store
        # copies a photo in after checking it is one.
        directory = reports_dir(self.store.data_dir)
        directory.mkdir(parents=True, exist_ok=True)
        with temp_file(directory, prefix=".fetching-", suffix=suffix) as (out, temp):
            problem = self._download(sha, size, out)
        try:
            if problem:
                return problem
            if photo is not None:
                self.store.photos.add_file(temp, make_thumbnail=True)
            else:
                os.replace(temp, report_path(self.store.data_dir, sha))
                fsync_dir(directory)
            return ""
        finally:
            temp.unlink(missing_ok=True)

    def _download(self, sha: str, size: int, out: Any) -> str:
        """Stream the blob into ``out``, hashing as it comes; "" if it matched."""
        digest = hashlib.sha256()
        received = 0
        try:
            with self._http.stream("GET", f"{wire.API}/blobs/{sha}",
                                   headers=self._auth()) as r:
                if r.status_code != 200:
                    r.read()
                    return server_message(r)
                for block in r.iter_bytes(1 << 20):
                    digest.update(block)
                    out.write(block)
                    received += len(block)
                    if received > size:
                        break
        except httpx.TransportError:
            return "无法连接总行服务器 / the headquarters server is unreachable"
        if received != size or digest.hexdigest() != sha:
            return MISMATCH
        return ""

    # -- up: a supervisor's "returned" decisions -----------------------------------------------

    def _team_visit_rows(self, refs: list[str]) -> set[str]:
        """Which of these queued visits belong to other officers (not this laptop's user)."""
        with self.store.read() as s:
            me = s.get_one(SyncState, 1).user_id
            return set(s.scalars(select(Visit.id).where(Visit.id.in_(refs),
                                                        Visit.officer_id != me)))

    def _send_decisions(self, visit_ids: set[str]) -> None:
        for visit_id in sorted(visit_ids):
            self._check_cancelled()
            self._send_decision(visit_id)

    def _send_decision(self, visit_id: str) -> None:
        self._current = (outbox.VISIT, visit_id)
        with self.store.read() as s:
            visit = s.get(Visit, visit_id)
            label = visit_label(s, visit_id)
            body = _return_request(s, visit_id)
        if visit is None or visit.status is not VisitStatus.RETURNED:
            # Nothing a supervisor's laptop can send for another officer's visit (approvals
            # go as countersignatures): the row has no business here.
            with outbox.quiet_write(self.store) as s:
                outbox.remove(s, outbox.VISIT, visit_id)
            self._current = None
            return
        try:
            r = self._send("POST", f"{wire.API}/visits/{visit_id}/review",
                           json=body.model_dump(mode="json"))
        except ServerError as exc:
            self._decision_failed(visit_id, label, Reason.SERVER_ERROR,
                                  server_message(exc.args[0]))
            return
        # A lost answer needs nothing here: the next sync's pull brings the stored review,
        # which settles the queued row (sync.pull) before anything is sent again.
        if r.status_code in (200, 201):
            record = answered_review(r.content)
            with outbox.quiet_write(self.store) as s:
                if record is not None:
                    keep_headquarters_review(s, record)
                outbox.remove(s, outbox.VISIT, visit_id)
            self._report.returns_sent += 1
            self._current = None
            return
        if self._refused_as_conflict(r, visit_id, label, (outbox.VISIT,)):
            return
        self._decision_failed(visit_id, label, Reason.REJECTED, server_message(r))

    def _decision_failed(self, visit_id: str, label: str, reason: Reason, message: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.VISIT, visit_id, message or reason.value)
        self._report.issues.append(SyncIssue(What.APPROVAL, visit_id, reason, message, label))
        self._current = None

    def _refused_as_conflict(self, r: httpx.Response, visit_id: str, label: str,
                             rows: tuple[str, ...]) -> bool:
        """Headquarters holds another decision on the visit (409 already_reviewed, or another
        countersigned report): this laptop's decision is kept as CONFLICT with headquarters'
        message, its queued rows go (sending it again cannot succeed), and the visit follows
        headquarters. False if the answer is some other refusal."""
        body = error_body(r)
        if r.status_code != 409 or body is None or body.code not in CONFLICTING:
            return False
        with outbox.quiet_write(self.store) as s:
            record_conflict(s, visit_id, body.message, dict(body.detail))
            for kind in rows:
                outbox.remove(s, kind, visit_id)
        self._report.issues.append(
            SyncIssue(What.APPROVAL, visit_id, Reason.CONFLICT, body.message, label))
        self._current = None
        return True


def _return_request(session: Any, visit_id: str) -> wire.ReviewRequest:
    """The return as decided on this laptop: its comment, item comments and time, from the
    local review (sync.review_apply); a return made before reviews were recorded here goes
    with the comment the audit trail kept."""
    review = pending_decision(session, visit_id)
    if review is None or review.decision != VisitStatus.RETURNED.value:
        return wire.ReviewRequest(decision="returned", comment=_return_comment(session, visit_id))
    return wire.ReviewRequest(
        decision="returned", comment=review.comment or NO_RETURN_COMMENT,
        comments=[wire.ReviewComment.model_validate(
            {"target": c.target, "ref": c.ref, "text": c.text}) for c in review.comments],
        decided_at=review.decided_at)


def _return_comment(session: Any, visit_id: str) -> str:
    """The supervisor's reason, as the audit trail recorded it with the transition."""
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == visit_id,
                                 AuditEntry.action == "visit.transition")
        .order_by(AuditEntry.seq.desc()))
    for entry in entries:
        if entry.detail.get("target") == VisitStatus.RETURNED.value:
            return str(entry.detail.get("reason") or "") or NO_RETURN_COMMENT
    return NO_RETURN_COMMENT
