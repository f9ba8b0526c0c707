"""The side panel of the photo page: the selected photo's facts (file, size, EXIF time, GPS),
the "taken long before the visit" warning, its caption, what it is linked to, and the buttons
to open or remove it. The page wires the edits to the store; this only shows and collects.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.photos.grid import WARNING_COLOUR, facts_text, warning_text
from inspector_app.store.facade import PhotoRow

PANEL_WIDTH = 340  # fixed, so the grid does not jump as the selection changes


class PhotoDetails(QWidget):
    """What the officer reads and edits about one photo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []  # checklist Items
        self._collateral: list[Any] = []  # CollateralRows
        self._row: PhotoRow | None = None
        self._editable = True
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;")
        self.caption = QLineEdit(self)
        self.item_combo = _combo(self)
        self.collateral_combo = _combo(self)
        self.open_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.caption_label, self.item_label, self.collateral_label = (
            QLabel(self), QLabel(self), QLabel(self))
        form = QFormLayout()
        form.addRow(self.caption_label, self.caption)
        form.addRow(self.item_label, self.item_combo)
        form.addRow(self.collateral_label, self.collateral_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.facts)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._comment_slot = layout.count()  # where the supervisor's comment goes
        layout.addStretch(1)
        self.setFixedWidth(PANEL_WIDTH)
        self._retranslate()

    def add_comment_box(self, box: QWidget) -> None:
        """Show the supervisor's comment on the selected photo (comment_box.CommentBox)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(self._comment_slot, box)

    def set_choices(self, items: list[Any], collateral: list[Any]) -> None:
        """The checklist items and collateral items a photo can be linked to."""
        self._items, self._collateral = list(items), list(collateral)
        self._fill_combos()
        self.show_row(self._row, self._editable)

    def show_row(self, row: PhotoRow | None, editable: bool) -> None:
        self._row, self._editable = row, editable
        for widget in (self.caption, self.item_combo, self.collateral_combo, self.remove_button):
            widget.setEnabled(row is not None and editable)
        self.open_button.setEnabled(row is not None)
        if row is None:
            self.facts.setText(self.tr("Select a photo to see its details."))
            self.warning.hide()
            self.caption.clear()
            return
        self.facts.setText(facts_text(row, with_warning=False))  # the warning has its own line
        warning = warning_text(row)
        self.warning.setText("⚠ " + warning)
        self.warning.setVisible(bool(warning))
        self.caption.setText(row.caption)
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(row.item_code)))
        self.collateral_combo.setCurrentIndex(
            max(0, self.collateral_combo.findData(row.collateral_item_id)))

    def chosen_links(self) -> tuple[str | None, str | None]:
        """(checklist item code, collateral item id) as the combos now show them."""
        return self.item_combo.currentData(), self.collateral_combo.currentData()

    def _fill_combos(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.item_combo.clear()
        self.item_combo.addItem(self.tr("(no checklist item)"), None)
        for item in self._items:
            self.item_combo.addItem(item.question.in_(lang), item.code)
        self.collateral_combo.clear()
        self.collateral_combo.addItem(self.tr("(no collateral item)"), None)
        for row in self._collateral:
            self.collateral_combo.addItem(f"{row.kind.label(lang)} · {row.description}",
                                          row.item_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.caption_label.setText(self.tr("Caption"))
        self.caption.setPlaceholderText(self.tr("What the photo shows"))
        self.item_label.setText(self.tr("Checklist item"))
        self.collateral_label.setText(self.tr("Collateral"))
        self.open_button.setText(self.tr("Open and mark…"))
        self.remove_button.setText(self.tr("Remove…"))
        self._fill_combos()
        self.show_row(self._row, self._editable)


def _combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    # Item questions are long; the panel keeps its width and the popup shows them whole.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(18)
    return combo
