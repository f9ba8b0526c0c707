"""The dialog for an item found on site that is not in the collateral register."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.enums import CollateralKind
from inspector_app.domain.money import parse_yuan
from inspector_app.gui.editor.page_parts import error_style, label_language, refusal_text
from inspector_app.gui.screen_fit import fit_window


class FoundCollateralDialog(QDialog):
    """An item found on site that is not in the register: kind, description, where, value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("foundKindCombo")
        for kind in CollateralKind:
            self.kind_combo.addItem("", kind)
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("foundDescriptionEdit")
        self.location_edit = QLineEdit(self)
        self.location_edit.setObjectName("foundLocationEdit")
        self.value_edit = QLineEdit(self)
        self.value_edit.setObjectName("foundValueEdit")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("foundError")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._captions = [QLabel(self) for _ in range(4)]
        form = QFormLayout()
        for caption, field in zip(
            self._captions,
            (self.kind_combo, self.description_edit, self.location_edit, self.value_edit),
            strict=True,
        ):
            caption.setBuddy(field)
            form.addRow(caption, field)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.estimated_value_fen = 0
        self.retranslate()
        self.setMinimumWidth(520)
        fit_window(self, "found_collateral")

    def ask(self) -> None:
        """Open, window-modal, empty."""
        self.kind_combo.setCurrentIndex(0)
        for edit in (self.description_edit, self.location_edit, self.value_edit):
            edit.clear()
        self.error_label.hide()
        self.description_edit.setFocus()
        self.open()

    def kind(self) -> CollateralKind:
        return CollateralKind(self.kind_combo.currentData())

    def accept(self) -> None:
        """Close only with a description and a readable value; otherwise say what is wrong."""
        if not self.description_edit.text().strip():
            self._refuse(self.tr("Describe the item."))
            self.description_edit.setFocus()
            return
        try:
            self.estimated_value_fen = parse_yuan(self.value_edit.text())
        except AnswerError as error:
            self._refuse(self.tr("Estimated value: {reason}").format(
                reason=refusal_text(error)))
            self.value_edit.setFocus()
            return
        super().accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = label_language()
        self.setWindowTitle(self.tr("Item found on site"))
        for i, kind in enumerate(CollateralKind):
            self.kind_combo.setItemText(i, kind.label(lang))
        texts = (self.tr("&Kind:"), self.tr("&Description:"), self.tr("&Location:"),
                 self.tr("&Estimated value (yuan):"))
        for caption, text in zip(self._captions, texts, strict=True):
            caption.setText(text)
        self.value_edit.setPlaceholderText(self.tr("e.g. 1,200,000"))

    def _refuse(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
