"""The list of a borrower's visits in the visits window: one row a visit, newest first."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from inspector_app.gui.tables import make_roomy
from inspector_app.store.facade import VisitSummary


class Column(IntEnum):
    DATE, KIND, STATUS, REVISION, OFFICER = range(5)


class VisitsTable(QTableWidget):
    """Read-only rows of VisitSummary, one selected at a time; each row knows its visit's id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(Column), parent)
        self.setObjectName("visitsTable")
        make_roomy(self)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.OFFICER, QHeaderView.ResizeMode.Stretch)

    def show_visits(self, rows: list[VisitSummary], lang: str) -> None:
        """Fill the table with rows, kinds and statuses named in the domain language lang."""
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                row.visit_date.isoformat(), row.kind.label(lang), row.status.label(lang),
                str(row.revision), row.officer_name,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == Column.DATE:
                    item.setData(Qt.ItemDataRole.UserRole, row.id)
                if c == Column.REVISION:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(r, c, item)

    def selected_visit_id(self) -> str | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        return self.item(rows[0].row(), Column.DATE).data(Qt.ItemDataRole.UserRole)

    def select_visit(self, visit_id: str) -> None:
        for r in range(self.rowCount()):
            if self.item(r, Column.DATE).data(Qt.ItemDataRole.UserRole) == visit_id:
                self.selectRow(r)
                return

    def row_texts(self, row: int) -> list[str]:
        return [self.item(row, c).text() for c in range(self.columnCount())]
