"""A hand-built audit trail for the audit-trail tests, and what each filter must find in it.

Eight entries over four local days, 2026-12-01 to 12-04, with some exactly on a day's first
and last second (the date filters include both ends). V1 is a visit of C001 with a signal
S1; V2 a visit of C002; H a handover of C001.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from inspector_app.common.clock import utcnow
from inspector_app.hq.models import (
    AuditEntry,
    Handover,
    HandoverBorrower,
    SignalEntry,
    Visit,
)

D1 = date(2026, 12, 1)


def local(day: int, hh: int = 0, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    """A moment of 2026-12-<day> on this computer's clock (the CLI's days are local)."""
    return datetime.combine(date(2026, 12, day), time(hh, mm, ss, us)).astimezone()


V1, V2, S1, H = (str(uuid.uuid4()) for _ in range(4))
# label: (at, actor, action, entity, entity id (a key filled in by build_trail), detail)
TRAIL: list[tuple[str, datetime, str, str, str, str, dict[str, Any]]] = [
    ("e1", local(1), "cli:root", "borrower.assign", "borrower", "C001",
     {"borrower": "C001", "officer": "off_a"}),
    ("e2", local(1, 23, 59, 59), "off_a", "visit.push", "visit", V1, {"version": 1}),
    ("e3", local(2), "sup1", "visit.review", "visit", V1, {"decision": "approved"}),
    ("e4", local(2, 12), "sup1", "signal.follow_up", "signal", S1,
     {"reason": "已催收，客户承诺月底前补足保证金"}),
    ("e5", local(3), "cli:root", "handover.start", "handover", H,
     {"from_officer": "off_a", "to_officer": "off_c"}),
    ("e6", local(3, 8), "off_c", "visit.push", "visit", V2, {"version": 1}),
    ("e7", local(3, 23, 59, 59, 999_000), "off_a", "device.register", "device", "dev-1",
     {"device_name": "笔记本"}),
    ("e8", local(4), "cli:root", "user.add", "user", "u-9", {"username": "新人"}),
]

# (filter options as the CLI names them, labels expected newest first)
CASES: list[tuple[dict[str, str], list[str]]] = [
    ({}, ["e8", "e7", "e6", "e5", "e4", "e3", "e2", "e1"]),
    ({"user": "off_a"}, ["e7", "e2"]),
    ({"user": "sup1"}, ["e4", "e3"]),
    ({"user": "cli:root"}, ["e8", "e5", "e1"]),
    ({"borrower": "C001"}, ["e5", "e4", "e3", "e2", "e1"]),
    ({"borrower": "C002"}, ["e6"]),
    ({"borrower": "C003"}, []),
    ({"visit": "V1"}, ["e4", "e3", "e2"]),
    ({"visit": "V2"}, ["e6"]),
    ({"action": "visit.push"}, ["e6", "e2"]),
    ({"action": "visit"}, ["e6", "e3", "e2"]),
    ({"action": "handover"}, ["e5"]),
    ({"action": "handover.complete"}, []),
    ({"from": "2026-12-02", "to": "2026-12-03"}, ["e7", "e6", "e5", "e4", "e3"]),
    ({"from": "2026-12-01", "to": "2026-12-01"}, ["e2", "e1"]),
    ({"from": "2026-12-04"}, ["e8"]),
    ({"to": "2026-12-01"}, ["e2", "e1"]),
    ({"from": "2026-12-05"}, []),
    ({"user": "off_a", "borrower": "C001"}, ["e2"]),
    ({"action": "visit", "from": "2026-12-02"}, ["e6", "e3"]),
    ({"borrower": "C001", "to": "2026-12-02"}, ["e4", "e3", "e2", "e1"]),
    ({"user": "sup1", "visit": "V1", "action": "visit.review"}, ["e3"]),
    ({"user": "off_a", "from": "2026-12-03", "to": "2026-12-03"}, ["e7"]),
]
NAMES = {"V1": V1, "V2": V2}


def build_trail(engine: Engine, users: dict[str, str], borrowers: dict[str, str]
                ) -> dict[str, int]:
    """The trail (replacing whatever audit entries there were), with the visits, signal and
    handover it refers to; label -> entry id."""
    with engine.begin() as conn:
        conn.execute(delete(AuditEntry))
        for visit_id, code, officer in ((V1, "C001", "off_a"), (V2, "C002", "off_c")):
            conn.execute(insert(Visit), {
                "id": visit_id, "borrower_id": borrowers[code], "officer_id": users[officer],
                "status": "submitted", "revision": 1, "visit_date": D1, "version": 1,
                "payload_sha256": "0" * 64,
                "payload": {}})
        conn.execute(insert(SignalEntry), {
            "id": S1, "visit_id": V1, "borrower_id": borrowers["C001"], "severity": "orange",
            "status": "raised", "updated_at": utcnow()})
        conn.execute(insert(Handover), {
            "id": H, "from_officer_id": users["off_a"], "to_officer_id": users["off_c"],
            "status": "pending", "started_by": "cli:root", "started_at": utcnow(),
            "record": {}, "version": 1})
        conn.execute(insert(HandoverBorrower), {"handover_id": H,
                                                "borrower_id": borrowers["C001"]})
        ids = {}
        for label, at, actor, action, entity, key, detail in TRAIL:
            entity_id = borrowers.get(key, key)
            ids[label] = conn.execute(insert(AuditEntry).values(
                at=at, actor=actor, user_id=users.get(actor), action=action, entity=entity,
                entity_id=entity_id, detail=detail).returning(AuditEntry.id)).scalar_one()
        assert list(conn.scalars(select(AuditEntry.id).order_by(AuditEntry.id))) == \
            sorted(ids.values())
    return ids


def day_bounds(options: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """The moments a --from/--to pair of local days stands for: [from 00:00, to+1 00:00)."""
    first, last = options.get("from"), options.get("to")
    since = None if first is None else datetime.combine(date.fromisoformat(first), time()
                                                        ).astimezone()
    until = None if last is None else datetime.combine(
        date.fromisoformat(last) + timedelta(days=1), time()).astimezone()
    return since, until
