"""签署报告: the officer signs a completed visit's report in one window.

A look at the report first (Preview report…), then the handwritten signature, the certificate
and its password. Sign asks for the signing (sign_requested); the window stays open while it
runs and after a failure — a wrong password, say — which it shows in its own words, the
drawing kept and the password selected to be typed again. The caller closes it with finish()
once the report is signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.palette import BAD
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.signing_box import SigningBox
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import UserRow


@dataclass(frozen=True)
class SigningRequest:
    """Everything the signing needs, as given in the window."""

    p12: Path
    handwritten_png: bytes
    password: str


class SignReportDialog(QDialog):
    """Preview, signature, certificate and password; sign_requested(SigningRequest) on Sign
    once all are given."""

    sign_requested = Signal(object)
    preview_requested = Signal()
    import_certificate_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, visit_date: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signReportDialog")
        self.visit_date = visit_date
        self._busy = False

        self.purpose = QLabel(self)
        self.purpose.setObjectName("signingPurpose")
        self.purpose.setWordWrap(True)
        self.preview_button = QPushButton(self)
        self.preview_button.setObjectName("signPreviewButton")
        self.preview_button.setAutoDefault(False)
        self.signing = SigningBox(data_dir, user, self)
        self.pad, self.password_edit = self.signing.pad, self.signing.password_edit
        self.password_edit.setObjectName("signingPassword")
        self.message = QLabel(self)
        self.message.setObjectName("signingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {BAD.name()}; font-weight: bold;")
        self.message.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # Not the standard OK: the button box would put back "OK" over its text on a
        # language switch.
        self.sign_button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("signConfirmButton")
        self.sign_button.setDefault(True)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)

        top = QHBoxLayout()
        top.addWidget(self.purpose, 1)
        top.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.signing, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self.preview_button.clicked.connect(self._preview_clicked)
        self.signing.import_certificate_requested.connect(self.import_certificate_requested)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)
        self._retranslate()
        self.resize(620, 480)
        fit_window(self, "sign_report")

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def refresh_certificate(self) -> None:
        """Read which certificate is imported (after the certificate settings closed)."""
        self.signing.refresh_certificate()

    def submit(self) -> None:
        """Sign: check what is given; the first thing missing is said and gets the keyboard."""
        if self._busy:
            return
        problem = self.signing.problem()
        if problem is not None:
            text, widget = problem
            self.show_error(text)
            widget.setFocus()
            return
        p12 = self.signing.p12()
        assert p12 is not None  # problem() checked
        request = SigningRequest(p12, self.signing.handwritten_png(), self.signing.password())
        self.set_busy(True)
        self.message.hide()
        emit(self.sign_requested, request)

    def set_busy(self, busy: bool) -> None:
        """While the signing runs nothing can be changed, nor the window closed."""
        self._busy = busy
        for widget in (self.preview_button, self.signing, self.sign_button, self.cancel_button):
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """Say what went wrong; the window stays open with everything as given."""
        self.message.setText(text)
        self.message.show()

    def failed(self, error: Exception) -> None:
        """The signing failed: say why, let the officer correct it (the password)."""
        self.set_busy(False)
        self.show_error(self.tr("The report was not signed: {error}").format(
            error=i18n.error_text(error)))
        self.signing.password_refused()

    def finish(self) -> None:
        """The report is signed: close."""
        self.set_busy(False)
        self.signing.forget_password()
        self.accept()

    def reject(self) -> None:
        if not self._busy:
            self.signing.forget_password()
            super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- helpers -------------------------------------------------------------------------------

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
