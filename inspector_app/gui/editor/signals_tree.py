"""The signals page's list: this visit's signals and the borrower's still open from earlier
visits, in two groups, one row a signal (severity, title, category, origin, status, date);
rows the supervisor commented on read amber."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from inspector_app.gui.editor.comment_box import COMMENT_FILL
from inspector_app.gui.editor.page_parts import SEVERITY_COLOURS, label_language, severity_icon
from inspector_app.store.facade import SignalRow

ID_ROLE = Qt.ItemDataRole.UserRole


class Col:
    SEVERITY, TITLE, CATEGORY, ORIGIN, STATUS, RAISED = range(6)


class SignalsTree(QTreeWidget):
    """Two groups of signal rows; each row's id under ID_ROLE."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signalsTree")
        self.setColumnCount(6)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Titles and origins are long sentences: they share the width left by the short columns.
        header.setSectionResizeMode(Col.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Col.ORIGIN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.this_visit_group = QTreeWidgetItem(self)
        self.earlier_group = QTreeWidgetItem(self)
        bold = QFont(self.font())
        bold.setBold(True)
        for group in self.groups():
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def groups(self) -> tuple[QTreeWidgetItem, QTreeWidgetItem]:
        return self.this_visit_group, self.earlier_group

    def selected_id(self) -> str | None:
        items = self.selectedItems()
        return items[0].data(0, ID_ROLE) if items else None

    def fill(self, rows: list[SignalRow]) -> None:
        """Show rows, without announcing a change of selection."""
        lang = label_language()
        self.blockSignals(True)
        try:
            for group in self.groups():
                group.takeChildren()
            for row in rows:
                item = QTreeWidgetItem(self.this_visit_group if row.this_visit
                                       else self.earlier_group)
                item.setData(0, ID_ROLE, row.id)
                item.setIcon(Col.SEVERITY, severity_icon(row.severity))
                item.setText(Col.SEVERITY, row.severity.label(lang))
                item.setForeground(Col.SEVERITY, QBrush(SEVERITY_COLOURS[row.severity]))
                item.setText(Col.TITLE, row.title_in(lang))
                item.setText(Col.CATEGORY, row.category.label(lang))
                origin = row.origin.in_(lang)
                if not row.automatic and row.this_visit:
                    origin = self.tr("added by hand")
                item.setText(Col.ORIGIN, origin)
                item.setToolTip(Col.ORIGIN, origin)
                item.setText(Col.STATUS, row.status.label(lang))
                item.setText(Col.RAISED, row.raised_on.isoformat())
            self.retitle()
            self.expandAll()
        finally:
            self.blockSignals(False)

    def retitle(self) -> None:
        self.this_visit_group.setText(
            0, self.tr("Raised on this visit (%n)", "", self.this_visit_group.childCount()))
        self.earlier_group.setText(
            0, self.tr("Still open from earlier visits (%n)", "", self.earlier_group.childCount()))
        self.setHeaderLabels([
            self.tr("Severity"), self.tr("Signal"), self.tr("Category"),
            self.tr("Where it came from"), self.tr("Status"), self.tr("Raised on"),
        ])

    def select(self, signal_id: str) -> bool:
        for item in self._items():
            if item.data(0, ID_ROLE) == signal_id:
                self.setCurrentItem(item)
                self.scrollToItem(item)
                self.setFocus()
                return True
        return False

    def mark_comments(self, comment_on: Callable[[str], Any]) -> None:
        """Rows comment_on(signal_id) finds a comment for read amber, the comment their
        title's tooltip."""
        for item in self._items():
            comment = comment_on(item.data(0, ID_ROLE))
            fill = QBrush(QColor(COMMENT_FILL)) if comment is not None else QBrush()
            for c in range(self.columnCount()):
                item.setBackground(c, fill)
            item.setToolTip(Col.TITLE, "" if comment is None else self.tr(
                "Supervisor's comment: {text}").format(text=comment.text))

    def group_texts(self, this_visit: bool) -> list[list[str]]:
        """The rows of one group as the officer reads them."""
        group = self.this_visit_group if this_visit else self.earlier_group
        return [[group.child(i).text(c) for c in range(self.columnCount())]
                for i in range(group.childCount())]

    def _items(self) -> list[QTreeWidgetItem]:
        return [group.child(i) for group in self.groups() for i in range(group.childCount())]
