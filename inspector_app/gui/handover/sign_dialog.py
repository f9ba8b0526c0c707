"""签署移交清单: the officer handing over signs the handover record, the officer taking over
countersigns it, the supervisor confirms it, in one window each (SigningDialog): a look at
the record first (Preview…), then the handwritten signature, the certificate and its
password.

Sign asks for the signing (requested(SigningRequest)); the window stays open while it runs
and after a failure — a wrong password, headquarters refusing it — which it says. The caller
closes it with finish() once the signature is made (kept at headquarters, or waiting on this
laptop for the next sync).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from inspector_app.gui.reports.signing_dialog import PreviewSigningDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import HandoverRow, UserRow

SIGN, COUNTERSIGN, CONFIRM = "signed", "countersigned", "confirmed"  # wire.HandoverSignature


class SignHandoverDialog(PreviewSigningDialog):
    """The handover record (PreviewSigningDialog). stage: "signed" (the officer handing over),
    "countersigned" (the one taking over) or "confirmed" (their supervisor)."""

    def __init__(self, data_dir: Path, user: UserRow, handover: HandoverRow, stage: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("signHandoverDialog")
        self.handover = handover
        self.stage = stage
        self.purpose.setObjectName("handoverSigningPurpose")
        self.preview_button.setObjectName("handoverPreviewButton")
        self.password_edit.setObjectName("handoverSigningPassword")
        self.message.setObjectName("handoverSigningMessage")
        self.sign_button.setObjectName("handoverSignButton")
        self._retranslate()
        self.resize(640, 500)
        fit_window(self, "sign_handover")

    @property
    def countersign(self) -> bool:
        return self.stage == COUNTERSIGN

    @property
    def confirm(self) -> bool:
        return self.stage == CONFIRM

    def _failure_text(self, error: str) -> str:
        if self.confirm:
            return self.tr("The handover was not confirmed: {error}").format(error=error)
        return self.tr("The handover record was not signed: {error}").format(error=error)

    def _retranslate(self) -> None:
        h = self.handover
        count = len(h.borrower_ids)
        if self.confirm:
            self.setWindowTitle(self.tr("Confirm the handover"))
            self.purpose.setText(self.tr(
                "Confirm the handover: {giver} hands %n borrower(s) over to {taker}, with "
                "their loans, open warning signals, pending inspections and unsigned visits. "
                "Both have signed the record; look at it, then sign to confirm. Headquarters "
                "checks all three signatures and completes the handover: the borrowers move "
                "to {taker}. Without the network, your confirmation goes at the next sync.",
                "", count).format(giver=h.from_name, taker=h.to_name))
            self.preview_button.setText(self.tr("Pre&view the record both signed…"))
            self.preview_button.setToolTip(self.tr(
                "The record as {giver} and {taker} signed it").format(
                    giver=h.from_name, taker=h.to_name))
            self.sign_button.setText(self.tr("C&onfirm"))
        elif self.countersign:
            self.setWindowTitle(self.tr("Countersign the handover record"))
            self.purpose.setText(self.tr(
                "Countersign the handover record: you take over %n borrower(s) from {giver}, "
                "with their loans, open warning signals, pending inspections and unsigned "
                "visits. {giver} has signed it; your signature goes to headquarters now (or "
                "at the next sync), and the supervisor then confirms the handover.", "",
                count).format(giver=h.from_name))
            self.preview_button.setText(self.tr("Pre&view the signed record…"))
            self.preview_button.setToolTip(self.tr(
                "The record as {giver} signed it").format(giver=h.from_name))
            self.sign_button.setText(self.tr("&Countersign"))
        else:
            self.setWindowTitle(self.tr("Sign the handover record"))
            self.purpose.setText(self.tr(
                "Sign the handover record: you hand over %n borrower(s) to {taker}, with their "
                "loans, open warning signals, pending inspections and unsigned visits. Your "
                "signature goes to headquarters now (or at the next sync); {taker} "
                "countersigns next.", "", count).format(taker=h.to_name))
            self.preview_button.setText(self.tr("Pre&view the record…"))
            self.preview_button.setToolTip(self.tr("The record as it will be signed"))
            self.sign_button.setText(self.tr("&Sign"))
