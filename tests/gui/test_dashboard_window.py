"""The supervisor's dashboard: each chart clicked through, on the hand-computed team of
tests/dashboard_fixture.py. A real mouse click on a bar (or a matrix cell) opens the list, and
the list holds exactly the borrowers or visits the bar counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from inspector_app.gui.dashboard.bar_chart import BarChart
from inspector_app.gui.dashboard.drill_dialog import DrillDialog
from inspector_app.gui.dashboard.periods import Period
from inspector_app.gui.dashboard.team_view import TeamDashboardView
from inspector_app.store.dashboard_rows import UNASSIGNED, DueBucket, SignalAge, Workload
from inspector_app.store.local import LocalStore
from tests.dashboard_fixture import FIN, ORANGE, RED, SM, TODAY, N, Team, build_team


@dataclass
class Board:
    view: TeamDashboardView
    team: Team


@pytest.fixture
def board(qtbot: QtBot, store: LocalStore) -> Board:
    team = build_team(store)
    view = TeamDashboardView(store, lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded):
        view.reload()
    return Board(view, team)


def open_list(qtbot: QtBot, board: Board, page: int, target: QWidget,
              point: Callable[[], QPoint]) -> DrillDialog:
    board.view.pages.setCurrentIndex(page)
    qtbot.waitUntil(target.isVisible)
    with qtbot.waitSignal(board.view.drill_opened) as opened:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=point())
    dialog: DrillDialog = opened.args[0]
    qtbot.waitUntil(lambda: not dialog.loading)
    return dialog


def click_bar(qtbot: QtBot, board: Board, page: int, chart: BarChart, category: object,
              series: object) -> DrillDialog:
    return open_list(qtbot, board, page, chart.plot.viewport(),
                     lambda: chart.bar_point(category, series))


def borrowers(board: Board, dialog: DrillDialog) -> list[str]:
    codes = {v: k for k, v in board.team.borrowers.items()}
    return sorted(codes[row.borrower_id] for row in dialog.rows)


def visits(board: Board, dialog: DrillDialog) -> list[str]:
    names = {v: k for k, v in board.team.visits.items()}
    return sorted(names[row.visit_id] for row in dialog.rows if row.visit_id is not None)


def test_due_bar_lists_its_borrowers(qtbot: QtBot, board: Board) -> None:
    li = board.team.officers["li"]
    dialog = click_bar(qtbot, board, 0, board.view.due_chart, li, DueBucket.OVERDUE)
    assert borrowers(board, dialog) == ["L1", "L2"]
    assert dialog.model.rowCount() == 2
    dialog = click_bar(qtbot, board, 0, board.view.due_chart, UNASSIGNED, DueBucket.WITHIN_7)
    assert borrowers(board, dialog) == ["U1"]


def test_signal_bars_list_their_signals(qtbot: QtBot, board: Board) -> None:
    view = board.view
    dialog = click_bar(qtbot, board, 1, view.category_chart, FIN, RED)
    assert borrowers(board, dialog) == ["L1", "L2"]
    dialog = click_bar(qtbot, board, 1, view.age_chart, SignalAge.UP_TO_90, ORANGE)
    assert borrowers(board, dialog) == ["W1"]
    assert [row.detail for row in dialog.rows] == ["W1担保与抵质押物橙色"]


def test_classification_bar_and_matrix_cell_list_their_borrowers(qtbot: QtBot,
                                                                   board: Board) -> None:
    view = board.view
    dialog = click_bar(qtbot, board, 2, view.class_chart, SM, SM)
    assert borrowers(board, dialog) == ["L2"]
    assert view.matrix.count(N, N) == 7
    dialog = open_list(qtbot, board, 2, view.matrix.viewport(),
                       lambda: view.matrix.cell_rect(N, N).center())
    assert borrowers(board, dialog) == ["L1", "L3", "L4", "L5", "L6", "L7", "W2"]


def test_workload_bars_list_their_borrowers_and_visits(qtbot: QtBot, board: Board) -> None:
    view, officers = board.view, board.team.officers
    dialog = click_bar(qtbot, board, 3, view.borrowers_chart, officers["wang"],
                       Workload.BORROWERS)
    assert borrowers(board, dialog) == ["W1", "W2"]
    dialog = click_bar(qtbot, board, 3, view.visits_chart, officers["li"], Workload.RETURNS)
    assert visits(board, dialog) == ["V5"]
    dialog = click_bar(qtbot, board, 3, view.days_chart, officers["li"], Workload.SUBMITTED)
    assert visits(board, dialog) == ["V1", "V2", "V5"]
    # 王芳's visit went in the day it was made: a bar of 0 days, still there to click.
    dialog = click_bar(qtbot, board, 3, view.days_chart, officers["wang"], Workload.SUBMITTED)
    assert visits(board, dialog) == ["VW"]


def test_a_visit_in_the_list_opens(qtbot: QtBot, board: Board) -> None:
    dialog = click_bar(qtbot, board, 3, board.view.visits_chart, board.team.officers["li"],
                       Workload.RETURNS)
    with qtbot.waitSignal(board.view.visit_requested) as requested:
        dialog.view.activated.emit(dialog.model.index(0, 0))
    assert requested.args == [board.team.visits["V5"]]


@pytest.mark.parametrize(("today", "period", "span"), [
    (TODAY, Period.THIS_MONTH, (date(2026, 12, 1), date(2026, 12, 31))),
    (TODAY, Period.THIS_QUARTER, (date(2026, 10, 1), date(2026, 12, 31))),
    (TODAY, Period.LAST_QUARTER, (date(2026, 7, 1), date(2026, 9, 30))),
    (date(2026, 2, 28), Period.LAST_QUARTER, (date(2025, 10, 1), date(2025, 12, 31))),
    (date(2026, 2, 28), Period.THIS_MONTH, (date(2026, 2, 1), date(2026, 2, 28))),
    (TODAY, Period.THIS_YEAR, (date(2026, 1, 1), date(2026, 12, 31))),
])
def test_periods(today: date, period: Period, span: tuple[date, date]) -> None:
    assert period.span(today) == span


def test_choosing_a_period_recomputes_the_matrix(qtbot: QtBot, board: Board) -> None:
    view = board.view
    with qtbot.waitSignal(view.loaded):
        view.period_combo.setCurrentIndex(list(Period).index(Period.LAST_QUARTER))
    assert view.board is not None
    assert (view.board.start, view.board.end) == (date(2026, 7, 1), date(2026, 9, 30))
    # V4 went back in September: the returns follow the period.
    assert {w.officer_id: w.returns for w in view.board.workload}[board.team.officers["li"]] == 1
    assert {w.officer_id: w.returns for w in view.board.workload}[
        board.team.officers["wang"]] == 0


def test_hovering_a_part_of_a_stacked_bar_says_its_count(qtbot: QtBot, board: Board) -> None:
    chart = board.view.due_chart
    li = board.team.officers["li"]
    assert chart.tip(li, DueBucket.WITHIN_30) == "李明 · Due in 8–30 days: 2"
    assert chart.bar_keys().count((li, DueBucket.OVERDUE)) == 1
