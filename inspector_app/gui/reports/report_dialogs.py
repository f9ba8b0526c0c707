"""The visits window's two small questions: a certificate's password, a return's reason.

Each is made once per visits window and reused (see signing_steps.py for why sub-windows are
kept rather than deleted on close).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.palette import QUIET
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.gui.screen_fit import fit_window
from inspector_app.reports.certificate_files import CertificateInfo


class CertificatePasswordDialog(QDialog):
    """Asks for the certificate's password for one signing; the password is not kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._purpose_text: Callable[[], str] = str
        self._info: CertificateInfo | None = None
        self._purpose = QLabel(self)
        self._purpose.setWordWrap(True)
        self._certificate = QLabel(self)
        self._certificate.setWordWrap(True)
        self._certificate.setStyleSheet(f"color: {QUIET.name()};")
        self._caption = QLabel(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("signingPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._caption.setBuddy(self.password_edit)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        row = QHBoxLayout()
        row.addWidget(self._caption)
        row.addWidget(self.password_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._purpose)
        layout.addWidget(self._certificate)
        layout.addLayout(row)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self._retranslate()
        self.setMinimumWidth(480)
        fit_window(self, "certificate_password")

    def ask(self, purpose: Callable[[], str], info: CertificateInfo | None) -> None:
        """Open, window-modal, for one use: purpose() says what the password signs."""
        self._purpose_text, self._info = purpose, info
        self.password_edit.clear()
        self._retranslate()
        self.password_edit.setFocus()
        self.open()

    def password(self) -> str:
        return self.password_edit.text()

    def accept(self) -> None:
        if self.password_edit.text():
            super().accept()

    def done(self, result: int) -> None:
        super().done(result)
        # The accepted slot has read it by now; it must not linger in a hidden widget.
        self.password_edit.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.password_edit.text()))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Certificate password"))
        self._purpose.setText(self._purpose_text())
        self._caption.setText(self.tr("&Password:"))
        info = self._info
        self._certificate.setText(
            self.tr("Certificate: {holder}, valid until {end}").format(
                holder=info.subject, end=info.not_after.astimezone().strftime("%Y-%m-%d")
            ) if info is not None else ""
        )
        self._certificate.setHidden(info is None)


class ReturnReasonDialog(ReasonDialog):
    """Asks why a visit is returned to its officer; OK only once a reason is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason_edit.setObjectName("returnReasonEdit")

    def ask(self) -> None:  # type: ignore[override]
        """Open, window-modal, with an empty reason."""
        super().ask(
            lambda: self.tr("Return the visit"),
            lambda: self.tr("Why is the visit returned? The officer sees this and corrects the "
                            "visit in a new revision."),
        )
