"""Parts of the main window around the work list: the status line below it, a supervisor's
home tabs (the review queue, the list, the team dashboard), and the list's column widths."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStatusBar,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.tables import CELL_PADDING
from inspector_app.gui.worklist.portfolio_model import Column, PortfolioModel
from inspector_app.store.facade import LocalStore, UserRow

if TYPE_CHECKING:
    from datetime import date

    from inspector_app.gui.dashboard.team_view import TeamDashboardView
    from inspector_app.gui.review.queue_window import ReviewQueue

# Rows measured when fitting columns: labels have few widths.
COLUMN_SAMPLE_ROWS = 200
# The progress column's widest, in Chinese characters: "关联方 <a company> 有红色预警".
PROGRESS_MAX_CHARACTERS = 22
NAME_MIN_CHARACTERS = 12


class StatusLine(QObject):
    """The status bar says how many rows the list shows, the unsynced count and who is signed
    in; the numbers at a glance are the chips' alone (an "overdue" here counted the shown rows
    and contradicted the chip's). Exports say there where they went."""

    def __init__(self, window: QMainWindow, bar: QStatusBar, user: UserRow) -> None:
        super().__init__(window)
        self._bar = bar
        self._user = user
        self._total: int | None = None
        self.total_label = QLabel(window)
        self.user_label = QLabel(window)
        self.unsynced_label = QLabel(window)
        self.unsynced_label.setObjectName("unsyncedLabel")
        self._unsynced: int | None = None
        for label in (self.total_label, self.unsynced_label):
            label.setContentsMargins(6, 0, 18, 0)  # two counts, not one run-on
            bar.addWidget(label)
        bar.addPermanentWidget(self.user_label)

    def show_unsynced(self, count: int) -> None:
        self._unsynced = count
        self._show_unsynced_text()

    def _show_unsynced_text(self) -> None:
        if self._unsynced is not None:
            self.unsynced_label.setText(self.tr("Unsynced: {count}").format(count=self._unsynced))

    def show_total(self, total: int) -> None:
        """How many borrowers the list holds, the pages not scrolled to yet included."""
        self._total = total
        self._show_total_text()

    def _show_total_text(self) -> None:
        if self._total is not None:
            self.total_label.setText(self.tr("%n borrower(s)", "", self._total))

    def exported(self, path: str) -> None:
        self._bar.showMessage(self.tr("Exported to {path}").format(path=path))

    def export_cancelled(self) -> None:
        self._bar.showMessage(self.tr("Export cancelled: nothing was written"))

    def retranslate(self) -> None:
        """Called by the window on a language change (a QObject gets no LanguageChange)."""
        self._show_unsynced_text()
        user = self._user
        role = user.role.label(i18n.domain_language(i18n.current()))
        self.user_label.setText(
            self.tr("Signed in: {name} ({role})").format(name=user.display_name, role=role)
        )
        self._show_total_text()


class SupervisorHome(QObject):
    """The supervisor's home: the review queue first, the borrower list a tab beside it, the
    team's charts a third. Made on window, whose central widget becomes the borrowers' tab."""

    def __init__(self, window: QMainWindow, store: LocalStore, user: UserRow,
                 today: Callable[[], date], open_visit: Callable[[str], object],
                 open_brief: Callable[[str], object]) -> None:
        super().__init__(window)
        from inspector_app.gui.review.queue_window import ReviewQueue

        self._store, self._today = store, today
        self._open_visit, self._open_brief = open_visit, open_brief
        borrowers = window.takeCentralWidget()
        self.tabs = QTabWidget(window)
        self.tabs.setObjectName("homeTabs")
        self.review_queue: ReviewQueue = ReviewQueue(store, user, today, self.tabs)
        self.review_queue.open_requested.connect(open_visit)
        self.tabs.addTab(self.review_queue, "")
        self.tabs.addTab(borrowers, "")
        # The team's charts: made, and worked out, the first time the tab is shown. Their
        # modules (pyqtgraph, numpy) took a third of a second to load, at every sign-in.
        self._dashboard_tab = QWidget(self.tabs)
        self._dashboard_tab.setObjectName("dashboardTab")
        QVBoxLayout(self._dashboard_tab).setContentsMargins(0, 0, 0, 0)
        self.dashboard: TeamDashboardView | None = None
        self.tabs.addTab(self._dashboard_tab, "")
        self.tabs.currentChanged.connect(self._tab_shown)
        window.setCentralWidget(self.tabs)

    @property
    def dashboard_tab(self) -> QWidget:
        """The tab the team's charts go in (a click on it makes them)."""
        return self._dashboard_tab

    def reload(self) -> None:
        self.review_queue.reload()
        if self.dashboard is not None and self.dashboard.board is not None:
            self.dashboard.reload()  # once shown, it follows every sync

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is not self._dashboard_tab:
            return
        if self.dashboard is None:
            from inspector_app.gui.dashboard.team_view import TeamDashboardView

            self.dashboard = TeamDashboardView(self._store, self._today, self._dashboard_tab)
            self.dashboard.borrower_requested.connect(self._open_brief)
            self.dashboard.visit_requested.connect(self._open_visit)
            layout = self._dashboard_tab.layout()
            assert layout is not None
            layout.addWidget(self.dashboard)
        if self.dashboard.board is None and not self.dashboard.loading:
            self.dashboard.reload()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Review queue"))
        self.tabs.setTabText(1, self.tr("Borrowers"))
        self.tabs.setTabText(2, self.tr("Team dashboard"))


def fit_columns(view: QTableView, model: PortfolioModel) -> bool:
    """Each column as wide as its header and its widest text in the first rows; the name
    column stretches over the rest. Measured here with the font's metrics: the view's
    resizeColumnsToContents asked the (Python) delegate and model for 2,000 size hints,
    a fifth of a second before the list first showed (bench/startup.py). True once there
    were rows to measure."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    sample = range(min(model.rowCount(), COLUMN_SAMPLE_ROWS))
    for column in Column:
        if column is Column.NAME:
            continue
        widest = max((metrics.horizontalAdvance(model.text(row, column))
                      for row in sample), default=0)
        width = max(widest + CELL_PADDING, header.sectionSizeHint(column))
        if column is Column.PROGRESS:
            # A related party's notice names a company: cut (the tooltip has it whole)
            # rather than push the dates off a laptop's screen.
            width = min(width, metrics.horizontalAdvance("借") * PROGRESS_MAX_CHARACTERS)
        header.resizeSection(column, width)
    fitted = model.rowCount() > 0
    widen_names(view)
    return fitted


def widen_names(view: QTableView) -> None:
    """The name column takes the room the others leave, but never less than a dozen
    characters: a narrow window scrolls sideways rather than cut every name to four."""
    header = view.horizontalHeader()
    others = sum(header.sectionSize(c) for c in Column
                 if c is not Column.NAME and not header.isSectionHidden(c))
    floor = view.fontMetrics().horizontalAdvance("借") * NAME_MIN_CHARACTERS
    header.resizeSection(Column.NAME, max(floor, view.viewport().width() - others))
