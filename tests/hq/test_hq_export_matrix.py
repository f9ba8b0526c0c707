"""`inspector-hq export matrix --from --to`: the whole bank's classification migration matrix
from headquarters' classification history, the numbers the bank dashboard shows for the
period (the hand-built bank of dashboard_helpers: C001 and C002 moved in the fourth quarter,
C003 before it), typed, with totals and the period above the header."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from dashboard_helpers import NOVEMBER, Q4, TODAY, build_bank
from hq_helpers import World
from openpyxl import load_workbook

from inspector_app.domain.enums import Classification
from inspector_app.hq.cli import main
from inspector_app.hq.context import Hq
from inspector_app.hq.dashboard import whole_bank_dashboard
from inspector_app.hq.dashboard_sql import Ask

CLASSES = list(Classification)


@pytest.fixture
def bank(hq: Hq, world: World) -> None:
    build_bank(hq.db.engine, world)


def _shown(hq: Hq, period: tuple[date, date]) -> dict[tuple[str, str], int]:
    board = whole_bank_dashboard(hq.db, Ask(TODAY, *period))
    return {(m.start, m.end): m.count for m in board.migration}


@pytest.mark.parametrize("period", [Q4, NOVEMBER])
def test_the_file_holds_the_dashboards_matrix(hq: Hq, db_url: str, bank: None, tmp_path: Path,
                                              period: tuple[date, date]) -> None:
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", "--db", db_url, "--from", period[0].isoformat(),
                 "--to", period[1].isoformat(), "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    assert f"{period[0].isoformat()} 至 {period[1].isoformat()}" in sheet["A1"].value
    body = list(sheet.iter_rows(min_row=3, max_row=7, min_col=2, max_col=6))
    assert all(cell.data_type == "n" for row in body for cell in row)
    cells = {(a.value, b.value): body[r][c].value for r, a in enumerate(CLASSES)
             for c, b in enumerate(CLASSES) if body[r][c].value}
    assert cells == _shown(hq, period)
    assert sheet.cell(8, 7).value == 4  # every borrower of the bank, once


def test_the_quarter_in_english_csv(hq: Hq, db_url: str, bank: None, tmp_path: Path) -> None:
    out = tmp_path / "matrix.csv"
    assert main(["export", "matrix", "--db", db_url, "--from", "2026-10-01", "--to",
                 "2026-12-31", "--lang", "en", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1] == ["Start \\ end", *(c.label("en") for c in CLASSES), "Total"]
    cells = {(a.value, b.value): int(rows[2 + r][1 + c]) for r, a in enumerate(CLASSES)
             for c, b in enumerate(CLASSES) if rows[2 + r][1 + c] != "0"}
    # C001 moved down in November, C002 went to 关注 and back; C003 and C004 stayed.
    assert cells == {("normal", "special_mention"): 1, ("normal", "normal"): 2,
                     ("substandard", "substandard"): 1} == _shown(hq, Q4)


def test_the_matrix_is_the_whole_banks(db_url: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "matrix", "--db", db_url, "--from", "2026-10-01", "--to",
                 "2026-12-31", "--officer", "off_a", "-o", str(tmp_path / "m.xlsx")]) == 2
    assert "--officer is for visits and the due list" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
