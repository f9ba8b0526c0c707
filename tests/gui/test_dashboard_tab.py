"""The dashboard as a supervisor reaches it: a tab of their home window, worked out when first
shown (not at sign-in), following each reload (a sync), its rows opening the borrower."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.store.dashboard_rows import DueBucket

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import SignIn


def test_the_supervisor_opens_the_dashboard_tab(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("zh_CN")
    window = sign_in("zhang")
    assert window.home_tabs is not None and window.home is not None
    assert window.home_tabs.tabText(2) == "团队看板"
    assert window.dashboard is None  # nothing made, nor worked out, at sign-in
    tabs = window.home_tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    board = window.dashboard
    assert board is not None
    qtbot.waitUntil(board.isVisible)
    qtbot.waitUntil(lambda: board.board is not None and not board.loading)
    overdue = {d.officer: d.overdue for d in board.board.due}
    assert sum(overdue.values()) > 0
    # After a sync the window reloads; the dashboard once shown follows.
    with qtbot.waitSignal(board.loaded):
        window.reload()
    # A bar, then a borrower of its list: the borrower's brief opens.
    officer = next(d for d in board.board.due if d.overdue)
    point = board.due_chart.bar_point(officer.officer_id, DueBucket.OVERDUE)
    with qtbot.waitSignal(board.drill_opened) as opened:
        qtbot.mouseClick(board.due_chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: not dialog.loading)
    assert len(dialog.rows) == officer.overdue
    assert dialog.count_label.text() == f"{officer.overdue} 条"
    dialog.view.activated.emit(dialog.model.index(0, 1))
    briefs = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, BriefDialog) and w.isVisible()]
    assert len(briefs) == 1


def test_an_officer_has_no_dashboard(sign_in: SignIn) -> None:
    window = sign_in("wang")
    assert window.dashboard is None
