"""签署报告: the officer signs a completed visit's report in one window.

A look at the report first (Preview report…), then the handwritten signature, the certificate
and its password. Sign asks for the signing (requested); the window stays open while it
runs and after a failure — a wrong password, say — which it shows in its own words, the
drawing kept and the password selected to be typed again. The caller closes it with finish()
once the report is signed (SigningDialog).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from inspector_app.gui.reports.signing_dialog import PreviewSigningDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import UserRow


class SignReportDialog(PreviewSigningDialog):
    """The report of a completed visit, signed by its officer (PreviewSigningDialog)."""

    def __init__(self, data_dir: Path, user: UserRow, visit_date: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("signReportDialog")
        self.visit_date = visit_date
        self.purpose.setObjectName("signingPurpose")
        self.preview_button.setObjectName("signPreviewButton")
        self.password_edit.setObjectName("signingPassword")
        self.message.setObjectName("signingMessage")
        self.sign_button.setObjectName("signConfirmButton")
        self._retranslate()
        self.resize(620, 480)
        fit_window(self, "sign_report")

    def _failure_text(self, error: str) -> str:
        return self.tr("The report was not signed: {error}").format(error=error)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign report"))
        self.purpose.setText(self.tr(
            "Sign the report of the visit of {date} with your handwritten signature and your "
            "certificate. The signed visit can no longer be changed; it goes to headquarters "
            "for review at the next sync.").format(date=self.visit_date.isoformat()))
        self.preview_button.setText(self.tr("Pre&view report…"))
        self.preview_button.setToolTip(self.tr("The report as it will be signed, as a draft"))
        self.sign_button.setText(self.tr("&Sign"))
