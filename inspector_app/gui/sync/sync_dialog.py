"""Sync with headquarters: register this laptop once, then pull, upload and push.

The sync is SyncClient.sync(progress) from the core, run as a ``gui.jobs.Job`` without the
job's own progress dialog: this dialog has its bar and Cancel button, follows ``job.progressed``
(each step's SyncProgress comes as its detail) and cancels through ``job.cancel()``, which the
client notices at its next safe point.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from typing import Any

import httpx
from PySide6.QtCore import QEvent, QTime, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector_app.common import site_settings
from inspector_app.common.progress import Progress, Step
from inspector_app.common.text import Text
from inspector_app.gui import i18n
from inspector_app.gui.jobs import Job
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.palette import BAD
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window, room_for
from inspector_app.gui.sync.sync_result import (
    Outcome,
    coloured,
    outcome_of,
    report_html,
    stage_text,
    status_text,
)
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LaptopRegistration, LocalStore, UserRow
from inspector_app.sync.client import ServerUnreachable, SyncClient, SyncError, server_url
from inspector_app.sync.report import SyncProgress, SyncReport

# -- plain helpers (no widgets) -----------------------------------------------------------------


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _deployed_address() -> str:
    """The address IT deployed (common.site_settings), as Start would write it; "" if none
    or not an address."""
    try:
        return server_url(site_settings.server_address())
    except SyncError:
        return ""


# -- the dialog ---------------------------------------------------------------------------------


class SyncDialog(QDialog):
    """Server address, first-time registration, Start/Cancel, progress, and the outcome."""

    synced = Signal(object)  # the SyncReport (or None after an unexpected error)

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        runner: TaskRunner,
        settings: LaptopSettings,
        parent: QWidget | None = None,
        transport: httpx.BaseTransport | None = None,
        *,
        client_options: Mapping[str, Any] | None = None,  # SyncClient's retries, backoff...
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self._store = store
        self._user = user
        self._runner = runner
        self._settings = settings
        self._transport = transport
        self._client_options = dict(client_options or {})
        # The run from the last Start: made before a first registration, so a Cancel pressed
        # while registering is seen before the sync would begin.
        self._job: Job | None = None
        self._running = False
        self._registration: LaptopRegistration | None = None  # None until read
        self._progress: SyncProgress | None = None
        self._live = {"pull": 0, "upload": 0, "push": 0}
        self._finished_at: QTime | None = None
        self._outcome: Outcome | None = None  # how the last Start ended: the status line
        self._address = ""  # the server of the last Start
        self._registering = False  # the last Start is registering this laptop
        self.report: SyncReport | None = None
        # What to say when the run did not happen; shown again in a newly chosen language.
        self._error: Text | None = None

        self.address_label = QLabel(self)
        # The address used last on this laptop, else the one the bank's IT deployed.
        self.address_edit = QLineEdit(settings.last_server_address or _deployed_address(),
                                      self)
        self.address_edit.setObjectName("addressEdit")
        self.address_edit.setPlaceholderText("https://hq.example.cn")
        self.address_label.setBuddy(self.address_edit)
        address_row = QFormLayout()
        address_row.addRow(self.address_label, self.address_edit)

        self.registration_box = QGroupBox(self)
        self.registration_intro = QLabel(self.registration_box)
        self.registration_intro.setWordWrap(True)
        self.password_label = QLabel(self.registration_box)
        self.password_edit = QLineEdit(self.registration_box)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label.setBuddy(self.password_edit)
        self.device_label = QLabel(self.registration_box)
        self.device_edit = QLineEdit(socket.gethostname(), self.registration_box)
        self.device_edit.setObjectName("deviceEdit")
        self.device_label.setBuddy(self.device_edit)
        box_layout = QVBoxLayout(self.registration_box)
        box_layout.addWidget(self.registration_intro)
        form = QFormLayout()
        box_layout.addLayout(form)
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.device_label, self.device_edit)
        self.registration_box.hide()

        self.stage_label = QLabel(self)
        self.stage_label.setObjectName("stageLabel")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("")  # no "0%" before anything ran
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("countsLabel")
        self.result_view = QTextBrowser(self)
        self.result_view.setObjectName("resultView")
        self.result_view.setMinimumHeight(140)
        self.result_view.hide()

        self.start_button = QPushButton(self)
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)  # until the registration state is known
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("closeButton")
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(address_row)
        layout.addWidget(self.registration_box)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.result_view, 1)
        layout.addStretch(0)  # takes the room while there is no outcome to show
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

        self._retranslate()
        self.refresh_registration()
        fit_window(self, "sync")

    # -- public ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True from Start until the registration or sync has come back."""
        return self._running

    @property
    def needs_registration(self) -> bool:
        return self._registration is not None and not self._registration.registered

    def refresh_registration(self) -> None:
        """Read, off the UI thread, whether this laptop is registered (and with which server)."""
        self._runner.submit(self._store.laptop_registration, self._show_registration,
                            self._failed)

    def start(self) -> None:
        """Register first if needed, then sync; both on the worker pool."""
        if self._running or self._registration is None:
            return
        typed = self.address_edit.text()
        try:
            address = server_url(typed) if typed.strip() else ""
        except SyncError as exc:
            self._show_error(exc.text)
            self.address_edit.setFocus()
            return
        if not address:
            self._show_error(self.tr("Enter the address of the headquarters server."))
            self.address_edit.setFocus()
            return
        self.address_edit.setText(address)
        self._address = address
        self.report, self._error, self._progress, self._outcome = None, None, None, None
        self._live = {"pull": 0, "upload": 0, "push": 0}
        if self._job is not None:
            self._job.deleteLater()  # the last run's, finished (Start is off while running)
        self._job = self._sync_job(address)
        if self.needs_registration:
            password, device = self.password_edit.text(), self.device_edit.text().strip()
            if not password or not device:
                self._show_error(self.tr("Enter your password and a name for this laptop."))
                self.password_edit.setFocus()
                return
            self._set_running(True, self._connecting_text(registering=True))
            username = self._user.username
            self._runner.submit(
                lambda: self._register(address, username, password, device),
                lambda _answer: self._registered(address), self._failed,
            )
        else:
            self._run_sync()

    def cancel(self) -> None:
        """Ask the running sync to stop at its next safe point."""
        if not self._running or self._job is None:
            return
        self._job.cancel()
        self.cancel_button.setEnabled(False)
        self.stage_label.setText(self.tr("Cancelling…"))

    # -- worker side (no widgets here) --------------------------------------------------------

    def _client(self, address: str) -> SyncClient:
        return SyncClient(self._store, address, transport=self._transport,
                          **self._client_options)

    def _register(self, address: str, username: str, password: str, device: str) -> object:
        with self._client(address) as client:
            return client.register(username, password, device)

    def _sync(self, address: str, progress: Progress) -> SyncReport:
        with self._client(address) as client:
            return client.sync(progress)

    # -- UI side ----------------------------------------------------------------------------

    def _sync_job(self, address: str) -> Job:
        """The sync to address, not yet started; a Cancel ends it with a report that says so."""
        job = Job(lambda progress: self._sync(address, progress), self,
                  self.tr("Sync with headquarters"), show_dialog=False,
                  submit=self._runner.submit, on_done=self._sync_done,
                  on_error=self._sync_failed)
        job.progressed.connect(self._show_step)
        return job

    def _run_sync(self) -> None:
        assert self._job is not None  # made by start()
        self._set_running(True, self._connecting_text(registering=False))
        self._job.start()

    def _connecting_text(self, *, registering: bool) -> str:
        """The status line until the server has answered; names the server, so a wrong
        address shows while the connection is tried."""
        self._registering = registering
        server = self._address.split("://", 1)[-1]  # its host (and port), as people say it
        if registering:
            return self.tr("Registering this laptop with {server}…").format(server=server)
        return self.tr("Connecting to {server}…").format(server=server)

    def _remember(self, address: str) -> None:
        """Offer this address next time, now that it answered. The deployed one is not
        copied into the laptop's settings, so an address IT deploys later still applies."""
        if address == _deployed_address():
            self._settings.forget_server_address()
        else:
            self._settings.last_server_address = address

    def _registered(self, address: str) -> None:
        self._remember(address)
        self.password_edit.clear()
        self._registration = LaptopRegistration(True, address, False)
        self.registration_box.hide()
        self.adjustSize()
        if self._cancelling:
            self._set_running(False)
            return
        self._run_sync()

    @property
    def _cancelling(self) -> bool:
        return self._job is not None and self._job.progress.cancelled

    def _show_registration(self, registration: LaptopRegistration) -> None:
        self._registration = registration
        if self.registration_box.isHidden() != registration.registered:
            self.registration_box.setVisible(not registration.registered)
            self.adjustSize()  # make room for the box (or give it back)
            self._fit_height()
        if not self.address_edit.text() and registration.server_url:
            self.address_edit.setText(registration.server_url)
        if registration.revoked and self.report is None:
            self.report = SyncReport(revoked=True)
            self._outcome = Outcome.REVOKED
            self._render_result()
        self.start_button.setEnabled(not self._running and not registration.revoked)

    def _show_step(self, step: Step) -> None:
        progress = step.detail
        if not self._running or not isinstance(progress, SyncProgress):
            return
        self._progress = progress
        self._live[progress.stage] = progress.done
        if not self._cancelling:
            self.stage_label.setText(stage_text(progress))
        bar = self.progress_bar
        if progress.stage == "upload":  # the bytes of the file being sent; the label counts
            bar.setRange(0, 1000)
            if progress.bytes_total > 0:
                bar.setValue(progress.bytes_done * 1000 // progress.bytes_total)
                bar.setFormat(f"{_size(progress.bytes_done)} / {_size(progress.bytes_total)}")
            else:  # a file about to start, or the last one done
                bar.setValue(1000 if progress.done >= progress.total else 0)
                bar.setFormat("%p%")
        elif progress.total > 0:
            bar.setRange(0, progress.total)
            bar.setValue(progress.done)
            bar.setFormat("%v / %m")
        else:  # a pull does not know how much is coming
            bar.setRange(0, 0)
        self._show_counts()

    def _sync_done(self, report: SyncReport) -> None:
        self.report = report
        self._finished_at = QTime.currentTime()
        self._outcome = outcome_of(report)
        if not report.unreachable:
            self._remember(self._address)
        if report.revoked:
            self._registration = LaptopRegistration(True, self.address_edit.text(), True)
        self._set_running(False)
        self._render_result()
        emit(self.synced, report)

    def _sync_failed(self, error: Exception) -> None:
        self._failed(error)
        emit(self.synced, None)  # part of it may have gone through: let the views look again

    def _failed(self, error: Exception) -> None:
        self._finished_at = QTime.currentTime()
        if isinstance(error, ServerUnreachable):
            self._outcome = Outcome.UNREACHABLE
        elif isinstance(error, SyncError) and self.needs_registration:
            self._outcome = Outcome.REGISTRATION_REFUSED
        else:
            self._outcome = Outcome.FAILED
        self._set_running(False)
        if isinstance(error, SyncError):
            self._error = error.text
        else:
            self._error = Text.same(self.tr("Sync failed: {error}").format(error=error))
        self._render_result()

    def _show_error(self, text: str | Text) -> None:
        """A problem with what was typed: said, and the status line back to its prompt."""
        self._error = text if isinstance(text, Text) else Text.same(text)
        self.report, self._outcome = None, None
        self._render_result()

    def _set_running(self, running: bool, stage: str = "") -> None:
        self._running = running
        revoked = self._registration is not None and self._registration.revoked
        self.start_button.setEnabled(not running and not revoked)
        self.cancel_button.setEnabled(running)
        for edit in (self.address_edit, self.password_edit, self.device_edit):
            edit.setEnabled(not running)
        if running:
            self.result_view.hide()
            self.stage_label.setText(stage)
            self.progress_bar.setRange(0, 0)
            self._show_counts()
        else:
            self.progress_bar.setRange(0, 1)
            # A full bar only when everything went through; otherwise the messages say why.
            complete = self.report is not None and self.report.ok
            self.progress_bar.setValue(1 if complete else 0)
            self.progress_bar.setFormat("%p%" if complete else "")
            self._show_stage_at_rest()

    # -- texts --------------------------------------------------------------------------------

    def _show_stage_at_rest(self) -> None:
        if self._running:
            return
        at = self._finished_at.toString("HH:mm") if self._finished_at is not None else ""
        self.stage_label.setText(status_text(self._outcome, at))

    def _show_counts(self) -> None:
        if self.report is not None and not self._running:
            pulled, photos = self.report.pulled, self.report.photos_sent
            visits = self.report.visits_sent
        else:
            pulled, photos, visits = self._live["pull"], self._live["upload"], self._live["push"]
        self.counts_label.setText(
            self.tr("Updates received: {pulled}    Photos sent: {photos}    "
                    "Visits sent: {visits}").format(pulled=pulled, photos=photos, visits=visits))

    def _render_result(self) -> None:
        self._show_counts()
        self._show_stage_at_rest()
        parts: list[str] = []
        if self._error is not None:
            parts.append(coloured(i18n.in_current_language(self._error), BAD))
        if self.report is not None:
            parts += report_html(self.report)
        self.result_view.setHtml("".join(parts))
        if parts and self.result_view.isHidden():
            self.result_view.show()
            self._fit_height()
        elif not parts:
            self.result_view.hide()

    def _fit_height(self) -> None:
        """Grow to what the layout needs at this width: a wrapped label's height depends on
        the width, which Qt's minimum size of the dialog does not account for."""
        layout = self.layout()
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalMinimumSize().height())
        if self.height() < needed:
            self.resize(self.width(), min(needed, room_for(self).height()))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sync with headquarters"))
        self.address_label.setText(self.tr("&Server address:"))
        self.registration_box.setTitle(self.tr("Register this laptop"))
        self.registration_intro.setText(self.tr(
            "This laptop is not registered with headquarters yet. Enter the password of "
            "{name} ({username}) once; later syncs do not ask for it.").format(
                name=self._user.display_name, username=self._user.username))
        self.password_label.setText(self.tr("&Password:"))
        self.device_label.setText(self.tr("&Device name:"))
        self.start_button.setText(self.tr("&Start"))
        self.cancel_button.setText(self.tr("&Cancel sync"))
        self.close_button.setText(self.tr("Close"))  # Esc closes too
        if self._running and self._progress is not None and not self._cancelling:
            self.stage_label.setText(stage_text(self._progress))
        elif self._running and not self._cancelling:
            self.stage_label.setText(self._connecting_text(registering=self._registering))
        elif self._running and self._cancelling:
            self.stage_label.setText(self.tr("Cancelling…"))
        self._show_stage_at_rest()
        self._show_counts()
        if self.result_view.isVisible() or self.report is not None or self._error is not None:
            self._render_result()

    # -- Qt events ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing does not leave a sync running unseen: it stops at the next safe point.
        self.cancel()
        super().closeEvent(event)
