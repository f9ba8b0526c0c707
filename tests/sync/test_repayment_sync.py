"""The loans' repayment position goes down to the laptop with the loan: against the real
headquarters (uvicorn on loopback, SQLite), a laptop pulls an imported extract and the next
day's; and old and new sides still understand each other's loan records."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

from live_hq import ACTOR, OFFICER, PASSWORD, live_hq
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app import wire
from inspector_app.domain.policy import load_policy
from inspector_app.domain.repayment import Repayment
from inspector_app.hq.csv_import import import_files
from inspector_app.store import migrate
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Loan
from inspector_app.sync.client import SyncClient
from inspector_app.sync.mapping import row_values
from inspector_app.sync.pull import apply_changes

COLUMNS = ["contract_no", "as_of", "outstanding_yuan", "overdue_principal_yuan",
           "overdue_interest_yuan", "days_past_due", "arrears_interest_yuan", "rescheduled",
           "refinanced", "restructured", "restructured_on"]


def extract(path: Path, *row: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerow(row)
    return path


def local_repayment(store: LocalStore) -> Repayment:
    with store.read() as s:
        return Repayment.of(s.scalars(select(Loan).where(Loan.contract_no == "L-C001")).one())


def test_a_laptop_pulls_each_extract_with_the_loan(store: LocalStore, tmp_path: Path) -> None:
    with live_hq(tmp_path / "hq") as running, \
            SyncClient(store, running.url, retries=1, backoff=0.0) as client:
        client.register(OFFICER, PASSWORD, "现场笔记本")
        assert client.sync().ok
        assert not local_repayment(store).known  # the loan, before any extract

        import_files(running.hq.db, {"repayment": extract(
            tmp_path / "d1.csv", "L-C001", "2026-12-06", "4,800,000.00", "200000", "5437.5",
            "95", "8156.25", "N", "Y", "N", "")}, ACTOR)
        first = client.sync()
        assert first.ok and first.pulled == 1, first.messages()
        assert local_repayment(store) == Repayment(
            outstanding_fen=480_000_000, overdue_principal_fen=20_000_000,
            overdue_interest_fen=543_750, days_past_due=95, arrears_interest_fen=815_625,
            refinanced=True, repayment_as_of=date(2026, 12, 6))

        # The next day's extract: paid up, and restructured.
        import_files(running.hq.db, {"repayment": extract(
            tmp_path / "d2.csv", "L-C001", "2026-12-07", "4600000", "0", "0", "0", "0", "N",
            "Y", "Y", "2026-12-07")}, ACTOR)
        assert client.sync().ok
        now = local_repayment(store)
        assert (now.days_past_due, now.outstanding_fen, now.restructured_on,
                now.repayment_as_of) == (0, 460_000_000, date(2026, 12, 7), date(2026, 12, 7))
        with store.read() as s:
            borrower_id = s.scalars(select(Loan.borrower_id)).one()
        assert store.visit_brief(borrower_id).outstanding_fen == 460_000_000


def test_a_laptop_of_before_ignores_the_new_fields(tmp_path: Path) -> None:
    """A laptop at store revision 0008 (no repayment columns) reads a new loan record: what it
    knows goes in, the rest is left out, as row_values always did with unknown keys."""
    db = tmp_path / "old.sqlite3"
    migrate.upgrade_database(db, "0008")
    con = sqlite3.connect(db)
    con.execute("INSERT INTO borrowers (code, name, kind, industry, id_number, "
                "legal_representative, address, phone, classification, open_signals, id, "
                "created_at, updated_at, version) VALUES ('C001', '恒达', 'company', "
                "'manufacturing', 'x', '', '', '', 'normal', 0, 'b-1', '2026-01-01', "
                "'2026-01-01', 1)")
    con.commit()
    con.close()
    record = wire.LoanRecord(
        id="l-1", borrower_id="b-1", contract_no="L-C001", loan_type="working_capital",
        amount_fen=500_000_000, disbursed_on=date(2026, 3, 1), matures_on=date(2027, 3, 1),
        classification="normal", outstanding_fen=480_000_000, days_past_due=95,
        overdue_principal_fen=1, repayment_as_of=date(2026, 12, 6))
    engine = create_engine(f"sqlite:///{db}")
    meta = MetaData()
    meta.reflect(engine)
    loans = meta.tables["loans"]
    values = row_values(loans, record.model_dump(mode="json"))
    assert "days_past_due" not in values and values["amount_fen"] == 500_000_000
    with engine.begin() as conn:
        conn.execute(sqlite_insert(loans).values(id="l-1", version=1, created_at=date.today(),
                                                 updated_at=date.today(), **values))
        assert conn.execute(select(loans.c.contract_no)).scalar_one() == "L-C001"
    engine.dispose()


def test_a_loan_from_a_headquarters_of_before_has_no_repayment_data(
        store: LocalStore) -> None:
    """An older headquarters sends loans without the new keys: the laptop stores the loan with
    no repayment data (shown as such), and the wire's record gives the same defaults."""
    with store.write() as s:
        s.execute(sqlite_insert(Borrower.__table__).values(
            id="b-1", code="C001", name="恒达", kind="company", industry="manufacturing",
            id_number="x", classification="normal", open_signals=0, version=1))
    old = {"id": "l-1", "borrower_id": "b-1", "contract_no": "L-C001",
           "loan_type": "working_capital", "amount_fen": 500_000_000,
           "disbursed_on": "2026-03-01", "matures_on": "2027-03-01",
           "classification": "normal", "purpose": ""}
    with store.write() as s:
        apply_changes(s, [wire.Change(entity="loan", id="l-1", version=1, data=old)],
                      load_policy())
    assert local_repayment(store) == Repayment()
    assert Repayment.of(wire.LoanRecord.model_validate(old)) == Repayment()
