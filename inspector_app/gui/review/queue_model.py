"""The supervisor's review queue as a table: one row per visit waiting for (or given) a decision.

The rows come sorted from the store (LocalStore.review_queue: downgrades and red signals
first, then the longest waiting); the model only shows them. A downgrade (the officer
recommends a worse classification than the borrower's current one) is red and bold; a decision
headquarters refused (ReviewState.CONFLICT) tints its row and says so in the decision column.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from inspector_app.gui.i18n import domain_language
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import QueueRow, ReviewRow, ReviewState

Index = QModelIndex | QPersistentModelIndex

DOWNGRADE_TEXT = QColor("#b71c1c")
RED_SIGNAL_TEXT = QColor("#b71c1c")
ORANGE_SIGNAL_TEXT = QColor("#8a4b00")
CONFLICT_FILL = QColor("#fff3cd")  # amber: something needs the supervisor's attention
CONFLICT_TEXT = QColor("#7a4d00")


class Column(IntEnum):
    OFFICER = 0
    BORROWER = 1
    KIND = 2
    VISIT_DATE = 3
    WAITING = 4
    CLASSIFICATION = 5
    SIGNALS = 6
    REVISION = 7
    DECISION = 8


_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ID = Qt.ItemDataRole.UserRole
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _FONT, _ALIGNMENT, _TOOLTIP, _ID})
_CENTRED = int(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
_CENTRED_COLUMNS = frozenset({Column.WAITING, Column.SIGNALS, Column.REVISION})


def conflicted(row: QueueRow) -> bool:
    """Headquarters refused the decision made here: another one stands there."""
    return row.decision is not None and row.decision.state is ReviewState.CONFLICT


class QueueModel(QAbstractTableModel):
    """Rows of LocalStore.review_queue(), labels in the GUI language."""

    def __init__(self, lang: str = "zh_CN", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []
        self._lang = domain_language(lang)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_language(self, lang: str) -> None:
        self._lang = domain_language(lang)
        emit(self.headerDataChanged, Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            emit(self.dataChanged, self.index(0, 0),
                 self.index(len(self._rows) - 1, len(Column) - 1))

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    def rows(self) -> list[QueueRow]:
        return list(self._rows)

    def row_of(self, visit_id: str) -> int:
        """The row showing visit_id, -1 if none does."""
        return next((n for n, r in enumerate(self._rows) if r.visit_id == visit_id), -1)

    def row_texts(self, row: int) -> list[str]:
        return [self._display(self._rows[row], column) for column in Column]

    # -- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        return self._headers()[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == _DISPLAY:
            return self._display(row, column)
        if role == _ID:
            return row.visit_id
        if role == _ALIGNMENT:
            return _CENTRED if column in _CENTRED_COLUMNS else None
        if role == _BACKGROUND:
            return QBrush(CONFLICT_FILL) if conflicted(row) else None
        if role == _FOREGROUND:
            return self._foreground(row, column)
        if role == _FONT:
            downgrade = column == Column.CLASSIFICATION and row.downgrade
            return self._bold if downgrade or (column == Column.DECISION and conflicted(row)) \
                else None
        return self._tooltip(row, column)

    # -- helpers -------------------------------------------------------------------------------

    def _headers(self) -> dict[Column, str]:
        # Literal tr() calls, so lupdate finds every header.
        return {
            Column.OFFICER: self.tr("Officer"),
            Column.BORROWER: self.tr("Borrower"),
            Column.KIND: self.tr("Inspection type"),
            Column.VISIT_DATE: self.tr("Visit date"),
            Column.WAITING: self.tr("Waiting"),
            Column.CLASSIFICATION: self.tr("Current → recommended"),
            Column.SIGNALS: self.tr("Red / orange signals"),
            Column.REVISION: self.tr("Revision"),
            Column.DECISION: self.tr("Decision"),
        }

    def _display(self, row: QueueRow, column: Column) -> str:
        lang = self._lang
        match column:
            case Column.OFFICER:
                return row.officer_name
            case Column.BORROWER:
                return f"{row.borrower_name} ({row.borrower_code})"
            case Column.KIND:
                return row.kind.label(lang)
            case Column.VISIT_DATE:
                return row.visit_date.isoformat()
            case Column.WAITING:
                return self.tr("%n day(s)", "", row.days_waiting)
            case Column.CLASSIFICATION:
                if row.recommended is None or row.recommended is row.current:
                    return row.current.label(lang)
                return f"{row.current.label(lang)} → {row.recommended.label(lang)}"
            case Column.SIGNALS:
                return f"{row.red_signals} / {row.orange_signals}"
            case Column.REVISION:
                return str(row.revision)
            case Column.DECISION:
                return self._decision_text(row.decision)
        return ""  # pragma: no cover (every column is matched)

    def _decision_text(self, decision: ReviewRow | None) -> str:
        if decision is None:
            return ""
        when = decision.decided_at.astimezone().strftime("%Y-%m-%d")
        if decision.state is ReviewState.CONFLICT:
            return self.tr("⚠ Conflicts with headquarters")
        if decision.decision == "approved":
            text = self.tr("Approved by {name}, {date}")
        else:
            text = self.tr("Returned by {name}, {date}")
        text = text.format(name=decision.reviewer_name, date=when)
        if decision.state is ReviewState.PENDING:
            text = self.tr("{decision} (not yet synced)").format(decision=text)
        return text

    def _foreground(self, row: QueueRow, column: Column) -> QBrush | None:
        if column == Column.CLASSIFICATION and row.downgrade:
            return QBrush(DOWNGRADE_TEXT)
        if column == Column.SIGNALS and row.red_signals:
            return QBrush(RED_SIGNAL_TEXT)
        if column == Column.SIGNALS and row.orange_signals:
            return QBrush(ORANGE_SIGNAL_TEXT)
        if column == Column.DECISION and conflicted(row):
            return QBrush(CONFLICT_TEXT)
        return None

    def _tooltip(self, row: QueueRow, column: Column) -> str | None:
        if conflicted(row):
            assert row.decision is not None
            return self.tr("Headquarters did not accept this decision: {why}").format(
                why=row.decision.conflict or "?")
        if column == Column.CLASSIFICATION and row.downgrade:
            return self.tr("The officer recommends a worse classification than the current one")
        if column == Column.REVISION and row.previous_revision_id is not None:
            return self.tr("Resubmitted after a return: the visit shows what changed")
        if column == Column.DECISION and row.decision is not None and row.decision.comment:
            return row.decision.comment
        return None
