"""Supervisors' follow-ups on warning signals between laptops (escalate, reassign, clear).

Up (the supervisor's laptop): store.follow_up_signal applies the follow-up at once, keeps its
document in reference_docs (entity "signal_follow_up", keyed by the follow-up's client id) and
queues it. Sync posts it (POST /signals/{signal_id}/follow-ups, wire SignalFollowUp); the same
id again gets the same answer, so a lost answer is simply asked again. Only a confirmed answer
removes the row; the document then holds headquarters' record. A refusal keeps the row, with
the server's words, for the supervisor to see.

Down (the borrower's officer, and the supervisor's other laptops): a pulled "signal_follow_up"
Change is kept as a document (sync.pull) and applied to the signal if it is on this laptop:
an escalation raises its severity, a clearance clears it (a step by the supervisor). Applying
is idempotent, so the follow-up made here and pulled back changes nothing twice. A
reassignment has no column here: its document says who handles the signal now.

"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.domain.enums import Severity, SignalStatus
from inspector_app.store import outbox
from inspector_app.store.base import StoreBase
from inspector_app.store.models import ReferenceDoc, RiskSignal, RiskSignalStep, User
from inspector_app.store.review import FOLLOW_UP
from inspector_app.sync.errors import ServerError, server_message
from inspector_app.sync.report import Reason, SyncIssue, SyncReport, What

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

# What the request carries of the follow-up's document (wire.SignalFollowUp).
_REQUEST_FIELDS = ("id", "action", "reason", "severity", "officer_id", "at")


class FollowUpTransfer:
    """SyncClient's signal follow-up step (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport
        _current: tuple[str, str] | None

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _check_cancelled(self) -> None: ...

    def _send_follow_ups(self) -> None:
        with self.store.read() as s:
            refs = [row.ref for row in outbox.pending(s, FOLLOW_UP)]
        for ref in refs:
            self._check_cancelled()
            self._send_follow_up(ref)

    def _send_follow_up(self, follow_up_id: str) -> None:
        self._current = (FOLLOW_UP, follow_up_id)
        with self.store.read() as s:
            doc = s.get(ReferenceDoc, (FOLLOW_UP, follow_up_id))
            data = {} if doc is None or doc.deleted else dict(doc.data)
            label = follow_up_label(s, data)
        signal_id = str(data.get("signal_id") or "")
        if not signal_id:  # nothing left to send
            with outbox.quiet_write(self.store) as s:
                outbox.remove(s, FOLLOW_UP, follow_up_id)
            self._current = None
            return
        try:
            body = wire.SignalFollowUp.model_validate(
                {key: data.get(key) for key in _REQUEST_FIELDS})
        except ValidationError as exc:  # a document this version cannot send
            self._follow_up_failed(follow_up_id, label, Reason.REJECTED,
                                   str(exc.errors()[0].get("msg", exc)))
            return
        try:
            r = self._send("POST", f"{wire.API}/signals/{signal_id}/follow-ups",
                           json=body.model_dump(mode="json"))
        except ServerError as exc:
            self._follow_up_failed(follow_up_id, label, Reason.SERVER_ERROR,
                                   server_message(exc.args[0]))
            return
        if r.status_code in (200, 201):
            try:
                answer = wire.SignalFollowUpRecord.model_validate_json(r.content)
            except ValidationError:
                answer = None
            with outbox.quiet_write(self.store) as s:
                doc = s.get(ReferenceDoc, (FOLLOW_UP, follow_up_id))
                if doc is not None and answer is not None:
                    doc.data = answer.model_dump(mode="json")
                    doc.version = max(doc.version, 1)
                outbox.remove(s, FOLLOW_UP, follow_up_id)
            self._report.follow_ups_sent += 1
            self._current = None
            return
        self._follow_up_failed(follow_up_id, label, Reason.REJECTED, server_message(r))

    def _follow_up_failed(self, follow_up_id: str, label: str, reason: Reason,
                          message: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, FOLLOW_UP, follow_up_id, message or reason.value)
        self._report.issues.append(
            SyncIssue(What.FOLLOW_UP, follow_up_id, reason, message, label))
        self._current = None


def follow_up_label(session: Session, data: dict[str, Any]) -> str:
    """How the supervisor knows the follow-up: the signal's title."""
    signal = session.get(RiskSignal, str(data.get("signal_id") or ""))
    return signal.title if signal is not None else str(data.get("signal_id") or "")


def apply_follow_up(session: Session, data: dict[str, Any]) -> str | None:
    """A pulled follow-up (wire.SignalFollowUpRecord) applied to its signal, if the signal is
    on this laptop (in the caller's quiet transaction); the borrower whose signals changed,
    else None."""
    try:
        record = wire.SignalFollowUpRecord.model_validate(data)
    except ValidationError:
        return None  # kept as a document; this version cannot read it
    signal = session.get(RiskSignal, record.signal_id)
    if signal is None:
        return None
    supervisor = record.user_id if session.get(User, record.user_id) is not None else None
    if record.action == "escalate":
        try:
            severity = Severity(str(record.severity))
        except ValueError:
            return None
        if severity.rank <= signal.severity.rank:
            return None  # applied already (here, or by an earlier escalation)
        signal.severity = severity
    elif record.action == "clear":
        if signal.status is SignalStatus.CLEARED:
            return None
        signal.status = SignalStatus.CLEARED
        if supervisor is not None:  # a step names a user of this laptop
            session.add(RiskSignalStep(signal_id=signal.id, step=SignalStatus.CLEARED,
                                       user_id=supervisor, at=record.at, reason=record.reason))
    else:
        return None  # reassign: the document says who handles it now
    StoreBase.audit(
        session, supervisor, "signal.follow_up", "risk_signal", signal.id,
        follow_up=record.action, reason=record.reason, follow_up_id=record.id,
        severity=record.severity, from_headquarters=True)
    return signal.borrower_id
