"""Migration 0010 (issue #15, handover) on a database written before it: the handover tables
appear empty, what was there is untouched, and the tables are what the models declare (a
handover can be stored and read back through them)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from test_hq_migration_0008 import _filled

from inspector_app.common.clock import utcnow
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database
from inspector_app.hq.models import Handover, HandoverBorrower


def test_handover_tables_arrive_empty_and_nothing_else_moves(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    upgrade_database(engine, "0009")
    meta = sa.MetaData()
    meta.reflect(engine)
    borrowers, loans, users = meta.tables["borrowers"], meta.tables["loans"], meta.tables["users"]
    borrower, loan = str(uuid.uuid4()), str(uuid.uuid4())
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    with engine.begin() as conn:
        for user_id, name in ((a, "off_a"), (b, "off_b")):
            conn.execute(users.insert(), _filled(users, {
                "id": user_id, "username": name, "role": "officer", "branch_id": None,
                "supervisor_id": None}))
        conn.execute(borrowers.insert(), _filled(borrowers, {"id": borrower, "code": "C001",
                                                             "branch_id": None}))
        conn.execute(loans.insert(), _filled(loans, {
            "id": loan, "borrower_id": borrower, "contract_no": "L-C001", "version": 3,
            "amount_fen": 500_000_000, "disbursed_on": date(2026, 3, 1)}))

    upgrade_database(engine)

    assert current_revision(engine) == head_revision()
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM handovers")).scalar() == 0
        assert conn.execute(sa.text("SELECT contract_no, version FROM loans")).one() == \
            ("L-C001", 3)
        handover = str(uuid.uuid4())
        conn.execute(sa.insert(Handover), {
            "id": handover, "from_officer_id": a, "to_officer_id": b, "status": "pending",
            "started_by": "cli:test", "started_at": utcnow(), "record": {"borrowers": []},
            "version": 1})
        conn.execute(sa.insert(HandoverBorrower), {"handover_id": handover,
                                                   "borrower_id": borrower})
        row = conn.execute(sa.select(Handover.status, Handover.signed_sha256,
                                     Handover.record)).one()
    engine.dispose()
    assert tuple(row) == ("pending", None, {"borrowers": []})
