"""The visits window's message box: one, window-modal, opened rather than exec()'d."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class WindowMessages(QObject):
    """Tells the user something in one reused QMessageBox; on_yes() follows a Yes."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.box: QMessageBox | None = None  # made when first needed
        self._on_yes: Callable[[], None] | None = None

    def tell(
        self, icon: QMessageBox.Icon, title: str, text: str,
        buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
        on_yes: Callable[[], None] | None = None,
    ) -> QMessageBox:
        """Show a message, window-modal; on_yes() follows if the user answers Yes."""
        # Opened, not exec()'d: no nested event loop while workers deliver their results.
        if self.box is None:
            self.box = QMessageBox(self._window)
            self.box.setWindowModality(Qt.WindowModality.WindowModal)
            self.box.finished.connect(self._closed)
        box = self.box
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.setStandardButtons(buttons)
        if buttons & QMessageBox.StandardButton.Yes:
            box.setDefaultButton(QMessageBox.StandardButton.Yes)
        self._on_yes = on_yes
        box.open()
        return box

    def _closed(self, _result: int = 0) -> None:
        on_yes, self._on_yes = self._on_yes, None
        box = self.box
        clicked = box.clickedButton() if box is not None else None
        if on_yes is not None and clicked is not None and (
            box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        ):
            on_yes()
