"""The list behind a clicked bar or matrix cell: the borrowers, open signals or visits it
counts, one row each, asked of the dashboard's source off the UI thread (the laptop gives them
all at once; headquarters a page at a time, More rows asking for the next). Double-click or
Enter on a row asks for the borrower's brief or the visit (borrower_requested /
visit_requested; an administrator's window, with no borrower's file here, asks for neither)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.dashboard.sources import DashboardSource
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import Drill, DrillPage, DrillRow

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    CODE = 0
    NAME = 1
    OFFICER = 2
    CLASSIFICATION = 3
    DATE = 4
    DETAIL = 5


class DrillModel(QAbstractTableModel):
    def __init__(self, date_header: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DrillRow] = []
        self._date_header = date_header

    def set_rows(self, rows: list[DrillRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def add_rows(self, rows: list[DrillRow]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows = self.rows + rows
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.CODE: self.tr("Customer no."), Column.NAME: self.tr("Borrower"),
            Column.OFFICER: self.tr("Officer"), Column.CLASSIFICATION: self.tr("Classification"),
            Column.DATE: self._date_header, Column.DETAIL: self.tr("Detail"),
        }[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        lang = i18n.domain_language(i18n.current())
        column = Column(index.column())
        if column is Column.CODE:
            return row.code
        if column is Column.NAME:
            return row.name
        if column is Column.OFFICER:
            return row.officer or self.tr("(unassigned)")
        if column is Column.CLASSIFICATION:
            return row.classification.label(lang)
        if column is Column.DATE:
            return "" if row.on is None else row.on.isoformat()
        return self._detail(row, lang)

    def _detail(self, row: DrillRow, lang: str) -> str:
        if not row.is_visit:
            return row.detail
        parts = [p.label(lang) for p in (row.visit_kind, row.visit_status) if p is not None]
        if row.days_to_submit is not None:
            parts.append(self.tr("submitted after %n day(s)", "", row.days_to_submit))
        return " · ".join(parts)


class DrillDialog(QDialog):
    """What a bar counts, listed; loaded is emitted once the rows show."""

    borrower_requested = Signal(str)
    visit_requested = Signal(str)
    loaded = Signal()

    def __init__(self, source: DashboardSource, drill: Drill, title: str, date_header: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillDialog")
        self.setWindowTitle(title)
        self.drill = drill
        self._source = source
        self._runner = TaskRunner(self)
        self.total = 0
        self.heading = QLabel(title, self)
        self.heading.setWordWrap(True)
        self.count_label = QLabel(self.tr("Loading…"), self)
        self.count_label.setObjectName("drillCount")
        self.model = DrillModel(date_header, self)
        self.view = QTableView(self)
        self.view.setObjectName("drillView")
        make_roomy(self.view)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(Column.NAME,
                                                          QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(Column.DETAIL,
                                                          QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._activated)
        self.more_button = QPushButton(self.tr("&More rows"), self)
        self.more_button.setObjectName("drillMore")
        self.more_button.setAutoDefault(False)
        self.more_button.hide()
        self.more_button.clicked.connect(self.load_more)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.resize(900, 480)
        self._ask(0)

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    @property
    def rows(self) -> list[DrillRow]:
        return self.model.rows

    def load_more(self) -> None:
        """The next page behind the bar (headquarters' lists come a page at a time)."""
        if not self.loading and len(self.rows) < self.total:
            self.more_button.setEnabled(False)
            self._ask(len(self.rows))

    def _ask(self, offset: int) -> None:
        source, drill = self._source, self.drill
        self._runner.submit(lambda: source.page(drill, offset), self._show, self._failed)

    def _show(self, page: DrillPage) -> None:
        first = page.offset == 0
        if first:
            self.model.set_rows(page.rows)
        else:
            self.model.add_rows(page.rows)
        self.total = page.total
        rows = self.rows
        # Borrowers behind a due or classification bar have nothing to say there.
        self.view.setColumnHidden(Column.DETAIL, not any(r.detail or r.is_visit for r in rows))
        if first:
            for column in (Column.CODE, Column.OFFICER, Column.CLASSIFICATION, Column.DATE):
                self.view.resizeColumnToContents(column)
        if rows and rows[0].is_visit:
            counted = self.tr("%n visit(s)", "", page.total)
        else:
            counted = self.tr("%n row(s)", "", page.total)
        if len(rows) < page.total:
            counted = self.tr("{count}, the first {shown} shown").format(count=counted,
                                                                         shown=len(rows))
        self.count_label.setText(counted)
        self.more_button.setVisible(len(rows) < page.total)
        self.more_button.setEnabled(True)
        emit(self.loaded)

    def _failed(self, error: Exception) -> None:
        self.count_label.setText(self.tr("The list could not be read: {error}").format(
            error=i18n.error_text(error)))
        self.more_button.setEnabled(True)
        emit(self.loaded)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()]
        if row.visit_id is not None:
            emit(self.visit_requested, row.visit_id)
        else:
            emit(self.borrower_requested, row.borrower_id)
