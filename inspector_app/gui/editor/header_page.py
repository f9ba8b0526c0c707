"""The first page of the visit editor: what kind of visit, when, where, whom the officer met,
a general note, and which checklist templates the visit uses (changeable before any answer).

Like the checklist pages, every field is stored a moment after typing stops (or when the
officer leaves it), each change is an undoable command, and nothing waits on the disk.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import Template
from inspector_app.gui import i18n
from inspector_app.gui.editor.answer_widgets import TYPING_PAUSE_MS, FlushingTextEdit
from inspector_app.gui.editor.checklist_row import tick
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.templates_dialog import TemplatesDialog
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import VisitHeader

log = logging.getLogger(__name__)

TEXT_FIELDS = ("place", "people_met", "general_note")
# QTimeEdit cannot be empty; midnight, shown as a dash, stands for "not recorded yet".
NO_TIME = QTime(0, 0)


class HeaderEdit(QUndoCommand):
    """One header field changed from old to new."""

    def __init__(self, page: VisitHeaderPage, field: str, old: Any, new: Any) -> None:
        super().__init__(page.field_title(field))
        self._page, self._field, self._old, self._new = page, field, old, new
        self._first = True

    def redo(self) -> None:
        if shiboken6.isValid(self._page):
            self._page.apply(self._field, self._new, reveal=not self._first)
        self._first = False

    def undo(self) -> None:
        if shiboken6.isValid(self._page):
            self._page.apply(self._field, self._old, reveal=True)


class VisitHeaderPage(EditorPage):
    """Kind, date, start time, place, people met, general note and the templates in use."""

    edited = Signal()
    templates_changed = Signal()  # the checklist is different now: sections must be rebuilt

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("visitHeaderPage")
        self.header: VisitHeader | None = None
        self._templates: dict[str, Template] = {}
        self._has_answers = True  # until the store says otherwise, templates stay put
        self._read_only = False
        self._values: dict[str, Any] = {}
        self._touched: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._generation = 0
        self._dialog: TemplatesDialog | None = None

        self.kind = QLabel(self)
        self.kind.setObjectName("visitKind")
        self.status = QLabel(self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("visitDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumWidth(220)
        self.time_edit = QTimeEdit(self)
        self.time_edit.setMaximumWidth(220)
        self.time_edit.setObjectName("startTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setMinimumTime(NO_TIME)
        self.time_edit.setSpecialValueText("—")
        self.place = QLineEdit(self)
        self.place.setObjectName("place")
        self.people_met = FlushingTextEdit(self)
        self.people_met.setObjectName("peopleMet")
        self.people_met.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.general_note = FlushingTextEdit(self)
        self.general_note.setObjectName("generalNote")
        self.general_note.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.templates_label = QLabel(self)
        self.templates_label.setObjectName("templatesInUse")
        self.templates_label.setWordWrap(True)
        self.change_templates = QPushButton(self)
        self.change_templates.setObjectName("changeTemplates")
        self.change_templates.clicked.connect(self.choose_templates)
        self.templates_hint = QLabel(self)
        self.templates_hint.setWordWrap(True)

        self._pauses: dict[str, QTimer] = {}
        for field in (*TEXT_FIELDS, "visit_date", "started_at"):
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(TYPING_PAUSE_MS)
            timer.timeout.connect(lambda f=field: self.flush_field(f))
            self._pauses[field] = timer
        # Fields the officer changed since they were last stored: only these are compared on
        # a flush (a start time shown to the minute is never "changed" by being shown).
        self._dirty: set[str] = set()
        self.place.textEdited.connect(lambda _t: self._typed("place"))
        self.place.editingFinished.connect(lambda: self.flush_field("place"))
        for field, edit in (("people_met", self.people_met),
                            ("general_note", self.general_note)):
            edit.textChanged.connect(lambda f=field: self._typed(f))
            edit.focus_left.connect(lambda f=field: self.flush_field(f))
        self.date_edit.dateChanged.connect(lambda _d: self._typed("visit_date"))
        self.date_edit.editingFinished.connect(lambda: self.flush_field("visit_date"))
        self.time_edit.timeChanged.connect(lambda _t: self._typed("started_at"))
        self.time_edit.editingFinished.connect(lambda: self.flush_field("started_at"))

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels = [QLabel(self) for _ in range(8)]
        rows: list[QWidget] = [self.kind, self.status, self.date_edit, self.time_edit,
                               self.place, self.people_met, self.general_note]
        for label, field in zip(self._labels, rows, strict=False):
            label.setBuddy(field)
            self.form.addRow(label, field)
        templates = QVBoxLayout()
        templates.addWidget(self.templates_label)
        templates.addWidget(self.change_templates, 0, Qt.AlignmentFlag.AlignLeft)
        templates.addWidget(self.templates_hint)
        self.form.addRow(self._labels[7], templates)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(self.form)
        column.addStretch(1)  # spare height goes below the form, not between its rows
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(scroll)
        self._retranslate()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "header"

    def page_title(self) -> str:
        return self.tr("Visit information")

    def refresh(self) -> None:
        self._generation += 1
        generation, since = self._generation, tick()
        store, visit_id = self.ctx.store, self.ctx.visit_id

        def read() -> tuple[VisitHeader, bool, tuple[Template, ...]]:
            answers = store.answers_of(visit_id)
            answered = any(state.value is not None for state in answers.values())
            return store.visit_header(visit_id), answered, store.checklist_templates(visit_id)

        self.ctx.reads.submit(
            read, lambda result: self._loaded(generation, since, *result), self._load_failed
        )

    def focus_target(self, target: str) -> bool:
        widget = {"header:place": self.place, "header:people_met": self.people_met,
                  "header": self.place}.get(target)
        if widget is None:
            return False
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- used by the editor --------------------------------------------------------------------

    def flush(self) -> None:
        for field in self._pauses:
            self.flush_field(field)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for edit in (self.place, self.people_met, self.general_note):
            edit.setReadOnly(read_only)
        self.date_edit.setReadOnly(read_only)
        self.time_edit.setReadOnly(read_only)
        self._show_templates()

    def field_title(self, field: str) -> str:
        """How the undo history names a change of field."""
        return {
            "place": self.tr("place"), "people_met": self.tr("people met"),
            "general_note": self.tr("general note"), "visit_date": self.tr("visit date"),
            "started_at": self.tr("start time"),
        }[field]

    def flush_field(self, field: str) -> None:
        """Turn what the field shows into an undoable, stored edit if it changed."""
        self._pauses[field].stop()
        if self.header is None or self._read_only or field not in self._dirty:
            return  # nothing loaded yet to compare with, or nothing changed
        self._dirty.discard(field)
        new = self._widget_value(field)
        if new is None or new == self._values.get(field):
            return
        self.ctx.undo_stack.push(HeaderEdit(self, field, self._values.get(field), new))

    def apply(self, field: str, value: Any, *, reveal: bool = False) -> None:
        """Show value in the field and store it (an edit, an undo or a redo)."""
        self._values[field] = value
        self._touched[field] = tick()
        if reveal:
            self._show_value(field, value)
            emit(self.reveal_requested, f"header:{field}")
        self._in_flight[field] = self._in_flight.get(field, 0) + 1
        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user

        def finished(_result: object) -> None:
            self._settled(field)
            emit(self.edited)

        def refused(error: Exception) -> None:
            self._settled(field)
            self.refresh()  # show what the store kept

        self.ctx.save(
            lambda: store.update_visit(visit_id, user, **{field: value}),
            on_done=finished, on_error=refused, what=f"header:{field}",
        )

    def choose_templates(self) -> None:
        """Let the officer pick other templates (only before the first answer)."""
        if self.header is None or not self._templates:
            return
        self._dialog = TemplatesDialog(
            list(self._templates.values()), self.header.template_refs, self
        )
        self._dialog.accepted.connect(self._templates_chosen)
        self._dialog.open()

    # -- internals -----------------------------------------------------------------------------

    def _typed(self, field: str) -> None:
        self._dirty.add(field)
        self._pauses[field].start()

    def _settled(self, field: str) -> None:
        if shiboken6.isValid(self):
            self._in_flight[field] -= 1
            self._touched[field] = tick()

    def _templates_chosen(self) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is None:
            return
        refs = dialog.refs()
        dialog.deleteLater()
        if self.header is None or refs == self.header.template_refs:
            return
        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user
        self.ctx.save(
            lambda: store.set_visit_templates(visit_id, user, refs),
            on_done=lambda _r: self._templates_stored(), what="header:templates",
        )

    def _templates_stored(self) -> None:
        emit(self.templates_changed)
        self.refresh()

    def _widget_value(self, field: str) -> Any:
        if field == "place":
            return self.place.text()
        if field in ("people_met", "general_note"):
            return getattr(self, field).toPlainText()
        if field == "visit_date":
            return self.date_edit.date().toPython()
        chosen = self.time_edit.time()
        if chosen == NO_TIME:
            return None  # the store keeps a start time once there is one
        day = self.date_edit.date().toPython()
        local = datetime.combine(day, time(chosen.hour(), chosen.minute())).astimezone()
        return local.astimezone(UTC)

    def _show_value(self, field: str, value: Any) -> None:
        if field == "place":
            self.place.setText(value)
        elif field in ("people_met", "general_note"):
            edit = getattr(self, field)
            if edit.toPlainText() != value:
                blocked = edit.blockSignals(True)
                edit.setPlainText(value)
                edit.blockSignals(blocked)
        elif field == "visit_date":
            blocked = self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(value))
            self.date_edit.blockSignals(blocked)
        else:
            blocked = self.time_edit.blockSignals(True)
            if value is None:
                self.time_edit.setTime(NO_TIME)
            else:
                local = value.astimezone()
                self.time_edit.setTime(QTime(local.hour, local.minute))
            self.time_edit.blockSignals(blocked)
        self._pauses[field].stop()
        self._dirty.discard(field)

    def _loaded(
        self,
        generation: int,
        since: int,
        header: VisitHeader,
        answered: bool,
        templates: tuple[Template, ...],
    ) -> None:
        if generation != self._generation:
            return
        self.header = header
        self._has_answers = answered
        self._templates = {t.ref: t for t in templates}
        stored = {
            "place": header.place, "people_met": header.people_met,
            "general_note": header.general_note, "visit_date": header.visit_date,
            "started_at": header.started_at,
        }
        for field, value in stored.items():
            busy = self._in_flight.get(field, 0) or self._pauses[field].isActive()
            if busy or self._touched.get(field, 0) > since:
                continue  # the screen is ahead of what was read
            self._values[field] = value
            self._show_value(field, value)
        self._show_kind()
        self._show_templates()

    def _load_failed(self, error: Exception) -> None:
        log.error("loading the visit header failed", exc_info=error)
        emit(self.ctx.save_failed, i18n.error_text(error))

    def _show_kind(self) -> None:
        if self.header is None:
            return
        lang = i18n.domain_language(i18n.current())
        self.kind.setText(self.header.kind.label(lang))
        self.status.setText(self.header.status.label(lang))

    def _show_templates(self) -> None:
        lang = i18n.domain_language(i18n.current())
        refs = self.header.template_refs if self.header else []
        lines = []
        # By title only: "routine@1" is how the app files a template, not how officers say it.
        by_code = {t.code: t for t in self._templates.values()}
        for ref in refs:
            template = self._templates.get(ref)
            if template is not None:
                title = template.title.in_(lang)
            elif ref.partition("@")[0] in by_code:  # the visit keeps an older edition
                title = self.tr("{title} (an earlier edition)").format(
                    title=by_code[ref.partition("@")[0]].title.in_(lang))
            else:
                title = self.tr("A template no longer in use")
            lines.append(f"• {title}")
        self.templates_label.setText("\n".join(lines))
        changeable = not self._read_only and not self._has_answers and bool(self._templates)
        self.change_templates.setEnabled(changeable)
        self.change_templates.setVisible(not self._read_only)
        self.templates_hint.setVisible(not self._read_only and self._has_answers)

    def _retranslate(self) -> None:
        texts = [self.tr("Kind:"), self.tr("Status:"), self.tr("Visit &date:"),
                 self.tr("&Start time:"), self.tr("&Place:"), self.tr("People &met:"),
                 self.tr("General &note:"), self.tr("Checklist templates:")]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.place.setPlaceholderText(self.tr("Address or site where the visit takes place"))
        self.people_met.setPlaceholderText(
            self.tr("Whom you met: name and position, one per line")
        )
        self.general_note.setPlaceholderText(self.tr("Anything worth noting about the visit"))
        self.change_templates.setText(self.tr("Change templates…"))
        self.templates_hint.setText(
            self.tr("Templates can only be changed before the first answer.")
        )
        self._show_kind()
        self._show_templates()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
