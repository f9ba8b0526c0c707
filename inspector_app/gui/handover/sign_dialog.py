"""签署移交清单: the officer handing over signs the handover record, the officer taking over
countersigns it, in one window each (SigningDialog): a look at the record first (Preview
record…), then the handwritten signature, the certificate and its password.

Sign asks for the signing (requested(SigningRequest)); the window stays open while it runs
and after a failure — a wrong password, headquarters out of reach — which it says. The
caller closes it with finish() once headquarters has kept the signed record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from inspector_app.gui.reports.signing_dialog import PreviewSigningDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import HandoverRow, UserRow


class SignHandoverDialog(PreviewSigningDialog):
    """The handover record (PreviewSigningDialog). countersign: the officer taking over signs
    (else the one handing over)."""

    def __init__(self, data_dir: Path, user: UserRow, handover: HandoverRow, countersign: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("signHandoverDialog")
        self.handover = handover
        self.countersign = countersign
        self.purpose.setObjectName("handoverSigningPurpose")
        self.preview_button.setObjectName("handoverPreviewButton")
        self.password_edit.setObjectName("handoverSigningPassword")
        self.message.setObjectName("handoverSigningMessage")
        self.sign_button.setObjectName("handoverSignButton")
        self._retranslate()
        self.resize(640, 500)
        fit_window(self, "sign_handover")

    def _failure_text(self, error: str) -> str:
        return self.tr("The handover record was not signed: {error}").format(error=error)

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
