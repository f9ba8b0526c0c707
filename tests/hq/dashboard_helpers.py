"""A hand-built bank for the whole-bank dashboard's tests, on the standard world (hq_helpers:
branches B01 城东支行 and B02 城西支行; sup1 张主任 with off_a 李明 and off_c 陈静, sup2 赵主任 with
off_b 王芳; C001 off_a's, C002 off_c's, C003 off_b's, C004 nobody's), as of 2026-12-10.

Written straight into the tables, with each borrower's classification and next inspection
set by hand (borrower_due, no marks left), so every figure below is counted on paper:

borrower  officer  classification  next due     moves
C001      off_a    special_mention 2026-12-05   normal -> special_mention 2026-11-02
C002      off_c    normal          2026-12-14   normal -> special_mention 2026-10-05,
                                                special_mention -> normal 2026-11-20
C003      off_b    substandard     2026-12-25   special_mention -> substandard 2026-09-15
C004      -        normal          2026-12-09

visit  officer borrower date        status     submitted (UTC)       review
v1     off_a   C001     2026-12-02  submitted  2026-12-04 10:00
v2     off_a   C001     2026-11-20  returned   2026-11-25 09:00      returned 2026-11-27
v3     off_c   C002     2026-12-08  draft      -
v4     off_b   C003     2026-09-28  approved   2026-10-02 08:00      approved 2026-10-05
v5     off_b   C003     2026-12-01  submitted  2026-12-01 23:30

signal  borrower (visit)  category     severity  status   raised on
s1      C001 (v1)         financial    red       raised   2026-12-01  (9 days: 0-30)
s2      C001 (v2)         collateral   orange    handled  2026-11-20  (20 days: 0-30)
s3      C003 (v5)         financial    yellow    raised   2026-08-01  (131 days: 91-180)
s4      C003 (v4)         operational  red       cleared  2026-09-28  (not counted)
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hq_helpers import World
from sqlalchemy import Engine, delete, insert

from inspector_app.hq.models import (
    BorrowerDue,
    ClassificationMove,
    DueStale,
    Review,
    SignalEntry,
    Visit,
)

TODAY = date(2026, 12, 10)
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def build_bank(engine: Engine, world: World) -> dict[str, str]:
    """The table above in the database; the visits' ids by label (v1...)."""
    u, b = world.users, world.borrowers
    due = [("C001", "special_mention", date(2026, 12, 5)), ("C002", "normal", date(2026, 12, 14)),
           ("C003", "substandard", date(2026, 12, 25)), ("C004", "normal", date(2026, 12, 9))]
    moves = [("C001", "normal", "special_mention", date(2026, 11, 2)),
             ("C002", "normal", "special_mention", date(2026, 10, 5)),
             ("C002", "special_mention", "normal", date(2026, 11, 20)),
             ("C003", "special_mention", "substandard", date(2026, 9, 15))]
    visits = {
        "v1": ("off_a", "C001", date(2026, 12, 2), "submitted", _at(2026, 12, 4, 10)),
        "v2": ("off_a", "C001", date(2026, 11, 20), "returned", _at(2026, 11, 25, 9)),
        "v3": ("off_c", "C002", date(2026, 12, 8), "draft", None),
        "v4": ("off_b", "C003", date(2026, 9, 28), "approved", _at(2026, 10, 2, 8)),
        "v5": ("off_b", "C003", date(2026, 12, 1), "submitted", _at(2026, 12, 1, 23, 30)),
    }
    ids = {label: f"00000000-0000-4000-8000-00000000000{n}"
           for n, label in enumerate(visits, 1)}
    reviews = [("v2", "returned", _at(2026, 11, 27, 3)), ("v4", "approved", _at(2026, 10, 5, 3))]
    signals = [("s1", "v1", "C001", "financial", "red", "raised", date(2026, 12, 1)),
               ("s2", "v2", "C001", "collateral", "orange", "handled", date(2026, 11, 20)),
               ("s3", "v5", "C003", "financial", "yellow", "raised", date(2026, 8, 1)),
               ("s4", "v4", "C003", "operational", "red", "cleared", date(2026, 9, 28))]
    now = _at(2026, 12, 10, 1)
    with engine.begin() as conn:
        conn.execute(delete(DueStale))
        conn.execute(insert(BorrowerDue), [
            {"borrower_id": b[code], "classification": c, "next_due_on": on,
             "refreshed_at": now} for code, c, on in due])
        conn.execute(insert(ClassificationMove), [
            {"borrower_id": b[code], "from_classification": a, "to_classification": z,
             "moved_on": on, "recorded_at": now} for code, a, z, on in moves])
        rows: list[dict[str, Any]] = []
        for label, (officer, code, on, status, submitted) in visits.items():
            rows.append({"id": ids[label], "borrower_id": b[code], "officer_id": u[officer],
                         "status": status, "revision": 1, "previous_revision_id": None,
                         "visit_date": on, "version": 1, "payload": {"kind": "routine"},
                         "payload_sha256": "0" * 64, "created_at": submitted or now,
                         "updated_at": now, "submitted_at": submitted})
        conn.execute(insert(Visit), rows)
        conn.execute(insert(Review), [
            {"id": f"r-{label}", "visit_id": ids[label], "visit_version": 1,
             "reviewer_id": u["sup1" if label == "v2" else "sup2"], "decision": decision,
             "comment": "", "decided_at": at, "received_at": at, "version": 1,
             "report": None, "final_classification": None, "classification_reason": "",
             "comments": []} for label, decision, at in reviews])
        conn.execute(insert(SignalEntry), [
            {"id": sid, "visit_id": ids[v], "borrower_id": b[code], "category": cat,
             "severity": sev, "status": st, "raised_on": on, "title": f"信号{sid}",
             "handler_id": None, "followed_up_at": None, "updated_at": now}
            for sid, v, code, cat, sev, st, on in signals])
    return ids
