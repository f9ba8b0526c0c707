"""The migration matrix: borrowers by their classification at the start of the period (rows)
and at its end (columns), as a coloured grid: the diagonal stayed, right of it moved down
(worse, red), left of it moved up (green); the deeper the colour, the more borrowers.
cell_clicked(start, end) when a cell is clicked (or chosen with the keyboard)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from inspector_app.domain.enums import Classification
from inspector_app.gui.qt_compat import emit

CLASSES = list(Classification)
WORSE = QColor("#c62828")
BETTER = QColor("#2e7d32")
STAYED = QColor("#80868b")


def _tint(color: QColor, share: float) -> QColor:
    """color blended into white: share 0 is white, 1 is a strong (still readable) tint."""
    strength = 0.12 + 0.45 * share if share > 0 else 0.0
    return QColor(*(round(255 - (255 - c) * strength)
                    for c in (color.red(), color.green(), color.blue())))


class MigrationMatrix(QTableWidget):
    cell_clicked = Signal(object, object)  # Classification at the start, at the end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(CLASSES), len(CLASSES), parent)
        self.setObjectName("migrationMatrix")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setHighlightSections(False)
        self._counts: dict[tuple[Classification, Classification], int] = {}
        self.cellClicked.connect(self._clicked)
        self.activated.connect(lambda index: self._clicked(index.row(), index.column()))

    def set_labels(self, labels: dict[Classification, str], *, start: str, end: str) -> None:
        """Row headers "start: 正常", column headers "end: 关注" in the current language."""
        self.setVerticalHeaderLabels([start.format(label=labels[c]) for c in CLASSES])
        self.setHorizontalHeaderLabels([end.format(label=labels[c]) for c in CLASSES])

    def set_counts(self, counts: dict[tuple[Classification, Classification], int]) -> None:
        self._counts = dict(counts)
        most = max(counts.values(), default=0)
        bold = QFont(self.font())
        bold.setBold(True)
        for r, start in enumerate(CLASSES):
            for c, end in enumerate(CLASSES):
                n = counts.get((start, end), 0)
                cell = QTableWidgetItem(f"{n:,}" if n else "·")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                color = STAYED if r == c else (WORSE if c > r else BETTER)
                cell.setBackground(_tint(color, n / most if most else 0))
                if n and r != c:
                    cell.setFont(bold)  # a move is what the regulator asks about
                self.setItem(r, c, cell)

    def count(self, start: Classification, end: Classification) -> int:
        return self._counts.get((start, end), 0)

    def busiest_cell(self) -> tuple[Classification, Classification]:
        """The cell with the most borrowers (the first if none has any)."""
        return max(self._counts, key=self._counts.__getitem__, default=(CLASSES[0], CLASSES[0]))

    def cell_rect(self, start: Classification, end: Classification) -> QRect:
        """Where a cell is, in the viewport's coordinates (tests click there)."""
        index: QModelIndex = self.model().index(CLASSES.index(start), CLASSES.index(end))
        return self.visualRect(index)

    def _clicked(self, row: int, column: int) -> None:
        emit(self.cell_clicked, CLASSES[row], CLASSES[column])
