"""The collateral form's partial-shortage fields: the quantity found on site against the one
registered (800 t of 2,459 t), the shortfall in percent, and whether the policy's thresholds
make it a warning signal. Part of the observation form (collateral_editor.py), which stores.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.classification import shortfall_percent, shortfall_tier
from inspector_app.domain.policy import Policy
from inspector_app.domain.quantity import parse_quantity, plain_quantity, quantity_shortfall
from inspector_app.gui.editor.page_parts import (
    Debouncer,
    error_style,
    label_language,
    quiet_style,
    refusal_text,
)
from inspector_app.gui.qt_compat import emit

# (registered, found) in thousandths, and the unit, as the store takes them.
Quantities = tuple[int | None, int | None, str]


class QuantityFields(QWidget):
    """Found [   ] of registered [   ] unit [  ]; the shortfall and the policy's verdict."""

    # The new (registered, found, unit), once typing pauses and both numbers read.
    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy: Policy | None = None
        self._stored: Quantities = (None, None, "")
        self.found_edit = QLineEdit(self)
        self.found_edit.setObjectName("foundQuantityEdit")
        self.registered_edit = QLineEdit(self)
        self.registered_edit.setObjectName("registeredQuantityEdit")
        self.unit_edit = QLineEdit(self)
        self.unit_edit.setObjectName("quantityUnitEdit")
        self.unit_edit.setMaxLength(20)
        self.unit_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 6)
        self.of_label = QLabel(self)
        self.unit_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("quantityError")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.shortfall_label = QLabel(self)
        self.shortfall_label.setObjectName("shortfallLabel")
        self.shortfall_label.setWordWrap(True)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("shortfallWarning")
        self.warning_label.setStyleSheet(error_style() + " font-weight: bold;")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.found_edit, 2)
        row.addWidget(self.of_label)
        row.addWidget(self.registered_edit, 2)
        row.addWidget(self.unit_label)
        row.addWidget(self.unit_edit, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.error_label)
        box.addWidget(self.shortfall_label)
        box.addWidget(self.warning_label)

        self._typing = Debouncer(self._typed, self)
        for edit in (self.found_edit, self.registered_edit, self.unit_edit):
            edit.textEdited.connect(self._changed)
            edit.editingFinished.connect(self._typing.flush)
        self.retranslate()

    @property
    def typing(self) -> bool:
        return self._typing.pending

    def flush(self) -> None:
        self._typing.flush()

    def show_values(self, values: Quantities) -> None:
        """Show stored quantities (a new item, undo, a refresh); emits nothing. What is being
        typed is left as it is, and so is a refusal of what was typed (clear_error)."""
        self._stored = values
        if not self._typing.pending:
            registered, found, unit = values
            self.registered_edit.setText("" if registered is None else plain_quantity(registered))
            self.found_edit.setText("" if found is None else plain_quantity(found))
            self.unit_edit.setText(unit)
        self._update_shortfall(values)

    def clear_error(self) -> None:
        """Another item is shown: a refusal of what was typed for the last one goes."""
        self.error_label.hide()

    def set_policy(self, policy: Policy) -> None:
        self.policy = policy
        self._update_shortfall(self._stored)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.found_edit.setPlaceholderText(self.tr("found, e.g. 800"))
        self.registered_edit.setPlaceholderText(self.tr("registered, e.g. 2459"))
        self.unit_edit.setPlaceholderText(self.tr("t"))
        self.of_label.setText(self.tr("of"))
        self.unit_label.setText(self.tr("unit"))
        self.found_edit.setToolTip(self.tr("The quantity found on site"))
        self.registered_edit.setToolTip(
            self.tr("The quantity registered (pledge list or contract)"))
        self._update_shortfall(self._stored)

    # -- typing --------------------------------------------------------------------------------

    def _read(self) -> Quantities:
        """What the fields say, or AnswerError (both languages) for the first that does not
        read as a quantity; an empty field is no quantity."""
        values: list[int | None] = []
        for edit in (self.registered_edit, self.found_edit):
            text = edit.text()
            values.append(parse_quantity(text) if text.strip() else None)
        return values[0], values[1], self.unit_edit.text().strip()

    def _changed(self, _text: str) -> None:
        try:
            shown = self._read()
        except AnswerError:
            shown = self._stored
        self._update_shortfall(shown)  # while typing, before anything is stored
        self._typing.poke()

    def _typed(self) -> None:
        try:
            values = self._read()
        except AnswerError as error:
            self.error_label.setText(self.tr("Not saved: {reason}").format(
                reason=refusal_text(error)))
            self.error_label.show()
            return
        if values[0] == 0:
            self.error_label.setText(self.tr("Not saved: the registered quantity must be "
                                             "above zero"))
            self.error_label.show()
            return
        self.error_label.hide()
        if values != self._stored:
            self._stored = values
            emit(self.edited, values)

    def _update_shortfall(self, values: Quantities) -> None:
        registered, found, unit = values
        short = quantity_shortfall(registered, found)
        self.warning_label.hide()
        if short is None or registered is None or found is None:
            self.shortfall_label.setText(self.tr("Record both quantities when less is found "
                                                 "than registered."))
            self.shortfall_label.setStyleSheet(quiet_style())
            return
        self.shortfall_label.setStyleSheet("")
        amount = f"{plain_quantity(found)} / {plain_quantity(registered)} {unit}".strip()
        if short <= 0:
            self.shortfall_label.setText(self.tr("Nothing short ({amount}).").format(
                amount=amount))
            return
        tier = None if self.policy is None else shortfall_tier(short, self.policy)
        percent = shortfall_percent(short, None if tier is None else tier.above)
        self.shortfall_label.setText(self.tr("Short by {percent}% ({amount}).").format(
            percent=percent, amount=amount))
        if tier is not None:
            limit = f"{(tier.above * 100).normalize():f}"
            self.warning_label.setText(self.tr(
                "Beyond the policy's {limit}% threshold: this item's warning signal is "
                "{severity}.").format(limit=limit,
                                  severity=tier.severity.label(label_language()).lower()))
            self.warning_label.show()
