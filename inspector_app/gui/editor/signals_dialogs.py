"""The dialog for a warning signal the officer raises by hand, and the undo step for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Severity, SignalCategory
from inspector_app.gui.editor.page_parts import error_style, label_language, severity_icon


@dataclass(frozen=True)
class ManualSignal:
    """The arguments of store.add_manual_signal."""

    category: SignalCategory
    severity: Severity
    title: str
    description: str = ""


class AddSignalDialog(QDialog):
    """Category, severity, title and description of a signal the officer raises."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("signalCategoryCombo")
        for category in SignalCategory:
            self.category_combo.addItem("", category)
        self.severity_combo = QComboBox(self)
        self.severity_combo.setObjectName("signalSeverityCombo")
        for severity in reversed(Severity):  # red first: the gravest reads first
            self.severity_combo.addItem(severity_icon(severity), "", severity)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("signalTitleEdit")
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("signalDescriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("signalError")
        self.error_label.setStyleSheet(error_style())
        self.error_label.hide()
        self._captions = [QLabel(self) for _ in range(4)]
        form = QFormLayout()
        for caption, field in zip(
            self._captions,
            (self.category_combo, self.severity_combo, self.title_edit, self.description_edit),
            strict=True,
        ):
            caption.setBuddy(field)
            form.addRow(caption, field)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.retranslate()
        self.resize(560, 320)

    def ask(self) -> None:
        """Open, window-modal, empty."""
        self.category_combo.setCurrentIndex(0)
        self.severity_combo.setCurrentIndex(list(reversed(Severity)).index(Severity.YELLOW))
        self.title_edit.clear()
        self.description_edit.clear()
        self.error_label.hide()
        self.title_edit.setFocus()
        self.open()

    def signal(self) -> ManualSignal:
        return ManualSignal(
            SignalCategory(self.category_combo.currentData()),
            Severity(self.severity_combo.currentData()),
            self.title_edit.text().strip(),
            self.description_edit.toPlainText().strip(),
        )

    def accept(self) -> None:
        if not self.title_edit.text().strip():
            self.error_label.setText(self.tr("Give the signal a title."))
            self.error_label.show()
            self.title_edit.setFocus()
            return
        super().accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = label_language()
        self.setWindowTitle(self.tr("Add a warning signal"))
        for i, category in enumerate(SignalCategory):
            self.category_combo.setItemText(i, category.label(lang))
        for i, severity in enumerate(reversed(Severity)):
            self.severity_combo.setItemText(i, severity.label(lang))
        texts = (self.tr("&Category:"), self.tr("&Severity:"), self.tr("&Title:"),
                 self.tr("&Description:"))
        for caption, text in zip(self._captions, texts, strict=True):
            caption.setText(text)


class SignalHandle:
    """The one hand-raised signal that several undo steps act on.

    Adding it again after a withdrawal gives it a new id in the store; every step holding this
    handle then acts on the new id. The writer thread sets the id in the same call that stores
    the signal, so a later step on the same one-thread writer always sees it.
    """

    def __init__(self, signal_id: str | None = None) -> None:
        self.id = signal_id


class ManualSignalStep(QUndoCommand):
    """Adding (or withdrawing) a hand-raised signal; undo does the opposite."""

    def __init__(
        self,
        text: str,
        signal: ManualSignal,
        handle: SignalHandle,
        adding: bool,
        add: Callable[[ManualSignal, SignalHandle], None],
        remove: Callable[[SignalHandle], None],
    ) -> None:
        super().__init__(text)
        self.signal = signal
        self.handle = handle
        self._adding = adding
        self._add = add
        self._remove = remove

    def redo(self) -> None:
        if self._adding:
            self._add(self.signal, self.handle)
        else:
            self._remove(self.handle)

    def undo(self) -> None:
        if self._adding:
            self._remove(self.handle)
        else:
            self._add(self.signal, self.handle)
