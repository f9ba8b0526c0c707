"""Migration 0009 (issue #14) on a database written before it: every loan kept as it was, with
no repayment data yet (zeros, "no", no extract date) and the same version, so devices are
not sent loans that did not change."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from test_hq_migration_0008 import _filled

from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database


def test_loans_written_before_have_no_repayment_data_and_keep_their_version(
        tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    upgrade_database(engine, "0008")
    meta = sa.MetaData()
    meta.reflect(engine)
    borrowers, loans = meta.tables["borrowers"], meta.tables["loans"]
    borrower, loan = str(uuid.uuid4()), str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(borrowers.insert(), _filled(borrowers, {"id": borrower, "code": "C001",
                                                             "branch_id": None}))
        conn.execute(loans.insert(), _filled(loans, {
            "id": loan, "borrower_id": borrower, "contract_no": "L-C001", "version": 3,
            "amount_fen": 500_000_000, "disbursed_on": date(2026, 3, 1)}))

    upgrade_database(engine)

    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT contract_no, amount_fen, version, outstanding_fen, overdue_principal_fen, "
            "overdue_interest_fen, days_past_due, arrears_interest_fen, rescheduled, "
            "refinanced, restructured, restructured_on, repayment_as_of FROM loans")).one()
    engine.dispose()
    assert tuple(row) == ("L-C001", 500_000_000, 3, 0, 0, 0, 0, 0, False, False, False, None,
                          None)
