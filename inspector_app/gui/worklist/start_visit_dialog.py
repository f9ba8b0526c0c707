"""Start a visit: its kind, the checklist templates (chosen automatically, changeable), place,
people met, date and start time; or continue the borrower's draft instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QEvent, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import Template, TemplateKind
from inspector_app.domain.enums import VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LocalStore, StartChoices, UserRow, VisitRecord

log = logging.getLogger(__name__)

ERROR_INK = "#b3261e"
_REF = Qt.ItemDataRole.UserRole


class StartVisitDialog(QDialog):
    """Emits visit_started(visit id) once the visit is stored (or a draft is to be continued)."""

    loaded = Signal()
    visit_started = Signal(str)

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        borrower_id: str,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("startVisitDialog")
        self._store = store
        self._user = user
        self._borrower_id = borrower_id
        self._runner = TaskRunner(self)
        self.choices: StartChoices | None = None
        self._automatic = True  # the templates shown are the automatic choice for the kind
        self._templates: dict[str, Template] = {}

        self.draft_frame = QFrame(self)
        self.draft_frame.setObjectName("draftFrame")
        self.draft_frame.setStyleSheet("#draftFrame { background: #fff3e0; border: 1px solid "
                                       "#e0b070; border-radius: 4px; }")
        self.draft_label = QLabel(self.draft_frame)
        self.draft_label.setWordWrap(True)
        self.continue_button = QPushButton(self.draft_frame)
        self.continue_button.setObjectName("continueDraftButton")
        draft_row = QHBoxLayout(self.draft_frame)
        draft_row.addWidget(self.draft_label, 1)
        draft_row.addWidget(self.continue_button)
        self.draft_frame.hide()

        self.borrower_label = QLabel(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        for kind in VisitKind:
            self.kind_combo.addItem("", kind)
        self.base_combo = QComboBox(self)
        self.base_combo.setObjectName("baseCombo")
        self.supplement_list = QListWidget(self)
        self.supplement_list.setObjectName("supplementList")
        self.choice_note = QLabel(self)  # one short line: a wrapped label in a form is cut
        self.choice_note.setStyleSheet("color: #5f6368;")
        self.automatic_button = QPushButton(self)
        self.automatic_button.setObjectName("automaticButton")
        note_row = QHBoxLayout()
        note_row.addWidget(self.choice_note, 1)
        note_row.addWidget(self.automatic_button)
        self.place_edit = QLineEdit(self)
        self.place_edit.setObjectName("placeEdit")
        self.people_edit = QLineEdit(self)
        self.people_edit.setObjectName("peopleEdit")
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate(today()))
        self.time_edit = QTimeEdit(self)
        self.time_edit.setObjectName("timeEdit")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setTime(QTime.currentTime())
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_INK};")
        self.error_label.hide()

        self.form = QFormLayout()
        self._form_labels = [QLabel(self) for _ in range(8)]
        rows: list[QWidget | QHBoxLayout] = [
            self.borrower_label, self.kind_combo, self.base_combo, self.supplement_list,
            self.place_edit, self.people_edit, self.date_edit, self.time_edit,
        ]
        for label, field in zip(self._form_labels, rows, strict=True):
            if isinstance(field, QWidget):
                label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.insertRow(4, "", note_row)
        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.draft_frame)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.base_combo.currentIndexChanged.connect(self._templates_edited)
        self.supplement_list.itemChanged.connect(self._templates_edited)
        self.automatic_button.clicked.connect(self.use_automatic_choice)
        self.continue_button.clicked.connect(self.continue_draft)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.reject)
        self._set_enabled(False)
        self.resize(640, 480)
        fit_window(self, "start_visit")
        self._retranslate()
        self._runner.submit(lambda: store.start_choices(borrower_id, user.id), self._loaded,
                            self._failed)

    # -- what the officer chose ----------------------------------------------------------------

    @property
    def kind(self) -> VisitKind:
        return self.kind_combo.currentData()

    def template_refs(self) -> list[str]:
        """The base template's ref, then each ticked supplement's, in list order."""
        base = self.base_combo.currentData()
        if base is None:
            return []
        ticked = [self.supplement_list.item(n) for n in range(self.supplement_list.count())]
        return [base, *(i.data(_REF) for i in ticked if i.checkState() == Qt.CheckState.Checked)]

    def started_at(self) -> datetime:
        """The start time on the visit date, in this laptop's zone, as UTC."""
        day, at = self.date_edit.date().toPython(), self.time_edit.time().toPython()
        return datetime.combine(day, at).astimezone().astimezone(UTC)

    # -- actions -------------------------------------------------------------------------------

    def use_automatic_choice(self) -> None:
        """Back to the templates chosen from the loans' types and the industry."""
        if self.choices is None:
            return
        self._show_refs(self.choices.options[self.kind].default_refs)
        self._automatic = True
        self._retranslate_choice_note()

    def continue_draft(self) -> None:
        if self.choices is None or self.choices.draft is None:
            return
        emit(self.visit_started, self.choices.draft.id)
        self.accept()

    def start(self) -> None:
        """Store the new visit off the UI thread; visit_started follows once it is saved."""
        refs = self.template_refs()
        if not refs:
            self._show_error(self.tr("Choose a base checklist."))
            return
        store, user, borrower_id, kind = self._store, self._user, self._borrower_id, self.kind
        day = self.date_edit.date().toPython()
        place, people = self.place_edit.text().strip(), self.people_edit.text().strip()
        started = self.started_at()
        self.error_label.hide()
        self._set_enabled(False)
        self._runner.submit(
            lambda: store.start_visit(borrower_id, user, kind, visit_date=day, place=place,
                                      people_met=people, template_refs=refs,
                                      started_at=started),
            self._started, self._start_failed,
        )

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _loaded(self, choices: StartChoices) -> None:
        self.choices = choices
        templates = choices.options[choices.suggested_kind].templates
        self.base_combo.blockSignals(True)
        self.supplement_list.blockSignals(True)
        for t in templates:
            if t.kind is TemplateKind.BASE:
                self.base_combo.addItem("", t.ref)
            else:
                item = QListWidgetItem(self.supplement_list)
                item.setData(_REF, t.ref)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
        self.base_combo.blockSignals(False)
        self.supplement_list.blockSignals(False)
        self._templates = {t.ref: t for t in templates}
        self.place_edit.setText(choices.address)
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(choices.suggested_kind))
        self.kind_combo.blockSignals(False)
        self.use_automatic_choice()
        self._set_enabled(True)
        self._retranslate()
        # Tall enough for every supplement, so none hides behind a scroll bar.
        rows = max(self.supplement_list.count(), 3)
        frame = 2 * self.supplement_list.frameWidth() + 4
        self.supplement_list.setFixedHeight(self.supplement_list.sizeHintForRow(0) * rows + frame)
        self.draft_frame.setVisible(choices.draft is not None)
        emit(self.loaded)

    def _failed(self, error: Exception) -> None:
        log.error("start-visit choices could not be loaded", exc_info=error)
        self._show_error(self.tr("Could not load the borrower: {error}").format(error=error))

    def _kind_changed(self, _index: int) -> None:
        # Another kind has its own base template: the automatic choice follows the kind.
        self.use_automatic_choice()

    def _templates_edited(self, *_args: object) -> None:
        if self.choices is None:
            return
        self._automatic = self.template_refs() == self.choices.options[self.kind].default_refs
        self._retranslate_choice_note()

    def _started(self, visit: VisitRecord) -> None:
        emit(self.visit_started, visit.id)
        self.accept()

    def _start_failed(self, error: Exception) -> None:
        self._set_enabled(True)
        if isinstance(error, ValueError):  # a refusal with a message for the officer
            self._show_error(i18n.error_text(error))
        else:
            log.error("starting the visit failed", exc_info=error)
            self._show_error(self.tr("The visit could not be started: {error}").format(
                error=error))

    # -- helpers -------------------------------------------------------------------------------

    def _show_refs(self, refs: list[str]) -> None:
        self.base_combo.blockSignals(True)
        self.supplement_list.blockSignals(True)
        base = self.base_combo.findData(refs[0]) if refs else -1
        self.base_combo.setCurrentIndex(base)
        for n in range(self.supplement_list.count()):
            item = self.supplement_list.item(n)
            ticked = item.data(_REF) in refs[1:]
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.base_combo.blockSignals(False)
        self.supplement_list.blockSignals(False)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.kind_combo, self.base_combo, self.supplement_list,
                       self.automatic_button, self.start_button, self.continue_button):
            widget.setEnabled(enabled)

    def _template_label(self, template: Template) -> str:
        lang = i18n.domain_language(i18n.current())
        return template.title.in_(lang)  # not its ref ("routine@1"): no officer's word

    def _retranslate_choice_note(self) -> None:
        if self._automatic:
            self.choice_note.setText(self.tr("Chosen from the loans' types and the industry."))
        else:
            self.choice_note.setText(self.tr("Changed by you."))
        self.automatic_button.setEnabled(not self._automatic and self.choices is not None)

    def _retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        name = self.choices.borrower_name if self.choices else "…"
        self.setWindowTitle(self.tr("Start a visit — {name}").format(name=name))
        self.borrower_label.setText(name)
        texts = [self.tr("Borrower:"), self.tr("&Kind of inspection:"),
                 self.tr("&Base checklist:"), self.tr("S&upplements:"), self.tr("&Place:"),
                 self.tr("People &met:"), self.tr("Visit &date:"), self.tr("Start &time:")]
        for label, text in zip(self._form_labels, texts, strict=True):
            label.setText(text)
        for n, kind in enumerate(VisitKind):
            self.kind_combo.setItemText(n, kind.label(lang))
        templates = self._templates
        for n in range(self.base_combo.count()):
            self.base_combo.setItemText(n, self._template_label(
                templates[self.base_combo.itemData(n)]))
        self.supplement_list.blockSignals(True)
        for n in range(self.supplement_list.count()):
            item = self.supplement_list.item(n)
            item.setText(self._template_label(templates[item.data(_REF)]))
        self.supplement_list.blockSignals(False)
        self.people_edit.setPlaceholderText(self.tr("e.g. legal representative, finance "
                                                    "manager"))
        self.automatic_button.setText(self.tr("&Automatic choice"))
        self.start_button.setText(self.tr("&Start visit"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.continue_button.setText(self.tr("&Continue the draft"))
        draft = self.choices.draft if self.choices else None
        if draft is not None:
            self.draft_label.setText(self.tr(
                "A {kind} of {date} is not completed yet ({count} answers). Continue it "
                "rather than starting another?").format(
                    kind=draft.kind.label(lang), date=draft.visit_date.isoformat(),
                    count=draft.answered))
        self._retranslate_choice_note()
