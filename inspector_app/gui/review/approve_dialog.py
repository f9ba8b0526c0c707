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

from PySide6.QtWidgets import (
    QComboBox,
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
from inspector_app.gui.reports.signing_dialog import SigningDialog
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


class ApproveDialog(SigningDialog):
    """Classification, 复核意见, signature, certificate and password; requested(
    ApprovalRequest) on OK once all are given."""

    def __init__(self, data_dir: Path, user: UserRow, conclusion: OfficerConclusion,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("approveDialog")
        self.conclusion = conclusion

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

        signing = self.signing
        # Its parts by the names this dialog has always given them.
        self.undo_button, self.clear_button = signing.undo_button, signing.clear_button
        self.import_button = signing.import_button
        self.password_edit.setObjectName("approvePassword")
        self.message.setObjectName("approveMessage")
        self.ok_button = self.accept_button

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

        self._retranslate()
        self._classification_changed()
        self.resize(960, 540)
        fit_window(self, "approve")

    def chosen(self) -> Classification:
        data = self.classification_combo.currentData()
        return Classification(data) if data else self.conclusion.officers

    # -- what this dialog says for itself ------------------------------------------------------

    def _request(self, p12: Path) -> ApprovalRequest:
        return ApprovalRequest(
            approval=Approval(
                comment=self.opinion_edit.toPlainText().strip(),
                final_classification=self.chosen(),
                classification_reason=self.reason_edit.toPlainText().strip()
                if self._changed() else "",
            ),
            handwritten_png=self.signing.handwritten_png(),
            p12=p12,
            password=self.signing.password(),
        )

    def _busy_widgets(self) -> list[QWidget]:
        return [self._decision_box, *super()._busy_widgets()]

    def _failure_text(self, error: str) -> str:
        return self.tr("The visit was not approved: {error}").format(error=error)

    def _changed(self) -> bool:
        return self.chosen() is not self.conclusion.officers

    def _problem(self) -> tuple[str, QWidget] | None:
        if self._changed() and not self.reason_edit.toPlainText().strip():
            return (self.tr("Say why the classification differs from the officer's."),
                    self.reason_edit)
        if not self.opinion_edit.toPlainText().strip():
            return self.tr("Write your review opinion."), self.opinion_edit
        return self.signing.problem()

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
