"""`inspector-hq export visits|due-list`: headquarters' visits and due list from its database,
with the laptops' columns, typed; bad arguments refused in one line with exit 2."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, register, visit_push
from openpyxl import load_workbook

from inspector_app.domain.enums import Classification, LoanType, Severity
from inspector_app.domain.listings import DUE_LIST_COLUMNS, VISIT_COLUMNS
from inspector_app.domain.policy import load_policy
from inspector_app.domain.schedule import OpenSignal, OwedFirstInspection, next_due_date
from inspector_app.hq.cli import main
from inspector_app.wire import API

VISITED = date(2026, 11, 20)


@pytest.fixture
def pushed(client, world: World, sign: Any) -> Iterator[None]:
    """off_a's submitted visit to C001 with an open orange signal; C002 never visited."""
    headers = register(client, "off_a")
    body = visit_push(world.users["off_a"], world.borrowers["C001"], status="submitted")
    body["visit"]["recommended_classification"] = "special_mention"
    body["visit"]["signals"] = [{
        "id": "sig-1", "category": "operational", "severity": "orange", "source": "checklist",
        "title": "库存积压", "status": "raised", "raised_on": VISITED.isoformat()}]
    sign(body, headers)
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.status_code == 200, r.text
    yield


def _rows(sheet) -> list[dict[str, Any]]:
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_visits_xlsx_has_review_status_signals_and_classification(
        db_url: str, pushed: None, tmp_path: Path, capsys) -> None:
    out = tmp_path / "visits.xlsx"
    assert main(["export", "visits", "--db", db_url, "-o", str(out)]) == 0
    assert "1 行已写入" in capsys.readouterr().out
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == [c.header.zh for c in VISIT_COLUMNS]  # the laptop's
    (row,) = _rows(sheet)
    assert row["客户经理"].value == "李明" and row["客户号"].value == "C001"
    assert row["借款人"].value == "江苏恒达精密机械有限公司"
    assert row["复核状态"].value == "已提交"
    assert row["检查日期"].is_date and row["检查日期"].value.date() == VISITED
    assert row["当前分类"].value == "正常" and row["建议分类"].value == "关注"
    assert row["是否下调"].value == "是"
    assert row["橙色预警"].value == 1 and row["橙色预警"].data_type == "n"
    assert row["红色预警"].value == 0
    assert row["提交日期"].is_date


def test_due_list_csv_dates_by_the_laptops_rules(db_url: str, pushed: None, tmp_path: Path
                                                 ) -> None:
    out = tmp_path / "due.csv"
    assert main(["export", "due-list", "--db", db_url, "-o", str(out), "--lang", "en"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [c.header.en for c in DUE_LIST_COLUMNS]
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_code) == {"C001", "C002", "C003", "C004"}
    policy = load_policy()
    # C002: never visited, a working-capital loan disbursed 2026-03-01 owes its first one.
    first = next_due_date(
        last_visit_on=None, classification=Classification.NORMAL,
        owed_first=[OwedFirstInspection(LoanType.WORKING_CAPITAL, date(2026, 3, 1), "L-C002")],
        open_signals=[], policy=policy)
    assert by_code["C002"]["Next inspection"] == first.due_on.isoformat()
    assert by_code["C002"]["Inspection type"] == "First inspection"
    assert by_code["C002"]["Borrower"] == "南京德炎水产有限公司"  # Chinese read back intact
    assert by_code["C002"]["Credit officer"] == "陈静"
    # C001: visited, special mention concluded, an open orange signal pulls the date in.
    routine = next_due_date(
        last_visit_on=VISITED, classification=Classification.SPECIAL_MENTION, owed_first=[],
        open_signals=[OpenSignal(Severity.ORANGE, VISITED)], policy=policy)
    c001 = by_code["C001"]
    assert c001["Next inspection"] == routine.due_on.isoformat()
    assert c001["Last visit"] == VISITED.isoformat() and c001["Open warning signals"] == "1"
    assert c001["Days overdue"] == str(max(0, (date.today() - routine.due_on).days))
    assert by_code["C004"]["Credit officer"] == ""  # nobody's borrower, still listed
    dates = [r["Next inspection"] for r in by_code.values() if r["Next inspection"]]
    assert [r[7] for r in rows[1:] if r[7]] == sorted(dates)  # most overdue first


def test_one_officers_due_list(db_url: str, world: World, tmp_path: Path) -> None:
    out = tmp_path / "due.xlsx"
    assert main(["export", "due-list", "--db", db_url, "--officer", "off_b", "-o",
                 str(out)]) == 0
    (row,) = _rows(load_workbook(out).active)
    assert row["客户号"].value == "C003"
    assert row["贷款余额（元）"].value is None  # no repayment data imported


@pytest.mark.parametrize(("argv", "says"), [
    (["--officer", "nobody", "-o", "{tmp}/x.xlsx"], "no user 'nobody'"),
    (["-o", "{tmp}/x.txt"], "cannot tell the format"),
    (["-o", "{tmp}/missing/x.xlsx"], "output folder does not exist"),
])
def test_bad_arguments_exit_2_and_write_nothing(db_url: str, world: World, tmp_path: Path,
                                                capsys, argv: list[str], says: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.format(tmp=out) for a in argv]
    assert main(["export", "visits", "--db", db_url, *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert list(out.iterdir()) == []


def test_usage_errors_from_a_real_process(tmp_path: Path) -> None:
    for argv, says in (
        (["export", "visits", "-o", str(tmp_path / "x.xlsx")], "give --data-dir, or --db"),
        (["export", "visits", "--data-dir", str(tmp_path / "none"), "-o",
          str(tmp_path / "x.xlsx")], "no database"),
        (["export", "signals", "-o", "x.xlsx"], "invalid choice"),
    ):
        done = subprocess.run([sys.executable, "-m", "inspector_app.hq.cli", *argv],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "none").exists() and not (tmp_path / "x.xlsx").exists()
