"""Sign-in: user name, password and the language the app speaks.

The dialog is the app's first window and shows before the local store is open (opening it
imports SQLAlchemy and checks migrations, a few hundred milliseconds): the officer types
while it opens, and a Sign in clicked meanwhile waits for set_store(). So this module imports
nothing of the store at start-up (bench/startup.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QWidget

from inspector_app.gui import i18n
from inspector_app.gui.forms.ui_login_dialog import Ui_LoginDialog
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner

if TYPE_CHECKING:
    from inspector_app.store.facade import LocalStore, UserRow

log = logging.getLogger(__name__)

_ERROR_STYLE = "color: #b71c1c;"


class LoginDialog(QDialog):
    """Accepted once the store has verified the user name and password; then .user is set.

    store may be None while it is still opening; set_store() hands it over when open.
    """

    def __init__(
        self, store: LocalStore | None, settings: LaptopSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.user: UserRow | None = None
        self._store = store
        self._settings = settings
        self._runner = TaskRunner(self)
        self._attempt = 0  # bumped by each sign-in and by cancel, so a late answer is ignored
        # User name and password of a Sign in clicked before the store was open.
        self._waiting: tuple[str, str] | None = None
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
        fit_window(self, "sign_in")

    @property
    def busy(self) -> bool:
        """True while a sign-in is being checked or waits for the store to open."""
        return not self.ui.signInButton.isEnabled()

    @property
    def waiting_for_store(self) -> bool:
        """True while a clicked Sign in waits for the local database to open."""
        return self._waiting is not None

    def set_store(self, store: LocalStore) -> None:
        """The store, now open; a Sign in clicked while it opened goes ahead."""
        self._store = store
        if self._waiting is not None:
            username, password = self._waiting
            self._waiting = None
            self._check(username, password)

    def message(self) -> str:
        """The message shown under the fields (an error, or "signing in")."""
        return self.ui.messageLabel.text()

    def reject(self) -> None:
        self._attempt += 1
        self._waiting = None
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
        if self._store is None:
            self._waiting = (username, password)
            self._show(lambda: self.tr("Opening the local database…"), error=False)
            return
        self._check(username, password)

    def _check(self, username: str, password: str) -> None:
        assert self._store is not None
        store = self._store
        self._show(lambda: self.tr("Signing in…"), error=False)
        self._attempt += 1
        attempt = self._attempt
        # Argon2 verification takes ~0.1 s and login writes an audit entry: off the UI thread.
        self._runner.submit(
            lambda: store.authenticate(username, password),
            lambda user: self._signed_in(attempt, user),
            lambda error: self._refused(attempt, error),
        )

    def _signed_in(self, attempt: int, user: UserRow) -> None:
        if attempt != self._attempt:
            return
        self.user = user
        self._settings.last_username = user.username
        self._settings.language = i18n.current()
        self._set_busy(False)
        self.accept()

    def _refused(self, attempt: int, error: Exception) -> None:
        from inspector_app.store.facade import LoginError  # the store is open, so imported

        if attempt != self._attempt:
            return
        self._set_busy(False)
        if isinstance(error, LoginError):
            # The same words for every cause, in the language shown (and after a switch).
            self._show(lambda: i18n.in_current_language(i18n.text_of(error)), error=True)
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
