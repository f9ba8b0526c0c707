"""The migration matrix exported (the dashboard's Export… and `inspector-app export matrix`):
after a scripted sequence of classification changes, the file's numbers are the dashboard's,
cell by cell, with row and column totals; xlsx cells are integers, the period is said above
the header, and the CSV reads back with its Chinese."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_migration_matrix import Q4, SEPTEMBER, build, play

from inspector_app.cli import main
from inspector_app.common.export_files import write_table
from inspector_app.domain.enums import Classification
from inspector_app.store.local import LocalStore

CLASSES = list(Classification)
TODAY = date(2027, 1, 5)


def _matrix(rows: list[list[object]]) -> dict[tuple[Classification, Classification], int]:
    """The non-zero cells of the file's five classification rows and columns."""
    return {(first, last): int(str(rows[r][c + 1]))
            for r, first in enumerate(CLASSES) for c, last in enumerate(CLASSES)
            if int(str(rows[r][c + 1]))}


@pytest.fixture
def scripted(store: LocalStore) -> LocalStore:
    play(store, build(store))
    return store


@pytest.mark.parametrize("period", [Q4, SEPTEMBER])
def test_xlsx_holds_the_dashboards_numbers_as_integers(
        scripted: LocalStore, tmp_path: Path, period: tuple[date, date]) -> None:
    shown = scripted.team_dashboard(TODAY, *period).migration
    out = write_table(scripted.migration_export(*period), tmp_path / "matrix.xlsx")
    sheet = load_workbook(out).active
    start, end = period
    assert sheet.cell(1, 1).value == (f"风险分类迁徙矩阵：{start.isoformat()} 至 "
                                      f"{end.isoformat()}（行：期初分类，列：期末分类，单位：户）")
    assert [c.value for c in sheet[2]] == ["期初＼期末", "正常", "关注", "次级", "可疑", "损失",
                                           "合计"]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref is None  # totals stay last
    body = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert [r[0] for r in body] == ["正常", "关注", "次级", "可疑", "损失", "合计"]
    for row in sheet.iter_rows(min_row=3, min_col=2):
        assert all(cell.data_type == "n" and isinstance(cell.value, int) for cell in row)
    assert _matrix(body) == shown
    borrowers = sum(shown.values())
    assert [r[-1] for r in body[:-1]] == [sum(n for (a, _b), n in shown.items() if a is c)
                                          for c in CLASSES]
    assert body[-1][1:] == [*(sum(n for (_a, b), n in shown.items() if b is c)
                              for c in CLASSES), borrowers]
    assert borrowers == 4


def test_csv_round_trips_chinese_and_english(scripted: LocalStore, tmp_path: Path) -> None:
    shown = scripted.team_dashboard(TODAY, *Q4).migration
    assert shown == {(Classification.SPECIAL_MENTION, Classification.SPECIAL_MENTION): 2,
                     (Classification.NORMAL, Classification.SUBSTANDARD): 1,
                     (Classification.NORMAL, Classification.SPECIAL_MENTION): 1}
    for lang, header, total in (("zh", "期初＼期末", "合计"), ("en", "Start \\ end", "Total")):
        out = write_table(scripted.migration_export(*Q4, lang), tmp_path / f"m-{lang}.csv",
                          lang=lang)
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel reads UTF-8 by
        with out.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert "2026-10-01" in rows[0][0] and "2026-12-31" in rows[0][0]
        assert rows[1][0] == header and rows[1][-1] == total
        assert rows[1][1:6] == [c.label(lang) for c in CLASSES]
        assert [r[0] for r in rows[2:]] == [*(c.label(lang) for c in CLASSES), total]
        assert _matrix(rows[2:]) == shown
        assert rows[-1][-1] == "4"


def test_the_command_writes_the_period_asked(scripted: LocalStore, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", "--data-dir", str(scripted.data_dir), "--from",
                 "2026-10-01", "--to", "2026-12-31", "-o", str(out)]) == 0
    assert "6 行" in capsys.readouterr().out
    sheet = load_workbook(out).active
    body = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert _matrix(body) == scripted.team_dashboard(TODAY, *Q4).migration


@pytest.mark.parametrize(("extra", "says"), [
    ([], "needs both --from and --to"),
    (["--from", "2026-10-01"], "needs both --from and --to"),
    (["--from", "2026-10-01", "--to", "2026-13-01"], "--to is not a date"),
    (["--from", "2026-12-31", "--to", "2026-10-01"], "--from is after --to"),
])
def test_a_bad_period_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             extra: list[str], says: str) -> None:
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", "--data-dir", str(tmp_path), "-o", str(out),
                 *extra]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_period_is_for_the_matrix_only(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "visits", "--data-dir", str(tmp_path), "-o",
                 str(tmp_path / "v.xlsx"), "--from", "2026-10-01"]) == 2
    assert "for the matrix only" in capsys.readouterr().err
