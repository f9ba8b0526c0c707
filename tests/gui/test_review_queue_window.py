"""The supervisor's review queue: their home after sign-in, the team's submitted visits most
urgent first, filters and search, and opening a visit from it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from review_support import ca_fixture, click, extras_of, submit_visit, wait_loaded  # noqa: F401
from test_screens import save, texts_fit

from inspector_app.domain.enums import Classification, VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.review.queue_model import DOWNGRADE_TEXT, Column
from inspector_app.gui.review.queue_window import ReviewQueue
from inspector_app.reports.certs import TestCA
from inspector_app.store.facade import ClassificationChange, QueueTab

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn

EARLIER = date(2025, 3, 1)
LATER = date(2025, 3, 7)


def test_a_supervisor_lands_on_the_queue_and_an_officer_on_the_work_list(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    submit_visit(portfolio.store, ca, "C1001", portfolio.officer, EARLIER)
    window = sign_in("zhang")
    assert window.home_tabs is not None and window.review_queue is not None
    assert window.home_tabs.currentWidget() is window.review_queue
    assert [window.home_tabs.tabText(n) for n in range(2)] == ["复核队列", "借款人"]
    queue = window.review_queue
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5000)
    assert queue.count_label.text() == "1 次检查等待您复核"
    texts = queue.model.row_texts(0)
    assert texts[Column.OFFICER] == "王明"
    assert texts[Column.BORROWER] == "宏达房地产开发有限公司 (C1001)"
    assert texts[Column.VISIT_DATE] == "2025-03-01"
    assert texts[Column.KIND] == "常规检查"
    assert texts[Column.REVISION] == "1"
    # The borrower list is a tab away, as before.
    window.home_tabs.setCurrentIndex(1)
    assert window.ui.portfolioView.isVisible()


def test_an_officer_has_no_queue(qtbot: QtBot, sign_in: SignIn) -> None:
    window = sign_in("wang")
    assert window.home_tabs is None and window.review_queue is None
    assert window.ui.portfolioView.isVisible()


def make_queue(qtbot: QtBot, portfolio: Portfolio) -> ReviewQueue:
    queue = ReviewQueue(portfolio.store, portfolio.supervisor, portfolio.today)
    qtbot.addWidget(queue)
    queue.resize(1300, 600)
    queue.show()
    queue.reload()
    wait_loaded(qtbot, queue)
    return queue


def test_downgrades_come_first_in_red_and_filters_narrow_the_list(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA
) -> None:
    i18n.install("en")
    store = portfolio.store
    plain = submit_visit(store, ca, "C1001", portfolio.officer, EARLIER)
    downgrade = submit_visit(store, ca, "C1003", portfolio.officer, LATER,
                             kind=VisitKind.FIRST, final=Classification.SUBSTANDARD,
                             reason="经营恶化，现金流紧张")
    queue = make_queue(qtbot, portfolio)
    model = queue.model
    assert [model.row_at(r).visit_id for r in range(model.rowCount())] == [downgrade, plain]
    cell = model.index(0, Column.CLASSIFICATION)
    assert model.data(cell) == "Normal → Substandard"
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole).color() == DOWNGRADE_TEXT
    font = model.data(cell, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.data(model.index(1, Column.CLASSIFICATION),
                      Qt.ItemDataRole.ForegroundRole) is None

    queue.change_combo.setCurrentIndex(queue.change_combo.findData(
        ClassificationChange.DOWNGRADE.value))
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 1)
    assert model.row_at(0).visit_id == downgrade
    queue.change_combo.setCurrentIndex(0)
    queue.kind_combo.setCurrentIndex(queue.kind_combo.findData(VisitKind.ROUTINE.value))
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 1)
    assert model.row_at(0).visit_id == plain
    queue.kind_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 2)

    qtbot.keyClicks(queue.search_edit, "C1003")
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 1, timeout=3000)
    assert model.row_at(0).visit_id == downgrade
    queue.search_edit.clear()
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 2, timeout=3000)

    # Only the supervisor's team is offered: 王明, not 李强.
    assert [queue.officer_combo.itemText(n) for n in range(queue.officer_combo.count())] == [
        "All officers", "王明"]
    queue.officer_combo.setCurrentIndex(1)
    assert queue.current_filter().officer_id == portfolio.officer.id
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 2)

    queue.tabs.setCurrentIndex(1)  # decided: nothing yet
    qtbot.waitUntil(lambda: not queue.loading and model.rowCount() == 0)
    assert queue.current_filter().tab is QueueTab.DECIDED
    assert queue.empty_label.isVisible()
    assert queue.view.isColumnHidden(Column.WAITING)
    assert not queue.view.isColumnHidden(Column.DECISION)


def test_enter_double_click_and_open_ask_for_the_visit(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA
) -> None:
    visit_id = submit_visit(portfolio.store, ca, "C1001", portfolio.officer, EARLIER)
    queue = make_queue(qtbot, portfolio)
    asked: list[str] = []
    queue.open_requested.connect(asked.append)
    assert not queue.open_button.isEnabled()
    queue.select_visit(visit_id)
    assert queue.open_button.isEnabled()
    click(qtbot, queue.open_button)
    assert asked == [visit_id]
    queue.view.setFocus()
    qtbot.keyClick(queue.view, Qt.Key.Key_Return)
    assert asked == [visit_id] * 2
    rect = queue.view.visualRect(queue.model.index(0, Column.BORROWER))
    # A double-click is a press, a release, then the double-click, as a mouse sends them.
    qtbot.mouseClick(queue.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(queue.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked == [visit_id] * 3


def test_opening_from_the_main_window_shows_the_visit_read_only(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, ca: TestCA
) -> None:
    visit_id = submit_visit(portfolio.store, ca, "C1001", portfolio.officer, EARLIER)
    window = sign_in("zhang")
    queue = window.review_queue
    assert queue is not None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5000)
    queue.select_visit(visit_id)
    queue.view.setFocus()
    qtbot.keyClick(queue.view, Qt.Key.Key_Return)
    editor = window.visit_editors.get(visit_id)
    assert isinstance(editor, VisitEditor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
    assert editor.read_only
    qtbot.waitUntil(lambda: extras_of(editor).situation is not None, timeout=5000)
    assert editor.page("review:report") is not None
    editor.close()


def test_queue_screen_fits_in_both_languages(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, ca: TestCA
) -> None:
    use_bundled_font(QApplication.instance())
    submit_visit(portfolio.store, ca, "C1001", portfolio.officer, EARLIER)
    submit_visit(portfolio.store, ca, "C1003", portfolio.officer, LATER,
                 final=Classification.SUBSTANDARD, reason="经营恶化")
    window = sign_in("zhang")
    queue = window.review_queue
    assert queue is not None
    window.resize(1366, 740)
    for lang in ("zh_CN", "en"):
        i18n.install(lang)
        queue.reload()
        qtbot.waitUntil(lambda: not queue.loading and queue.model.rowCount() == 2)
        qtbot.waitExposed(window)
        assert texts_fit(window) == []
        assert window.width() <= 1366 and window.height() <= 768
        save(window, f"review_queue_{lang}")
