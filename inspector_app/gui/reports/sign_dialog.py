"""签署报告: the officer signs a completed visit's report in one window.

A look at the report first (Preview report…), then the handwritten signature, the certificate
and its password. Sign asks for the signing (sign_requested); the window stays open while it
runs and after a failure — a wrong password, say — which it shows in its own words, the
drawing kept and the password selected to be typed again. The caller closes it with finish()
once the report is signed (SigningDialog).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.signing_dialog import SigningDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import UserRow


@dataclass(frozen=True)
class SigningRequest:
    """Everything the signing needs, as given in the window."""

    p12: Path
    handwritten_png: bytes
    password: str


class SignReportDialog(SigningDialog):
    """Preview, signature, certificate and password; requested(SigningRequest) on Sign once
    all are given."""

    preview_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, visit_date: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.setObjectName("signReportDialog")
        self.visit_date = visit_date

        self.purpose = QLabel(self)
        self.purpose.setObjectName("signingPurpose")
        self.purpose.setWordWrap(True)
        self.preview_button = QPushButton(self)
        self.preview_button.setObjectName("signPreviewButton")
        self.preview_button.setAutoDefault(False)
        self.password_edit.setObjectName("signingPassword")
        self.message.setObjectName("signingMessage")
        self.sign_button = self.accept_button
        self.sign_button.setObjectName("signConfirmButton")

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
        self.resize(620, 480)
        fit_window(self, "sign_report")

    # -- what this dialog says for itself ------------------------------------------------------

    def _request(self, p12: Path) -> SigningRequest:
        return SigningRequest(p12, self.signing.handwritten_png(), self.signing.password())

    def _busy_widgets(self) -> list[QWidget]:
        return [self.preview_button, *super()._busy_widgets()]

    def _failure_text(self, error: str) -> str:
        return self.tr("The report was not signed: {error}").format(error=error)

    def _preview_clicked(self) -> None:
        emit(self.preview_requested)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign report"))
        self.purpose.setText(self.tr(
            "Sign the report of the visit of {date} with your handwritten signature and your "
            "certificate. The signed visit can no longer be changed; it goes to headquarters "
            "for review at the next sync.").format(date=self.visit_date.isoformat()))
        self.preview_button.setText(self.tr("Pre&view report…"))
        self.preview_button.setToolTip(self.tr("The report as it will be signed, as a draft"))
        self.sign_button.setText(self.tr("&Sign"))
