"""The pre-visit brief dialog: opened from the work list, readable sections, printed and saved
as a one-page PDF off the UI thread, and the doors to the visits and to a new visit."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from brief_support import double_click_row, fill_borrower_file
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.reports import printing
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.gui.worklist.start_visit_dialog import StartVisitDialog
from inspector_app.store.models import Loan

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def open_brief(qtbot: QtBot, window, code: str = "C1002") -> BriefDialog:
    double_click_row(qtbot, window, code)
    dialog = window.findChild(BriefDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.brief is not None)
    return dialog


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), re.sub(r"\s+", "", reader.pages[0].extract_text())


def test_double_click_opens_the_brief_with_every_section(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("zh_CN")
    window = sign_in("wang")
    dialog = open_brief(qtbot, window)

    assert dialog.windowTitle() == "访前准备 — 华东精密机械有限公司"
    text = dialog.view.toPlainText()
    for expected in ("贷款", "2024固借字第0001号", "固定资产贷款", "3,000,000.00 元",
                     "抵质押物登记", "钢材库存约 300 吨", "未找到", "保证人", "华东控股集团",
                     "上次检查发现及措施", "2024-12-02", "十一月利息逾期三天",
                     "督促企业补足保证金", "未解除的风险预警信号", "质押存货未找到",
                     "2025-02-26 专项检查", f"编制日期 {portfolio.today().isoformat()}"):
        assert expected in text, expected
    assert dialog.start_button.text() == "开始检查(&t)…"

    i18n.install("en")  # switches while open
    text = dialog.view.toPlainText()
    assert "Collateral register" in text and "Special inspection" in text
    assert dialog.print_button.text() == "&Print brief…"


def test_the_brief_shows_each_loans_repayment_position(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    """Balance, days past due, 欠息 and the mark of a refinanced loan, from headquarters'
    extract; a loan no extract has named yet shows dashes, not a balance of zero."""
    fill_borrower_file(portfolio.store, portfolio.officer)
    with portfolio.store.write() as s:
        loan = s.query(Loan).filter_by(contract_no="2024固借字第0001号").one()
        loan.outstanding_fen, loan.days_past_due = 2_800_000_00, 95
        loan.overdue_principal_fen, loan.arrears_interest_fen = 200_000_00, 15_432_10
        loan.refinanced, loan.repayment_as_of = True, date(2025, 2, 24)
    i18n.install("zh_CN")
    window = sign_in("wang")
    dialog = open_brief(qtbot, window)

    text = dialog.view.toPlainText()
    for expected in ("贷款余额", "贷款（还款数据截至 2025-02-24）", "逾期天数", "欠息",
                     "2,800,000.00 元", "15,432.10 元", "借新还旧"):
        assert expected in text, expected
    lines = text.splitlines()
    overdue = lines.index("2024固借字第0001号")
    # contract, type, mark, amount, balance, dates (two lines), days past due, 欠息
    assert lines[overdue + 4:overdue + 9] == [
        "2,800,000.00 元", "2024-05-01", "2029-05-01", "95", "15,432.10 元"]
    other = lines.index("2024流借字第0002号")
    assert lines[other + 3:other + 8] == ["—", "2024-06-01", "2025-06-01", "—", "—"]

    i18n.install("en")
    text = dialog.view.toPlainText()
    for expected in ("Outstanding balance", "Loans (repayment data as of 2025-02-24)",
                     "Days past due", "Interest arrears", "CNY 2,800,000.00", "Refinanced"):
        assert expected in text, expected


def test_save_as_pdf_writes_one_page_off_the_ui_thread(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("zh_CN")
    window = sign_in("wang")
    dialog = open_brief(qtbot, window)
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "PDF"))

    with qtbot.waitSignal(dialog.pdf_written, timeout=20_000) as written:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert written.args == [str(target)]
    pages, text = pdf_text(target)
    assert pages == 1
    assert "华东精密机械有限公司" in text and "质押存货未找到" in text and "访前准备" in text
    assert dialog.status.text() == f"已保存到 {target}"


def test_print_brief_renders_then_prints_the_pdf(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("en")
    window = sign_in("wang")
    dialog = open_brief(qtbot, window)
    out = tmp_path / "printed.pdf"
    asked: list[int] = []

    def choose_pdf_file(parent, printer: QPrinter, page_count: int) -> bool:
        asked.append(page_count)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(printing, "ask_for_printer", choose_pdf_file)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_print_job is not None
                    and dialog.last_print_job.outcome is not None, timeout=30_000)
    assert asked == [1]
    assert not isinstance(dialog.last_print_job.outcome, Exception)
    assert dialog.status.text() == "The brief was sent to the printer."
    assert out.exists() and out.stat().st_size > 0
    # The rendered brief it printed is kept in the data folder, in the GUI's language.
    rendered = portfolio.store.data_dir / "briefs" / "brief-C1002-en.pdf"
    pages, text = pdf_text(rendered)
    assert pages == 1 and "Pre-visitbrief" in text


def test_start_visit_from_the_brief_tells_the_main_window(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("zh_CN")
    window = sign_in("wang")
    assert window.counts_bar.unsigned.text() == "未签署：1"  # the completed visit
    dialog = open_brief(qtbot, window)

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    start = dialog.findChild(StartVisitDialog)
    assert start is not None and start.isVisible()
    qtbot.waitUntil(lambda: start.choices is not None)
    with qtbot.waitSignal(window.visit_started, timeout=10_000) as started:
        qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    visit_id = started.args[0]
    header = portfolio.store.start_choices(dialog._borrower_id, portfolio.officer.id).draft
    assert header is not None and header.id == visit_id
    qtbot.waitUntil(lambda: window.findChild(BriefDialog) is None)  # the editor takes over
    qtbot.waitUntil(lambda: window.counts_bar.unsigned.text() == "未签署：2")


def test_a_brief_that_cannot_load_says_so(
    qtbot: QtBot, portfolio: Portfolio
) -> None:
    i18n.install("en")
    dialog = BriefDialog(portfolio.store, portfolio.officer, "no-such-borrower")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.status.text() != "")
    assert dialog.status.text().startswith("Could not load the brief:")
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
