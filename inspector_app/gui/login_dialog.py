"""Sign-in: user name, password and the language the app speaks."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QWidget

from inspector_app.gui import i18n
from inspector_app.gui.forms.ui_login_dialog import Ui_LoginDialog
from inspector_app.gui.settings import LaptopSettings
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.auth import LoginError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import User

log = logging.getLogger(__name__)

_ERROR_STYLE = "color: #b71c1c;"


class LoginDialog(QDialog):
    """Accepted once the store has verified the user name and password; then .user is set."""

    def __init__(
        self, store: LocalStore, settings: LaptopSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.user: User | None = None
        self._store = store
        self._settings = settings
        self._runner = TaskRunner(self)
        self._attempt = 0  # bumped by each sign-in and by cancel, so a late answer is ignored
        # Kept as a function so the message follows a language change.
        self._message: Callable[[], str] = str

        title = self.ui.titleLabel.font()
        title.setPointSizeF(title.pointSizeF() * 1.5)
        title.setBold(True)
        self.ui.titleLabel.setFont(title)

        for code, name in i18n.ENDONYMS.items():
            self.ui.languageCombo.addItem(name, code)
        self._show_current_language()
        self.ui.languageCombo.currentIndexChanged.connect(self._language_chosen)
        self.ui.signInButton.clicked.connect(self._sign_in)

        self.ui.usernameEdit.setText(settings.last_username)
        (self.ui.passwordEdit if settings.last_username else self.ui.usernameEdit).setFocus()

    @property
    def busy(self) -> bool:
        """True while a sign-in is being checked."""
        return not self.ui.signInButton.isEnabled()

    def message(self) -> str:
        """The message shown under the fields (an error, or "signing in")."""
        return self.ui.messageLabel.text()

    def reject(self) -> None:
        self._attempt += 1
        super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.ui.messageLabel.setText(self._message())
            self._show_current_language()
        super().changeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _language_chosen(self, index: int) -> None:
        # Every open window retranslates itself on the LanguageChange event this sends.
        i18n.install(self.ui.languageCombo.itemData(index))

    def _sign_in(self) -> None:
        username = self.ui.usernameEdit.text().strip()
        password = self.ui.passwordEdit.text()
        if not username or not password:
            self._show(lambda: self.tr("Enter your user name and password."), error=True)
            return
        self._set_busy(True)
        self._show(lambda: self.tr("Signing in…"), error=False)
        self._attempt += 1
        attempt = self._attempt
        # Argon2 verification takes ~0.1 s and login writes an audit entry: off the UI thread.
        self._runner.submit(
            lambda: self._store.authenticate(username, password),
            lambda user: self._signed_in(attempt, user),
            lambda error: self._refused(attempt, error),
        )

    def _signed_in(self, attempt: int, user: User) -> None:
        if attempt != self._attempt:
            return
        self.user = user
        self._settings.last_username = user.username
        self._settings.language = i18n.current()
        self._set_busy(False)
        self.accept()

    def _refused(self, attempt: int, error: Exception) -> None:
        if attempt != self._attempt:
            return
        self._set_busy(False)
        if isinstance(error, LoginError):
            text = str(error)  # already bilingual, and the same for every cause
            self._show(lambda: text, error=True)
        else:
            log.error("sign-in failed", exc_info=error)
            self._show(
                lambda: self.tr("Could not sign in: {error}").format(error=error), error=True
            )
        self.ui.passwordEdit.clear()
        self.ui.passwordEdit.setFocus()

    # -- helpers -------------------------------------------------------------------------------

    def _show_current_language(self) -> None:
        combo = self.ui.languageCombo
        blocked = combo.blockSignals(True)  # showing the language is not choosing it
        combo.setCurrentIndex(combo.findData(i18n.current()))
        combo.blockSignals(blocked)

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.ui.usernameEdit, self.ui.passwordEdit, self.ui.languageCombo,
            self.ui.signInButton,
        ):
            widget.setEnabled(not busy)

    def _show(self, message: Callable[[], str], *, error: bool) -> None:
        self._message = message
        self.ui.messageLabel.setStyleSheet(_ERROR_STYLE if error else "")
        self.ui.messageLabel.setText(message())
