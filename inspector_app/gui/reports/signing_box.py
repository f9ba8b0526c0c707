"""What a one-window signing asks for: a handwritten signature, the certificate and its
password, as one group of a dialog (the supervisor's 签字认定, the officer's 签署报告).

The group only asks and checks what is given; its dialog runs the signing and, after a
failure (a wrong password), keeps everything given here except the password.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.palette import BAD, QUIET
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.signature_pad import SignaturePad
from inspector_app.gui.reports.signing_steps import SIGNATURE_SCALE
from inspector_app.reports.certificate_files import (
    CertificateInfo,
    certificate_info,
    imported_certificate,
)
from inspector_app.store.facade import UserRow


class SigningBox(QGroupBox):
    """The signature pad (Undo stroke, Clear), the imported certificate (or Import…) and the
    certificate password."""

    import_certificate_requested = Signal()

    def __init__(self, data_dir: Path, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._user = user
        self._certificate: CertificateInfo | None = None

        self.pad_label = QLabel(self)
        self.pad = SignaturePad(self)
        self.pad.setMinimumSize(380, 150)
        self.undo_button = QPushButton(self)
        self.clear_button = QPushButton(self)
        self.certificate_label = QLabel(self)
        self.certificate_label.setObjectName("certificateLabel")
        self.certificate_label.setWordWrap(True)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importCertificateButton")
        for button in (self.undo_button, self.clear_button, self.import_button):
            button.setAutoDefault(False)  # Enter signs; it never erases or imports
        self.password_label = QLabel(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label.setBuddy(self.password_edit)

        pad_buttons = QHBoxLayout()
        pad_buttons.addWidget(self.undo_button)
        pad_buttons.addWidget(self.clear_button)
        pad_buttons.addStretch(1)
        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate_label, 1)
        certificate_row.addWidget(self.import_button)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_label)
        password_row.addWidget(self.password_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad_label)
        layout.addWidget(self.pad)
        layout.addLayout(pad_buttons)
        layout.addStretch(1)
        layout.addLayout(certificate_row)
        layout.addLayout(password_row)

        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        self.pad.changed.connect(self._update_pad_buttons)
        self.import_button.clicked.connect(self._import_clicked)
        self.refresh_certificate()
        self._retranslate()
        self._update_pad_buttons()

    # -- public --------------------------------------------------------------------------------

    def refresh_certificate(self) -> None:
        """Read which certificate is imported (after the certificate settings closed)."""
        self._certificate = certificate_info(self._data_dir, self._user.username)
        self._show_certificate()

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing not given yet, said, and the widget where it is given."""
        if self.pad.is_empty():
            return self.tr("Sign in the box."), self.pad
        if self.p12() is None:
            return (self.tr("Import your signing certificate first (Import certificate…)."),
                    self.import_button)
        if not self.password_edit.text():
            return self.tr("Enter your certificate's password."), self.password_edit
        return None

    def p12(self) -> Path | None:
        """The user's imported certificate file, if there is one."""
        return imported_certificate(self._data_dir, self._user.username)

    def handwritten_png(self) -> bytes:
        return self.pad.to_png(scale=SIGNATURE_SCALE)

    def password(self) -> str:
        return self.password_edit.text()

    def password_refused(self) -> None:
        """The signing failed: the password is to be typed again (selected, focused)."""
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def forget_password(self) -> None:
        """The dialog closed: the password must not linger in a hidden widget."""
        self.password_edit.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- helpers -------------------------------------------------------------------------------

    def _update_pad_buttons(self) -> None:
        empty = self.pad.is_empty()
        self.undo_button.setEnabled(not empty)
        self.clear_button.setEnabled(not empty)

    def _import_clicked(self) -> None:
        emit(self.import_certificate_requested)

    def _show_certificate(self) -> None:
        info = self._certificate
        if info is None:
            self.certificate_label.setText(
                self.tr("No signing certificate is imported on this laptop."))
            self.certificate_label.setStyleSheet(f"color: {BAD.name()};")
        else:
            self.certificate_label.setText(
                self.tr("Certificate: {holder}, valid until {end}").format(
                    holder=info.subject, end=info.not_after.astimezone().strftime("%Y-%m-%d")))
            self.certificate_label.setStyleSheet(f"color: {QUIET.name()};")
        self.import_button.setVisible(info is None)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Signature"))
        self.pad_label.setText(self.tr("Sign in the box with the mouse, a pen or a finger:"))
        self.undo_button.setText(self.tr("&Undo stroke"))
        self.clear_button.setText(self.tr("C&lear"))
        self.import_button.setText(self.tr("&Import certificate…"))
        self.password_label.setText(self.tr("Certificate &password:"))
        self._show_certificate()
