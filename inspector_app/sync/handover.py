"""A handover (责任移交) in sync: the old officer's laptop lets go, the new one's takes over.

A part of SyncClient (a mixin). Handovers arrive with the pull as "handover" documents.

- Old officer, handover pending: after the push step, once nothing of the handed-over
  borrowers is left in the outbox (every visit, drafts included, and every photo and report
  is at headquarters), the laptop tells headquarters which visits it holds, by fingerprint
  (release). Until then it says what is still to go; nothing is let go early.
- Old officer, handover completed: the unsigned visits that went to the new officer are
  removed from this laptop (headquarters and the new officer hold them); the pull has taken
  the borrowers off the work list. One edited since the release stays, said in the report.
- New officer, handover completed: the unsigned visits come down as their own drafts (every
  answer, note, photo and signal; the visit's history says who wrote it), and the borrowers'
  signed visits as the file, with their open signals; their files are downloaded with the
  team files step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text, UserError
from inspector_app.domain.enums import VisitStatus
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    CollateralObservation,
    Note,
    Photo,
    ReferenceDoc,
    Report,
    Review,
    RiskSignal,
    RiskSignalStep,
    SyncState,
    User,
    Visit,
    VisitSync,
)
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.sync.errors import ServerError, error_body, server_message
from inspector_app.sync.handover_signatures import HandoverSignatureError as HandoverSignatureError
from inspector_app.sync.handover_signatures import keep_handover as _keep
from inspector_app.sync.mapping import payload_sha256, row_values, visit_record
from inspector_app.sync.pull import NO_LOCAL_LOGIN
from inspector_app.sync.report import Reason, SyncIssue, SyncProgress, SyncReport, What
from inspector_app.sync.team_apply import _arrived_status, _insert, _queue_files
from inspector_app.sync.uploads import QueuedFile

HANDOVER = "handover"  # the pulled document's entity
SETTLED = "handover_settled"  # this laptop let go of, or took, the completed handover
STILL_TO_SEND = ("还有{n}项资料（检查记录、照片或报告）未上传，全部上传后才能交出 / {n} item(s) "
                 "(visits, photos or reports) are still to be uploaded; the borrowers are let go "
                 "only once everything is at headquarters")
EDITED_AFTER = ("检查记录 {label} 在交出后又有修改，已保留在本机，请联系部门负责人 / visit {label} "
                "was edited after it was let go; it stays on this laptop — ask your supervisor")


class HandoverTransfer:
    """SyncClient's handover steps (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _check_cancelled(self) -> None: ...

        def _send_blob(self, blob: QueuedFile, path: Path, done: int,
                       total: int) -> tuple[Reason, str] | None: ...

        def _download(self, sha: str, size: int, out: Any) -> str: ...

        _progress: Callable[[SyncProgress], None]
        _token: str

    # -- the supervisor starts one (the desktop app, outside a sync run) -----------------------

    def start_handover(self, request: wire.HandoverStart) -> wire.HandoverRecord:
        """Ask headquarters to start the handover; kept here at once, as pulled.
        HandoverStartError with each of headquarters' reasons if it refuses."""
        self._use_token()
        try:
            r = self._send("POST", f"{wire.API}/handovers", json=request.model_dump(mode="json"))
        except ServerError as exc:
            raise HandoverStartError(Text.parse(server_message(exc.args[0]))) from None
        if r.status_code != 201:
            raise HandoverStartError(_refusal(r))
        record = wire.HandoverRecord.model_validate_json(r.content)
        with outbox.quiet_write(self.store) as s:
            _keep(s, record)
        return record

    def _use_token(self) -> None:
        with self.store.read() as s:
            self._token = s.get_one(SyncState, 1).token

    def _handovers(self) -> tuple[str, list[wire.HandoverRecord]]:
        """This laptop's user, and the handovers concerning them not yet settled here."""
        with self.store.read() as s:
            me = s.get_one(SyncState, 1).user_id
            settled = set(s.scalars(select(ReferenceDoc.id)
                                    .where(ReferenceDoc.entity == SETTLED)))
            docs = list(s.scalars(select(ReferenceDoc).where(
                ReferenceDoc.entity == HANDOVER, ReferenceDoc.deleted.is_(False))))
            out = []
            for doc in docs:
                try:
                    record = wire.HandoverRecord.model_validate(doc.data)
                except ValidationError:
                    continue
                if record.id not in settled and me in (record.from_officer_id,
                                                       record.to_officer_id):
                    out.append(record)
        return me, sorted(out, key=lambda r: r.started_at)

    def _handover_issue(self, record: wire.HandoverRecord, reason: Reason, message: str) -> None:
        label = ", ".join(b.get("code", "") for b in record.record.get("borrowers", [])[:3])
        self._report.issues.append(SyncIssue(What.HANDOVER, record.id, reason, message,
                                             label or record.id))

    # -- the old officer: let go -------------------------------------------------------------

    def _release_handovers(self) -> None:
        me, records = self._handovers()
        for record in records:
            if record.status == "pending" and record.from_officer_id == me:
                self._check_cancelled()
                self._release(me, record)

    def _release(self, me: str, record: wire.HandoverRecord) -> None:
        with self.store.read() as s:
            ids = list(s.scalars(select(Visit.id).where(
                Visit.borrower_id.in_(record.borrower_ids), Visit.officer_id == me)))
            files = set(s.scalars(select(Photo.sha256).where(Photo.visit_id.in_(ids))))
            files |= set(s.scalars(select(Report.sha256).where(Report.visit_id.in_(ids))))
            waiting = [r for r in outbox.pending(s, outbox.VISIT) if r.ref in ids]
            waiting += [r for r in outbox.pending(s, outbox.BLOB) if r.ref in files]
            manifest = []
            for visit_id in ids:
                document = visit_record(s, visit_id)
                if document is not None:
                    manifest.append(wire.ReleasedVisit(id=visit_id,
                                                       payload_sha256=payload_sha256(document)))
        if waiting:
            self._handover_issue(record, Reason.WAITING, STILL_TO_SEND.format(n=len(waiting)))
            return
        body = wire.HandoverRelease(visits=manifest)
        try:
            r = self._send("POST", f"{wire.API}/handovers/{record.id}/release",
                           json=body.model_dump(mode="json"))
        except ServerError as exc:
            self._handover_issue(record, Reason.SERVER_ERROR, server_message(exc.args[0]))
            return
        if r.status_code != 200:
            self._handover_issue(record, Reason.REJECTED, server_message(r))
            return
        released = wire.HandoverRecord.model_validate_json(r.content)
        with outbox.quiet_write(self.store) as s:
            _keep(s, released)
            LocalStore.audit(s, me, "handover.release", "handover", record.id,
                             visits=len(manifest))
        self._report.handovers_released += 1

    # -- after the pull: a completed handover ------------------------------------------------

    def _settle_handovers(self) -> None:
        me, records = self._handovers()
        for record in records:
            if record.status != "completed":
                continue
            self._check_cancelled()
            if record.from_officer_id == me:
                self._let_go(me, record)
            elif record.to_officer_id == me:
                self._take(me, record)

    def _let_go(self, me: str, record: wire.HandoverRecord) -> None:
        with outbox.quiet_write(self.store) as s:
            edited = {r.ref for r in outbox.pending(s, outbox.VISIT)}
            removed = []
            for visit_id in record.continued_visit_ids:
                visit = s.get(Visit, visit_id)
                if visit is None or visit.officer_id != me:
                    continue
                if visit_id in edited:
                    label = f"{visit.visit_date.isoformat()} ({visit_id[:8]})"
                    self._handover_issue(record, Reason.REJECTED,
                                         EDITED_AFTER.format(label=label))
                    continue
                _remove_visit(s, visit_id)
                removed.append(visit_id)
            _settled(s, record)
            LocalStore.audit(s, me, "handover.let_go", "handover", record.id,
                             to_officer_id=record.to_officer_id, removed=removed)

    def _take(self, me: str, record: wire.HandoverRecord) -> None:
        try:
            r = self._send("GET", f"{wire.API}/handovers/{record.id}/visits")
        except ServerError as exc:
            self._handover_issue(record, Reason.SERVER_ERROR, server_message(exc.args[0]))
            return
        if r.status_code != 200:
            self._handover_issue(record, Reason.REJECTED, server_message(r))
            return
        taken = wire.HandoverVisits.model_validate_json(r.content)
        continued = set(record.continued_visit_ids)
        received = 0
        with outbox.quiet_write(self.store) as s:
            for user in taken.users:
                _add_user(s, user)
            for stored in taken.visits:
                if (s.get(Visit, stored.visit.id) is not None
                        or s.get(Borrower, stored.visit.borrower_id) is None):
                    continue  # here already; or its borrower not pulled yet (next sync)
                status = (VisitStatus(stored.visit.status) if stored.visit.id in continued
                          else _arrived_status(stored))
                if status is None:
                    continue
                _insert(s, stored, status)
                _queue_files(s, stored.visit, self.store)
                _note_handover(s, record, stored, continued=stored.visit.id in continued)
                received += 1
            refresh_schedule(s, self.store.policy, set(record.borrower_ids))
            _settled(s, record)
            LocalStore.audit(s, me, "handover.take", "handover", record.id,
                             from_officer_id=record.from_officer_id, visits=received)
        self._report.handover_visits_received += received


class HandoverStartError(UserError, RuntimeError):
    """Headquarters did not start the handover; ``.text`` says why."""


def _refusal(r: httpx.Response) -> Text:
    """Headquarters' refusal, each problem it lists in its language, one a line."""
    body = error_body(r)
    problems = body.detail.get("problems") if body is not None else None
    if not isinstance(problems, list) or not problems:
        return Text.parse(server_message(r))
    parsed = [Text.parse(str(p)) for p in problems]
    return Text("\n".join(t.zh for t in parsed), "\n".join(t.en for t in parsed))


def pulled_handover(store: LocalStore, handover_id: str) -> wire.HandoverRecord | None:
    """The handover as this laptop last received it."""
    with store.read() as s:
        doc = s.get(ReferenceDoc, (HANDOVER, handover_id))
        return None if doc is None else wire.HandoverRecord.model_validate(doc.data)


def _settled(s: Session, record: wire.HandoverRecord) -> None:
    s.merge(ReferenceDoc(entity=SETTLED, id=record.id, version=record.version, deleted=False,
                         data={"status": record.status}, received_at=utcnow()))


def _add_user(s: Session, user: wire.UserRecord) -> None:
    """A user the handed-over visits name (the old officer), so their steps keep their name;
    no password: they cannot sign in on this laptop."""
    if s.get(User, user.id) is not None:
        return
    table = User.__table__
    values = row_values(table, user.model_dump())
    for column in ("branch_id", "supervisor_id"):
        values[column] = None  # perhaps not on this laptop; only the name matters here
    now = utcnow()
    s.execute(sqlite_insert(table).values(id=user.id, created_at=now, updated_at=now, version=0,
                                          password_hash=NO_LOCAL_LOGIN, **values)
              .on_conflict_do_nothing(index_elements=[table.c.id]))


def _note_handover(s: Session, record: wire.HandoverRecord, stored: wire.StoredVisit, *,
                   continued: bool) -> None:
    """The visit's history says who wrote what came with it: the old officer (who signed a
    visit of the file: a returned one the new officer revises keeps their name in its
    history)."""
    to_name = s.scalar(select(User.display_name).where(User.id == record.to_officer_id)) or ""
    v = stored.visit
    LocalStore.audit(s, record.from_officer_id if continued else v.officer_id,
                     "visit.handover", "visit", v.id,
                     handover_id=record.id, from_officer_id=record.from_officer_id,
                     to_officer_id=record.to_officer_id, to_officer_name=to_name,
                     kind="continued" if continued else "file",
                     answers=len(v.answers), notes=len(v.notes), photos=len(v.photos),
                     server_version=stored.server_version)


def _remove_visit(s: Session, visit_id: str) -> None:
    """An unsigned visit that went to the new officer: off this laptop, children first."""
    signals = select(RiskSignal.id).where(RiskSignal.visit_id == visit_id)
    s.execute(delete(RiskSignalStep).where(RiskSignalStep.signal_id.in_(signals)))
    for model in (RiskSignal, ChecklistAnswer, Note, Photo, CollateralObservation, Report,
                  Review):
        s.execute(delete(model).where(model.visit_id == visit_id))
    s.execute(delete(VisitSync).where(VisitSync.visit_id == visit_id))
    s.execute(delete(Visit).where(Visit.id == visit_id))
