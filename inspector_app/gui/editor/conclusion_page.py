"""The visit editor's conclusion page: the recommended classification and the rules that
produced it, the officer's own classification (an override needs a written reason), the
measures proposed and the next inspection date. Its latest allowed date is what the due list
will show once the visit is done (domain.schedule: signals, a downgrade, arrears and an
event's special inspection pull it in), with the rule that sets it.

The recommendation follows the signals and collateral findings, and the date range the visit
date, so the page reads itself again when another page's edit changed one of those.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Classification
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import (
    Debouncer,
    StoreEdit,
    error_style,
    label_language,
    quiet_style,
    refusal_text,
)
from inspector_app.gui.editor.rules_fired import RulesFiredView
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import Changes, ConclusionState, LocalStore

TARGETS = ("conclusion:final", "conclusion:override_reason", "conclusion:next_due_on",
           "conclusion:measures")


def load_conclusion(store: LocalStore, visit_id: str) -> tuple[ConclusionState, bool]:
    return store.conclusion_of(visit_id), store.visit_header(visit_id).editable


class ConclusionPage(EditorPage):
    """Page "conclusion" of the visit editor."""

    edited = Signal()
    loaded = Signal()

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: ConclusionState | None = None
        self.editable = True
        self._read_only = False
        self._generation = 0
        self._loading_count = 0
        self._filling = False
        # A classification chosen but not stored (an override still waiting for its reason).
        self._pending_final: Classification | None = None

        content = QWidget(self)
        self.current_label = QLabel(content)
        self.current_label.setObjectName("currentClassification")
        self.recommended_label = QLabel(content)
        self.recommended_label.setObjectName("recommendedClassification")
        self.reasons_label = QLabel(content)
        self.reasons_label.setObjectName("recommendationReasons")
        self.reasons_label.setWordWrap(True)
        # Every rule that fired, with its source and the deciding one (issue #14).
        self.rules_view = RulesFiredView(content)
        self.final_combo = QComboBox(content)
        self.final_combo.setObjectName("finalCombo")
        for classification in Classification:
            self.final_combo.addItem("", classification)
        self.final_hint = QLabel(content)
        self.final_hint.setObjectName("finalHint")
        self.final_hint.setWordWrap(True)
        self.final_hint.setStyleSheet(quiet_style())
        self.reason_edit = QPlainTextEdit(content)
        self.reason_edit.setObjectName("overrideReasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.message = QLabel(content)
        self.message.setObjectName("conclusionMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(error_style())
        self.message.hide()
        self.measures_edit = QPlainTextEdit(content)
        self.measures_edit.setObjectName("measuresEdit")
        self.measures_edit.setTabChangesFocus(True)
        self.measures_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 8)
        self.date_edit = QDateEdit(content)
        self.date_edit.setObjectName("nextDueEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.use_suggested_button = QPushButton(content)
        self.use_suggested_button.setObjectName("useSuggestedDateButton")
        self.range_label = QLabel(content)
        self.range_label.setObjectName("nextDueRange")
        self.range_label.setWordWrap(True)
        self.range_label.setStyleSheet(quiet_style())
        # Which rule sets the latest date (a signal's pull-in, a downgrade, arrears, an event's
        # special inspection): the same reason the due list gives after the visit.
        self.due_reason_label = QLabel(content)
        self.due_reason_label.setObjectName("nextDueReason")
        self.due_reason_label.setWordWrap(True)

        self._captions = {key: QLabel(content) for key in
                          ("current", "recommended", "final", "reason", "measures", "date")}
        self._captions["final"].setBuddy(self.final_combo)
        self._captions["reason"].setBuddy(self.reason_edit)
        self._captions["measures"].setBuddy(self.measures_edit)
        self._captions["date"].setBuddy(self.date_edit)
        recommended = QVBoxLayout()
        recommended.addWidget(self.recommended_label)
        recommended.addWidget(self.reasons_label)
        recommended.addWidget(self.rules_view)
        final = QVBoxLayout()
        final.addWidget(self.final_combo)
        final.addWidget(self.final_hint)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.use_suggested_button)
        date_row.addStretch(1)
        date_box = QVBoxLayout()
        date_box.addLayout(date_row)
        date_box.addWidget(self.range_label)
        date_box.addWidget(self.due_reason_label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self._captions["current"], self.current_label)
        self.form.addRow(self._captions["recommended"], recommended)
        self.form.addRow(self._captions["final"], final)
        self.form.addRow(self._captions["reason"], self.reason_edit)
        self.form.addRow("", self.message)
        self.form.addRow(self._captions["measures"], self.measures_edit)
        self.form.addRow(self._captions["date"], date_box)
        outer = QVBoxLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        content.setLayout(outer)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self._reason_typing = Debouncer(self._reason_done, self)
        self._measures_typing = Debouncer(self._measures_done, self)
        self._date_typing = Debouncer(self._date_done, self)
        self.final_combo.activated.connect(self._final_chosen)
        self.reason_edit.textChanged.connect(self._reason_changed)
        self.measures_edit.textChanged.connect(self._measures_changed)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.date_edit.editingFinished.connect(self._date_typing.flush)
        self.use_suggested_button.clicked.connect(self._use_suggested)
        ctx.changed.connect(self._changed_elsewhere)
        self._retranslate()
        self.refresh()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "conclusion"

    def page_title(self) -> str:
        return self.tr("Conclusion")

    @property
    def busy(self) -> bool:
        return self._loading_count > 0

    @property
    def typing(self) -> bool:
        """True while typed text (or a date being typed) waits a moment to be stored."""
        return any(d.pending for d in (self._reason_typing, self._measures_typing,
                                       self._date_typing))

    def refresh(self) -> None:
        self._generation += 1
        self._loading_count += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(
            lambda: load_conclusion(store, visit_id),
            lambda answer: self._loaded(generation, *answer),
            self._load_failed,
        )

    def flush(self) -> None:
        """Store what is typed now (the editor leaves the page or closes)."""
        for debouncer in (self._reason_typing, self._measures_typing, self._date_typing):
            debouncer.flush()

    def set_read_only(self, read_only: bool) -> None:
        """Show, never change (a signed visit)."""
        self._read_only = read_only
        self.editable = self.editable and not read_only
        self._fill()

    def focus_target(self, target: str) -> bool:
        widgets: dict[str, QWidget] = {
            "conclusion:final": self.final_combo,
            "conclusion:override_reason": self.reason_edit,
            "conclusion:next_due_on": self.date_edit,
            "conclusion:measures": self.measures_edit,
        }
        widget = widgets.get(target)
        if widget is None:
            return False
        if widget is self.reason_edit:
            self.reason_edit.show()
            self._captions["reason"].show()
        widget.setFocus()
        return True

    # -- loading -------------------------------------------------------------------------------

    def _changed_elsewhere(self, changes: Changes) -> None:
        # What the recommendation, the borrower's current classification, the allowed dates
        # or the right to edit depend on; the page's own edits it shows already.
        if (changes.header or changes.collateral or changes.signals or changes.findings
                or changes.status or changes.borrowers):
            self.refresh()

    def _loaded(self, generation: int, state: ConclusionState, editable: bool) -> None:
        self._loading_count -= 1
        if generation != self._generation:
            return
        self.state, self.editable = state, editable and not self._read_only
        self._fill()
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        self._loading_count -= 1
        self._show_message(refusal_text(error))

    def _fill(self) -> None:
        state, lang = self.state, label_language()
        if state is None:
            return
        self._filling = True
        try:
            recommended = state.recommendation.classification
            self.current_label.setText(state.current.label(lang))
            self.recommended_label.setText(f"<b>{recommended.label(lang)}</b>")
            # The rules themselves are listed, with their sources, by the rules view below.
            self.reasons_label.setText(state.recommendation.conclusion.in_(lang))
            shown = self._pending_final or state.final or recommended
            self.final_combo.setCurrentIndex(list(Classification).index(shown))
            if not self._reason_typing.pending and \
                    self.reason_edit.toPlainText() != state.override_reason:
                self.reason_edit.setPlainText(state.override_reason)
            if not self._measures_typing.pending and \
                    self.measures_edit.toPlainText() != state.measures:
                self.measures_edit.setPlainText(state.measures)
            low, high = state.next_due_range
            self.date_edit.setDateRange(QDate(low), QDate(high))
            if not self._date_typing.pending:
                self.date_edit.setDate(QDate(state.next_due_on or high))
        finally:
            self._filling = False
        self._update_texts()
        for widget in (self.final_combo, self.reason_edit, self.measures_edit, self.date_edit,
                       self.use_suggested_button):
            widget.setEnabled(self.editable)

    def _update_texts(self) -> None:
        state, lang = self.state, label_language()
        if state is None:
            return
        recommended = state.recommendation.classification
        shown = Classification(self.final_combo.currentData())
        overriding = shown is not recommended
        self.rules_view.show_rules(state.recommendation, shown)
        self.reason_edit.setVisible(overriding or bool(state.override_reason))
        self._captions["reason"].setVisible(self.reason_edit.isVisible())
        self._captions["reason"].setText(
            self.tr("&Override reason (required):") if overriding
            else self.tr("&Override reason:")
        )
        if state.final is None and self._pending_final is None:
            hint = self.tr("The recommendation is used unless you choose another "
                           "classification.")
        elif overriding:
            hint = self.tr("Differs from the recommended {recommended}: write the reason "
                           "below.").format(recommended=recommended.label(lang))
        else:
            hint = self.tr("Same as the recommendation.")
        self.final_hint.setText(hint)
        low, high = state.next_due_range
        text = self.tr("The policy allows {low} to {high}; suggested: {high}.").format(
            low=low.isoformat(), high=high.isoformat()
        )
        if state.next_due_on is None:
            text += "\n" + self.tr("Not set yet.")
        elif not low <= state.next_due_on <= high:
            # The recommendation changed since the date was set (a worse classification has a
            # shorter interval): the field shows the nearest allowed date, not what is stored.
            text += "\n" + self.tr("The date set, {date}, is outside this range now; choose "
                                   "a new one.").format(date=state.next_due_on.isoformat())
        self.range_label.setText(text)
        due = state.next_due
        self.due_reason_label.setText(self.tr("{kind} due by {date}: {reason}").format(
            kind=due.kind.label(lang), date=due.due_on.isoformat(), reason=due.reason.in_(lang)))
        self.range_label.setStyleSheet(
            error_style() if state.next_due_on is not None and not low <= state.next_due_on
            <= high else quiet_style()
        )
        self.use_suggested_button.setVisible(state.next_due_on is None)

    # -- saving --------------------------------------------------------------------------------

    def _save(self, changes: dict[str, Any], what: str) -> None:
        ctx = self.ctx
        ctx.save(
            lambda: ctx.store.set_conclusion(ctx.visit_id, ctx.user, **changes),
            on_done=self._saved, what=what, on_error=self._save_failed,
        )

    def _push(self, text: str, field: str, old: Any, new: Any, merge: bool = False) -> None:
        """Save `field` = new as an undoable step (old None: the store cannot unset it)."""
        if old is None:
            self._save({field: new}, f"conclusion:{field}")
            return
        command = StoreEdit(
            text, lambda value: self._save({field: value}, f"conclusion:{field}"), old, new,
            merge_key=f"conclusion:{field}" if merge else "",
        )
        self.ctx.undo_stack.push(command)

    def _final_chosen(self, index: int) -> None:
        state = self.state
        if state is None or index < 0:
            return
        chosen = Classification(self.final_combo.itemData(index))
        self._update_texts()
        reason = self.reason_edit.toPlainText().strip()
        overriding = chosen is not state.recommendation.classification
        if overriding and not reason:
            # Kept on screen until the reason is written; the store refuses it meanwhile and
            # its message (shown under the field) says why.
            self._pending_final = chosen
            self.reason_edit.setFocus()
            self._save({"final": chosen, "override_reason": ""}, "conclusion:final")
            return
        self._pending_final = None
        new = (chosen, reason if overriding else state.override_reason)
        old = None if state.final is None else (state.final, state.override_reason)
        if old == new:
            return
        command_text = self.tr("Classification {name}").format(name=chosen.label(label_language()))
        if old is None:
            self._store_final(new)
        else:
            self.ctx.undo_stack.push(StoreEdit(command_text, self._store_final, old, new))

    def _store_final(self, value: tuple[Classification, str]) -> None:
        final, reason = value
        self._save({"final": final, "override_reason": reason}, "conclusion:final")

    def _reason_changed(self) -> None:
        if not self._filling:
            self._reason_typing.poke()

    def _reason_done(self) -> None:
        reason = self.reason_edit.toPlainText().strip()
        if self._pending_final is not None and reason:
            final, self._pending_final = self._pending_final, None
            self._save({"final": final, "override_reason": reason}, "conclusion:final")
            return
        old = self.state.override_reason if self.state else None
        self._push(self.tr("Override reason"), "override_reason", old, reason, merge=True)

    def _measures_changed(self) -> None:
        if not self._filling:
            self._measures_typing.poke()

    def _measures_done(self) -> None:
        old = self.state.measures if self.state else None
        self._push(self.tr("Measures proposed"), "measures", old,
                   self.measures_edit.toPlainText(), merge=True)

    def _date_changed(self, _date: QDate) -> None:
        if not self._filling:
            self._date_typing.poke()

    def _date_done(self) -> None:
        new: date = self.date_edit.date().toPython()
        old = self.state.next_due_on if self.state else None
        if new != old:
            self._push(self.tr("Next inspection date"), "next_due_on", old, new)

    def _use_suggested(self) -> None:
        if self.state is not None:
            self._save({"next_due_on": self.state.next_due_range[1]}, "conclusion:next_due_on")

    def _saved(self, _result: object) -> None:
        self.message.hide()
        emit(self.edited)
        self.refresh()

    def _save_failed(self, error: Exception) -> None:
        text = refusal_text(error)
        if self._pending_final is not None:
            text += "\n" + self.tr("Write the reason; the classification is saved with it.")
        self._show_message(text)
        self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- language ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        lang = label_language()
        for i, classification in enumerate(Classification):
            self.final_combo.setItemText(i, classification.label(lang))
        captions = {
            "current": self.tr("Current classification:"),
            "recommended": self.tr("Recommended:"),
            "final": self.tr("&Final classification:"),
            "measures": self.tr("&Measures proposed:"),
            "date": self.tr("&Next inspection:"),
        }
        for key, text in captions.items():
            self._captions[key].setText(text)
        self._captions["recommended"].setAlignment(Qt.AlignmentFlag.AlignTop)
        self.use_suggested_button.setText(self.tr("&Use the suggested date"))
        self.measures_edit.setPlaceholderText(
            self.tr("What the bank should do: rectification, more frequent checks, "
                    "additional collateral…")
        )
        self._fill()
        self._update_texts()
