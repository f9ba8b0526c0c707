"""The officer's portfolio as a table: one row per borrower, soonest (or most overdue) first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from inspector_app.domain.enums import (
    Classification,
    Industry,
    Severity,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.money import fen_to_yuan
from inspector_app.gui.i18n import domain_language
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import DUE_SOON_DAYS, DueRow  # DUE_SOON_DAYS: the coming week

Index = QModelIndex | QPersistentModelIndex


# Dark text on a light tint: readable on any palette, and the colour is not the only cue
# (the date itself is in the row).
OVERDUE_TEXT = QColor("#b71c1c")
OVERDUE_FILL = QColor("#fdecea")
DUE_SOON_TEXT = QColor("#8a4b00")
DUE_SOON_FILL = QColor("#fff3e0")
RETURNED_TEXT = QColor("#7a4f01")  # the amber of a supervisor's comment (editor/comment_box)
RETURNED_FILL = QColor("#fff4d6")
DRAFT_TEXT = QColor("#1f4e79")  # the blue of the brief's headings: work in hand, not a warning
# A related party's red or orange signal: the signal's own colour, darkened to read as text.
RELATED_TEXT = {Severity.RED: QColor("#b71c1c"), Severity.ORANGE: QColor("#a84300")}


class Column(IntEnum):
    CODE = 0
    NAME = 1
    # "draft in progress" while a visit is being written, "completed, to sign" until it is
    # signed; "returned: 3 comments" while a returned visit waits for its revision. Beside
    # the name, where the eye is, and empty (narrow) for most borrowers.
    PROGRESS = 2
    INDUSTRY = 3
    CLASSIFICATION = 4
    OPEN_SIGNALS = 5
    OUTSTANDING = 6  # what the borrower still owes, by headquarters' repayment data
    LAST_VISIT = 7
    NEXT_DUE = 8
    KIND = 9
    OFFICER = 10


class Urgency(IntEnum):
    NONE = 0
    DUE_SOON = 1
    OVERDUE = 2


def urgency(due_on: date | None, today: date) -> Urgency:
    """How pressing an inspection due on due_on is, seen from today."""
    if due_on is None:
        return Urgency.NONE
    if due_on < today:
        return Urgency.OVERDUE
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return Urgency.DUE_SOON
    return Urgency.NONE


def returned_comments(row: DueRow) -> int | None:
    """How many item comments came with the borrower's returned visit that waits for its
    revision; None when there is none."""
    return None if row.returned_visit_id is None else row.returned_comments


_RETURNED_TEXT, _RETURNED_FILL = QBrush(RETURNED_TEXT), QBrush(RETURNED_FILL)
_DRAFT_TEXT = QBrush(DRAFT_TEXT)
_RELATED_TEXT = {severity: QBrush(colour) for severity, colour in RELATED_TEXT.items()}
_TEXT = {Urgency.OVERDUE: QBrush(OVERDUE_TEXT), Urgency.DUE_SOON: QBrush(DUE_SOON_TEXT)}
_FILL = {Urgency.OVERDUE: QBrush(OVERDUE_FILL), Urgency.DUE_SOON: QBrush(DUE_SOON_FILL)}
_CENTRED = int(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # amounts line up
_ALIGNED = {Column.OPEN_SIGNALS: _CENTRED, Column.OUTSTANDING: _RIGHT}
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ID = Qt.ItemDataRole.UserRole
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _ALIGNMENT, _TOOLTIP, _ID})


class PortfolioModel(QAbstractTableModel):
    """Rows of LocalStore.due_list(), with labels in the GUI language and urgency colours."""

    def __init__(
        self,
        lang: str = "zh_CN",
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[DueRow] = []
        self._urgency: list[Urgency] = []
        self._lang = domain_language(lang)
        self._today_fn = today
        self._today = today()
        # Borrowers in a pending handover (责任移交): their Progress cell says so.
        self._handing_over: frozenset[str] = frozenset()
        # Paging: the rows are the list's first pages; the rest is fetched when the view
        # reaches the end (canFetchMore/fetchMore), through fetch(offset).
        self._more = False
        self._fetching = False
        self._fetch: Callable[[int], None] | None = None

    # -- content -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[DueRow], *, more: bool = False) -> None:
        """Replace the rows (a fresh query result); urgency is judged against today's date.
        more: the list goes on after these rows (fetched when the view scrolls there)."""
        self.beginResetModel()
        self._rows = list(rows)
        # Re-read the date on each load: the app may stay open past midnight.
        self._today = self._today_fn()
        self._urgency = [urgency(r.next_due_on, self._today) for r in self._rows]
        self._more, self._fetching = more, False
        self.endResetModel()

    def append_rows(self, rows: Sequence[DueRow], *, more: bool) -> None:
        """The list's next page, after the rows shown (a row already shown is not repeated:
        an edit between two pages may move a borrower across the page boundary)."""
        shown = {r.borrower_id for r in self._rows}
        new = [r for r in rows if r.borrower_id not in shown]
        self._more, self._fetching = more, False
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows += new
        self._urgency += [urgency(r.next_due_on, self._today) for r in new]
        self.endInsertRows()

    def fetch_more_from(self, fetch: Callable[[int], None]) -> None:
        """fetch(offset) asks for the page after the first offset rows; append_rows ends it."""
        self._fetch = fetch

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching \
            and self._fetch is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            assert self._fetch is not None
            self._fetching = True
            self._fetch(len(self._rows))

    def set_handing_over(self, borrower_ids: frozenset[str]) -> None:
        """The borrowers in a pending handover, marked as such (the rows stay as they are)."""
        if borrower_ids == self._handing_over:
            return
        self._handing_over = frozenset(borrower_ids)
        if self._rows:
            emit(self.dataChanged, self.index(0, Column.PROGRESS),
                 self.index(len(self._rows) - 1, Column.PROGRESS))

    def handing_over(self, row: int) -> bool:
        return self._rows[row].borrower_id in self._handing_over

    def set_language(self, lang: str) -> None:
        """Show headers and domain labels in lang (a GUI language code)."""
        self._lang = domain_language(lang)
        emit(self.headerDataChanged, Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(Column) - 1)
            emit(self.dataChanged, self.index(0, 0), last)

    def row_at(self, row: int) -> DueRow:
        return self._rows[row]

    def text(self, row: int, column: Column) -> str:
        """What the cell shows (its DisplayRole), without going through a QModelIndex."""
        return self._display(self._rows[row], column)

    def urgency_at(self, row: int) -> Urgency:
        """How pressing the row's next inspection is (the list's rows only: the numbers over
        the whole portfolio are the store's, OfficerCounts)."""
        return self._urgency[row]

    # -- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._headers()[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell, and for each sampled row when columns
        # are sized: answer the roles we do not serve first, and cheaply.
        if role not in _ROLES or not index.isValid():
            return None
        if role == _DISPLAY:
            return self._display(self._rows[index.row()], Column(index.column()))
        if role == _ALIGNMENT:
            return _ALIGNED.get(Column(index.column()))
        row = self._rows[index.row()]
        if role == _TOOLTIP:
            return self._tooltip(row, Column(index.column()))
        if role == _ID:
            return row.borrower_id
        progress = index.column() == Column.PROGRESS
        returned = progress and returned_comments(row) is not None
        if role == _FOREGROUND:
            if returned:
                return _RETURNED_TEXT
            # A related party in trouble outranks work in hand: it comes first in the cell.
            warning = row.related_warning if progress else None
            if warning is not None and warning.severity is not None:
                return _RELATED_TEXT[warning.severity]
            if progress and (row.open_visit is not None
                             or row.borrower_id in self._handing_over):
                return _DRAFT_TEXT
            return _TEXT.get(self._urgency[index.row()])
        return _RETURNED_FILL if returned else _FILL.get(self._urgency[index.row()])

    # -- helpers -------------------------------------------------------------------------------

    def _headers(self) -> dict[Column, str]:
        # Literal tr() calls, so lupdate finds every header.
        return {
            Column.CODE: self.tr("Customer no."),
            Column.NAME: self.tr("Borrower"),
            Column.INDUSTRY: self.tr("Industry"),
            Column.CLASSIFICATION: self.tr("Risk classification"),
            Column.OPEN_SIGNALS: self.tr("Warning signals"),
            Column.OUTSTANDING: self.tr("Outstanding balance"),
            Column.LAST_VISIT: self.tr("Last visit"),
            Column.NEXT_DUE: self.tr("Next inspection"),
            Column.KIND: self.tr("Inspection type"),
            Column.OFFICER: self.tr("Credit officer"),
            Column.PROGRESS: self.tr("Progress"),
        }

    def _money(self, fen: int | None) -> str:
        """Short enough for a column: 万元 as Chinese officers count loans, else whole yuan;
        a dash while headquarters has sent no repayment data for the borrower's loans."""
        if fen is None:
            return "—"
        yuan = fen_to_yuan(fen)
        return f"{yuan / 10_000:,.2f} 万" if self._lang == "zh" else f"{yuan:,.0f}"

    def _tooltip(self, row: DueRow, column: Column) -> str | None:
        if column == Column.OUTSTANDING:
            if row.outstanding_fen is None:
                return self.tr("No repayment data from headquarters for this borrower's loans "
                               "yet")
            return self.tr("The balances of the borrower's loans, by headquarters' latest "
                           "repayment data")
        if column == Column.PROGRESS:
            return self._progress_tooltip(row)
        if column in (Column.NEXT_DUE, Column.KIND):  # why it is due then: the rule's words
            reason = row.next_due_reason
            return None if reason is None else reason.in_(self._lang)
        return None

    def _progress_tooltip(self, row: DueRow) -> str | None:
        # Every related party in trouble, whole (the cell may be cut), then the visit's state.
        lines = [n.text.in_(self._lang) for n in row.related if n.warns]
        if row.borrower_id in self._handing_over:
            lines.insert(0, self.tr(
                "This borrower is being handed over to another officer: it moves once both "
                "officers have signed the handover record and the supervisor has completed it "
                "(Tools > Handovers…)"))
        if row.open_visit is VisitStatus.DRAFT:
            lines.append(self.tr("A visit to this borrower is being written: open the brief "
                                 "to continue it"))
        elif row.open_visit is VisitStatus.COMPLETED:
            lines.append(self.tr("A visit to this borrower is complete and waits for your "
                                 "signature"))
        return "\n".join(lines) or None

    def _due_text(self, due_on: date | None) -> str:
        """The date, and for an urgent one how overdue or how soon in words: colour is not
        the only cue, and "due in 3 days" is quicker to read than a date."""
        if due_on is None:
            return ""
        days = (due_on - self._today).days
        # Two strings, not a %n plural: only the English plural-only catalogue would need it.
        if days == -1:
            marker = self.tr("1 day overdue")
        elif days < 0:
            marker = self.tr("{n} days overdue").format(n=-days)
        elif days == 0:
            marker = self.tr("due today")
        elif days == 1:
            marker = self.tr("due tomorrow")
        elif days <= DUE_SOON_DAYS:
            marker = self.tr("due in {n} days").format(n=days)
        else:
            return due_on.isoformat()
        return f"{due_on.isoformat()} · {marker}"

    def _display(self, row: DueRow, column: Column) -> str:
        match column:
            case Column.CODE:
                return row.code
            case Column.NAME:
                return row.name
            case Column.INDUSTRY:
                return Industry(row.industry).label(self._lang)
            case Column.CLASSIFICATION:
                return Classification(row.classification).label(self._lang)
            case Column.OPEN_SIGNALS:
                return str(row.open_signals)
            case Column.OUTSTANDING:
                return self._money(row.outstanding_fen)
            case Column.LAST_VISIT:
                return "" if row.last_visit_on is None else row.last_visit_on.isoformat()
            case Column.NEXT_DUE:
                return self._due_text(row.next_due_on)
            case Column.KIND:
                return "" if row.next_due_kind is None else VisitKind(row.next_due_kind).label(
                    self._lang
                )
            case Column.OFFICER:
                return row.officer or ""
            case Column.PROGRESS:
                count = returned_comments(row)
                parts = [] if count is None else [self.tr("Returned: %n comment(s)", "", count)]
                if row.borrower_id in self._handing_over:
                    parts.insert(0, self.tr("Being handed over"))
                warning = row.related_warning
                if warning is not None:
                    # Said in the domain's words (store.rows.RelatedNotice.text), as the brief
                    # says it; more than one party: the count of the others.
                    others = sum(1 for n in row.related if n.warns) - 1
                    said = warning.text.in_(self._lang)
                    parts.append(said if not others else
                                 self.tr("{notice} (+{n} more)").format(notice=said, n=others))
                if row.open_visit is VisitStatus.DRAFT:
                    parts.append(self.tr("Draft in progress"))
                elif row.open_visit is VisitStatus.COMPLETED:
                    parts.append(self.tr("Completed, to sign"))
                return " · ".join(parts)
