"""退回: the supervisor returns a visit to its officer, with a comment on the whole visit and
the comments on single items written while reading it (the draft), which may still be edited
or removed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.page_parts import error_style, quiet_style
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import ReviewCommentRow

KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class CommentEdit:
    """A draft comment to store again: new text, or "" to remove it."""

    target: str
    ref: str
    text: str


@dataclass(frozen=True)
class ReturnRequest:
    comment: str  # on the whole visit; the officer sees it with the item comments
    edits: tuple[CommentEdit, ...]  # draft comments changed or removed in the dialog


class ReturnDialog(QDialog):
    """The comment on the whole visit and the item comments; return_requested(ReturnRequest)
    on OK once the comment is written."""

    return_requested = Signal(object)

    def __init__(self, comments: Sequence[ReviewCommentRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self._original = {(c.target, c.ref): c for c in comments}
        self._removed: list[ReviewCommentRow] = []
        self._busy = False

        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setObjectName("returnComment")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(96)
        self.items_label = QLabel(self)
        self.items_label.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("itemComments")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeCommentButton")
        self.remove_button.setAutoDefault(False)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(quiet_style())
        self.message = QLabel(self)
        self.message.setObjectName("returnMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(error_style())
        self.message.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # Not the standard OK: the button box would put back "OK" over its text on a
        # language switch.
        self.ok_button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)

        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.comment_edit)
        layout.addWidget(self.items_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self._fill(comments)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_remove)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)
        self._retranslate()
        self._update_remove()
        self.resize(760, 520)
        fit_window(self, "return")

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def comment_rows(self) -> list[tuple[str, str]]:
        """(what, comment) of each item comment now listed."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text())
                for r in range(self.table.rowCount())]

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or self._busy:
            return
        key = self.table.item(row, 0).data(KEY_ROLE)
        self._removed.append(self._original[tuple(key)])
        self.table.removeRow(row)
        self._update_remove()

    def request(self) -> ReturnRequest:
        edits: list[CommentEdit] = [CommentEdit(c.target, c.ref, "") for c in self._removed]
        for row in range(self.table.rowCount()):
            target, ref = self.table.item(row, 0).data(KEY_ROLE)
            text = self.table.item(row, 1).text().strip()
            if text != self._original[(target, ref)].text:
                edits.append(CommentEdit(target, ref, text))  # "" removes it as well
        return ReturnRequest(self.comment_edit.toPlainText().strip(), tuple(edits))

    def submit(self) -> None:
        if self._busy:
            return
        if not self.comment_edit.toPlainText().strip():
            self.show_error(self.tr("Write why the visit is returned; the officer reads it "
                                    "first."))
            self.comment_edit.setFocus()
            return
        self.set_busy(True)
        self.message.hide()
        emit(self.return_requested, self.request())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.comment_edit, self.table, self.remove_button, self.ok_button,
                       self.cancel_button):
            widget.setEnabled(not busy)
        if not busy:
            self._update_remove()

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def failed(self, error: Exception) -> None:
        self.set_busy(False)
        self.show_error(self.tr("The visit was not returned: {error}").format(
            error=i18n.error_text(error)))

    def finish(self) -> None:
        self.set_busy(False)
        self.accept()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- helpers -------------------------------------------------------------------------------

    def _fill(self, comments: Sequence[ReviewCommentRow]) -> None:
        self.table.setRowCount(len(comments))
        for n, comment in enumerate(comments):
            what = QTableWidgetItem(
                comment.label_in(i18n.domain_language(i18n.current())) or comment.ref)
            what.setData(KEY_ROLE, (comment.target, comment.ref))
            what.setFlags(what.flags() & ~Qt.ItemFlag.ItemIsEditable)
            what.setToolTip(what.text())
            self.table.setItem(n, 0, what)
            self.table.setItem(n, 1, QTableWidgetItem(comment.text))
        self.table.resizeRowsToContents()

    def _update_remove(self) -> None:
        self.remove_button.setEnabled(not self._busy and self.table.currentRow() >= 0
                                      and self.table.rowCount() > 0)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Return the visit"))
        self.prompt.setText(self.tr("&Why is the visit returned? The officer sees this with "
                                    "your comments and corrects the visit in a new revision."))
        self.prompt.setBuddy(self.comment_edit)
        self.items_label.setText(self.tr("Your comments on single items (double-click one to "
                                         "edit it):") if self.table.rowCount()
                                 else self.tr("No comments on single items. Close this window "
                                              "and use \"Comment…\" beside an item to add "
                                              "one, or return with the comment above only."))
        self.table.setHidden(self.table.rowCount() == 0 and not self._removed)
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Comment")])
        self.remove_button.setText(self.tr("&Remove comment"))
        self.hint.setText(self.tr("A removed comment is not sent to the officer."))
        self.ok_button.setText(self.tr("&Return to officer"))
