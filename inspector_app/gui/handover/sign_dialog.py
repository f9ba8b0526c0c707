"""签署移交清单: the officer handing over signs the handover record, the officer taking over
countersigns it, in one window each (SigningDialog): a look at the record first (Preview
record…), then the handwritten signature, the certificate and its password.

Sign asks for the signing (requested(SigningRequest)); the window stays open while it runs
and after a failure — a wrong password, headquarters out of reach — which it says. The
caller closes it with finish() once headquarters has kept the signed record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.sign_dialog import SigningRequest
from inspector_app.gui.reports.signing_dialog import SigningDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import HandoverRow, UserRow


class SignHandoverDialog(SigningDialog):
    """Preview, signature, certificate and password; requested(SigningRequest) on Sign once
    all are given. countersign: the officer taking over (else the one handing over)."""

    preview_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, handover: HandoverRow, countersign: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("signHandoverDialog")
        self.handover = handover
        self.countersign = countersign

        self.purpose = QLabel(self)
        self.purpose.setObjectName("handoverSigningPurpose")
        self.purpose.setWordWrap(True)
        self.preview_button = QPushButton(self)
        self.preview_button.setObjectName("handoverPreviewButton")
        self.preview_button.setAutoDefault(False)
        self.password_edit.setObjectName("handoverSigningPassword")
        self.message.setObjectName("handoverSigningMessage")
        self.sign_button = self.accept_button
        self.sign_button.setObjectName("handoverSignButton")

        top = QHBoxLayout()
        top.addWidget(self.purpose, 1)
        top.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.signing, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self.preview_button.clicked.connect(self._preview_clicked)
        self._retranslate()
        self.resize(640, 500)
        fit_window(self, "sign_handover")

    # -- what this dialog says for itself ------------------------------------------------------

    def _request(self, p12: Path) -> SigningRequest:
        return SigningRequest(p12, self.signing.handwritten_png(), self.signing.password())

    def _busy_widgets(self) -> list[QWidget]:
        return [self.preview_button, *super()._busy_widgets()]

    def _failure_text(self, error: str) -> str:
        return self.tr("The handover record was not signed: {error}").format(error=error)

    def _preview_clicked(self) -> None:
        emit(self.preview_requested)

    def _retranslate(self) -> None:
        h = self.handover
        count = len(h.borrower_ids)
        if self.countersign:
            self.setWindowTitle(self.tr("Countersign the handover record"))
            self.purpose.setText(self.tr(
                "Countersign the handover record: you take over %n borrower(s) from {giver}, "
                "with their loans, open warning signals, pending inspections and unsigned "
                "visits. {giver} has signed it; your signature goes to headquarters now, and "
                "the supervisor then completes the handover.", "", count).format(
                    giver=h.from_name))
            self.preview_button.setText(self.tr("Pre&view the signed record…"))
            self.preview_button.setToolTip(self.tr(
                "The record as {giver} signed it, fetched from headquarters").format(
                    giver=h.from_name))
            self.sign_button.setText(self.tr("&Countersign"))
        else:
            self.setWindowTitle(self.tr("Sign the handover record"))
            self.purpose.setText(self.tr(
                "Sign the handover record: you hand over %n borrower(s) to {taker}, with their "
                "loans, open warning signals, pending inspections and unsigned visits. Your "
                "signature goes to headquarters now; {taker} countersigns next.", "",
                count).format(taker=h.to_name))
            self.preview_button.setText(self.tr("Pre&view the record…"))
            self.preview_button.setToolTip(self.tr("The record as it will be signed"))
            self.sign_button.setText(self.tr("&Sign"))
