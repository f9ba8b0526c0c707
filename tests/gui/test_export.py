"""Export… from the work list and from the supervisor's review queue: the button, the file
dialog, the file written in the background, and a failure said in a message box."""

from __future__ import annotations

import csv
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from review_support import ca_fixture, submit_visit, wait_loaded  # noqa: F401

from inspector_app.common.progress import Progress
from inspector_app.gui import i18n
from inspector_app.gui.export_action import ExportAction
from inspector_app.reports.certs import TestCA

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def _choose(qtbot: QtBot, export: ExportAction, button, target: Path,
            csv_filter: bool = False) -> str:
    """Click Export…, pick target in the file dialog, and wait for the file."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = export.file_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    filters = dialog.nameFilters()
    assert any("*.xlsx" in f for f in filters) and any("*.csv" in f for f in filters)
    if csv_filter:  # as the user picks it: the dialog's file type box
        combo = dialog.findChild(QComboBox, "fileTypeCombo")
        assert combo is not None
        combo.setCurrentIndex(1)
        assert dialog.selectedNameFilter() == filters[1]
    dialog.selectFile(str(target))
    with qtbot.waitSignal(export.exported, timeout=20_000) as done:
        dialog.accept()
    return done.args[0]


def test_work_list_export_writes_the_filtered_list_as_xlsx(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, tmp_path: Path
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    assert window.export_button.text() == "导出(&E)…"
    target = tmp_path / "到期清单.xlsx"
    written = _choose(qtbot, window.export, window.export_button, target)
    assert written == str(target)
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "客户号" and sheet["B1"].value == "借款人"
    codes = [sheet.cell(n, 1).value for n in range(2, sheet.max_row + 1)]
    # wang's four borrowers, most overdue first, as the list shows them; not li's C2001.
    assert codes == ["C1002", "C1003", "C1001", "C1004"]
    due = sheet.cell(2, 8)
    assert due.is_date and due.value.date() == portfolio.today() - timedelta(days=12)
    assert sheet.cell(2, 9).value == 12  # days overdue, an integer
    assert f"已导出到 {target}" in window.ui.statusBar.currentMessage()

    # Narrowed to borrowers with open signals: the export follows the screen.
    window.filters.signals_check.setChecked(True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.loading)
    narrowed = tmp_path / "signals"  # no suffix typed, the CSV filter chosen
    written = _choose(qtbot, window.export, window.export_button, narrowed, csv_filter=True)
    assert written.endswith(".csv")
    with open(written, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[1] for r in rows[1:]] == ["华东精密机械有限公司", "陈建国"]
    assert rows[1][3] == "关注"  # the classification in Chinese, read back intact


def test_review_queue_export_writes_the_tab_in_english(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, ca: TestCA, tmp_path: Path
) -> None:
    i18n.install("en")
    submit_visit(portfolio.store, ca, "C1001", portfolio.officer, date(2025, 3, 1))
    window = sign_in("zhang")
    queue = window.review_queue
    assert queue is not None
    wait_loaded(qtbot, queue)
    assert queue.model.rowCount() == 1
    assert queue.export_button.text() == "E&xport…"
    target = tmp_path / "visits.xlsx"
    _choose(qtbot, queue.export, queue.export_button, target)
    sheet = load_workbook(target).active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Officer", "Customer no.", "Borrower"]
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Borrower"].value == "宏达房地产开发有限公司"
    assert row["Review status"].value == "Submitted"
    assert row["Visit date"].is_date and row["Visit date"].value.date() == date(2025, 3, 1)
    assert row["Red signals"].data_type == "n" and row["Revision"].value == 1
    assert sheet.max_row == 2
    assert "Exported to" in window.ui.statusBar.currentMessage()


def test_a_failed_export_is_said_and_leaves_nothing(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    i18n.install("en")
    window = sign_in("wang")
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "gone" / "due.xlsx"  # the folder vanished after it was chosen
    with qtbot.waitSignal(window.export.failed, timeout=20_000) as failed:
        window.export.export_to(str(target))
    assert "the folder does not exist" in failed.args[0]
    box = window.export.message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "The file was not written." in box.text() and str(target.parent) in box.text()
    box.close()


def test_cancel_writes_nothing_and_keeps_the_old_file(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    i18n.install("en")
    window = sign_in("wang")
    target = tmp_path / "due.xlsx"
    target.write_bytes(b"last week's export")
    real = window._due_list_export

    def slow() -> Any:  # a list that takes long to read: the progress dialog shows
        make = real()

        def work(lang: str, progress: Progress) -> Any:
            for n in range(3000):  # 30 s at most, then it writes as usual
                progress.report(n, 3000)
                progress.check()
                time.sleep(0.01)
            return make(lang, progress)
        return work

    window.export._prepare = slow
    job = window.export.export_to(str(target))
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=10_000)
    assert "Exporting to due.xlsx" in job.dialog.labelText()
    cancel = job.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    with qtbot.waitSignal(window.export.cancelled, timeout=20_000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == b"last week's export"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(
        ("data", "qsettings"))) == ["due.xlsx"]
    assert window.ui.statusBar.currentMessage() == "Export cancelled: nothing was written"
