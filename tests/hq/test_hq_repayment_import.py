"""The core-banking extract of the loans' repayment position: imported by contract number,
every bad row named, nothing partial; officers pull the figures with the loan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, write_csv
from sqlalchemy import func, select

from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.models import ChangeLogEntry, Loan

# The world's loans: L-C001..L-C004, 5,000,000.00 yuan each, disbursed 2026-03-01.
HEADER = ["contract_no", "as_of", "outstanding_yuan", "overdue_principal_yuan",
          "overdue_interest_yuan", "days_past_due", "arrears_interest_yuan", "rescheduled",
          "refinanced", "restructured", "restructured_on"]


def extract(*rows: tuple[str, ...]) -> list[dict[str, str]]:
    return [dict(zip(HEADER, row, strict=True)) for row in rows]


GOOD = extract(
    ("L-C001", "2026-12-06", "4,200,000.00", "300000", "12345.67", "95", "20000.5", "N", "N",
     "N", ""),
    ("L-C002", "2026-12-06", "5000000", "", "", "0", "", "Y", "", "", ""),
    ("L-C003", "2026-12-06", "1000000", "0", "0", "0", "0", "否", "是", "1",
     "2026-10-01"),
)


def repayment(hq: Hq) -> dict[str, tuple[Any, ...]]:
    with hq.db.read() as s:
        return {row[0]: tuple(row[1:]) for row in s.execute(select(
            Loan.contract_no, Loan.outstanding_fen, Loan.overdue_principal_fen,
            Loan.overdue_interest_fen, Loan.days_past_due, Loan.arrears_interest_fen,
            Loan.rescheduled, Loan.refinanced, Loan.restructured, Loan.restructured_on,
            Loan.repayment_as_of))}


def log_size(hq: Hq) -> int:
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0


def test_an_extract_is_imported_by_contract_number_and_pulled_with_the_loan(
        client, hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    headers = register(client, "off_a")
    cursor, _ = pull_all(client, headers)
    path = write_csv(tmp_path / "repayment.csv", GOOD)

    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 0
    assert "repayment: 0 new, 3 updated, 0 unchanged" in capsys.readouterr().out
    held = repayment(hq)
    assert held["L-C001"] == (420_000_000, 30_000_000, 1_234_567, 95, 2_000_050, False, False,
                              False, None, date(2026, 12, 6))
    assert held["L-C002"][4:] == (0, True, False, False, None, date(2026, 12, 6))
    assert held["L-C003"][5:] == (False, True, True, date(2026, 10, 1), date(2026, 12, 6))
    assert held["L-C004"][-1] is None  # not in the extract: no repayment data yet

    # off_a's borrower is C001: its loan comes down with the figures, nothing else does.
    cursor, pulled = pull_all(client, headers, cursor)
    assert [(c["entity"], c["data"]["contract_no"]) for c in pulled] == [("loan", "L-C001")]
    data = pulled[0]["data"]
    assert (data["outstanding_fen"], data["overdue_principal_fen"],
            data["overdue_interest_fen"], data["days_past_due"],
            data["arrears_interest_fen"], data["repayment_as_of"]) == (
        420_000_000, 30_000_000, 1_234_567, 95, 2_000_050, "2026-12-06")
    assert data["amount_fen"] == 500_000_000 and data["restructured_on"] is None

    # The same extract again changes nothing, so there is nothing to pull.
    before = log_size(hq)
    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 0
    assert "repayment: 0 new, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert log_size(hq) == before and pull_all(client, headers, cursor)[1] == []


def test_bad_rows_are_named_and_nothing_is_imported(
        hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*GOOD, *extract(
        ("L-C999", "2026-12-06", "1", "", "", "", "", "", "", "", ""),  # line 5
        ("L-C004", "2026-12-06", "6000000", "", "", "", "", "", "", "", ""),  # line 6
        ("L-C001", "2026-12-06", "1", "", "", "", "", "", "", "", ""),  # line 7: twice
    )]
    bad = [dict(r) for r in rows]
    bad[1]["days_past_due"] = "12"  # line 3: nothing is past due
    bad[2]["restructured_on"] = ""  # line 4: restructured without its date
    path = write_csv(tmp_path / "repayment.csv", bad)
    before, log_before = repayment(hq), log_size(hq)

    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 1
    err = capsys.readouterr().err
    for line in (
        f"{path}:3: days_past_due: 12, but nothing is past due",
        f"{path}:4: restructured_on: required when restructured is Y",
        f"{path}:5: contract_no: no loan 'L-C999' in this import or at headquarters",
        f"{path}:6: outstanding_yuan: above the loan's amount (5,000,000.00)",
        f"{path}:7: contract_no 'L-C001' is also on line 2",
    ):
        assert line in err, line
    assert f"{path}:2:" not in err  # line 2 is good: refused only with the others
    assert "nothing was imported" in err
    assert repayment(hq) == before and log_size(hq) == log_before


def test_cells_that_contradict_each_other_or_the_loan_are_refused(
        hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    bad = extract(
        ("L-C001", "2026-12-06", "100", "200", "", "3", "", "", "", "", ""),  # line 2
        ("L-C002", "2026-12-06", "100", "50", "", "0", "", "", "", "", ""),  # line 3
        ("L-C003", "2026-02-01", "100", "", "", "", "", "", "", "", ""),  # line 4
        ("L-C004", "2026-12-06", "100", "100", "", "400", "", "maybe", "", "N",
         "2026-01-01"),  # line 5
    )
    path = write_csv(tmp_path / "repayment.csv", bad)
    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 1
    err = capsys.readouterr().err
    for line in (
        f"{path}:2: overdue_principal_yuan: above outstanding_yuan",
        f"{path}:3: days_past_due: 0, but overdue_principal_yuan or overdue_interest_yuan",
        f"{path}:4: as_of: 2026-02-01 is before the loan was disbursed (2026-03-01)",
        f"{path}:5: rescheduled: 'maybe' is not Y or N",
    ):
        assert line in err, line
    # Once its cells parse, line 5 meets the loan: more days overdue than it has existed.
    bad[3]["rescheduled"], bad[3]["restructured_on"] = "N", ""
    write_csv(path, bad[3:])
    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 1
    assert (f"{path}:2: days_past_due: more than the 280 days since the loan was disbursed"
            in capsys.readouterr().err)


def test_an_older_extract_is_refused_and_a_new_loan_takes_its_extract_in_one_import(
        hq: Hq, db_url: str, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "--db", db_url, "import", "--repayment",
                 str(write_csv(tmp_path / "d6.csv", GOOD))]) == 0
    older = [dict(GOOD[0], as_of="2026-12-05")]
    path = write_csv(tmp_path / "d5.csv", older)
    assert main(["admin", "--db", db_url, "import", "--repayment", str(path)]) == 1
    assert (f"{path}:2: as_of: 2026-12-05 is older than the repayment data headquarters holds "
            "for the loan (2026-12-06)") in capsys.readouterr().err

    loans = write_csv(tmp_path / "loans.csv", [{
        "contract_no": "L-C001-2", "borrower_code": "C001", "loan_type": "fixed_asset",
        "amount_yuan": "800000", "disbursed_on": "2026-11-01", "matures_on": "2029-11-01",
        "classification": "normal"}])
    extract_ = write_csv(tmp_path / "d7.csv", extract(
        ("L-C001-2", "2026-12-07", "800000", "", "", "", "", "", "", "", "")))
    assert main(["admin", "--db", db_url, "import", "--loans", str(loans), "--repayment",
                 str(extract_)]) == 0
    assert repayment(hq)["L-C001-2"][0] == 80_000_000
