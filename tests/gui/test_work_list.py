"""The main window's work list: filters beside the search box, the officer's numbers above the
list, and how soon each inspection is due, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.worklist import list_query
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.models import OutboxEntry

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def codes(window: MainWindow) -> list[str]:
    return [window.model.row_at(r).code for r in range(window.model.rowCount())]


def choose(qtbot: QtBot, window: MainWindow, combo: QComboBox, text: str) -> None:
    """Pick an entry with the keyboard and wait for the list to follow."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)
    qtbot.waitUntil(lambda: not window.loading)


def test_numbers_at_a_glance(qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    bar = window.counts_bar
    assert bar.isVisible()
    # wang: C1002 overdue, C1003 due in 3 days; no visits yet, nothing waiting to sync.
    assert [bar.overdue.text(), bar.due_week.text(), bar.unsigned.text(),
            bar.unsynced.text()] == ["逾期：1", "本周到期：1", "未签署：0", "未同步：0"]

    c1003 = next(window.model.row_at(r) for r in range(4) if window.model.row_at(r).code == "C1003")
    portfolio.store.start_visit(c1003.borrower_id, portfolio.officer, VisitKind.FIRST,
                                visit_date=portfolio.today())
    with portfolio.store.read() as s:
        queued = s.query(OutboxEntry).count()
    window.reload()
    qtbot.waitUntil(lambda: bar.unsigned.text() == "未签署：1")
    assert bar.unsynced.text() == f"未同步：{queued}"

    i18n.install("en")
    assert bar.due_week.text() == "Due this week: 1"
    assert bar.unsigned.text() == "Drafts not signed: 1"


def test_supervisor_counts_everyone(sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("zhang")
    assert window.counts_bar.overdue.text() == "Overdue: 2"


def test_filters_narrow_the_list(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    filters = window.filters
    assert codes(window) == ["C1002", "C1003", "C1001", "C1004"]

    choose(qtbot, window, filters.kind_combo, "常规检查")
    assert codes(window) == ["C1001", "C1004"]
    qtbot.mouseClick(filters.signals_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.loading)
    assert codes(window) == ["C1004"]
    choose(qtbot, window, filters.kind_combo, "全部检查类型")
    assert codes(window) == ["C1002", "C1004"]
    choose(qtbot, window, filters.class_combo, "关注")
    assert codes(window) == ["C1002"]
    # The search text narrows within the filters.
    qtbot.keyClicks(window.ui.searchEdit, "C1004")
    qtbot.waitUntil(lambda: codes(window) == [])
    assert window._total_label.text() == "共 0 户"
    # The numbers at a glance stay the whole portfolio's.
    assert window.counts_bar.overdue.text() == "逾期：1"

    i18n.install("en")
    assert filters.kind_combo.itemText(0) == "Any inspection"
    assert filters.class_combo.currentText() == "Special mention"
    assert filters.signals_check.text() == "With open &signals"


def test_due_dates_say_how_soon(sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("wang")
    due = {window.model.row_at(r).code: window.model.index(r, Column.NEXT_DUE).data()
           for r in range(window.model.rowCount())}
    assert due == {"C1002": "2025-02-26 · 12 days overdue", "C1003": "2025-03-13 · due in 3 days",
                   "C1001": "2025-04-09", "C1004": "2025-05-09"}
    i18n.install("zh_CN")
    assert window.model.index(1, Column.NEXT_DUE).data() == "2025-03-13 · 3 天后到期"


def test_a_long_list_comes_a_page_at_a_time_and_says_how_many(
    qtbot: QtBot, sign_in: SignIn, monkeypatch
) -> None:
    monkeypatch.setattr(list_query, "PAGE_ROWS", 2)
    i18n.install("en")
    window = sign_in("zhang")  # five borrowers
    assert codes(window) == ["C1002", "C2001"]  # the first page: the most urgent
    tabs = window.home_tabs.tabBar()  # a supervisor's home opens on the review queue
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    # Two rows leave the view half empty: it asks for the next pages itself (canFetchMore,
    # fetchMore), until its rows fill it or the list ends; none repeated, none skipped.
    qtbot.waitUntil(lambda: len(codes(window)) == 5)
    assert codes(window) == ["C1002", "C2001", "C1003", "C1001", "C1004"]
    assert not window.model.canFetchMore(QModelIndex())
    qtbot.waitUntil(lambda: window._total_label.text() == "5 borrowers")
    assert window.counts_bar.overdue.text() == "Overdue: 2"  # the whole portfolio's
    qtbot.keyClicks(window.ui.searchEdit, "C100")  # a new question: its pages afresh
    qtbot.waitUntil(lambda: codes(window) == ["C1002", "C1003", "C1001", "C1004"])
    qtbot.waitUntil(lambda: window._total_label.text() == "4 borrowers")
    qtbot.keyClicks(window.ui.searchEdit, "4")
    qtbot.waitUntil(lambda: codes(window) == ["C1004"])
    qtbot.waitUntil(lambda: window._total_label.text() == "1 borrower")


def test_a_supervisor_finds_what_awaits_review(qtbot: QtBot, sign_in: SignIn,
                                                portfolio: Portfolio) -> None:
    from inspector_app.domain.enums import VisitStatus
    from inspector_app.store.models import Visit

    i18n.install("zh_CN")
    store = portfolio.store
    c1004 = next(r for r in store.work_list() if r.code == "C1004")
    with store.write() as s:  # a team member's visit, as sync brings it: submitted
        s.add(Visit(borrower_id=c1004.borrower_id, officer_id=portfolio.officer.id,
                    kind=VisitKind.ROUTINE, status=VisitStatus.SUBMITTED,
                    template_code="routine", template_version=1,
                    template_refs=["routine@1"], visit_date=portfolio.today()))
    window = sign_in("zhang")
    bar, filters = window.counts_bar, window.filters
    qtbot.waitUntil(lambda: bar.awaiting.text() == "待复核：1")
    assert len(codes(window)) > 1
    assert filters.review_check.text() == "待复核(&r)"
    qtbot.mouseClick(filters.review_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: codes(window) == ["C1004"])
    qtbot.mouseClick(filters.review_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(codes(window)) > 1)
    window.grab().save("/tmp/supervisor_review_filter.png")
    i18n.install("en")
    assert bar.awaiting.text() == "Awaiting review: 1"
    assert filters.review_check.text() == "Awaiting &review"
