"""A dialog that asks for a required written reason (an override, a return, a withdrawal)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.screen_fit import fit_window


class ReasonDialog(QDialog):
    """Asks for a required written reason; OK only once something is written.

    Kept and reused by its page (not deleted on close), and its signals go to the page's
    bound methods: see the note in visit_reports about closures holding deleted dialogs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prompt_text: Callable[[], str] = str
        self._title_text: Callable[[], str] = str
        self._prompt = QLabel(self)
        self._prompt.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self._prompt)
        layout.addWidget(self.reason_edit, 1)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(480, 240)
        fit_window(self, "reason")

    def ask(self, title: Callable[[], str], prompt: Callable[[], str]) -> None:
        """Open, window-modal, with an empty reason; title() and prompt() follow the language."""
        self._title_text, self._prompt_text = title, prompt
        self._retranslate()
        self.reason_edit.clear()
        self.reason_edit.setFocus()
        self.open()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def accept(self) -> None:
        if self.reason():
            super().accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()))

    def _retranslate(self) -> None:
        self.setWindowTitle(self._title_text())
        self._prompt.setText(self._prompt_text())
