"""The handover record's signing from the handovers window: opens SignHandoverDialog and runs
what it asks for off the UI thread (sync.handover_desk): the preview (the record rendered for
the officer handing over; for the one taking over, the certified file, and for the
supervisor, the file both signed, as the last sync brought them or fetched now), and the
signing, kept on the laptop and sent to headquarters now or at the next sync.

Sub-windows are kept, not deleted on close, and their signals go to bound methods (see
gui/reports/signing_steps.py for why).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from inspector_app.common import site_settings
from inspector_app.common.text import UserError
from inspector_app.gui import i18n
from inspector_app.gui.handover.sign_dialog import (
    CONFIRM,
    COUNTERSIGN,
    SIGN,
    SignHandoverDialog,
)
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.draft_views import ReportViews, discard_draft
from inspector_app.gui.reports.signing_dialog import SigningRequest
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import HandoverRow, LocalStore, UserRow
from inspector_app.sync import handover_desk

log = logging.getLogger(__name__)


def server_address(settings: LaptopSettings) -> str:
    """The address the last sync used, else the one the bank's IT deployed."""
    return settings.last_server_address or site_settings.server_address()


def stage_of(handover: HandoverRow, user_id: str) -> str:
    """Which signature the user makes: the old officer signs, the new one countersigns,
    anyone else (their supervisor) confirms."""
    if user_id == handover.from_officer_id:
        return SIGN
    return COUNTERSIGN if user_id == handover.to_officer_id else CONFIRM


class HandoverSigning(QObject):
    """One signing window at a time over ``window``; signed(SignatureOutcome) once the
    signature is made (kept at headquarters, or waiting here for the next sync)."""

    signed = Signal(object)

    def __init__(self, window: QWidget, store: LocalStore, user: UserRow,
                 settings: LaptopSettings) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._user = user
        self._settings = settings
        # SyncClient's options (retries, backoff, transport); tests shorten the waits.
        self.client_options: dict[str, Any] = {}
        self.dialog: SignHandoverDialog | None = None
        self.certificate_dialog: CertificateSettingsDialog | None = None
        self.job: Job | None = None  # the last preview or signing
        self._runner = TaskRunner(self)
        self._views: ReportViews | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def start(self, handover: HandoverRow) -> SignHandoverDialog:
        """Open the signing window for the handover, for the user's step of it."""
        stage = stage_of(handover, self._user.id)
        dialog = self.dialog
        if dialog is None or dialog.handover.id != handover.id or dialog.stage != stage:
            if dialog is not None:
                dialog.deleteLater()  # another handover's; closed (only one is open at a time)
            dialog = self.dialog = SignHandoverDialog(self._store.data_dir, self._user,
                                                      handover, stage, self._window)
            dialog.requested.connect(self._sign)
            dialog.preview_requested.connect(self._preview)
            dialog.import_certificate_requested.connect(self._open_certificates)
        dialog.refresh_certificate()
        dialog.open()
        return dialog

    # -- preview -------------------------------------------------------------------------------

    def _preview(self) -> None:
        dialog = self.dialog
        if dialog is None or self.busy:
            return
        store, handover_id, stage = self._store, dialog.handover.id, dialog.stage
        if stage != SIGN:
            address, options = server_address(self._settings), self.client_options
            self.job = run_job(
                lambda _p: handover_desk.record_to_sign(store, address, handover_id, stage,
                                                        **options),
                dialog, self.tr("Opening the signed record…"),
                title=dialog.windowTitle(), on_done=self._fetched, on_error=self._preview_failed,
                cancellable=False)
        else:
            lang = i18n.domain_language(i18n.current())
            self.job = run_job(
                lambda _p: handover_desk.render_preview(store, handover_id, lang),
                dialog, self.tr("Preparing the handover record…"), title=dialog.windowTitle(),
                on_done=self._rendered, on_error=self._preview_failed, discard=discard_draft)

    def _views_over(self, dialog: SignHandoverDialog) -> ReportViews:
        if self._views is None:
            self._views = ReportViews(dialog, self._runner, self._store.data_dir)
        return self._views

    def _rendered(self, path: Path) -> None:
        if self.dialog is None:
            discard_draft(path)
            return
        self._views_over(self.dialog).preview(path, True, self.tr("Handover record"))

    def _fetched(self, path: Path) -> None:
        if self.dialog is not None:  # kept: it is what is countersigned
            self._views_over(self.dialog).preview(path, False, self.tr("Handover record"))

    def _preview_failed(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            log.error("the handover record could not be shown", exc_info=error)
        if self.dialog is not None:
            self.dialog.show_error(self.tr("The record could not be shown: {error}").format(
                error=i18n.error_text(error)))

    # -- certificate ---------------------------------------------------------------------------

    def _open_certificates(self) -> None:
        if self.certificate_dialog is None:
            self.certificate_dialog = CertificateSettingsDialog(
                self._store.data_dir, self._user, parent=self.dialog)
            self.certificate_dialog.finished.connect(self._certificates_closed)
        self.certificate_dialog.open()

    def _certificates_closed(self, _result: int = 0) -> None:
        if self.dialog is not None:
            self.dialog.refresh_certificate()

    # -- signing -------------------------------------------------------------------------------

    def _sign(self, request: SigningRequest) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        store, handover_id = self._store, dialog.handover.id
        address, options = server_address(self._settings), self.client_options
        if dialog.stage != SIGN:
            after = (handover_desk.countersign_and_send if dialog.countersign
                     else handover_desk.confirm_and_send)

            def work(_progress: object) -> object:
                return after(store, address, handover_id, request.p12, request.password,
                             request.handwritten_png, **options)
            label = (self.tr("Countersigning the handover record…") if dialog.countersign
                     else self.tr("Confirming the handover…"))
        else:
            lang = i18n.domain_language(i18n.current())

            def work(_progress: object) -> object:
                return handover_desk.sign_and_send(
                    store, address, handover_id, request.p12, request.password,
                    request.handwritten_png, lang, **options)
            label = self.tr("Signing the handover record…")
        self.job = run_job(work, dialog, label, title=dialog.windowTitle(),
                           on_done=self._signed, on_error=self._sign_failed,
                           cancellable=False)  # a signing cannot stop half-way

    def _signed(self, record: object) -> None:
        if self.dialog is not None:
            self.dialog.finish()
        emit(self.signed, record)

    def _sign_failed(self, error: Exception) -> None:
        if not isinstance(error, UserError):  # a refusal or a wrong password is no bug
            log.error("signing the handover record failed", exc_info=error)
        if self.dialog is not None:
            self.dialog.failed(error)
