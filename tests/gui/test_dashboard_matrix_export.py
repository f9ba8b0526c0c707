"""Export… by the dashboard's migration matrix: the file holds the matrix of the period on
screen, cell for cell as the matrix shows it, with totals, the period said above the header.

The team of tests/dashboard_fixture.py, with classification moves in the fourth quarter (the
rows the schedule refresh writes when it changes a borrower's classification)."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update
from test_screens import save, texts_fit

from inspector_app.domain.enums import Classification
from inspector_app.gui import i18n
from inspector_app.gui.dashboard.periods import Period
from inspector_app.gui.dashboard.team_view import TeamDashboardView
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ClassificationMove
from tests.dashboard_fixture import DBT, SM, SUB, TODAY, N, build_team

CLASSES = list(Classification)
# (borrower, day, from, to): L3 and L4 downgraded in the quarter, W1 downgraded, then back.
MOVES = (("L3", date(2026, 10, 20), N, SM), ("L4", date(2026, 11, 3), N, SUB),
         ("W1", date(2026, 11, 15), SUB, DBT), ("W1", date(2026, 12, 2), DBT, SUB),
         ("L5", date(2026, 9, 30), SM, N))  # before the quarter: it stays 正常 in it


@pytest.fixture
def view(qtbot: QtBot, store: LocalStore) -> TeamDashboardView:
    team = build_team(store)
    with store.write() as s:
        for code, day, first, last in MOVES:
            s.add(ClassificationMove(borrower_id=team.borrowers[code], moved_on=day,
                                     from_classification=first, to_classification=last))
            s.execute(update(Borrower).where(Borrower.id == team.borrowers[code])
                      .values(classification=last))
    board = TeamDashboardView(store, lambda: TODAY)
    qtbot.addWidget(board)
    board.resize(1366, 768)
    board.show()
    qtbot.waitExposed(board)
    with qtbot.waitSignal(board.loaded):
        board.reload()
    board.pages.setCurrentIndex(2)
    return board


def _export(qtbot: QtBot, view: TeamDashboardView, target: Path, csv_type: bool = False) -> None:
    button = view.matrix_export_button
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = view.matrix_export.file_dialog
    assert dialog is not None and dialog.isVisible()
    if csv_type:
        combo = dialog.findChild(QComboBox, "fileTypeCombo")
        assert combo is not None
        combo.setCurrentIndex(1)
    dialog.selectFile(str(target))
    with qtbot.waitSignal(view.matrix_export.exported, timeout=20_000):
        dialog.accept()


def test_the_file_holds_the_matrix_on_screen(qtbot: QtBot, view: TeamDashboardView,
                                             tmp_path: Path) -> None:
    i18n.install("zh_CN")
    assert view.matrix_export_button.text() == "导出(&E)…"
    assert texts_fit(view) == []
    if os.environ.get("INSPECTOR_SCREENSHOTS"):
        save(view, "dashboard_matrix_export_zh_CN")
    shown = {(a, b): view.matrix.count(a, b) for a in CLASSES for b in CLASSES}
    assert shown[(N, SM)] == shown[(N, SUB)] == shown[(SUB, SUB)] == 1  # the moves, on screen
    target = tmp_path / "矩阵.xlsx"
    _export(qtbot, view, target)
    sheet = load_workbook(target).active
    assert sheet["A1"].value.startswith("风险分类迁徙矩阵：2026-10-01 至 2026-12-31")
    body = list(sheet.iter_rows(min_row=3, max_row=7, min_col=2, max_col=6))
    assert {(a, b): body[r][c].value for r, a in enumerate(CLASSES)
            for c, b in enumerate(CLASSES)} == shown
    assert all(cell.data_type == "n" for row in body for cell in row)
    assert sheet.cell(8, 7).value == sum(shown.values()) == 10  # every borrower, once


def test_another_period_exports_that_period_in_english(qtbot: QtBot, view: TeamDashboardView,
                                                       tmp_path: Path) -> None:
    i18n.install("en")
    assert view.matrix_export_button.text() == "&Export…"
    if os.environ.get("INSPECTOR_SCREENSHOTS"):
        save(view, "dashboard_matrix_export_en")
    with qtbot.waitSignal(view.loaded):
        view.period_combo.setCurrentIndex(list(Period).index(Period.LAST_QUARTER))
    shown = {(a, b): view.matrix.count(a, b) for a in CLASSES for b in CLASSES}
    assert shown[(SM, N)] == 1 and shown[(N, SM)] == 0  # L5 in September, nothing after
    target = tmp_path / "matrix.csv"
    _export(qtbot, view, target, csv_type=True)
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][0].startswith("Classification migration matrix, 2026-07-01 to 2026-09-30")
    assert rows[1] == ["Start \\ end", *(c.label("en") for c in CLASSES), "Total"]
    assert {(a, b): int(rows[2 + r][1 + c]) for r, a in enumerate(CLASSES)
            for c, b in enumerate(CLASSES)} == shown
