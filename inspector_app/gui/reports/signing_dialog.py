"""What every one-window signing dialog does alike (the officer's 签署报告, the supervisor's
签字认定): check what is given and say the first thing missing, stay open and unchangeable while
the signing runs, say why it failed and let the password be typed again, close when signed.

A dialog built on it makes its own widgets, then calls _finish_layout's parts: a SigningBox
(self.signing), the message label and the button box with its accept button. It says what
it checks beyond the box (_problem), what it asks for (_request), which widgets are frozen
while busy (_busy_widgets) and how a failure reads (_failure_text).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from inspector_app.store.facade import UserRow


class SigningDialog(QDialog):
    """The shared behaviour; requested(request) when accepted with everything given."""

    requested = Signal(object)
    import_certificate_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.signing = SigningBox(data_dir, user, self)
        self.pad, self.password_edit = self.signing.pad, self.signing.password_edit
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {BAD.name()}; font-weight: bold;")
        self.message.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # Not the standard OK: the button box would put back "OK" over its text on a
        # language switch.
        self.accept_button: QPushButton = self._buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setDefault(True)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.signing.import_certificate_requested.connect(self.import_certificate_requested)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)

    # -- what a dialog says for itself --------------------------------------------------------

    def _problem(self) -> tuple[str, QWidget] | None:
        """The first thing missing or wrong, and the widget to correct it in."""
        return self.signing.problem()

    def _request(self, p12: Path) -> object:
        raise NotImplementedError

    def _busy_widgets(self) -> list[QWidget]:
        return [self.signing, self.accept_button, self.cancel_button]

    def _failure_text(self, error: str) -> str:
        raise NotImplementedError

    def _retranslate(self) -> None:
        raise NotImplementedError

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def refresh_certificate(self) -> None:
        """Read which certificate is imported (after the certificate settings closed)."""
        self.signing.refresh_certificate()

    def submit(self) -> None:
        """Accept: check what is given; the first thing missing is said and gets the keyboard."""
        if self._busy:
            return
        problem = self._problem()
        if problem is not None:
            text, widget = problem
            self.show_error(text)
            widget.setFocus()
            return
        p12 = self.signing.p12()
        assert p12 is not None  # problem() checked
        request = self._request(p12)
        self.set_busy(True)
        self.message.hide()
        emit(self.requested, request)

    def set_busy(self, busy: bool) -> None:
        """While the signing runs nothing can be changed, nor the window closed."""
        self._busy = busy
        for widget in self._busy_widgets():
            widget.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """Say what went wrong; the window stays open with everything as given."""
        self.message.setText(text)
        self.message.show()

    def failed(self, error: Exception) -> None:
        """The signing failed: say why, let the user correct it (the password)."""
        self.set_busy(False)
        self.show_error(self._failure_text(i18n.error_text(error)))
        self.signing.password_refused()

    def finish(self) -> None:
        """Signed: close."""
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


@dataclass(frozen=True)
class SigningRequest:
    """Everything the signing of a previewed document needs, as given in the window."""

    p12: Path
    handwritten_png: bytes
    password: str


class PreviewSigningDialog(SigningDialog):
    """The signing of a document the signer looks at first (a visit's report, a handover
    record): what is signed in a sentence beside Preview…, then the signature, certificate
    and password; requested(SigningRequest) on Sign. A subclass says the words."""

    preview_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(data_dir, user, parent)
        self.purpose = QLabel(self)
        self.purpose.setWordWrap(True)
        self.preview_button = QPushButton(self)
        self.preview_button.setAutoDefault(False)
        self.sign_button = self.accept_button

        top = QHBoxLayout()
        top.addWidget(self.purpose, 1)
        top.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.signing, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)
        self.preview_button.clicked.connect(lambda: emit(self.preview_requested))

    def _request(self, p12: Path) -> SigningRequest:
        return SigningRequest(p12, self.signing.handwritten_png(), self.signing.password())

    def _busy_widgets(self) -> list[QWidget]:
        return [self.preview_button, *super()._busy_widgets()]
