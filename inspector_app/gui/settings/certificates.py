"""Certificates: import the signed-in user's PKCS#12 certificate and the bank's trusted root.

The widgets only; what is kept where, and how a file is checked, is in
reports/certificate_files.py, run here on a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.palette import BAD, GOOD, QUIET
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner
from inspector_app.reports.certificate_files import (
    CertificateInfo,
    certificate_info,
    import_certificate,
    import_trusted_ca,
    imported_certificate,
    trusted_ca_info,
)
from inspector_app.store.facade import UserRow

log = logging.getLogger(__name__)

WARN = QColor("#e65100")  # a certificate that expires soon: renew it in time


# -- the dialog --------------------------------------------------------------------------------


class CertificateSettingsDialog(QDialog):
    """Import the signed-in user's PKCS#12 certificate and the bank's trusted root."""

    certificate_imported = Signal()
    trusted_ca_imported = Signal()

    def __init__(
        self,
        data_dir: Path,
        user: UserRow,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._user = user
        self._runner = runner or TaskRunner(self)
        self._busy = False
        # What each message line says, as a function of the current language, and its
        # colour: a language change re-says it (a bilingual error shows its other half).
        self._message: tuple[Callable[[], str], QColor] | None = None
        self._ca_message: tuple[Callable[[], str], QColor] | None = None

        self._own_group = own_group = QGroupBox(self)
        self._own_status = QLabel(own_group)
        self._own_status.setWordWrap(True)
        self._subject_caption, self.subject_label = QLabel(own_group), QLabel(own_group)
        self._issuer_caption, self.issuer_label = QLabel(own_group), QLabel(own_group)
        self._validity_caption, self.validity_label = QLabel(own_group), QLabel(own_group)
        self._file_caption = QLabel(own_group)
        self.file_edit = QLineEdit(own_group)
        self.file_edit.setObjectName("certificateFileEdit")
        self.browse_button = QPushButton(own_group)
        self.browse_button.setAutoDefault(False)
        self._password_caption = QLabel(own_group)
        self.password_edit = QLineEdit(own_group)
        self.password_edit.setObjectName("certificatePasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._password_note = QLabel(own_group)
        self._password_note.setWordWrap(True)
        self._password_note.setStyleSheet(f"color: {QUIET.name()};")
        self.message_label = QLabel(own_group)
        self.message_label.setObjectName("certificateMessage")
        self.message_label.setWordWrap(True)
        self.import_button = QPushButton(own_group)
        self.import_button.setObjectName("importCertificateButton")
        self.import_button.setAutoDefault(True)
        self.import_button.setDefault(True)  # Enter in the password field imports
        for label in (self.subject_label, self.issuer_label, self.validity_label):
            label.setWordWrap(True)

        details = QFormLayout()
        details.addRow(self._subject_caption, self.subject_label)
        details.addRow(self._issuer_caption, self.issuer_label)
        details.addRow(self._validity_caption, self.validity_label)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        entry = QFormLayout()
        entry.addRow(self._file_caption, file_row)
        entry.addRow(self._password_caption, self.password_edit)
        entry.addRow("", self._password_note)
        action_row = QHBoxLayout()
        action_row.addWidget(self.message_label, 1)
        action_row.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignRight)
        own = QVBoxLayout(self._own_group)
        own.addWidget(self._own_status)
        own.addLayout(details)
        own.addSpacing(8)
        own.addLayout(entry)
        own.addLayout(action_row)

        self._ca_group = ca_group = QGroupBox(self)
        self._ca_status = QLabel(ca_group)
        self._ca_status.setWordWrap(True)
        self.ca_subject_label = QLabel(ca_group)
        self.ca_subject_label.setWordWrap(True)
        self.ca_validity_label = QLabel(ca_group)
        self._ca_subject_caption, self._ca_validity_caption = QLabel(ca_group), QLabel(ca_group)
        self.ca_message_label = QLabel(ca_group)
        self.ca_message_label.setWordWrap(True)
        self.import_ca_button = QPushButton(ca_group)
        self.import_ca_button.setObjectName("importTrustedCaButton")
        self.import_ca_button.setAutoDefault(False)
        for button in (self.import_button, self.import_ca_button):
            # Button-sized even when the message beside it is hidden, not a full-width bar.
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        ca_details = QFormLayout()
        ca_details.addRow(self._ca_subject_caption, self.ca_subject_label)
        ca_details.addRow(self._ca_validity_caption, self.ca_validity_label)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_message_label, 1)
        ca_row.addWidget(self.import_ca_button, 0, Qt.AlignmentFlag.AlignRight)
        ca = QVBoxLayout(self._ca_group)
        ca.addWidget(self._ca_status)
        ca.addLayout(ca_details)
        ca.addLayout(ca_row)

        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._buttons.rejected.connect(self.reject)
        self._buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self._own_group)
        layout.addWidget(self._ca_group)
        layout.addStretch(1)
        layout.addWidget(self._buttons)

        self.browse_button.clicked.connect(self._browse)
        self.import_button.clicked.connect(self.import_certificate)
        self.password_edit.returnPressed.connect(self.import_certificate)
        self.import_ca_button.clicked.connect(self._browse_trusted_ca)
        self.file_edit.textChanged.connect(self._update_buttons)
        self.password_edit.textChanged.connect(self._update_buttons)

        self._retranslate()
        self._update_buttons()
        self.resize(max(self.sizeHint().width(), 640), self.sizeHint().height())
        fit_window(self, "certificates")

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def message(self) -> str:
        """The message under the certificate fields, as shown."""
        return self.message_label.text()

    def ca_message(self) -> str:
        return self.ca_message_label.text()

    def import_certificate(self) -> None:
        """Check the chosen file with the typed password in the background; keep it if good."""
        source, password = self.file_edit.text().strip(), self.password_edit.text()
        if self._busy or not source or not password:
            return
        data_dir, username = self._data_dir, self._user.username
        self._set_busy(True)
        self._show_message(lambda: self.tr("Checking the certificate…"), QUIET)
        self._runner.submit(
            lambda: import_certificate(data_dir, username, Path(source), password),
            self._imported,
            self._import_failed,
        )

    def import_trusted_ca_file(self, source: str) -> None:
        """Keep the certificate at source as the trusted root, checked in the background."""
        if self._busy:
            return
        data_dir = self._data_dir
        self._set_busy(True)
        self._runner.submit(
            lambda: import_trusted_ca(data_dir, Path(source)),
            self._ca_imported,
            self._ca_failed,
        )

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose your certificate file"), self.file_edit.text(),
            self.tr("PKCS#12 certificates (*.p12 *.pfx);;All files (*)"),
        )
        if path:
            self.file_edit.setText(path)
            self.password_edit.setFocus()

    def _browse_trusted_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the trusted root certificate"), "",
            self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
        )
        if path:
            self.import_trusted_ca_file(path)

    def _imported(self, _info: CertificateInfo) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.file_edit.clear()
        self._show_message(lambda: self.tr("Certificate imported."), GOOD)
        self._show_certificate()
        emit(self.certificate_imported)

    def _import_failed(self, error: Exception) -> None:
        self._set_busy(False)
        # SigningError is a ValueError. Anything else is a bug, not a bad file.
        if not isinstance(error, (ValueError, OSError)):
            log.error("importing a certificate failed", exc_info=error)
        self.password_edit.clear()
        self.password_edit.setFocus()
        said = i18n.text_of(error)  # said again in the new language if the user switches
        self._show_message(lambda: said.in_(i18n.current()), BAD)

    def _ca_imported(self, _info: CertificateInfo) -> None:
        self._set_busy(False)
        self._ca_message = (lambda: self.tr("Trusted root certificate imported."), GOOD)
        self._show_trusted_ca()
        emit(self.trusted_ca_imported)

    def _ca_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if not isinstance(error, (ValueError, OSError)):
            log.error("importing a trusted root failed", exc_info=error)
        said = i18n.text_of(error)
        self._ca_message = (lambda: said.in_(i18n.current()), BAD)
        self._show_trusted_ca()

    # -- helpers -------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.file_edit, self.browse_button, self.password_edit):
            widget.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.file_edit.text().strip() and self.password_edit.text())
        self.import_button.setEnabled(ready and not self._busy)
        self.import_ca_button.setEnabled(not self._busy)

    def _show_message(self, text: Callable[[], str], colour: QColor) -> None:
        self._message = (text, colour)
        self.message_label.setText(text())
        self.message_label.setStyleSheet(f"color: {colour.name()};")
        self.message_label.show()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Certificates"))
        self._own_group.setTitle(
            self.tr("My signing certificate ({name})").format(name=self._user.display_name)
        )
        self._subject_caption.setText(self.tr("Holder:"))
        self._issuer_caption.setText(self.tr("Issued by:"))
        self._validity_caption.setText(self.tr("Valid:"))
        self._file_caption.setText(self.tr("Certificate &file:"))
        self._file_caption.setBuddy(self.file_edit)
        self.file_edit.setPlaceholderText(self.tr("A .p12 or .pfx file from the bank"))
        self.browse_button.setText(self.tr("&Browse…"))
        self._password_caption.setText(self.tr("&Password:"))
        self._password_caption.setBuddy(self.password_edit)
        self._password_note.setText(
            self.tr("The password only proves the file opens; it is not stored. You type it "
                    "again each time you sign.")
        )
        self.import_button.setText(self.tr("&Import"))
        self._ca_group.setTitle(self.tr("Trusted root certificate"))
        self._ca_subject_caption.setText(self.tr("Certificate:"))
        self._ca_validity_caption.setText(self.tr("Valid:"))
        self.import_ca_button.setText(self.tr("Import &root certificate…"))
        if self._message is not None:
            self._show_message(*self._message)
        else:
            self.message_label.hide()
        self._show_certificate()
        self._show_trusted_ca()

    def _show_certificate(self) -> None:
        path = imported_certificate(self._data_dir, self._user.username)
        info = certificate_info(self._data_dir, self._user.username) if path else None
        if path is None:
            self._own_status.setText(
                self.tr("No certificate imported yet. Import the .p12 or .pfx file the bank "
                        "issued you to sign reports on this laptop.")
            )
        elif info is None:
            self._own_status.setText(
                self.tr("A certificate is imported, but its details cannot be read. Import "
                        "it again.")
            )
        else:
            self._own_status.setText(self.tr("Imported; used when you sign reports."))
        self._fill(info, self.subject_label, self.issuer_label, self.validity_label)
        for widget in (self._subject_caption, self._issuer_caption, self._validity_caption,
                       self.subject_label, self.issuer_label, self.validity_label):
            widget.setHidden(info is None)

    def _show_trusted_ca(self) -> None:
        info = trusted_ca_info(self._data_dir)
        if info is None:
            self._ca_status.setText(
                self.tr("None imported: signatures are checked for changes, but the signers' "
                        "certificates are not checked against the bank's root.")
            )
        else:
            self._ca_status.setText(self.tr("Signatures are checked against this root."))
        self._fill(info, self.ca_subject_label, None, self.ca_validity_label)
        for widget in (self._ca_subject_caption, self._ca_validity_caption,
                       self.ca_subject_label, self.ca_validity_label):
            widget.setHidden(info is None)
        if self._ca_message is None:
            self.ca_message_label.hide()
        else:
            text, colour = self._ca_message
            self.ca_message_label.setText(text())
            self.ca_message_label.setStyleSheet(f"color: {colour.name()};")
            self.ca_message_label.show()

    def _fill(
        self, info: CertificateInfo | None, subject: QLabel, issuer: QLabel | None,
        validity: QLabel,
    ) -> None:
        if info is None:
            for label in (subject, issuer, validity):
                if label is not None:
                    label.clear()
            return
        subject.setText(info.subject)
        if issuer is not None:
            issuer.setText(info.issuer)
        text = self.tr("{start} to {end}").format(
            start=_local(info.not_before), end=_local(info.not_after)
        )
        colour = None
        if info.expired():
            text, colour = self.tr("{dates} (expired)").format(dates=text), BAD
        elif info.expires_soon():
            text, colour = self.tr("{dates} (expires soon)").format(dates=text), WARN
        validity.setText(text)
        validity.setStyleSheet(f"color: {colour.name()};" if colour else "")


def _local(moment: datetime) -> str:
    # The laptop's own time zone: what the user compares with their calendar.
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

