"""The dialog for a warning signal the officer raises by hand, and the undo step for it; the
dialog for a supervisor's follow-up of a team member's signal (escalate, hand over, clear)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
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
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import UserRow

REASON_MAX = 2000  # wire.SignalFollowUp.reason's limit


@dataclass(frozen=True)
class ManualSignal:
    """The arguments of store.add_manual_signal."""

    category: SignalCategory
    severity: Severity
    title: str
    description: str = ""
    event: bool = False  # proposes a special inspection (domain.schedule.OpenSignal)


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
        self.event_check = QCheckBox(self)
        self.event_check.setObjectName("signalEventCheck")
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
        form.addRow("", self.event_check)
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
        fit_window(self, "add_signal")

    def ask(self) -> None:
        """Open, window-modal, empty."""
        self.category_combo.setCurrentIndex(0)
        self.severity_combo.setCurrentIndex(list(reversed(Severity)).index(Severity.YELLOW))
        self.title_edit.clear()
        self.description_edit.clear()
        self.event_check.setChecked(False)
        self.error_label.hide()
        self.title_edit.setFocus()
        self.open()

    def signal(self) -> ManualSignal:
        return ManualSignal(
            SignalCategory(self.category_combo.currentData()),
            Severity(self.severity_combo.currentData()),
            self.title_edit.text().strip(),
            self.description_edit.toPlainText().strip(),
            self.event_check.isChecked(),
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
        self.event_check.setText(self.tr("&Event: propose a special inspection"))
        self.event_check.setToolTip(self.tr(
            "The legal representative died, was detained or absconded; litigation; a news "
            "item. A special inspection stays due until one is done."))


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


class FollowUpAction:
    """store.follow_up_signal's actions."""

    ESCALATE = "escalate"
    REASSIGN = "reassign"
    CLEAR = "clear"
    ALL = (ESCALATE, REASSIGN, CLEAR)


@dataclass(frozen=True)
class FollowUp:
    """The arguments of store.follow_up_signal, as the supervisor gave them."""

    signal_id: str
    action: str
    reason: str
    severity: Severity | None = None
    officer_id: str | None = None


class FollowUpDialog(QDialog):
    """A supervisor's follow-up of one signal: escalate (a higher severity), hand over (to
    another officer of the team) or clear, always with a reason.

    OK does not close it: ``submitted`` carries the follow-up, the page stores it, then calls
    done() (closes) or refused(message) (stays open, says why; the reason is kept).
    """

    submitted = Signal(object)  # FollowUp

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = FollowUpAction.CLEAR
        self._signal_id = ""
        self._title = ""
        self._severity = Severity.YELLOW
        self.prompt = QLabel(self)
        self.prompt.setObjectName("followUpPrompt")
        self.prompt.setWordWrap(True)
        self.severity_combo = QComboBox(self)
        self.severity_combo.setObjectName("followUpSeverityCombo")
        self.officer_combo = QComboBox(self)
        self.officer_combo.setObjectName("followUpOfficerCombo")
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("followUpReasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("followUpError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())
        self.error_label.hide()
        self._severity_caption = QLabel(self)
        self._severity_caption.setBuddy(self.severity_combo)
        self._officer_caption = QLabel(self)
        self._officer_caption.setBuddy(self.officer_combo)
        self._reason_caption = QLabel(self)
        self._reason_caption.setBuddy(self.reason_edit)
        form = QFormLayout()
        form.addRow(self._severity_caption, self.severity_combo)
        form.addRow(self._officer_caption, self.officer_combo)
        form.addRow(self._reason_caption, self.reason_edit)
        self._form = form
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.retranslate()
        self.resize(520, 300)
        fit_window(self, "signal_follow_up")

    def ask(self, action: str, signal_id: str, title: str, severity: Severity,
            officers: list[UserRow] | None = None) -> None:
        """Open, window-modal, for one action on the signal (title, now of severity);
        officers: whom it may be handed over to."""
        self.action, self._signal_id, self._title, self._severity = (
            action, signal_id, title, severity)
        self.severity_combo.clear()
        for higher in reversed(Severity):  # the gravest first, as everywhere
            if higher.rank > severity.rank:
                self.severity_combo.addItem(severity_icon(higher), "", higher)
        self.officer_combo.clear()
        for officer in officers or []:
            self.officer_combo.addItem(officer.display_name or officer.username, officer.id)
        self._form.setRowVisible(self.severity_combo, action == FollowUpAction.ESCALATE)
        self._form.setRowVisible(self.officer_combo, action == FollowUpAction.REASSIGN)
        self.reason_edit.clear()
        self.error_label.hide()
        self.ok_button.setEnabled(True)
        self.retranslate()
        first = {FollowUpAction.ESCALATE: self.severity_combo,
                 FollowUpAction.REASSIGN: self.officer_combo}.get(action, self.reason_edit)
        first.setFocus()
        self.open()

    def follow_up(self) -> FollowUp:
        severity = self.severity_combo.currentData()
        officer = self.officer_combo.currentData()
        return FollowUp(
            self._signal_id, self.action, self.reason_edit.toPlainText().strip(),
            Severity(severity) if self.action == FollowUpAction.ESCALATE and severity else None,
            str(officer) if self.action == FollowUpAction.REASSIGN and officer else None,
        )

    def accept(self) -> None:
        """Checked here what can be; the rest is the store's (page: done() / refused())."""
        follow_up = self.follow_up()
        problem = ""
        if self.action == FollowUpAction.ESCALATE and follow_up.severity is None:
            problem = self.tr("The signal is already at the highest severity.")
        elif self.action == FollowUpAction.REASSIGN and follow_up.officer_id is None:
            problem = self.tr("There is no other officer in your team to hand it over to.")
        elif not follow_up.reason:
            problem = self.tr("Give the reason.")
        elif len(follow_up.reason) > REASON_MAX:
            problem = self.tr("The reason is too long: at most {max} characters.").format(
                max=REASON_MAX)
        if problem:
            self.refused(problem)
            return
        self.error_label.hide()
        self.ok_button.setEnabled(False)  # until the store answers
        emit(self.submitted, follow_up)

    def done_saving(self) -> None:
        """Stored: close."""
        self.ok_button.setEnabled(True)
        super().accept()

    def refused(self, message: str) -> None:
        """Not stored: say why and stay open."""
        self.error_label.setText(message)
        self.error_label.show()
        self.ok_button.setEnabled(True)
        self.reason_edit.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang, title = label_language(), self._title
        combo = self.severity_combo
        for i in range(combo.count()):
            combo.setItemText(i, Severity(combo.itemData(i)).label(lang))
        self._severity_caption.setText(self.tr("&New severity:"))
        self._officer_caption.setText(self.tr("Hand &over to:"))
        self._reason_caption.setText(self.tr("&Reason:"))
        if self.action == FollowUpAction.ESCALATE:
            self.setWindowTitle(self.tr("Escalate the signal"))
            self.prompt.setText(self.tr(
                "Raise the severity of “{title}” (now {severity}). A reason is required."
            ).format(title=title, severity=self._severity.label(lang)))
        elif self.action == FollowUpAction.REASSIGN:
            self.setWindowTitle(self.tr("Hand the signal over"))
            self.prompt.setText(self.tr(
                "Hand “{title}” over to another officer of your team. A reason is required."
            ).format(title=title))
        else:
            self.setWindowTitle(self.tr("Clear the signal"))
            self.prompt.setText(self.tr(
                "Why is “{title}” cleared? A reason is required.").format(title=title))
