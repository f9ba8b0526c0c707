"""签字认定: the supervisor approves a visit and countersigns its report, in one window.

The final classification (the officer's by default; another one needs a written reason), the
复核意见, the handwritten signature, the certificate and its password. OK checks what is
given and asks for the countersigning (approve_requested); the window stays open while it
runs and after a failure (a wrong password, say), which it shows in its own words; the caller
closes it with finish() once the report is countersigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Classification
from inspector_app.gui import i18n
from inspector_app.gui.editor.page_parts import error_style
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.signing_box import SigningBox
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import Approval, UserRow


@dataclass(frozen=True)
class OfficerConclusion:
    """What the officer concluded, as the dialog offers it to be confirmed or changed."""

    current: Classification  # the borrower's classification before this visit
    recommended: Classification  # the rules' recommendation
    final: Classification | None  # the officer's own choice, if they overrode it

    @property
    def officers(self) -> Classification:
        return self.final or self.recommended


@dataclass(frozen=True)
class ApprovalRequest:
    """Everything the countersigning needs, as given in the dialog."""

    approval: Approval
    handwritten_png: bytes
    p12: Path
    password: str


class ApproveDialog(QDialog):
    """Classification, 复核意见, signature, certificate and password; approve_requested(
    ApprovalRequest) on OK once all are given."""

    approve_requested = Signal(object)
    import_certificate_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, conclusion: OfficerConclusion,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approveDialog")
        self.conclusion = conclusion
        self._busy = False

        self.officer_label = QLabel(self)
        self.officer_label.setObjectName("officerConclusion")
        self.officer_label.setWordWrap(True)
        self.classification_combo = QComboBox(self)
        self.classification_combo.setObjectName("finalClassification")
        for classification in Classification:  # data: the value (Qt keeps a str, no enum)
            self.classification_combo.addItem("", classification.value)
        self.classification_combo.setCurrentIndex(
            self.classification_combo.findData(conclusion.officers.value))
        self.reason_label = QLabel(self)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("classificationReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(64)
        self.reason_label.setBuddy(self.reason_edit)
        self.opinion_label = QLabel(self)
        self.opinion_edit = QPlainTextEdit(self)
        self.opinion_edit.setObjectName("reviewOpinion")
        self.opinion_edit.setTabChangesFocus(True)
        self.opinion_label.setBuddy(self.opinion_edit)

        signing = SigningBox(data_dir, user, self)
        self._signing_box = signing
        # Its parts by the names this dialog has always given them.
        self.pad, self.password_edit = signing.pad, signing.password_edit
        self.undo_button, self.clear_button = signing.undo_button, signing.clear_button
        self.import_button = signing.import_button
        self.password_edit.setObjectName("approvePassword")

        self.message = QLabel(self)
        self.message.setObjectName("approveMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(error_style())
        self.message.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # Not the standard OK: the button box would put back "OK" over its text on a
        # language switch.
        self.ok_button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)

        decision = QGroupBox(self)
        self._decision_box = decision
        form = QFormLayout(decision)
        form.addRow(self.officer_label)
        self._class_caption = QLabel(self)
        self._class_caption.setBuddy(self.classification_combo)
        form.addRow(self._class_caption, self.classification_combo)
        form.addRow(self.reason_label, self.reason_edit)
        form.addRow(self.opinion_label, self.opinion_edit)
        columns = QHBoxLayout()
        columns.addWidget(decision, 1)
        columns.addWidget(signing, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self.classification_combo.currentIndexChanged.connect(self._classification_changed)
        signing.import_certificate_requested.connect(self.import_certificate_requested)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)

        self._retranslate()
        self._classification_changed()
        self.resize(960, 540)
        fit_window(self, "approve")

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def chosen(self) -> Classification:
        data = self.classification_combo.currentData()
        return Classification(data) if data else self.conclusion.officers

    def refresh_certificate(self) -> None:
        """Read which certificate is imported (after the certificate settings closed)."""
        self._signing_box.refresh_certificate()

    def submit(self) -> None:
        """OK: check what is given; the first thing missing is said and gets the keyboard."""
        if self._busy:
            return
        problem = self._problem()
        if problem is not None:
            text, widget = problem
            self.show_error(text)
            widget.setFocus()
            return
        p12 = self._signing_box.p12()
        assert p12 is not None  # _problem() checked
        request = ApprovalRequest(
            approval=Approval(
                comment=self.opinion_edit.toPlainText().strip(),
                final_classification=self.chosen(),
                classification_reason=self.reason_edit.toPlainText().strip()
                if self._changed() else "",
            ),
            handwritten_png=self._signing_box.handwritten_png(),
            p12=p12,
            password=self._signing_box.password(),
        )
        self.set_busy(True)
        self.message.hide()
        emit(self.approve_requested, request)

    def set_busy(self, busy: bool) -> None:
        """While the countersigning runs nothing can be changed, nor the window closed."""
        self._busy = busy
        for widget in (self._decision_box, self._signing_box, self.ok_button,
                       self.cancel_button):
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """Say what went wrong; the window stays open with everything as given."""
        self.message.setText(text)
        self.message.show()

    def failed(self, error: Exception) -> None:
        """The countersigning failed: say why, let the user correct it (the password)."""
        self.set_busy(False)
        self.show_error(self.tr("The visit was not approved: {error}").format(
            error=i18n.error_text(error)))
        self._signing_box.password_refused()

    def finish(self) -> None:
        """The report is countersigned: close."""
        self.set_busy(False)
        self._signing_box.forget_password()
        self.accept()

    def reject(self) -> None:
        if not self._busy:
            self._signing_box.forget_password()
            super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- helpers -------------------------------------------------------------------------------

    def _changed(self) -> bool:
        return self.chosen() is not self.conclusion.officers

    def _problem(self) -> tuple[str, QWidget] | None:
        if self._changed() and not self.reason_edit.toPlainText().strip():
            return (self.tr("Say why the classification differs from the officer's."),
                    self.reason_edit)
        if not self.opinion_edit.toPlainText().strip():
            return self.tr("Write your review opinion."), self.opinion_edit
        return self._signing_box.problem()

    def _classification_changed(self, *_args: object) -> None:
        changed = self._changed()
        self.reason_label.setVisible(changed)
        self.reason_edit.setVisible(changed)

    def _retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.setWindowTitle(self.tr("Approve and countersign"))
        self._decision_box.setTitle(self.tr("Decision"))
        c = self.conclusion
        officer = self.tr("The officer concludes: {officers} (current: {current}; the rules "
                          "recommend {recommended})").format(
            officers=c.officers.label(lang), current=c.current.label(lang),
            recommended=c.recommended.label(lang))
        self.officer_label.setText(officer)
        for n in range(self.classification_combo.count()):
            self.classification_combo.setItemText(
                n, Classification(self.classification_combo.itemData(n)).label(lang))
        self._class_caption.setText(self.tr("&Final classification:"))
        self.reason_label.setText(self.tr("&Why changed:"))
        self.reason_edit.setPlaceholderText(
            self.tr("Required: why you classify differently from the officer"))
        self.opinion_label.setText(self.tr("Review &opinion:"))
        self.opinion_edit.setPlaceholderText(self.tr("Printed in the report's review block"))
        self.ok_button.setText(self.tr("&Approve and countersign"))
