"""Migration 0013 (issue #15, the whole-bank dashboard) on a database written before it: a
visit stored signed gets the moment of its first signed push as its submission (one the trail
has nothing on, when it was first stored; a draft none), each indexed signal its category, day
and title from its visit's document, every borrower is marked to be worked out, and the
dashboard then counts them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from test_hq_migration_0008 import _filled

from inspector_app.domain.dashboard import GroupBy
from inspector_app.hq.dashboard import whole_bank_dashboard
from inspector_app.hq.dashboard_sql import Ask
from inspector_app.hq.db import Database, make_engine
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database
from inspector_app.hq.models import BorrowerDue, DueStale, SignalEntry, Visit


def _naive(*parts: int) -> datetime:
    return datetime(*parts)  # type: ignore[misc]  # as the 0012 schema stores UTC


def test_submissions_signals_and_marks_are_filled_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine, "0012")
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    officer, borrower = str(uuid.uuid4()), str(uuid.uuid4())
    signed, early, draft = (str(uuid.uuid4()) for _ in range(3))
    signal = {"id": "sig-1", "category": "collateral", "severity": "red", "status": "raised",
              "title": "抵押物被查封", "raised_on": "2026-11-03", "source": "collateral"}
    with engine.begin() as conn:
        conn.execute(t["users"].insert(), _filled(t["users"], {
            "id": officer, "username": "off_a", "display_name": "李明", "role": "officer",
            "branch_id": None, "supervisor_id": None, "active": True}))
        conn.execute(t["borrowers"].insert(), _filled(t["borrowers"], {
            "id": borrower, "code": "C001", "branch_id": None}))
        conn.execute(t["assignments"].insert(), {"borrower_id": borrower, "officer_id": officer,
                                                 "assigned_at": _naive(2026, 3, 1)})
        for visit_id, status, created in ((signed, "submitted", _naive(2026, 11, 1, 8)),
                                          (early, "approved", _naive(2026, 10, 2, 8)),
                                          (draft, "draft", _naive(2026, 11, 2, 8))):
            conn.execute(t["visits"].insert(), _filled(t["visits"], {
                "id": visit_id, "borrower_id": borrower, "officer_id": officer,
                "status": status, "revision": 1, "previous_revision_id": None,
                "visit_date": date(2026, 11, 3),
                "payload": {"kind": "routine",
                            "signals": [signal] if visit_id == signed else []},
                "created_at": created, "updated_at": created}))
        # The signed visit came as a draft first; its first signed push is the submission.
        conn.execute(t["audit_log"].insert(), [
            {"at": at, "actor": "off_a", "action": "visit.push", "entity": "visit",
             "entity_id": signed, "detail": {"version": v, "status": status}}
            for v, (at, status) in enumerate(((_naive(2026, 11, 1, 8), "draft"),
                                              (_naive(2026, 11, 4, 9), "submitted"),
                                              (_naive(2026, 11, 6, 9), "submitted")), 1)])
        conn.execute(t["signal_index"].insert(), {
            "id": "sig-1", "visit_id": signed, "borrower_id": borrower, "severity": "red",
            "status": "raised", "updated_at": _naive(2026, 11, 4, 9)})

    upgrade_database(engine)

    assert current_revision(engine) == head_revision()
    engine.dispose()
    db = Database.open(url)
    try:
        with db.read() as s:
            submitted = dict(s.execute(sa.select(Visit.id, Visit.submitted_at)).all())
            assert submitted == {signed: datetime(2026, 11, 4, 9, tzinfo=UTC),
                                 early: datetime(2026, 10, 2, 8, tzinfo=UTC), draft: None}
            entry = s.get(SignalEntry, "sig-1")
            assert entry is not None
            assert (entry.category, entry.raised_on, entry.title) == \
                ("collateral", date(2026, 11, 3), "抵押物被查封")
            assert s.scalars(sa.select(DueStale.borrower_id)).all() == [borrower]
        board = whole_bank_dashboard(db, Ask(date(2026, 11, 10), date(2026, 11, 1),
                                             date(2026, 11, 30), GroupBy.OFFICER))
        assert [(r.name, r.submitted, r.visits_this_month) for r in board.rows] == \
            [("李明", 1, 3)]
        assert [(c.key, c.severity, c.count) for c in board.signals_by_category] == \
            [("collateral", "red", 1)]
        with db.read() as s:  # the first look worked the marked borrower out
            assert s.scalars(sa.select(BorrowerDue.borrower_id)).all() == [borrower]
            assert s.scalars(sa.select(DueStale.borrower_id)).all() == []
    finally:
        db.dispose()
