"""A borrower's visits: preview, print, sign, submit, approve, return, verify, as a user would."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from review_support import ca_fixture, normal_answer  # noqa: F401 (a fixture)
from sqlalchemy import select
from test_screens import save, texts_fit
from test_signature_pad import ZIGZAG, draw

from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.reports import printing
from inspector_app.gui.reports.visits_table import Column
from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column as PortfolioColumn
from inspector_app.reports import files as report_files
from inspector_app.reports import pdf
from inspector_app.reports.certificate_files import import_certificate, import_trusted_ca
from inspector_app.reports.certs import TestCA
from inspector_app.reports.report_actions import (
    STALE_PREVIEW_SECONDS,
    previews_dir,
    remove_stale_previews,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Report, User, Visit
from inspector_app.store.visit_checks import visit_checklist

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn

COMPLETED_ON = date(2025, 3, 1)
EARLIER_DRAFT_ON = date(2025, 1, 15)




def complete_visit(store: LocalStore, borrower_id: str, officer: User, on: date) -> str:
    visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE, visit_date=on,
                              place="厂区", people_met="王强（法定代表人）")
    for item in visit_checklist(visit).items():
        store.set_answer(visit.id, officer, item.code, normal_answer(item))
    store.transition(visit.id, officer, VisitStatus.COMPLETED)
    return visit.id


@dataclass(frozen=True)
class Visits:
    borrower_id: str
    completed: str  # 2025-03-01, COMPLETED, wang's
    draft: str  # 2025-01-15, DRAFT, wang's


@pytest.fixture
def visits(portfolio: Portfolio) -> Visits:
    store = portfolio.store
    with store.read() as s:
        borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == "C1001"))
    draft = store.start_visit(borrower_id, portfolio.officer, VisitKind.FIRST,
                              visit_date=EARLIER_DRAFT_ON)
    completed = complete_visit(store, borrower_id, portfolio.officer, COMPLETED_ON)
    return Visits(borrower_id, completed, draft.id)


def give_certificate(portfolio: Portfolio, ca: TestCA, username: str) -> None:
    issued = ca.user(username)
    data_dir = portfolio.store.data_dir
    import_certificate(data_dir, username, issued.p12_path, issued.password)
    import_trusted_ca(data_dir, ca.ca_cert_path)


def status(portfolio: Portfolio, visit_id: str) -> VisitStatus:
    with portfolio.store.read() as s:
        return s.get_one(Visit, visit_id).status


def open_from_main_window(qtbot: QtBot, window: MainWindow, code: str) -> BorrowerVisitsDialog:
    """Select the borrower's row and press Enter, as the officer does: the brief opens, and
    its "Visits and reports" button opens the visits."""
    model, view = window.model, window.ui.portfolioView
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == code)
    view.setCurrentIndex(model.index(row, PortfolioColumn.NAME))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    brief = window.findChild(BriefDialog)
    assert brief is not None
    qtbot.waitExposed(brief)
    click(qtbot, brief.visits_button)
    dialog = window.findChild(BorrowerVisitsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.rows))
    return dialog


def open_dialog(
    qtbot: QtBot, portfolio: Portfolio, user: User, visits: Visits
) -> BorrowerVisitsDialog:
    dialog = BorrowerVisitsDialog(portfolio.store, user, visits.borrower_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.rows))
    return dialog


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot: QtBot, dialog: BorrowerVisitsDialog, which: QMessageBox.StandardButton) -> str:
    """The text of the message box now open; closes it with the button which."""
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible())
    box = dialog.message_box
    text = box.text()
    click(qtbot, box.button(which))
    return text


def enter_password(qtbot: QtBot, dialog: BorrowerVisitsDialog, password: str) -> None:
    qtbot.waitUntil(lambda: dialog.password_dialog is not None
                    and dialog.password_dialog.isVisible())
    prompt = dialog.password_dialog
    qtbot.keyClicks(prompt.password_edit, password)
    click(qtbot, prompt.ok_button)


def sign(qtbot: QtBot, dialog: BorrowerVisitsDialog, password: str) -> None:
    """Sign the selected visit: draw a signature with the mouse, then type the password."""
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.signature_dialog is not None
                    and dialog.signature_dialog.isVisible())
    pad_dialog = dialog.signature_dialog
    qtbot.waitExposed(pad_dialog)
    draw(pad_dialog.pad, ZIGZAG)
    click(qtbot, pad_dialog.ok_button)
    enter_password(qtbot, dialog, password)


def test_activating_a_borrower_lists_its_visits_newest_first(
    qtbot: QtBot, sign_in: SignIn, visits: Visits
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    dialog = open_from_main_window(qtbot, window, "C1001")

    assert dialog.windowTitle() == "检查记录：宏达房地产开发有限公司"
    assert dialog.row_texts(0) == ["2025-03-01", "常规检查", "已完成", "1", "王明"]
    assert dialog.row_texts(1) == ["2025-01-15", "首次检查", "草稿", "1", "王明"]
    assert dialog.selected().id == visits.completed
    # The officer's own completed visit can be signed; there is nothing to verify yet.
    assert dialog.sign_button.isEnabled()
    assert not dialog.submit_button.isEnabled()
    assert not dialog.verify_button.isEnabled()
    assert dialog.preview_button.isEnabled()
    assert dialog.approve_button.isHidden() and dialog.return_button.isHidden()
    dialog.select_visit(visits.draft)
    assert not dialog.sign_button.isEnabled()  # a draft is not signed

    i18n.install("en")
    assert dialog.row_texts(0)[Column.STATUS] == "Completed"
    assert dialog.sign_button.text() == "&Sign report…"


def test_officer_signs_a_completed_visit_and_the_report_verifies(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    give_certificate(portfolio, ca, "wang")
    window = sign_in("wang")
    dialog = open_from_main_window(qtbot, window, "C1001")

    with qtbot.waitSignal(window.portfolio_loaded, timeout=20_000):  # the due list refreshes
        sign(qtbot, dialog, ca.user("wang").password)
        qtbot.waitUntil(lambda: dialog.row_texts(0)[Column.STATUS] == "已签署", timeout=20_000)

    report = report_files.latest_report(portfolio.store, visits.completed)
    assert report is not None and report.stage == report_files.SIGNED
    path = report_files.report_path(portfolio.store.data_dir, report.sha256)
    assert path.exists()
    told = answer(qtbot, dialog, QMessageBox.StandardButton.Ok)
    assert told == "报告已签署并保存。"  # no digest: words, not internal codes
    with portfolio.store.read() as s:
        assert s.get_one(Visit, visits.completed).officer_signature_png.startswith(b"\x89PNG")

    assert not dialog.sign_button.isEnabled()
    assert dialog.submit_button.isEnabled()
    click(qtbot, dialog.verify_button)
    qtbot.waitUntil(lambda: not dialog.verdict.busy, timeout=20_000)
    assert dialog.verdict.isVisible()
    assert dialog.verdict.headline() == "✓ 签名有效"
    assert dialog.verdict.row_texts(0)[0] == "✓ 王明"
    assert dialog.verdict.row_texts(0)[3] == "是"  # trusted: the imported root was used

    dialog.close()  # and it goes away for good, with the windows it opened
    qtbot.waitUntil(lambda: window.findChild(BorrowerVisitsDialog) is None)


def test_a_wrong_password_changes_nothing_and_keeps_the_drawing(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    give_certificate(portfolio, ca, "wang")
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)

    sign(qtbot, dialog, "not the password")
    assert answer(qtbot, dialog, QMessageBox.StandardButton.Ok) == "证书密码错误"
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.row_texts(0)[Column.STATUS] == "已完成"
    assert status(portfolio, visits.completed) is VisitStatus.COMPLETED
    assert report_files.latest_report(portfolio.store, visits.completed) is None
    assert dialog.sign_button.isEnabled()

    # Trying again, the signature drawn before is offered, not lost.
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.signature_dialog is not None
                    and dialog.signature_dialog.isVisible())
    assert not dialog.signature_dialog.pad.is_empty()
    dialog.signature_dialog.reject()


def test_without_a_certificate_signing_offers_the_settings_then_carries_on(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("en")
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    click(qtbot, dialog.sign_button)
    told = answer(qtbot, dialog, QMessageBox.StandardButton.Yes)
    assert told.startswith("You have not imported a signing certificate")

    qtbot.waitUntil(lambda: dialog.certificate_dialog is not None
                    and dialog.certificate_dialog.isVisible())
    settings = dialog.certificate_dialog
    issued = ca.user("wang")
    settings.file_edit.setText(str(issued.p12_path))
    qtbot.keyClicks(settings.password_edit, issued.password)
    with qtbot.waitSignal(settings.certificate_imported, timeout=10_000):
        click(qtbot, settings.import_button)
    settings.close()
    # Straight on to the handwritten signature.
    qtbot.waitUntil(lambda: dialog.signature_dialog is not None
                    and dialog.signature_dialog.isVisible())
    dialog.signature_dialog.reject()
    assert status(portfolio, visits.completed) is VisitStatus.COMPLETED


def test_submit_then_the_supervisor_approves_and_countersigns(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    store = portfolio.store
    wang = ca.user("wang")
    report_files.sign_visit(store, visits.completed, portfolio.officer, wang.p12_path,
                            wang.password)
    officer_view = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    assert officer_view.row_texts(0)[Column.STATUS] == "已签署"
    click(qtbot, officer_view.submit_button)
    assert answer(qtbot, officer_view, QMessageBox.StandardButton.Yes).startswith(
        "将 2025-03-01 的检查标记为已提交复核"
    )
    qtbot.waitUntil(lambda: officer_view.row_texts(0)[Column.STATUS] == "已提交")
    assert not officer_view.submit_button.isEnabled()
    assert officer_view.approve_button.isHidden()

    give_certificate(portfolio, ca, "zhang")
    review = open_dialog(qtbot, portfolio, portfolio.supervisor, visits)
    assert review.sign_button.isHidden() and review.submit_button.isHidden()
    assert review.return_button.isEnabled()
    click(qtbot, review.approve_button)
    enter_password(qtbot, review, ca.user("zhang").password)
    qtbot.waitUntil(lambda: review.row_texts(0)[Column.STATUS] == "已认定", timeout=20_000)
    assert answer(qtbot, review, QMessageBox.StandardButton.Ok).startswith(
        "检查已认定，报告已复核签署。"
    )
    assert status(portfolio, visits.completed) is VisitStatus.APPROVED
    assert not review.approve_button.isEnabled()

    click(qtbot, review.verify_button)
    qtbot.waitUntil(lambda: not review.verdict.busy, timeout=20_000)
    assert review.verdict.headline() == "✓ 签名有效"
    assert [review.verdict.row_texts(r)[0] for r in range(2)] == ["✓ 王明", "✓ 张华"]
    with store.read() as s:
        stages = s.scalars(select(Report.stage).where(Report.visit_id == visits.completed))
        assert sorted(stages) == ["countersigned", "signed"]


def test_the_supervisor_returns_a_visit_only_with_a_reason(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("en")
    wang = ca.user("wang")
    report_files.sign_visit(portfolio.store, visits.completed, portfolio.officer,
                            wang.p12_path, wang.password)
    portfolio.store.transition(visits.completed, portfolio.officer, VisitStatus.SUBMITTED)
    review = open_dialog(qtbot, portfolio, portfolio.supervisor, visits)

    click(qtbot, review.return_button)
    reason = review.reason_dialog
    assert reason is not None and reason.isVisible()
    assert not reason.ok_button.isEnabled()
    qtbot.keyClicks(reason.reason_edit, "   ")
    assert not reason.ok_button.isEnabled()
    qtbot.keyClicks(reason.reason_edit, "Photos of the warehouse are missing")
    click(qtbot, reason.ok_button)
    qtbot.waitUntil(lambda: review.row_texts(0)[Column.STATUS] == "Returned")
    assert status(portfolio, visits.completed) is VisitStatus.RETURNED
    assert not review.return_button.isEnabled()


def test_preview_renders_a_draft_in_the_background_and_removes_it_after(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    click(qtbot, dialog.preview_button)
    assert dialog.busy  # rendering, off the UI thread
    qtbot.waitUntil(lambda: dialog.last_preview is not None
                    and dialog.last_preview.dialog is not None, timeout=30_000)
    preview = dialog.last_preview
    draft = preview.path
    assert draft.parent == previews_dir(portfolio.store.data_dir)
    assert draft.exists()
    assert not dialog.busy
    with qtbot.waitSignal(preview.finished):
        preview.dialog.reject()
    assert not draft.exists()

    # A signed visit previews the stored, signed file itself.
    wang = ca.user("wang")
    report = report_files.sign_visit(portfolio.store, visits.completed, portfolio.officer,
                                     wang.p12_path, wang.password)
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.busy)
    click(qtbot, dialog.preview_button)
    assert dialog.last_preview is not preview
    assert dialog.last_preview.path == report_files.report_path(
        portfolio.store.data_dir, report.sha256
    )
    qtbot.waitUntil(lambda: dialog.last_preview.dialog is not None, timeout=30_000)
    with qtbot.waitSignal(dialog.last_preview.finished):
        dialog.last_preview.dialog.reject()
    assert report_files.report_path(portfolio.store.data_dir, report.sha256).exists()


def test_cancelling_the_render_shows_nothing_and_leaves_no_file(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    threads: list[threading.Thread] = []

    def slow_render(data, photos, out, *, progress=None, cancelled=None, **kwargs):
        threads.append(threading.current_thread())
        started.set()
        while not cancelled():
            progress(0.3)
            threading.Event().wait(0.02)
        raise pdf.ReportCancelled()

    monkeypatch.setattr(pdf, "render_report", slow_render)
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    click(qtbot, dialog.print_button)
    assert started.wait(10)
    assert threads[0] is not threading.main_thread()
    progress = dialog.progress
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=5000)
    cancel = progress.findChild(QPushButton)
    click(qtbot, cancel)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.last_print_job is None and dialog.last_preview is None
    assert dialog.message_box is None  # a cancel is not an error
    folder = previews_dir(portfolio.store.data_dir)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_print_sends_the_draft_to_the_printer_and_removes_it(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    out = tmp_path / "printed.pdf"

    def choose_pdf_file(parent, printer: QPrinter, page_count: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(printing, "ask_for_printer", choose_pdf_file)
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    click(qtbot, dialog.print_button)
    qtbot.waitUntil(lambda: dialog.last_print_job is not None, timeout=30_000)
    job = dialog.last_print_job
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=30_000)
    assert job.outcome.printed == job.outcome.total > 0
    assert out.stat().st_size > 0
    assert list(previews_dir(portfolio.store.data_dir).iterdir()) == []


def test_another_officers_visit_cannot_be_signed(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits
) -> None:
    dialog = open_dialog(qtbot, portfolio, portfolio.other_officer, visits)
    assert dialog.sign_button.isVisible()
    assert not dialog.sign_button.isEnabled()
    assert dialog.preview_button.isEnabled()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_visits_screen_with_a_verified_report(
    qtbot: QtBot, qapp: QApplication, portfolio: Portfolio, visits: Visits, ca: TestCA,
    lang: str,
) -> None:
    use_bundled_font(qapp)
    i18n.install(lang)
    give_certificate(portfolio, ca, "zhang")
    wang = ca.user("wang")
    store = portfolio.store
    report_files.sign_visit(store, visits.completed, portfolio.officer, wang.p12_path,
                            wang.password, lang=i18n.domain_language(lang))
    store.transition(visits.completed, portfolio.officer, VisitStatus.SUBMITTED)
    review = open_dialog(qtbot, portfolio, portfolio.supervisor, visits)
    assert texts_fit(review) == []
    save(review, f"visits_submitted_{lang}")

    click(qtbot, review.verify_button)
    qtbot.waitUntil(lambda: not review.verdict.busy, timeout=20_000)
    QApplication.processEvents()
    assert texts_fit(review) == []
    save(review, f"visits_verified_{lang}")

    # The windows on the way: the password prompt and the reason for returning.
    click(qtbot, review.approve_button)
    qtbot.waitUntil(lambda: review.password_dialog is not None
                    and review.password_dialog.isVisible())
    assert texts_fit(review.password_dialog) == []
    save(review.password_dialog, f"visits_password_{lang}")
    review.password_dialog.reject()
    click(qtbot, review.return_button)
    qtbot.waitUntil(lambda: review.reason_dialog is not None and review.reason_dialog.isVisible())
    assert texts_fit(review.reason_dialog) == []
    save(review.reason_dialog, f"visits_return_{lang}")
    review.reason_dialog.reject()

    zhang = ca.user("zhang")
    report_files.countersign_visit(store, visits.completed, portfolio.supervisor,
                                   zhang.p12_path, zhang.password)
    review.reload()
    qtbot.waitUntil(lambda: not review.busy)
    click(qtbot, review.verify_button)
    qtbot.waitUntil(lambda: not review.verdict.busy, timeout=20_000)
    assert review.verdict.table.rowCount() == 2
    QApplication.processEvents()
    assert texts_fit(review) == []
    save(review, f"visits_approved_{lang}")

    officer_view = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    officer_view.select_visit(visits.completed)
    click(qtbot, officer_view.verify_button)
    qtbot.waitUntil(lambda: not officer_view.verdict.busy, timeout=20_000)
    assert texts_fit(officer_view) == []
    save(officer_view, f"visits_officer_{lang}")


def test_drafts_left_by_a_crash_are_removed_once_old(tmp_path: Path) -> None:
    folder = previews_dir(tmp_path)
    folder.mkdir()
    old, recent, other = folder / "report-old.pdf", folder / "report-new.pdf", folder / "keep.txt"
    for path in (old, recent, other):
        path.write_bytes(b"%PDF")
    day_ago = time.time() - STALE_PREVIEW_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    remove_stale_previews(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt", "report-new.pdf"]
