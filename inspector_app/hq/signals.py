"""Warning signals at headquarters: the index of the signals pushed, and supervisors'
follow-ups on them (escalate, reassign, clear).

A signal lives in the officer's visit document; headquarters keeps a row per signal id
(signal_index) so a follow-up finds it, its visit and borrower without reading documents.
A push fills it with the visit's signals, for the visit's borrower only (an id already
indexed for another borrower is left alone: one officer cannot take over another's signal).
Once a supervisor has followed a signal up, the severity and status the follow-ups gave it
stand; later pushes no longer overwrite them.

Only the supervisor of the borrower's officer follows a signal up; a signal of another team
is answered like an unknown one (404). A follow-up is stored once, under the client's id (the
same id again answers the same record), and reaches the borrower's officer and their
supervisor through pull as a "signal_follow_up" Change (and, on reassign, the new officer).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import Role, Severity
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import lock_change_log, record_change
from inspector_app.hq.context import CLOCK_SKEW, Hq
from inspector_app.hq.due_cache import mark_stale
from inspector_app.hq.errors import ApiError, forbidden, not_found
from inspector_app.hq.models import Assignment, SignalEntry, SignalFollowUpRow, User
from inspector_app.hq.related import touch_links_to
from inspector_app.hq.scope import Principal
from inspector_app.wire import SignalFollowUp, SignalFollowUpRecord, VisitRecord

ONLY_SUPERVISORS = "只有部门负责人可以跟进预警信号 / only supervisors follow up warning signals"
UNKNOWN_SIGNAL = "未找到该预警信号 / no such warning signal"
SEVERITIES = tuple(s.value for s in Severity)
SEVERITY_REQUIRED = ("升级须选择新的预警级别（{known}） / escalating needs the new severity (one "
                     "of {known})")
SEVERITY_ONLY_ESCALATE = "只有“升级”可以改变预警级别 / only an escalation sets a severity"
NOT_HIGHER = ("新的预警级别（{new}）须高于现在的（{now}） / the new severity ({new}) must be "
              "higher than the signal's ({now})")
OFFICER_REQUIRED = "改派须选择客户经理 / reassigning needs the officer who takes the signal"
OFFICER_ONLY_REASSIGN = "只有“改派”可以指定客户经理 / only a reassignment names an officer"
NOT_TEAM_OFFICER = ("只能改派给本部门在职的客户经理 / a signal can only be reassigned to an "
                    "active officer of your team")
CLEARED = "该预警信号已解除 / this warning signal has been cleared"
AT_NAIVE = "跟进时间须带时区 / the time of the follow-up needs a UTC offset"
AT_IN_FUTURE = ("跟进时间 {at} 晚于总行当前时间，请检查电脑时钟 / the time of the follow-up "
                "({at}) is in the future; check the laptop's clock")
ID_TAKEN = ("该跟进编号已用于另一条跟进 / this follow-up id is already used by a different "
            "follow-up")


# --- the index, filled on push -------------------------------------------------------------


@functools.cache
def _upsert(dialect: str) -> Insert:
    """Insert a signal's row, or update it if it is the same borrower's and no follow-up
    has moved it yet."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SignalEntry)
    return statement.on_conflict_do_update(
        index_elements=[SignalEntry.id],
        set_={"visit_id": statement.excluded.visit_id,
              "severity": statement.excluded.severity,
              "status": statement.excluded.status,
              "category": statement.excluded.category,
              "raised_on": statement.excluded.raised_on,
              "title": statement.excluded.title,
              "updated_at": statement.excluded.updated_at},
        where=(SignalEntry.borrower_id == statement.excluded.borrower_id)
        & SignalEntry.followed_up_at.is_(None))


# A visit's signals that are no longer in its document (removed from a draft), unless a
# follow-up made them headquarters' business.
_UNINDEX = delete(SignalEntry).where(
    SignalEntry.visit_id == bindparam("visit_id"), SignalEntry.followed_up_at.is_(None),
    SignalEntry.id.not_in(bindparam("kept", expanding=True)))


def index_signals(conn: Connection, visit: VisitRecord, *, stored_before: bool) -> None:
    """The visit's signals in signal_index, in the push's write transaction."""
    if stored_before:
        conn.execute(_UNINDEX, {"visit_id": visit.id, "kept": [s.id for s in visit.signals]})
    if visit.signals:
        now = utcnow()
        conn.execute(_upsert(conn.dialect.name), [
            {"id": s.id, "visit_id": visit.id, "borrower_id": visit.borrower_id,
             "severity": s.severity, "status": s.status, "category": s.category,
             "raised_on": s.raised_on, "title": s.title, "updated_at": now}
            for s in visit.signals])


# --- follow-ups ----------------------------------------------------------------------------


def follow_up_record(row: Any, user_name: str) -> SignalFollowUpRecord:
    """A stored follow-up (ORM row or Core row) as the wire carries it."""
    return SignalFollowUpRecord(
        id=row.id, action=row.action, reason=row.reason, severity=row.severity,
        officer_id=row.officer_id, at=row.at, signal_id=row.signal_id, user_id=row.user_id,
        user_name=user_name, visit_id=row.visit_id, borrower_id=row.borrower_id,
        received_at=row.received_at)


def follow_up_data(row: Any) -> dict[str, Any]:
    """A pulled follow-up's data: the Core row with the supervisor's name as user_name."""
    return follow_up_record(row, row.user_name or "").model_dump(mode="json")


def _check_request(req: SignalFollowUp, now: datetime) -> None:
    """What a follow-up may carry, whatever the signal: ApiError 422 if not."""
    if req.action == "escalate":
        if req.severity not in SEVERITIES:
            raise ApiError(422, "severity_required",
                           SEVERITY_REQUIRED.format(known=", ".join(SEVERITIES)))
    elif req.severity is not None:
        raise ApiError(422, "severity_needs_escalate", SEVERITY_ONLY_ESCALATE)
    if req.action == "reassign":
        if not req.officer_id:
            raise ApiError(422, "officer_required", OFFICER_REQUIRED)
    elif req.officer_id is not None:
        raise ApiError(422, "officer_needs_reassign", OFFICER_ONLY_REASSIGN)
    if not req.reason.strip():
        raise ApiError(422, "reason_required", "跟进须说明理由 / a follow-up needs its reason")
    if req.at.tzinfo is None or req.at.utcoffset() is None:
        raise ApiError(422, "invalid_at", AT_NAIVE)
    if req.at > now + CLOCK_SKEW:
        raise ApiError(422, "at_in_future", AT_IN_FUTURE.format(at=req.at.isoformat()))


def _same(earlier: SignalFollowUpRow, p: Principal, signal_id: str, req: SignalFollowUp
          ) -> SignalFollowUpRecord:
    """The stored follow-up if ``req`` is it again (a retry); else 409."""
    again = (earlier.user_id == p.user_id and earlier.signal_id == signal_id
             and (earlier.action, earlier.reason, earlier.severity, earlier.officer_id)
             == (req.action, req.reason.strip(), req.severity, req.officer_id))
    if not again:
        raise ApiError(409, "follow_up_exists", ID_TAKEN, {"follow_up_id": earlier.id})
    return follow_up_record(earlier, p.display_name)


def follow_up_signal(hq: Hq, p: Principal, signal_id: str, req: SignalFollowUp
                     ) -> tuple[int, SignalFollowUpRecord]:
    """The follow-up route: (201, the new record) or (200, the same one again)."""
    if p.role is not Role.SUPERVISOR:
        raise forbidden(ONLY_SUPERVISORS)
    _check_request(req, utcnow())
    try:
        with hq.db.write() as session:
            earlier = session.get(SignalFollowUpRow, req.id)
            if earlier is not None:
                return 200, _same(earlier, p, signal_id, req)
            return 201, _store(session, p, signal_id, req)
    except IntegrityError:
        # The same follow-up posted twice at once: the one stored answers both.
        with hq.db.read() as session:
            earlier = session.get(SignalFollowUpRow, req.id)
            if earlier is None:
                raise
            return 200, _same(earlier, p, signal_id, req)


def _store(session: Session, p: Principal, signal_id: str, req: SignalFollowUp
           ) -> SignalFollowUpRecord:
    found = session.execute(
        select(SignalEntry, Assignment.officer_id, User.supervisor_id)
        .outerjoin(Assignment, Assignment.borrower_id == SignalEntry.borrower_id)
        .outerjoin(User, User.id == Assignment.officer_id)
        .where(SignalEntry.id == signal_id).with_for_update(of=SignalEntry)).first()
    # Another team's signal is answered like a missing one.
    if found is None or found.supervisor_id != p.user_id:
        raise not_found(UNKNOWN_SIGNAL)
    signal: SignalEntry = found[0]
    officer_id: str = found.officer_id
    if signal.status == "cleared":
        raise ApiError(409, "signal_cleared", CLEARED, {"status": signal.status})
    if req.action == "escalate":
        assert req.severity is not None  # _check_request
        now_rank = SEVERITIES.index(signal.severity) if signal.severity in SEVERITIES else -1
        if SEVERITIES.index(req.severity) <= now_rank:
            raise ApiError(422, "severity_not_higher",
                           NOT_HIGHER.format(new=req.severity, now=signal.severity),
                           {"severity": signal.severity})
        signal.severity = req.severity
    elif req.action == "reassign":
        officer = session.get(User, req.officer_id)
        if (officer is None or officer.role is not Role.OFFICER or not officer.active
                or officer.supervisor_id != p.user_id):
            raise ApiError(422, "unknown_officer", NOT_TEAM_OFFICER)
        signal.handler_id = officer.id
    else:
        signal.status = "cleared"
    now = utcnow()
    signal.followed_up_at = signal.updated_at = now
    row = SignalFollowUpRow(
        id=req.id, signal_id=signal.id, visit_id=signal.visit_id, borrower_id=signal.borrower_id,
        user_id=p.user_id, action=req.action, reason=req.reason.strip(), severity=req.severity,
        officer_id=req.officer_id, at=req.at, received_at=now, version=1)
    session.add(row)
    session.flush()  # a follow-up id already taken fails here, before the change log's lock
    audit(session, p.username, "signal.follow_up", "signal", signal.id, user_id=p.user_id,
          device_id=p.device_id, follow_up_id=row.id, follow_up=req.action,
          severity=req.severity, officer_id=req.officer_id, reason=row.reason)
    # Last, as everywhere: the change-log lock.
    lock_change_log(session)
    record_change(session, "signal_follow_up", row.id, row.version,
                  borrower_id=signal.borrower_id, officer_id=officer_id)
    # Whoever handles the signal besides the borrower's officer hears of it too.
    for other in {signal.handler_id} - {None, officer_id}:
        record_change(session, "signal_follow_up", row.id, row.version,
                      borrower_id=signal.borrower_id, audience_user_id=other)
    if req.action != "reassign":  # a clear or an escalation changes what the party's links say
        session.flush()
        touch_links_to(session, signal.borrower_id)
        mark_stale(session, [signal.borrower_id])  # and may move the next inspection
    return follow_up_record(row, p.display_name)
