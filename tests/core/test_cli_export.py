"""`inspector-app export visits|due-list`: typed xlsx and BOM'd CSV from the laptop's data, and
bad arguments refused in one line with exit 2."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector_app.cli import main
from inspector_app.domain.listings import DUE_LIST_COLUMNS, VISIT_COLUMNS


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data-dir", str(data)]) == 0
    return data


def _json(capsys, *argv: str) -> list[dict]:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_due_list_xlsx_has_every_borrower_with_typed_cells(demo_dir: Path, tmp_path: Path,
                                                           capsys) -> None:
    due = _json(capsys, "due", "--data-dir", str(demo_dir), "--json")
    out = tmp_path / "due.xlsx"
    assert main(["export", "due-list", "--data-dir", str(demo_dir), "-o", str(out)]) == 0
    assert f"{len(due)} 行" in capsys.readouterr().out
    sheet = load_workbook(out).active
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header.zh for c in DUE_LIST_COLUMNS]
    assert sheet.max_row == len(due) + 1
    col = {key: headers.index(c.header.zh) + 1 for key, c in
           ((c.key, c) for c in DUE_LIST_COLUMNS)}
    by_code = {r["code"]: r for r in due}
    checked_money = checked_date = 0
    for n in range(2, sheet.max_row + 1):
        code = sheet.cell(n, col["borrower_code"]).value
        source = by_code[code]
        assert sheet.cell(n, col["borrower"]).value == source["name"]
        signals = sheet.cell(n, col["open_signals"])
        assert signals.data_type == "n" and signals.value == source["open_signals"]
        money = sheet.cell(n, col["outstanding"])
        if source["outstanding_fen"] is not None:
            assert money.data_type == "n" and money.number_format == "#,##0.00"
            assert money.value == pytest.approx(source["outstanding_fen"] / 100)
            checked_money += 1
        nxt = sheet.cell(n, col["next_due"])
        if source["next_due_on"]:
            assert nxt.is_date and nxt.value.date().isoformat() == source["next_due_on"]
            overdue = sheet.cell(n, col["days_overdue"]).value
            assert overdue == max(0, (date.today()
                                      - date.fromisoformat(source["next_due_on"])).days)
            checked_date += 1
    assert checked_money and checked_date


def test_visits_csv_round_trips_chinese_in_both_languages(demo_dir: Path, tmp_path: Path,
                                                          capsys) -> None:
    visits = _json(capsys, "visits", "--data-dir", str(demo_dir), "--json")
    out = tmp_path / "visits.csv"
    assert main(["export", "visits", "--data-dir", str(demo_dir), "--format", "csv", "-o",
                 str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [c.header.zh for c in VISIT_COLUMNS]
    assert len(rows) == len(visits) + 1
    borrower = rows[0].index("借款人")
    status = rows[0].index("复核状态")
    assert {r[borrower] for r in rows[1:]} == {v["borrower"] for v in visits}
    assert {"草稿", "已认定"} & {r[status] for r in rows[1:]}  # Chinese labels intact
    english = tmp_path / "visits-en.csv"
    assert main(["export", "visits", "--data-dir", str(demo_dir), "--lang", "en", "-o",
                 str(english)]) == 0
    with english.open(encoding="utf-8-sig", newline="") as f:
        en_rows = list(csv.reader(f))
    assert en_rows[0] == [c.header.en for c in VISIT_COLUMNS]
    assert "Draft" in {r[status] for r in en_rows[1:]}


def test_visits_xlsx_counts_and_dates_typed(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "visits.xlsx"
    assert main(["export", "visits", "--data-dir", str(demo_dir), "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    keys = [c.key for c in VISIT_COLUMNS]
    visit_date = sheet.cell(2, keys.index("visit_date") + 1)
    assert visit_date.is_date and visit_date.number_format == "yyyy-mm-dd"
    reds = [sheet.cell(n, keys.index("red_signals") + 1) for n in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in reds)
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(("argv", "says"), [
    (["export", "visits", "-o", "{tmp}/out.txt"], "cannot tell the format"),
    (["export", "visits", "-o", "{tmp}/missing/out.xlsx"], "output folder does not exist"),
    (["export", "visits", "--format", "pdf", "-o", "{tmp}/x.pdf"], "invalid choice"),
    (["export", "everything", "-o", "{tmp}/x.xlsx"], "invalid choice"),
    (["export", "due-list"], "required: -o/--out"),
])
def test_bad_arguments_exit_2_in_one_line(demo_dir: Path, tmp_path: Path, argv: list[str],
                                          says: str) -> None:
    argv = [a.format(tmp=tmp_path) for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", *argv, "--data-dir", str(demo_dir)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_missing_data_dir_is_said_not_created(tmp_path: Path, capsys) -> None:
    out = tmp_path / "due.xlsx"
    assert main(["export", "due-list", "--data-dir", str(tmp_path / "none"), "-o",
                 str(out)]) == 2
    assert "--data-dir" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "none").exists()
