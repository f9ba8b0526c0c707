"""The completion page's way to 签署报告: the officer signs the visit's report without leaving
the editor (gui/reports/sign_dialog.py asks; this runs what it asks for).

The preview renders a draft and the signing runs as gui.jobs jobs, off the UI thread; the
signing on the visit's one writer, after any edit still being stored. A signed visit goes to
headquarters at the next sync, which makes it "submitted" (sync/push.py).

Sub-windows are kept, not deleted on close, and their signals go to bound methods (see
gui/reports/signing_steps.py for why).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from inspector_app.common.text import UserError
from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.draft_views import ReportViews, discard_draft
from inspector_app.gui.reports.sign_dialog import SignReportDialog
from inspector_app.gui.reports.signing_dialog import SigningRequest
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.reports.report_actions import render_draft, sign_report
from inspector_app.store.facade import Changes, ReportRow

log = logging.getLogger(__name__)


class ReportSigning(QObject):
    """Opens the signing window over page and carries out its preview and its signing."""

    signed = Signal(object)  # the ReportRow kept, once the visit is signed

    def __init__(self, ctx: VisitContext, page: QWidget) -> None:
        super().__init__(page)
        self.ctx = ctx
        self._page = page
        self.dialog: SignReportDialog | None = None  # made when first needed
        self.certificate_dialog: CertificateSettingsDialog | None = None
        self.job: Job | None = None  # the last preview render or signing
        self._views: ReportViews | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def start(self, visit_date: date) -> SignReportDialog:
        """Open the signing window (the drawing of an earlier try is kept)."""
        if self.dialog is None:
            self.dialog = SignReportDialog(self.ctx.store.data_dir, self.ctx.user, visit_date,
                                           self._page)
            self.dialog.requested.connect(self._sign)
            self.dialog.preview_requested.connect(self._preview)
            self.dialog.import_certificate_requested.connect(self._open_certificates)
        self.dialog.refresh_certificate()
        self.dialog.open()
        return self.dialog

    # -- preview -------------------------------------------------------------------------------

    def _preview(self) -> None:
        dialog = self.dialog
        if dialog is None or self.busy:
            return
        store, visit_id = self.ctx.store, self.ctx.visit_id
        lang = i18n.domain_language(i18n.current())
        self.job = run_job(
            lambda progress: render_draft(store, visit_id, lang, progress),
            dialog, self.tr("Preparing the report…"), title=dialog.windowTitle(),
            on_done=self._rendered, on_error=self._render_failed,
            # A draft rendered after the Cancel, past the renderer's last look at the flag.
            discard=discard_draft, submit=self.ctx.reads.submit,
        )

    def _rendered(self, path: Path) -> None:
        if self.dialog is None:
            discard_draft(path)
            return
        if self._views is None:
            self._views = ReportViews(self.dialog, self.ctx.reads, self.ctx.store.data_dir)
        self._views.preview(path, True)  # the draft goes when the preview closes

    def _render_failed(self, error: Exception) -> None:
        log.error("rendering the report of %s failed", self.ctx.visit_id, exc_info=error)
        if self.dialog is not None:
            self.dialog.show_error(self.tr("The report could not be prepared: {error}").format(
                error=i18n.error_text(error)))

    # -- certificate ---------------------------------------------------------------------------

    def _open_certificates(self) -> None:
        if self.certificate_dialog is None:
            self.certificate_dialog = CertificateSettingsDialog(
                self.ctx.store.data_dir, self.ctx.user, parent=self.dialog)
            self.certificate_dialog.finished.connect(self._certificates_closed)
        self.certificate_dialog.open()

    def _certificates_closed(self, _result: int = 0) -> None:
        if self.dialog is not None:
            self.dialog.refresh_certificate()

    # -- signing -------------------------------------------------------------------------------

    def _sign(self, request: SigningRequest) -> None:
        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user
        lang = i18n.domain_language(i18n.current())
        self.job = run_job(
            lambda progress: sign_report(store, visit_id, user, request.p12, request.password,
                                         lang, request.handwritten_png, progress),
            self.dialog, self.tr("Signing the report…"), title=self.tr("Sign report"),
            on_done=self._signed, on_error=self._sign_failed,
            cancellable=False,  # a signing cannot stop half-way
            submit=self.ctx.writes.submit,  # after any edit still being stored
        )

    def _signed(self, report: ReportRow) -> None:
        if self.dialog is not None:
            self.dialog.finish()
        # The pages follow (the editor turns read-only: a signed visit is locked).
        emit(self.ctx.changed, Changes(visits=frozenset({self.ctx.visit_id}), status=True))
        emit(self.signed, report)

    def _sign_failed(self, error: Exception) -> None:
        if not isinstance(error, UserError | ValueError):  # a refusal is no bug
            log.error("signing visit %s failed", self.ctx.visit_id, exc_info=error)
        if self.dialog is not None:
            self.dialog.failed(error)
