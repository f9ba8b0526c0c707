"""What the user gives before a signing: a certificate, a handwritten signature, a password.

The visits window asks for a signing or a countersigning; these steps open the sub-windows one
after the other (importing a certificate first if there is none) and hand what was given to the
window's continuation, which runs the signing job.

Sub-windows are kept, not deleted on close, and their signals go to bound methods rather than
to closures that hold the window: with this PySide6, a dialog deleted on close whose own signal
was connected to a closure holding it crashed the app in ~QObject.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.gui.reports.messages import WindowMessages
from inspector_app.gui.reports.report_dialogs import CertificatePasswordDialog
from inspector_app.gui.reports.signature_pad import SignatureDialog
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.reports.certificate_files import certificate_info, imported_certificate
from inspector_app.store.facade import UserRow

# The handwritten signature is printed; twice the pad's resolution keeps it crisp on paper.
SIGNATURE_SCALE = 2.0

Purpose = Callable[[], str]  # what the password signs, in the language now shown


class SigningSteps(QObject):
    """Certificate, signature pad and password dialog of one visits window, made once each."""

    def __init__(self, window: QWidget, data_dir: Path, user: UserRow,
                 messages: WindowMessages) -> None:
        super().__init__(window)
        self._window = window
        self._data_dir = data_dir
        self._user = user
        self._messages = messages
        self.signature_dialog: SignatureDialog | None = None
        self.password_dialog: CertificatePasswordDialog | None = None
        self.certificate_dialog: CertificateSettingsDialog | None = None
        # The step after the sub-window now open.
        self._after_certificate: Callable[[Path], None] | None = None
        self._after_signature: Callable[[bytes], None] | None = None
        self._after_password: Callable[[str], None] | None = None
        # The visit whose strokes are in the signature pad: after a failed signing (a wrong
        # password) the same drawing is offered again instead of an empty pad.
        self._drawn_for: str | None = None

    def for_signing(self, visit_id: str, purpose: Purpose,
                    then: Callable[[Path, bytes, str], None]) -> None:
        """Certificate, handwritten signature, password; then then(p12, png, password)."""

        def with_certificate(p12: Path) -> None:
            self._ask_signature(visit_id, lambda png: self._ask_password(
                purpose, lambda password: then(p12, png, password)))

        self._with_certificate(with_certificate)

    def for_countersigning(self, purpose: Purpose, then: Callable[[Path, str], None]) -> None:
        """Certificate, password; then then(p12, password)."""
        self._with_certificate(
            lambda p12: self._ask_password(purpose, lambda password: then(p12, password)))

    def signature_used(self) -> None:
        """The signing went through: the next one starts from an empty pad."""
        self._drawn_for = None

    # -- the steps ------------------------------------------------------------------------------

    def _with_certificate(self, then: Callable[[Path], None]) -> None:
        """then(p12) with the user's imported certificate, or offer to import one first."""
        p12 = imported_certificate(self._data_dir, self._user.username)
        if p12 is not None:
            then(p12)
            return
        self._after_certificate = then
        # The visits window's words, in its translation context, where they have always been.
        self._messages.tell(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("BorrowerVisitsDialog", "No certificate"),
            QCoreApplication.translate(
                "BorrowerVisitsDialog",
                "You have not imported a signing certificate on this laptop yet. Import it now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            on_yes=self._open_certificate_settings,
        )

    def _open_certificate_settings(self) -> None:
        if self.certificate_dialog is None:
            self.certificate_dialog = CertificateSettingsDialog(
                self._data_dir, self._user, parent=self._window
            )
            self.certificate_dialog.finished.connect(self._certificate_settings_closed)
        self.certificate_dialog.open()

    def _certificate_settings_closed(self, _result: int = 0) -> None:
        # Carry on with what the user was doing, now that the certificate is there.
        then, self._after_certificate = self._after_certificate, None
        p12 = imported_certificate(self._data_dir, self._user.username)
        if then is not None and p12 is not None:
            then(p12)

    def _ask_signature(self, visit_id: str, then: Callable[[bytes], None]) -> None:
        if self.signature_dialog is None:
            self.signature_dialog = SignatureDialog(self._window)
            self.signature_dialog.accepted.connect(self._signature_drawn)
        if self._drawn_for != visit_id:
            self.signature_dialog.pad.clear()
            self._drawn_for = visit_id
        self._after_signature = then
        self.signature_dialog.open()

    def _signature_drawn(self) -> None:
        then, self._after_signature = self._after_signature, None
        if then is not None and self.signature_dialog is not None:
            then(self.signature_dialog.pad.to_png(scale=SIGNATURE_SCALE))

    def _ask_password(self, purpose: Purpose, then: Callable[[str], None]) -> None:
        if self.password_dialog is None:
            self.password_dialog = CertificatePasswordDialog(self._window)
            self.password_dialog.accepted.connect(self._password_entered)
        self._after_password = then
        self.password_dialog.ask(purpose, certificate_info(self._data_dir, self._user.username))

    def _password_entered(self) -> None:
        then, self._after_password = self._after_password, None
        if then is not None and self.password_dialog is not None:
            then(self.password_dialog.password())
