"""The main window's Tools menu and its sync button, and the windows they open: certificate
settings, handovers, the language, the audit trail and the bank dashboard (administrators)
and the sync dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from inspector_app.domain.enums import Role
from inspector_app.gui.handover.notice import HandoverNotice
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.settings.language_menu import LanguageMenu
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LocalStore, UserRow

if TYPE_CHECKING:
    import httpx

    from inspector_app.gui.settings.certificates import CertificateSettingsDialog
    from inspector_app.gui.sync.sync_dialog import SyncDialog

# The dialogs are imported when first opened, not at start-up (see main_window).


class WindowTools(QObject):
    """Made on window; reload is the window's, called after a sync."""

    def __init__(self, window: QMainWindow, store: LocalStore, user: UserRow,
                 settings: LaptopSettings, handover_notice: HandoverNotice,
                 reload: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._user = user
        self._settings = settings
        self._reload = reload
        self._tools_menu = window.menuBar().addMenu("")
        self._certificate_action = QAction(window)
        self._certificate_action.triggered.connect(self.open_certificate_settings)
        self._tools_menu.addAction(self._certificate_action)
        self.handover_action = QAction(window)
        self.handover_action.setObjectName("handoversAction")
        self.handover_action.triggered.connect(handover_notice.open_list)
        self._tools_menu.addAction(self.handover_action)
        self.language_menu = LanguageMenu(settings, window)  # English or Chinese, any time
        self._tools_menu.addMenu(self.language_menu)
        # Headquarters' audit trail, read online: administrators only (headquarters refuses
        # anyone else).
        self._audit_action: QAction | None = None
        self.audit_window: QWidget | None = None
        # And its whole-bank dashboard, from the figures headquarters counts.
        self._bank_action: QAction | None = None
        self.bank_window: QWidget | None = None
        if user.role is Role.ADMIN:
            self._audit_action = QAction(window)
            self._audit_action.setObjectName("auditAction")
            self._audit_action.triggered.connect(self.open_audit_trail)
            self._tools_menu.addAction(self._audit_action)
            self._bank_action = QAction(window)
            self._bank_action.setObjectName("bankDashboardAction")
            self._bank_action.triggered.connect(self.open_bank_dashboard)
            self._tools_menu.addAction(self._bank_action)
        self._sync_action = QAction(window)
        self._sync_action.setObjectName("syncAction")
        self._sync_action.triggered.connect(lambda: self.open_sync())
        # A toolbar button, not a Tools entry: officers sync daily, and should see where.
        self._toolbar = window.addToolBar("")
        self._toolbar.setObjectName("mainToolBar")
        self._toolbar.setMovable(False)
        self._toolbar.addAction(self._sync_action)
        # Its own runner: a long sync must not make `loading` (the due-list query) look busy.
        self._sync_runner = TaskRunner(window)
        self.sync_dialog: SyncDialog | None = None

    def open_certificate_settings(self) -> CertificateSettingsDialog:
        """Let the signed-in user import their signing certificate and the trusted root."""
        from inspector_app.gui.settings.certificates import CertificateSettingsDialog

        dialog = CertificateSettingsDialog(self._store.data_dir, self._user, parent=self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_sync(
        self, transport: httpx.BaseTransport | None = None, **client_options: Any
    ) -> SyncDialog:
        """Show the sync dialog (one per window, so a sync running in it is never orphaned).
        transport and client_options go to SyncClient; tests pass a fake server."""
        if self.sync_dialog is None:
            from inspector_app.gui.sync.sync_dialog import SyncDialog

            self.sync_dialog = SyncDialog(
                self._store, self._user, self._sync_runner, self._settings, parent=self._window,
                transport=transport, client_options=client_options,
            )
            self.sync_dialog.synced.connect(lambda _report: self._reload())
        self.sync_dialog.show()
        self.sync_dialog.raise_()
        self.sync_dialog.activateWindow()
        return self.sync_dialog

    def open_audit_trail(self) -> QWidget:
        """The audit trail window (one; raised if open), showing the newest entries."""
        from inspector_app.gui.audit.audit_window import AuditWindow

        if self.audit_window is None:
            window = self.audit_window = AuditWindow(self._store, self._window)
            window.search()
        self.audit_window.show()
        self.audit_window.raise_()
        return self.audit_window

    def open_bank_dashboard(self) -> QWidget:
        """The bank dashboard window (one; raised if open), asking headquarters at once."""
        from inspector_app.gui.dashboard.bank_window import BankDashboardWindow

        if self.bank_window is None:
            window = self.bank_window = BankDashboardWindow(self._store, self._window)
            window.reload()
        self.bank_window.show()
        self.bank_window.raise_()
        return self.bank_window

    def cancel_sync(self) -> None:
        """The window is closing: a sync running stops at its next safe point."""
        if self.sync_dialog is not None:
            self.sync_dialog.cancel()

    def retranslate(self) -> None:
        """Called by the window on a language change (a QObject gets no LanguageChange)."""
        self._tools_menu.setTitle(self.tr("&Tools"))
        self._certificate_action.setText(self.tr("&Certificate…"))
        self.handover_action.setText(self.tr("&Handovers…"))
        if self._audit_action is not None:
            self._audit_action.setText(self.tr("&Audit trail…"))
        if self._bank_action is not None:
            self._bank_action.setText(self.tr("&Bank dashboard…"))
        self._sync_action.setText(self.tr("&Sync…"))
        self._sync_action.setIconText(self.tr("Sync"))  # the toolbar: no "(&S)" or "…"
        self._sync_action.setToolTip(self.tr("Send your visits and photos to headquarters and "
                                             "receive its updates"))
        self._toolbar.setWindowTitle(self.tr("Toolbar"))
