"""Store migration 0009 (issue #14) on a laptop's database written before it: its loans are
kept, with no repayment data yet, and the brief and the report say so rather than show a
balance of zero."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from inspector_app.domain.repayment import Repayment
from inspector_app.store import migrate
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Loan

T0 = "2026-01-05 08:00:00.000000"


def test_loans_written_before_keep_everything_and_have_no_repayment_data(
        tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0008")
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO borrowers (code, name, kind, industry, id_number, legal_representative, "
        "address, phone, officer_id, branch_id, classification, open_signals, next_due_on, "
        "next_due_kind, id, created_at, updated_at, version) VALUES ('C001', '恒达精密', "
        "'company', 'manufacturing', '91320000MA1X000001', '王强', '南京', '', NULL, NULL, "
        "'normal', 0, NULL, NULL, 'br-1', ?, ?, 1)", (T0, T0))
    con.execute(
        "INSERT INTO loans (borrower_id, contract_no, loan_type, amount_fen, disbursed_on, "
        "matures_on, classification, purpose, id, created_at, updated_at, version) VALUES "
        "('br-1', 'L-C001', 'working_capital', 500000000, '2026-03-01', '2027-03-01', "
        "'normal', '购原材料', 'l-1', ?, ?, 4)", (T0, T0))
    con.commit()
    con.close()

    result = migrate.upgrade_database(db)

    assert result.to_revision == migrate.head_revision()
    store = LocalStore(tmp_path, result)
    with store.read() as s:
        loan = s.get_one(Loan, "l-1")
        assert (loan.contract_no, loan.amount_fen, loan.purpose, loan.version) == (
            "L-C001", 500_000_000, "购原材料", 4)
        assert Repayment.of(loan) == Repayment()
        assert not Repayment.of(loan).known
    brief = store.visit_brief("br-1")
    store.close()
    assert brief.outstanding_fen is None  # "—", not 0.00
    assert brief.amount_fen == 500_000_000
