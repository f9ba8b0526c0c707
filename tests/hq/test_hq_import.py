"""Importing the portfolio from CSV: every bad row named, nothing imported; a good import pulls."""

from __future__ import annotations

from pathlib import Path

import pytest
from hq_helpers import (
    ACTOR,
    BORROWERS,
    PASSWORD,
    collateral_rows,
    guarantor_rows,
    loans_rows,
    pull_all,
    register,
    write_csv,
)
from sqlalchemy import func, select

from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.models import Borrower, ChangeLogEntry, CollateralItem, Guarantor, Loan


@pytest.fixture
def staff(hq: Hq) -> None:
    admin.add_branch(hq.db, "B01", "城东支行", ACTOR)
    admin.add_branch(hq.db, "B02", "城西支行", ACTOR)
    admin.add_user(hq.db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B01")
    admin.add_user(hq.db, "sup2", "赵主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B02")
    for name, sup, branch in (("off_a", "sup1", "B01"), ("off_c", "sup1", "B01"),
                              ("off_b", "sup2", "B02")):
        admin.add_user(hq.db, name, name, Role.OFFICER, PASSWORD, ACTOR, branch_code=branch,
                       supervisor_username=sup)


def counts(hq: Hq) -> dict[str, int]:
    with hq.db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Borrower, Loan, CollateralItem, Guarantor, ChangeLogEntry)}


def files(folder: Path, borrowers: list[dict[str, str]] | None = None,
          loans: list[dict[str, str]] | None = None,
          collateral: list[dict[str, str]] | None = None,
          guarantors: list[dict[str, str]] | None = None) -> list[str]:
    folder.mkdir(exist_ok=True)
    return [
        "--borrowers", str(write_csv(folder / "borrowers.csv", borrowers or BORROWERS)),
        "--loans", str(write_csv(folder / "loans.csv", loans or loans_rows())),
        "--collateral", str(write_csv(folder / "collateral.csv",
                                      collateral or collateral_rows())),
        "--guarantors", str(write_csv(folder / "guarantors.csv",
                                      guarantors or guarantor_rows())),
    ]


def test_bad_rows_are_named_with_file_line_and_reason_and_nothing_is_imported(
        hq: Hq, db_url: str, staff: None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = counts(hq)
    borrowers = [dict(b) for b in BORROWERS]
    borrowers[1]["industry"] = "steel"  # line 3
    borrowers[2]["officer"] = "sup2"  # line 4: a supervisor is not an officer
    borrowers.append(dict(BORROWERS[0]))  # line 6: C001 again
    loans = loans_rows()
    loans[0]["borrower_code"] = "C999"  # line 2
    loans[1]["matures_on"] = "2026-01-01"  # line 3: before disbursement
    loans[3]["amount_yuan"] = "12.345"  # line 5: a tenth of a fen
    collateral = collateral_rows()
    collateral[3]["loan_contract_no"] = "L-C001"  # line 5: another borrower's loan
    guarantors = [{k: v for k, v in g.items() if k != "name"} for g in guarantor_rows()]
    args = files(tmp_path, borrowers, loans, collateral, guarantors)

    assert main(["admin", "--db", db_url, "import", *args]) == 1
    err = capsys.readouterr().err
    b, lo, co, gu = (str(tmp_path / f) for f in
                     ("borrowers.csv", "loans.csv", "collateral.csv", "guarantors.csv"))
    expected = [
        f"{b}:3: industry: 'steel' is not one of manufacturing, real_estate",
        f"{b}:4: officer: 'sup2' is not an active officer",
        f"{b}:6: code 'C001' is also on line 2",
        f"{lo}:2: borrower_code: no borrower 'C999'",
        f"{lo}:3: matures_on: must be after disbursed_on",
        f"{lo}:5: amount_yuan: '12.345' has more than two decimals",
        f"{co}:5: loan_contract_no: no loan 'L-C001' of borrower 'C004'",
        f"{gu}:1: missing column(s): name",
    ]
    for line in expected:
        assert line in err, line
    assert "nothing was imported" in err
    assert counts(hq) == before  # not one row, not one change-log entry


def test_a_good_import_is_pulled_by_the_assigned_officer_and_reimporting_changes_nothing(
        client, hq: Hq, db_url: str, staff: None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "--db", db_url, "import", *files(tmp_path)]) == 0
    assert "borrowers: 4 new" in capsys.readouterr().out
    assert counts(hq)["borrowers"] == 4 and counts(hq)["loans"] == 4

    headers = register(client, "off_a")
    cursor, changes = pull_all(client, headers)
    [loan] = [c for c in changes if c["entity"] == "loan"]
    assert loan["data"]["contract_no"] == "L-C001"
    assert loan["data"]["amount_fen"] == 500_000_000  # 5,000,000.00 yuan
    assert loan["data"]["disbursed_on"] == "2026-03-01"
    [collateral] = [c for c in changes if c["entity"] == "collateral_item"]
    assert collateral["data"]["loan_id"] == loan["id"]
    assert {c["entity"] for c in changes} >= {"borrower", "loan", "collateral_item", "guarantor"}

    # The same files again: nothing new to pull.
    log_before = counts(hq)["change_log"]
    assert main(["admin", "--db", db_url, "import", *files(tmp_path)]) == 0
    assert "borrowers: 0 new, 0 updated, 4 unchanged" in capsys.readouterr().out
    assert counts(hq)["change_log"] == log_before

    # A changed amount: one new version, pulled.
    loans = loans_rows()
    loans[0]["amount_yuan"] = "4,500,000.50"
    assert main(["admin", "--db", db_url, "import", *files(tmp_path / "v2", loans=loans)]) == 0
    _, update = pull_all(client, headers, cursor)
    assert [(c["entity"], c["version"], c["data"]["amount_fen"]) for c in update] == [
        ("loan", 2, 450_000_050)]


def test_excel_style_files_are_read(hq: Hq, staff: None, tmp_path: Path) -> None:
    """Excel on Chinese Windows writes GB18030; elsewhere UTF-8 with a byte-order mark."""
    from inspector_app.hq.csv_import import import_files

    rows = [dict(BORROWERS[0], industry="制造业", kind="企业")]  # labels, not codes
    gbk = write_csv(tmp_path / "gbk.csv", rows, encoding="gb18030")
    summary = import_files(hq.db, {"borrowers": gbk}, ACTOR)
    assert summary.created == {"borrowers": 1}
    bom = write_csv(tmp_path / "bom.csv", [dict(BORROWERS[1])], encoding="utf-8-sig")
    import_files(hq.db, {"borrowers": bom}, ACTOR)
    with hq.db.read() as s:
        names = dict(s.execute(select(Borrower.code, Borrower.name)).all())
        industry = s.scalar(select(Borrower.industry).where(Borrower.code == "C001"))
    assert names == {"C001": "江苏恒达精密机械有限公司", "C002": "南京德炎水产有限公司"}
    assert industry == "manufacturing"


def test_assign_from_the_cli(client, hq: Hq, db_url: str, staff: None, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(b, officer="") for b in BORROWERS]
    assert main(["admin", "--db", db_url, "import", *files(tmp_path, rows)]) == 0
    headers = register(client, "off_b")
    assert pull_all(client, headers)[1] == [c for c in pull_all(client, headers)[1]
                                            if c["entity"] not in ("borrower", "loan")]
    assert main(["admin", "--db", db_url, "assign", "C004", "off_b"]) == 0
    borrowers = [c["data"]["code"] for c in pull_all(client, headers)[1]
                 if c["entity"] == "borrower"]
    assert borrowers == ["C004"]
    assert main(["admin", "--db", db_url, "assign", "C004", "sup1"]) == 1
    assert "not an active officer" in capsys.readouterr().err
