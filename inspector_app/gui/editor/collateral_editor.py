"""The form for what the officer found of one collateral item. The collateral page
(visit_collateral.py) hosts it and does the saving; the form only turns widgets into values
and values into widgets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.classification import (
    CollateralValueError,
    collateral_value_change,
    shortfall_tier,
)
from inspector_app.domain.enums import CollateralStatus
from inspector_app.domain.money import change_percent, format_fen, parse_yuan
from inspector_app.domain.policy import Policy
from inspector_app.gui.editor.collateral_quantity import Quantities, QuantityFields
from inspector_app.gui.editor.page_parts import (
    ERROR_COLOUR,
    Debouncer,
    error_style,
    label_language,
    quiet_style,
    refusal_text,
)
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import CollateralRow, ObservationRow


@dataclass(frozen=True)
class Finding:
    """What this visit records for one item: the arguments of store.observe_collateral."""

    status: CollateralStatus
    condition: str = ""
    location_checked: bool = False
    estimated_value_fen: int | None = None
    insurance_valid: bool | None = None
    certificate_held: bool | None = None
    note: str = ""
    registered_quantity_milli: int | None = None
    found_quantity_milli: int | None = None
    quantity_unit: str = ""

    @classmethod
    def of(cls, row: ObservationRow | None) -> Finding | None:
        if row is None:
            return None
        return cls(row.status, row.condition, row.location_checked, row.estimated_value_fen,
                   row.insurance_valid, row.certificate_held, row.note,
                   row.registered_quantity_milli, row.found_quantity_milli, row.quantity_unit)

    @property
    def quantities(self) -> Quantities:
        return self.registered_quantity_milli, self.found_quantity_milli, self.quantity_unit

    def kwargs(self) -> dict[str, Any]:
        return asdict(self)


def plain_yuan(fen: int) -> str:
    """Fen as the estimate field shows them: "1,200,000.00" (parse_yuan reads it back)."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def percent_text(value: Decimal) -> str:
    return f"{value:+.1f}%".replace("-", "−")


class TriStateCombo(QComboBox):
    """Yes / No / Not checked, for facts the officer may not have been able to verify."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value in (None, True, False):
            self.addItem("", value)
        self.retranslate()

    def value(self) -> bool | None:
        data = self.currentData()
        return None if data is None else bool(data)

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def retranslate(self) -> None:
        self.setItemText(0, self.tr("Not checked"))
        self.setItemText(1, self.tr("Yes"))
        self.setItemText(2, self.tr("No"))


class ObservationEditor(QWidget):
    """Status, condition, location, estimate against appraisal, insurance, certificate, note."""

    # The new finding and a merge key (edits of one text field of one item undo together).
    finding_edited = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: CollateralRow | None = None
        self.finding: Finding | None = None
        self.policy: Policy | None = None
        self._loading = False
        self._editable = True
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setObjectName("collateralHeading")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        for status in CollateralStatus:
            self.status_combo.addItem("", status)
        self.status_hint = QLabel(self)
        self.status_hint.setStyleSheet(quiet_style())
        self.condition_edit = QLineEdit(self)
        self.condition_edit.setObjectName("conditionEdit")
        self.location_check = QCheckBox(self)
        self.location_check.setObjectName("locationCheckedBox")
        self.estimate_edit = QLineEdit(self)
        self.estimate_edit.setObjectName("estimateEdit")
        self.estimate_unit = QLabel(self)
        self.estimate_error = QLabel(self)
        self.estimate_error.setObjectName("estimateError")
        self.estimate_error.setStyleSheet(error_style())
        self.estimate_error.setWordWrap(True)
        self.estimate_error.hide()
        self.change_label = QLabel(self)
        self.change_label.setObjectName("changeLabel")
        self.change_label.setWordWrap(True)
        self.threshold_warning = QLabel(self)
        self.threshold_warning.setObjectName("thresholdWarning")
        self.threshold_warning.setStyleSheet(error_style() + " font-weight: bold;")
        self.threshold_warning.setWordWrap(True)
        self.threshold_warning.hide()
        self.quantity = QuantityFields(self)
        self.insurance_combo = TriStateCombo(self)
        self.insurance_combo.setObjectName("insuranceCombo")
        self.certificate_combo = TriStateCombo(self)
        self.certificate_combo.setObjectName("certificateCombo")
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("collateralNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.photos_label = QLabel(self)
        self.photos_label.setObjectName("collateralPhotos")

        estimate_row = QHBoxLayout()
        estimate_row.addWidget(self.estimate_edit, 1)
        estimate_row.addWidget(self.estimate_unit)
        estimate_box = QVBoxLayout()
        estimate_box.addLayout(estimate_row)
        estimate_box.addWidget(self.estimate_error)
        estimate_box.addWidget(self.change_label)
        estimate_box.addWidget(self.threshold_warning)
        status_box = QVBoxLayout()
        status_box.addWidget(self.status_combo)
        status_box.addWidget(self.status_hint)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._captions = [QLabel(self) for _ in range(9)]
        fields = (status_box, self.condition_edit, self.location_check, estimate_box,
                  self.quantity, self.insurance_combo, self.certificate_combo, self.note_edit,
                  self.photos_label)
        for caption, field in zip(self._captions, fields, strict=True):
            self.form.addRow(caption, field)
        for caption, buddy in zip(
            self._captions,
            (self.status_combo, self.condition_edit, self.location_check, self.estimate_edit,
             self.quantity.found_edit, self.insurance_combo, self.certificate_combo,
             self.note_edit, None),
            strict=True,
        ):
            if buddy is not None:
                caption.setBuddy(buddy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        self._comment_slot = layout.count()  # where the supervisor's comment goes
        layout.addStretch(1)

        self._condition_typing = Debouncer(self._condition_done, self)
        self._note_typing = Debouncer(self._note_done, self)
        self._estimate_typing = Debouncer(self._estimate_done, self)
        self.status_combo.currentIndexChanged.connect(self._status_chosen)
        self.condition_edit.textEdited.connect(self._condition_typing.poke)
        self.condition_edit.editingFinished.connect(self._condition_typing.flush)
        self.note_edit.textChanged.connect(self._note_changed)
        self.estimate_edit.textEdited.connect(self._estimate_typed)
        self.estimate_edit.editingFinished.connect(self._estimate_typing.flush)
        self.location_check.toggled.connect(self._location_toggled)
        self.quantity.edited.connect(self._quantities_typed)
        self.insurance_combo.currentIndexChanged.connect(self._insurance_chosen)
        self.certificate_combo.currentIndexChanged.connect(self._certificate_chosen)
        self.retranslate()
        self.show_item(None, None)

    # -- public --------------------------------------------------------------------------------

    @property
    def typing(self) -> bool:
        """True while typed text waits to be stored (a refresh must not overwrite it)."""
        return self.quantity.typing or any(d.pending for d in (
            self._condition_typing, self._note_typing, self._estimate_typing))

    def flush(self) -> None:
        """Store what is typed now (before the selection moves to another item)."""
        for debouncer in (self._condition_typing, self._note_typing, self._estimate_typing):
            debouncer.flush()
        self.quantity.flush()

    def show_item(self, row: CollateralRow | None, finding: Finding | None) -> None:
        """Show an item and what was found; no edit is emitted for it."""
        self.row = row
        self.finding = finding
        self.estimate_error.hide()
        self.quantity.clear_error()
        self._fill()

    def add_comment_box(self, box: QWidget) -> None:
        """Show the supervisor's comment on the item's observation (comment_box.CommentBox)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(self._comment_slot, box)

    def set_finding(self, finding: Finding | None) -> None:
        """Show a finding stored elsewhere (undo, a refresh) without emitting an edit."""
        self.finding = finding
        self._fill()

    def set_policy(self, policy: Policy) -> None:
        self.policy = policy
        self.quantity.set_policy(policy)
        self._update_change()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update_enabled()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang = label_language()
        for i, status in enumerate(CollateralStatus):
            self.status_combo.setItemText(i, status.label(lang))
        self.status_combo.setPlaceholderText(self.tr("Choose what you found"))
        self.status_hint.setText(self.tr("Choose the status first; the other fields follow."))
        self.location_check.setText(self.tr("Location checked on site"))
        self.estimate_edit.setPlaceholderText(self.tr("e.g. 1,200,000"))
        self.estimate_unit.setText(self.tr("yuan"))
        self.insurance_combo.retranslate()
        self.certificate_combo.retranslate()
        captions = (
            self.tr("&Status:"), self.tr("&Condition:"), self.tr("Location:"),
            self.tr("&Estimate of current value:"), self.tr("&Quantity found:"),
            self.tr("&Insurance valid:"),
            self.tr("&Registration certificate held:"), self.tr("&Note:"), self.tr("Photos:"),
        )
        for caption, text in zip(self._captions, captions, strict=True):
            caption.setText(text)
        self._fill_texts()
        self._update_change()

    # -- filling -------------------------------------------------------------------------------

    def _fill(self) -> None:
        self._loading = True
        try:
            f = self.finding
            if f is None:
                self.status_combo.setCurrentIndex(-1)
            else:
                self.status_combo.setCurrentIndex(list(CollateralStatus).index(f.status))
            f = f or Finding(CollateralStatus.PRESENT)
            if not self._condition_typing.pending and self.condition_edit.text() != f.condition:
                self.condition_edit.setText(f.condition)
            self.location_check.setChecked(f.location_checked)
            if not self._estimate_typing.pending:
                fen = f.estimated_value_fen
                self.estimate_edit.setText("" if fen is None else plain_yuan(fen))
            self.quantity.show_values(f.quantities)
            self.insurance_combo.set_value(f.insurance_valid)
            self.certificate_combo.set_value(f.certificate_held)
            if not self._note_typing.pending and self.note_edit.toPlainText() != f.note:
                self.note_edit.setPlainText(f.note)
        finally:
            self._loading = False
        self._fill_texts()
        self._update_change()
        self._update_enabled()

    def _fill_texts(self) -> None:
        row, lang = self.row, label_language()
        if row is None:
            self.heading.setText(self.tr("Select an item of the register above."))
            self.photos_label.clear()
            return
        where = f" · {row.location}" if row.location else ""
        found = self.tr(" (found on site)") if row.found_on_site else ""
        colon = ": " if lang == "en" else "："
        self.heading.setText(
            f"<b>{row.kind.label(lang)}</b>{colon}{row.description}{where}{found}"
        )
        self.photos_label.setText(
            self.tr("%n photo(s); add them on the Photos page", "", row.photo_count)
        )

    def _update_enabled(self) -> None:
        has_item = self.row is not None and self._editable
        observed = has_item and self.finding is not None
        self.status_combo.setEnabled(has_item)
        self.status_hint.setVisible(has_item and self.finding is None)
        for widget in (self.condition_edit, self.location_check, self.estimate_edit,
                       self.quantity, self.insurance_combo, self.certificate_combo,
                       self.note_edit):
            widget.setEnabled(observed)

    def _update_change(self, estimate_fen: int | None = None) -> None:
        """Appraised value, the change in percent (red when down) and the threshold warning."""
        row = self.row
        self.threshold_warning.hide()
        if row is None:
            self.change_label.clear()
            return
        lang = label_language()
        if estimate_fen is None and self.finding is not None:
            estimate_fen = self.finding.estimated_value_fen
        appraised = self.tr("Appraised value: {value}").format(
            value=format_fen(row.appraised_value_fen, lang)
        )
        change = change_percent(row.appraised_value_fen, estimate_fen)
        if change is None:
            self.change_label.setText(appraised)
            return
        colour = ERROR_COLOUR.name() if change < 0 else "inherit"
        self.change_label.setText(
            f"{appraised} · " + self.tr("change: {change}").format(
                change=f"<span style='color:{colour}; font-weight:bold'>"
                       f"{percent_text(change)}</span>"
            )
        )
        if self.policy is None or estimate_fen is None:
            return
        try:
            fall = -collateral_value_change(Decimal(row.appraised_value_fen),
                                            Decimal(estimate_fen))
        except CollateralValueError:
            return
        # The gravest of the policy's tiers the fall passed (collateral_drop_signal's rule).
        tier = shortfall_tier(fall, self.policy)
        if tier is not None:
            limit = f"{(tier.above * 100).normalize():f}"
            self.threshold_warning.setText(
                self.tr("The fall is beyond the policy's {limit}% threshold: this item's "
                        "warning signal is {severity}.").format(
                    limit=limit, severity=tier.severity.label(lang).lower())
            )
            self.threshold_warning.show()

    # -- edits ---------------------------------------------------------------------------------

    def _edited(self, merge_key: str = "", **changes: Any) -> None:
        if self._loading or self.row is None or self.finding is None:
            return
        new = replace(self.finding, **changes)
        if new == self.finding:
            return
        self.finding = new
        key = f"{self.row.item_id}:{merge_key}" if merge_key else ""
        emit(self.finding_edited, new, key)

    def _status_chosen(self, index: int) -> None:
        if self._loading or self.row is None or index < 0:
            return
        status = CollateralStatus(self.status_combo.itemData(index))
        if self.finding is None:
            # The first finding for this item: the other fields as they stand (defaults).
            self.finding = Finding(status)
            self._update_enabled()
            emit(self.finding_edited, self.finding, "")
        else:
            self._edited(status=status)

    def _condition_done(self) -> None:
        self._edited("condition", condition=self.condition_edit.text().strip())

    def _note_changed(self) -> None:
        if not self._loading:
            self._note_typing.poke()

    def _note_done(self) -> None:
        self._edited("note", note=self.note_edit.toPlainText())

    def _location_toggled(self, checked: bool) -> None:
        self._edited(location_checked=checked)

    def _quantities_typed(self, values: Quantities) -> None:
        registered, found, unit = values
        self._edited("quantity", registered_quantity_milli=registered,
                     found_quantity_milli=found, quantity_unit=unit)

    def _insurance_chosen(self, _index: int) -> None:
        self._edited(insurance_valid=self.insurance_combo.value())

    def _certificate_chosen(self, _index: int) -> None:
        self._edited(certificate_held=self.certificate_combo.value())

    def _estimate_typed(self, text: str) -> None:
        # Show the change while typing when the text already reads as an amount; complain only
        # once typing pauses, not at the first keystroke of "120万".
        try:
            fen = parse_yuan(text) if text.strip() else None
        except AnswerError:
            fen = None
        else:
            self.estimate_error.hide()
        self._update_change(fen)
        self._estimate_typing.poke()

    def _estimate_done(self) -> None:
        text = self.estimate_edit.text()
        if not text.strip():
            self.estimate_error.hide()
            self._edited("estimate", estimated_value_fen=None)
            self._update_change()
            return
        try:
            fen = parse_yuan(text)
        except AnswerError as error:
            self.estimate_error.setText(
                self.tr("Not saved: {reason}").format(reason=refusal_text(error))
            )
            self.estimate_error.show()
            self._update_change()
            return
        self.estimate_error.hide()
        self._edited("estimate", estimated_value_fen=fen)
        self._update_change()
