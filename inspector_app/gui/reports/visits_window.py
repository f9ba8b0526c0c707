"""A borrower's visits and what is done with their reports: preview, print, sign, submit,
approve and countersign, return, verify.

The widgets only. Listing the visits is a store query (LocalStore.borrower_visits); rendering,
signing, countersigning and finding the kept file are reports/report_actions.py. Rendering,
signing and countersigning run as gui.jobs jobs (their progress dialog, Cancel where it
makes sense); a status change is a plain TaskRunner call. Widgets are touched only on the UI
thread.

The window's pieces live beside it: the list (visits_table.py), the sub-windows asked for
before a signing (signing_steps.py, report_dialogs.py), previews and prints of drafts
(draft_views.py) and its message box (messages.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from inspector_app.common.text import UserError
from inspector_app.gui import i18n
from inspector_app.gui.jobs import Job, Work, run_job
from inspector_app.gui.palette import QUIET
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.gui.reports import printing
from inspector_app.gui.reports.draft_views import ReportViews, discard_draft
from inspector_app.gui.reports.messages import WindowMessages
from inspector_app.gui.reports.report_buttons import (
    ReportButtons,
    may_review,
    may_revise,
    may_sign,
    may_submit,
)
from inspector_app.gui.reports.report_dialogs import CertificatePasswordDialog, ReturnReasonDialog
from inspector_app.gui.reports.signature_pad import SignatureDialog
from inspector_app.gui.reports.signing_steps import SigningSteps
from inspector_app.gui.reports.status_steps import StatusSteps
from inspector_app.gui.reports.verdict import ReportVerdictWidget
from inspector_app.gui.reports.visits_table import VisitsTable
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.gui.workers import TaskRunner
from inspector_app.reports.certificate_files import trust_roots
from inspector_app.reports.report_actions import (
    countersign_report,
    render_draft,
    report_file,
    sign_report,
)
from inspector_app.store.facade import (
    BorrowerVisits,
    LocalStore,
    ReportRow,
    UserRow,
    VisitSummary,
)

log = logging.getLogger(__name__)

class BorrowerVisitsDialog(QDialog):
    """The borrower's visits, newest first, and the report actions the selection allows."""

    loaded = Signal()  # the list was (re)loaded and is showing
    visits_changed = Signal()  # a visit's state changed here (signed, submitted, reviewed)
    # A returned visit was revised: the new draft's id (the main window opens it).
    visit_revised = Signal(str)

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        borrower_id: str,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._user = user
        self._borrower_id = borrower_id
        self._runner = runner or TaskRunner(self)
        self._borrower: BorrowerVisits | None = None
        self.rows: list[VisitSummary] = []
        self._loading = 0
        self._busy = False
        self._verified_visit: str | None = None
        self._job: Job | None = None  # the last render, signing or countersigning
        self._messages = WindowMessages(self)
        self._signing = SigningSteps(self, store.data_dir, user, self._messages)
        self._views = ReportViews(self, self._runner, store.data_dir)
        self._steps = StatusSteps(self, self, store, user, self._runner, self._messages,
                                  lambda visit_id: emit(self.visit_revised, visit_id))

        self._heading = QLabel(self)
        heading_font = QFont(self._heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading_font.setBold(True)
        self._heading.setFont(heading_font)
        self._empty = QLabel(self)
        self._empty.setStyleSheet(f"color: {QUIET.name()};")
        self._empty.hide()
        self.table = VisitsTable(self)

        self.actions = ReportButtons(user, self)
        self.preview_button = self.actions.preview_button
        self.print_button = self.actions.print_button
        self.sign_button = self.actions.sign_button
        self.submit_button = self.actions.submit_button
        self.revise_button = self.actions.revise_button
        self.approve_button = self.actions.approve_button
        self.return_button = self.actions.return_button
        self.verify_button = self.actions.verify_button

        self.verdict = ReportVerdictWidget(self)
        self.verdict.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._buttons.rejected.connect(self.reject)

        list_column = QVBoxLayout()
        list_column.addWidget(self.table, 1)
        list_column.addWidget(self._empty)
        middle = QHBoxLayout()
        middle.addLayout(list_column, 1)
        middle.addWidget(self.actions)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addLayout(middle, 1)
        # As wide as its table, not stretched into an empty white band across the window.
        layout.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._buttons)

        self.preview_button.clicked.connect(self.preview_report)
        self.print_button.clicked.connect(self.print_report)
        self.sign_button.clicked.connect(self.sign_report)
        self.submit_button.clicked.connect(self.submit_visit)
        self.revise_button.clicked.connect(self.revise_visit)
        self.approve_button.clicked.connect(self.approve_visit)
        self.return_button.clicked.connect(self.return_visit)
        self.verify_button.clicked.connect(self.verify_signatures)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self._retranslate()
        self._update_buttons()
        self.resize(1000, 600)
        fit_window(self, "borrower_visits")
        self.reload()

    # -- public --------------------------------------------------------------------------------

    @property
    def reason_dialog(self) -> ReturnReasonDialog | None:
        return self._steps.reason_dialog

    @property
    def revise_dialog(self) -> ReasonDialog | None:
        return self._steps.revise_dialog

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the job now running (None between jobs; see gui.jobs)."""
        return self._job.dialog if self._job is not None else None

    # The sub-windows, made when first needed and reused; None until then.

    @property
    def message_box(self) -> QMessageBox | None:
        return self._messages.box

    @property
    def signature_dialog(self) -> SignatureDialog | None:
        return self._signing.signature_dialog

    @property
    def password_dialog(self) -> CertificatePasswordDialog | None:
        return self._signing.password_dialog

    @property
    def certificate_dialog(self) -> CertificateSettingsDialog | None:
        return self._signing.certificate_dialog

    @property
    def last_preview(self) -> printing.PdfPreview | None:
        return self._views.last_preview

    @property
    def last_print_job(self) -> printing.PrintJob | None:
        return self._views.last_print_job

    @property
    def busy(self) -> bool:
        """True while the list loads or an action (render, sign, review) runs."""
        return self._busy or self._loading > 0

    def selected(self) -> VisitSummary | None:
        visit_id = self.table.selected_visit_id()
        return next((row for row in self.rows if row.id == visit_id), None)

    def select_visit(self, visit_id: str) -> None:
        self.table.select_visit(visit_id)

    def row_texts(self, row: int) -> list[str]:
        return self.table.row_texts(row)

    def reload(self) -> None:
        """Read the borrower's visits again, off the UI thread."""
        self._loading += 1
        self._update_buttons()
        store, borrower_id = self._store, self._borrower_id
        self._runner.submit(
            lambda: store.borrower_visits(borrower_id), self._loaded, self._load_failed
        )

    def preview_report(self) -> None:
        """Show the stored signed report, or a draft rendered now, in a print preview."""
        row, borrower = self.selected(), self._borrower  # named so, not by the file's digest
        name = "" if row is None or borrower is None else self.tr(
            "{borrower}, visit of {date}").format(borrower=borrower.name, date=row.visit_date)
        self._with_pdf(lambda path, draft: self._views.preview(path, draft, name))

    def print_report(self) -> None:
        """Print the stored signed report, or a draft rendered now."""
        self._with_pdf(self._views.print)

    def sign_report(self) -> None:
        """Certificate check, handwritten signature, password, then signing in the background."""
        row = self.selected()
        if row is None or self.busy or not may_sign(self._user, row):
            return
        self._signing.for_signing(
            row.id,
            lambda: self.tr("Sign the report of the visit of {date}.").format(
                date=row.visit_date.isoformat()
            ),
            lambda p12, png, password: self._sign(row, p12, png, password),
        )

    def submit_visit(self) -> None:
        row = self.selected()
        if row is not None and not self.busy and may_submit(self._user, row):
            self._steps.submit(row)

    def revise_visit(self) -> None:
        """A returned visit of the officer's: ask why, then copy it into a new draft."""
        row = self.selected()
        if row is not None and not self.busy and may_revise(self._user, row):
            self._steps.revise(row)

    def approve_visit(self) -> None:
        """Approve a submitted visit and countersign its report with the supervisor's key."""
        row = self.selected()
        if row is None or self.busy or not may_review(self._user, row):
            return
        self._signing.for_countersigning(
            lambda: self.tr("Approve the visit of {date} and countersign its report.").format(
                date=row.visit_date.isoformat()
            ),
            lambda p12, password: self._countersign(row, p12, password),
        )

    def return_visit(self) -> None:
        row = self.selected()
        if row is not None and not self.busy and may_review(self._user, row):
            self._steps.return_(row)

    def verify_signatures(self) -> None:
        """Check the selected visit's stored report and show the verdict below the list."""
        row = self.selected()
        if row is None or row.report_sha256 is None:
            return
        self._verified_visit = row.id
        self.verdict.show()
        self.verdict.verify_file(
            report_file(self._store, row.report_sha256), trust_roots(self._store.data_dir)
        )

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- the list ------------------------------------------------------------------------------

    def _loaded(self, borrower: BorrowerVisits) -> None:
        self._loading -= 1
        keep = self.selected()
        self._borrower = borrower
        self.rows = list(borrower.visits)
        self._fill_table()
        if keep is not None and any(r.id == keep.id for r in self.rows):
            self.select_visit(keep.id)
        elif self.rows:
            self.table.selectRow(0)
        self._retranslate_heading()
        self._update_buttons()
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        self._loading -= 1
        log.error("loading the visits of %s failed", self._borrower_id, exc_info=error)
        self._update_buttons()
        self._messages.tell(
            QMessageBox.Icon.Warning, self.windowTitle(),
            self.tr("The visits could not be loaded: {error}").format(
                error=i18n.error_text(error)
            ),
        )

    def _fill_table(self) -> None:
        self.table.show_visits(self.rows, i18n.domain_language(i18n.current()))
        self._empty.setHidden(bool(self.rows) or self._borrower is None)

    def _selection_changed(self) -> None:
        row = self.selected()
        if row is None or row.id != self._verified_visit:
            # A verdict belongs to one visit's report; it must not seem to speak for another.
            self.verdict.hide()
            self._verified_visit = None
        self._update_buttons()

    # -- what the selection allows ---------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.actions.allow(None if self.busy else self.selected())

    # -- preview and print -----------------------------------------------------------------------

    def _with_pdf(self, show: Callable[[Path, bool], None]) -> None:
        """show(path, is_draft) with the stored report, or with a draft rendered first."""
        row = self.selected()
        if row is None or self.busy:
            return
        if row.report_sha256 is not None:
            show(report_file(self._store, row.report_sha256), False)
            return
        store, lang = self._store, i18n.domain_language(i18n.current())
        self._start_job(
            lambda progress: render_draft(store, row.id, lang, progress),
            self.tr("Preparing the report…"),
            on_done=lambda path: self._rendered(path, show),
            on_error=self._render_failed,
            # A draft rendered after the Cancel, past the renderer's last look at the flag.
            discard=discard_draft,
        )

    def _rendered(self, path: Path, show: Callable[[Path, bool], None]) -> None:
        self._set_busy(False)
        show(path, True)

    def _render_failed(self, error: Exception) -> None:
        self._set_busy(False)
        log.error("rendering a report failed", exc_info=error)
        self._messages.tell(
            QMessageBox.Icon.Warning, self.tr("Report"),
            self.tr("The report could not be prepared: {error}").format(
                error=i18n.error_text(error)
            ),
        )

    # -- signing and review ----------------------------------------------------------------------

    def _sign(self, row: VisitSummary, p12: Path, png: bytes, password: str) -> None:
        store, user = self._store, self._user
        lang = i18n.domain_language(i18n.current())
        self._start_job(
            lambda progress: sign_report(store, row.id, user, p12, password, lang, png,
                                         progress),
            self.tr("Signing the report…"),
            on_done=self._signed, on_error=self._action_failed,
            cancellable=False,  # signing cannot stop half-way
        )

    def _signed(self, report: ReportRow) -> None:
        self._set_busy(False)
        self._signing.signature_used()
        self._changed()
        self._messages.tell(
            QMessageBox.Icon.Information, self.tr("Report signed"),
            # No digest: "Verify signatures" is how an officer checks it is the same report.
            self.tr("The report is signed and kept."),
        )

    def _countersign(self, row: VisitSummary, p12: Path, password: str) -> None:
        store, user = self._store, self._user
        # Reports no progress: its dialog shows a busy bar.
        self._start_job(
            lambda _progress: countersign_report(store, row.id, user, p12, password),
            self.tr("Countersigning the report…"),
            on_done=self._countersigned, on_error=self._action_failed, cancellable=False,
        )

    def _countersigned(self, report: ReportRow) -> None:
        self._set_busy(False)
        self._changed()
        self._messages.tell(
            QMessageBox.Icon.Information, self.tr("Visit approved"),
            self.tr("The visit is approved and its report countersigned."),
        )

    # StatusSteps' window (status_steps.StepsWindow).

    def set_busy(self, busy: bool) -> None:
        self._set_busy(busy)

    def step_done(self) -> None:
        self._set_busy(False)
        self._changed()

    def step_failed(self, error: Exception) -> None:
        self._action_failed(error)

    def _action_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):  # a refusal the user can act on is no bug
            log.error("a report action failed", exc_info=error)
        self.reload()  # whatever happened, show the visit as it now is
        self._messages.tell(
            QMessageBox.Icon.Warning, self.windowTitle(), i18n.error_text(error)
        )

    def _changed(self) -> None:
        self.reload()
        emit(self.visits_changed)

    # -- jobs, progress and messages -------------------------------------------------------------

    def _start_job(self, work: Work, label: str, **options: Any) -> None:
        """Run work(progress) with a progress dialog, this window busy until its outcome; a
        Cancel (where options allow one) ends it quietly."""
        self._set_busy(True)
        self._job = run_job(work, self, label, title=self.windowTitle(),
                            on_cancelled=self._job_cancelled, submit=self._runner.submit,
                            **options)

    def _job_cancelled(self) -> None:
        self._set_busy(False)  # the user asked for it; nothing to say

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    # -- language --------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Kind"), self.tr("Status"), self.tr("Revision"),
            self.tr("Officer"),
        ])
        self._empty.setText(self.tr("No visits recorded for this borrower yet."))
        self._retranslate_heading()
        self._fill_table()

    def _retranslate_heading(self) -> None:
        borrower = self._borrower
        if borrower is None:
            self.setWindowTitle(self.tr("Visits"))
            self._heading.setText(self.tr("Loading…"))
            return
        self.setWindowTitle(self.tr("Visits: {name}").format(name=borrower.name))
        self._heading.setText(
            self.tr("{name} ({code})").format(name=borrower.name, code=borrower.code)
        )
