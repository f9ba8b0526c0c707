"""A borrower's visits and what is done with their reports: preview, print, sign, submit,
approve and countersign, return, verify.

The widgets only. Listing the visits is a store query (LocalStore.borrower_visits); rendering,
signing, countersigning and finding the kept file are reports/report_actions.py. Rendering,
signing and countersigning run as gui.jobs jobs (their progress dialog, Cancel where it
makes sense); a status change is a plain TaskRunner call. Widgets are touched only on the UI
thread.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.gui import i18n
from inspector_app.gui.i18n import in_language
from inspector_app.gui.jobs import Job, Work, run_job
from inspector_app.gui.palette import QUIET
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.gui.reports import printing
from inspector_app.gui.reports.signature_pad import SignatureDialog
from inspector_app.gui.reports.verdict import ReportVerdictWidget
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner
from inspector_app.reports.certificate_files import (
    CertificateInfo,
    certificate_info,
    imported_certificate,
    trust_roots,
)
from inspector_app.reports.report_actions import (
    countersign_report,
    remove_stale_previews,
    render_draft,
    report_file,
    sign_report,
)
from inspector_app.store.facade import (
    BorrowerVisits,
    Changes,
    LocalStore,
    ReportRow,
    UserRow,
    VisitLockedError,
    VisitSummary,
)

log = logging.getLogger(__name__)

SHORT_SHA = 12  # hex digits of a report's SHA-256 shown to the user
# The handwritten signature is printed; twice the pad's resolution keeps it crisp on paper.
SIGNATURE_SCALE = 2.0


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _ignore(_result: object) -> None:
    pass


def _cleanup_failed(error: Exception) -> None:
    log.warning("could not remove old report drafts", exc_info=error)


def _is_user_error(error: Exception) -> bool:
    """True for refusals the user can act on (their messages are bilingual sentences)."""
    from inspector_app.reports.signing import SigningError

    return isinstance(error, (SigningError, TransitionError, VisitLockedError))


# -- small dialogs, each made once per visits window and reused ---------------------------------
#
# Sub-windows are kept, not deleted on close, and their signals go to bound methods rather than
# to closures that hold the window: with this PySide6, a dialog deleted on close whose own
# signal was connected to a closure holding it crashed the app in ~QObject.


class CertificatePasswordDialog(QDialog):
    """Asks for the certificate's password for one signing; the password is not kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._purpose_text: Callable[[], str] = str
        self._info: CertificateInfo | None = None
        self._purpose = QLabel(self)
        self._purpose.setWordWrap(True)
        self._certificate = QLabel(self)
        self._certificate.setWordWrap(True)
        self._certificate.setStyleSheet(f"color: {QUIET.name()};")
        self._caption = QLabel(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("signingPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._caption.setBuddy(self.password_edit)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        row = QHBoxLayout()
        row.addWidget(self._caption)
        row.addWidget(self.password_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._purpose)
        layout.addWidget(self._certificate)
        layout.addLayout(row)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self._retranslate()
        self.setMinimumWidth(480)

    def ask(self, purpose: Callable[[], str], info: CertificateInfo | None) -> None:
        """Open, window-modal, for one use: purpose() says what the password signs."""
        self._purpose_text, self._info = purpose, info
        self.password_edit.clear()
        self._retranslate()
        self.password_edit.setFocus()
        self.open()

    def password(self) -> str:
        return self.password_edit.text()

    def accept(self) -> None:
        if self.password_edit.text():
            super().accept()

    def done(self, result: int) -> None:
        super().done(result)
        # The accepted slot has read it by now; it must not linger in a hidden widget.
        self.password_edit.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.password_edit.text()))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Certificate password"))
        self._purpose.setText(self._purpose_text())
        self._caption.setText(self.tr("&Password:"))
        info = self._info
        self._certificate.setText(
            self.tr("Certificate: {holder}, valid until {end}").format(
                holder=info.subject, end=info.not_after.astimezone().strftime("%Y-%m-%d")
            ) if info is not None else ""
        )
        self._certificate.setHidden(info is None)


class ReturnReasonDialog(ReasonDialog):
    """Asks why a visit is returned to its officer; OK only once a reason is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason_edit.setObjectName("returnReasonEdit")

    def ask(self) -> None:  # type: ignore[override]
        """Open, window-modal, with an empty reason."""
        super().ask(
            lambda: self.tr("Return the visit"),
            lambda: self.tr("Why is the visit returned? The officer sees this and corrects the "
                            "visit in a new revision."),
        )


# -- the visits window ---------------------------------------------------------------------------


class Column(IntEnum):
    DATE, KIND, STATUS, REVISION, OFFICER = range(5)


class BorrowerVisitsDialog(QDialog):
    """The borrower's visits, newest first, and the report actions the selection allows."""

    loaded = Signal()  # the list was (re)loaded and is showing
    visits_changed = Signal()  # a visit's state changed here (signed, submitted, reviewed)

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
        # The step after the sub-window now open: which visit, and what to do with its answer.
        self._acting_on: VisitSummary | None = None
        self._after_certificate: Callable[[Path], None] | None = None
        self._after_password: Callable[[str], None] | None = None
        self._on_yes: Callable[[], None] | None = None
        # The visit whose strokes are in the signature pad: after a failed signing (a wrong
        # password) the same drawing is offered again instead of an empty pad.
        self._drawn_for: str | None = None
        self._signing_certificate: Path | None = None
        # Rendered drafts, each with the preview or print job that still reads it.
        self._drafts: list[tuple[QObject, Path]] = []
        # The sub-windows, made when first needed and reused.
        self._job: Job | None = None  # the last render, signing or countersigning
        self.message_box: QMessageBox | None = None
        self.signature_dialog: SignatureDialog | None = None
        self.password_dialog: CertificatePasswordDialog | None = None
        self.reason_dialog: ReturnReasonDialog | None = None
        self.certificate_dialog: CertificateSettingsDialog | None = None
        self.last_preview: printing.PdfPreview | None = None
        self.last_print_job: printing.PrintJob | None = None

        self._heading = QLabel(self)
        heading_font = QFont(self._heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading_font.setBold(True)
        self._heading.setFont(heading_font)
        self._empty = QLabel(self)
        self._empty.setStyleSheet(f"color: {QUIET.name()};")
        self._empty.hide()
        self.table = QTableWidget(0, len(Column), self)
        self.table.setObjectName("visitsTable")
        make_roomy(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.OFFICER, QHeaderView.ResizeMode.Stretch)

        self.preview_button = self._button("previewButton")
        self.print_button = self._button("printButton")
        self.sign_button = self._button("signButton")
        self.submit_button = self._button("submitButton")
        self.approve_button = self._button("approveButton")
        self.return_button = self._button("returnButton")
        self.verify_button = self._button("verifyButton")
        officer = user.role is Role.OFFICER
        supervisor = user.role is Role.SUPERVISOR
        # Only what this role can ever do is offered; the rest would be forever grey.
        self.sign_button.setVisible(officer)
        self.submit_button.setVisible(officer)
        self.approve_button.setVisible(supervisor)
        self.return_button.setVisible(supervisor)

        self.verdict = ReportVerdictWidget(self)
        self.verdict.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._buttons.rejected.connect(self.reject)

        actions = QVBoxLayout()
        for button in (self.preview_button, self.print_button, self.sign_button,
                       self.submit_button, self.approve_button, self.return_button,
                       self.verify_button):
            actions.addWidget(button)
        actions.addStretch(1)
        list_column = QVBoxLayout()
        list_column.addWidget(self.table, 1)
        list_column.addWidget(self._empty)
        middle = QHBoxLayout()
        middle.addLayout(list_column, 1)
        middle.addLayout(actions)
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
        self.approve_button.clicked.connect(self.approve_visit)
        self.return_button.clicked.connect(self.return_visit)
        self.verify_button.clicked.connect(self.verify_signatures)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self._runner.submit(
            lambda: remove_stale_previews(store.data_dir), _ignore, _cleanup_failed
        )
        self._retranslate()
        self._update_buttons()
        self.resize(1000, 600)
        self.reload()

    # -- public --------------------------------------------------------------------------------

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the job now running (None between jobs)."""
        return self._job.dialog if self._job is not None else None

    @property
    def busy(self) -> bool:
        """True while the list loads or an action (render, sign, review) runs."""
        return self._busy or self._loading > 0

    def selected(self) -> VisitSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        visit_id = self.table.item(rows[0].row(), Column.DATE).data(Qt.ItemDataRole.UserRole)
        return next((row for row in self.rows if row.id == visit_id), None)

    def select_visit(self, visit_id: str) -> None:
        for r, row in enumerate(self.rows):
            if row.id == visit_id:
                self.table.selectRow(r)
                return

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

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
        self._with_pdf(self._preview)

    def print_report(self) -> None:
        """Print the stored signed report, or a draft rendered now."""
        self._with_pdf(self._print)

    def sign_report(self) -> None:
        """Certificate check, handwritten signature, password, then signing in the background."""
        row = self.selected()
        if row is None or self.busy or not self._may_sign(row):
            return
        self._acting_on = row
        self._with_certificate(self._ask_signature)

    def submit_visit(self) -> None:
        row = self.selected()
        if row is None or self.busy or not self._may_submit(row):
            return
        self._acting_on = row
        self._tell(
            QMessageBox.Icon.Question, self.tr("Submit"),
            self.tr("Mark the visit of {date} as submitted for review? It can no longer be "
                    "signed again.").format(date=row.visit_date.isoformat()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            on_yes=self._submit_confirmed,
        )

    def approve_visit(self) -> None:
        """Approve a submitted visit and countersign its report with the supervisor's key."""
        row = self.selected()
        if row is None or self.busy or not self._may_review(row):
            return
        self._acting_on = row
        self._with_certificate(self._ask_countersign_password)

    def return_visit(self) -> None:
        row = self.selected()
        if row is None or self.busy or not self._may_review(row):
            return
        self._acting_on = row
        if self.reason_dialog is None:
            self.reason_dialog = ReturnReasonDialog(self)
            self.reason_dialog.accepted.connect(self._reason_given)
        self.reason_dialog.ask()

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
        self._tell(
            QMessageBox.Icon.Warning, self.windowTitle(),
            self.tr("The visits could not be loaded: {error}").format(
                error=in_language(str(error), i18n.current())
            ),
        )

    def _fill_table(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [
                row.visit_date.isoformat(), row.kind.label(lang), row.status.label(lang),
                str(row.revision), row.officer_name,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == Column.DATE:
                    item.setData(Qt.ItemDataRole.UserRole, row.id)
                if c == Column.REVISION:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self._empty.setHidden(bool(self.rows) or self._borrower is None)

    def _selection_changed(self) -> None:
        row = self.selected()
        if row is None or row.id != self._verified_visit:
            # A verdict belongs to one visit's report; it must not seem to speak for another.
            self.verdict.hide()
            self._verified_visit = None
        self._update_buttons()

    # -- what the selection allows ---------------------------------------------------------------

    def _may_sign(self, row: VisitSummary) -> bool:
        return (
            self._user.role is Role.OFFICER and row.officer_id == self._user.id
            and row.status is VisitStatus.COMPLETED
        )

    def _may_submit(self, row: VisitSummary) -> bool:
        return (
            self._user.role is Role.OFFICER and row.officer_id == self._user.id
            and row.status is VisitStatus.SIGNED
        )

    def _may_review(self, row: VisitSummary) -> bool:
        return self._user.role is Role.SUPERVISOR and row.status is VisitStatus.SUBMITTED

    def _update_buttons(self) -> None:
        row = None if self.busy else self.selected()
        self.preview_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.sign_button.setEnabled(row is not None and self._may_sign(row))
        self.submit_button.setEnabled(row is not None and self._may_submit(row))
        self.approve_button.setEnabled(row is not None and self._may_review(row))
        self.return_button.setEnabled(row is not None and self._may_review(row))
        self.verify_button.setEnabled(row is not None and row.report_sha256 is not None)

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
            discard=_discard,
        )

    def _rendered(self, path: Path, show: Callable[[Path, bool], None]) -> None:
        self._set_busy(False)
        show(path, True)

    def _render_failed(self, error: Exception) -> None:
        self._set_busy(False)
        log.error("rendering a report failed", exc_info=error)
        self._tell(
            QMessageBox.Icon.Warning, self.tr("Report"),
            self.tr("The report could not be prepared: {error}").format(
                error=in_language(str(error), i18n.current())
            ),
        )

    def _preview(self, path: Path, draft: bool) -> None:
        preview = printing.preview(self, path, self._runner)
        self.last_preview = preview
        if draft:
            self._drafts.append((preview, path))
            preview.finished.connect(self._preview_finished)

    def _preview_finished(self) -> None:
        preview = self.sender()
        path = self._take_draft(preview)
        # The preview's Print button prints from the same file after the preview has closed.
        job = preview.print_job if isinstance(preview, printing.PdfPreview) else None
        if path is not None and job is not None and job.running:
            self.last_print_job = job
            self._drafts.append((job, path))
            job.finished.connect(self._print_finished)
        elif path is not None:
            _discard(path)

    def _print(self, path: Path, draft: bool) -> None:
        job = printing.print_with_dialog(self, path, self._runner)
        self.last_print_job = job
        if draft and job is None:
            _discard(path)
        elif draft and job is not None:
            self._drafts.append((job, path))
            job.finished.connect(self._print_finished)

    def _print_finished(self, _outcome: object) -> None:
        path = self._take_draft(self.sender())
        if path is not None:
            _discard(path)

    def _take_draft(self, user: QObject | None) -> Path | None:
        for i, (holder, path) in enumerate(self._drafts):
            if holder is user:
                del self._drafts[i]
                return path
        return None

    # -- signing and review ----------------------------------------------------------------------

    def _with_certificate(self, then: Callable[[Path], None]) -> None:
        """then(p12) with the user's imported certificate, or offer to import one first."""
        p12 = imported_certificate(self._store.data_dir, self._user.username)
        if p12 is not None:
            then(p12)
            return
        self._after_certificate = then
        self._tell(
            QMessageBox.Icon.Information, self.tr("No certificate"),
            self.tr("You have not imported a signing certificate on this laptop yet. Import "
                    "it now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            on_yes=self._open_certificate_settings,
        )

    def _open_certificate_settings(self) -> None:
        if self.certificate_dialog is None:
            self.certificate_dialog = CertificateSettingsDialog(
                self._store.data_dir, self._user, parent=self
            )
            self.certificate_dialog.finished.connect(self._certificate_settings_closed)
        self.certificate_dialog.open()

    def _certificate_settings_closed(self, _result: int = 0) -> None:
        # Carry on with what the user was doing, now that the certificate is there.
        then, self._after_certificate = self._after_certificate, None
        p12 = imported_certificate(self._store.data_dir, self._user.username)
        if then is not None and p12 is not None:
            then(p12)

    def _ask_signature(self, p12: Path) -> None:
        row = self._acting_on
        if row is None:
            return
        if self.signature_dialog is None:
            self.signature_dialog = SignatureDialog(self)
            self.signature_dialog.accepted.connect(self._signature_drawn)
        if self._drawn_for != row.id:
            self.signature_dialog.pad.clear()
            self._drawn_for = row.id
        self._signing_certificate = p12
        self.signature_dialog.open()

    def _signature_drawn(self) -> None:
        row, p12 = self._acting_on, self._signing_certificate
        if row is None or p12 is None or self.signature_dialog is None:
            return
        png = self.signature_dialog.pad.to_png(scale=SIGNATURE_SCALE)
        self._ask_password(
            lambda: self.tr("Sign the report of the visit of {date}.").format(
                date=row.visit_date.isoformat()
            ),
            lambda password: self._sign(row, p12, png, password),
        )

    def _ask_countersign_password(self, p12: Path) -> None:
        row = self._acting_on
        if row is None:
            return
        self._ask_password(
            lambda: self.tr("Approve the visit of {date} and countersign its report.").format(
                date=row.visit_date.isoformat()
            ),
            lambda password: self._countersign(row, p12, password),
        )

    def _ask_password(self, purpose: Callable[[], str], then: Callable[[str], None]) -> None:
        if self.password_dialog is None:
            self.password_dialog = CertificatePasswordDialog(self)
            self.password_dialog.accepted.connect(self._password_entered)
        self._after_password = then
        self.password_dialog.ask(
            purpose, certificate_info(self._store.data_dir, self._user.username)
        )

    def _password_entered(self) -> None:
        then, self._after_password = self._after_password, None
        if then is not None and self.password_dialog is not None:
            then(self.password_dialog.password())

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
        self._drawn_for = None  # used: the next signing starts from an empty pad
        self._changed()
        self._tell(
            QMessageBox.Icon.Information, self.tr("Report signed"),
            self.tr("The report is signed and kept. SHA-256: {sha}…").format(
                sha=report.sha256[:SHORT_SHA]
            ),
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
        self._tell(
            QMessageBox.Icon.Information, self.tr("Visit approved"),
            self.tr("The visit is approved and its report countersigned. SHA-256: "
                    "{sha}…").format(sha=report.sha256[:SHORT_SHA]),
        )

    def _submit_confirmed(self) -> None:
        if self._acting_on is not None:
            self._transition(self._acting_on, VisitStatus.SUBMITTED, "")

    def _reason_given(self) -> None:
        if self._acting_on is not None and self.reason_dialog is not None:
            self._transition(self._acting_on, VisitStatus.RETURNED, self.reason_dialog.reason())

    def _transition(self, row: VisitSummary, target: VisitStatus, reason: str) -> None:
        store, user = self._store, self._user
        self._set_busy(True)  # a quick database step: no progress dialog
        self._runner.submit(
            lambda: store.transition(row.id, user, target, reason),
            self._transitioned,
            self._action_failed,
        )

    def _transitioned(self, _changes: Changes) -> None:
        self._set_busy(False)
        self._changed()

    def _action_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if not _is_user_error(error):
            log.error("a report action failed", exc_info=error)
        self.reload()  # whatever happened, show the visit as it now is
        self._tell(
            QMessageBox.Icon.Warning, self.windowTitle(), in_language(str(error), i18n.current())
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

    def _tell(
        self, icon: QMessageBox.Icon, title: str, text: str,
        buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
        on_yes: Callable[[], None] | None = None,
    ) -> QMessageBox:
        """Show a message, window-modal; on_yes() follows if the user answers Yes."""
        # Opened, not exec()'d: no nested event loop while workers deliver their results.
        if self.message_box is None:
            self.message_box = QMessageBox(self)
            self.message_box.setWindowModality(Qt.WindowModality.WindowModal)
            self.message_box.finished.connect(self._message_closed)
        box = self.message_box
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.setStandardButtons(buttons)
        if buttons & QMessageBox.StandardButton.Yes:
            box.setDefaultButton(QMessageBox.StandardButton.Yes)
        self._on_yes = on_yes
        box.open()
        return box

    def _message_closed(self, _result: int = 0) -> None:
        on_yes, self._on_yes = self._on_yes, None
        box = self.message_box
        clicked = box.clickedButton() if box is not None else None
        if on_yes is not None and clicked is not None and (
            box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        ):
            on_yes()

    def _button(self, name: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the list must not sign or return a visit
        return button

    # -- language --------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Kind"), self.tr("Status"), self.tr("Revision"),
            self.tr("Officer"),
        ])
        self._empty.setText(self.tr("No visits recorded for this borrower yet."))
        texts: list[tuple[QPushButton, str, str]] = [
            (self.preview_button, self.tr("Pre&view report"),
             self.tr("Show the report as it prints: the signed report once there is one, "
                     "otherwise a draft")),
            (self.print_button, self.tr("&Print…"), self.tr("Print the report")),
            (self.sign_button, self.tr("&Sign report…"),
             self.tr("Sign a completed visit of yours: your handwritten signature and your "
                     "certificate")),
            (self.submit_button, self.tr("Su&bmit"),
             self.tr("Mark a signed visit as submitted for review")),
            (self.approve_button, self.tr("&Approve and countersign…"),
             self.tr("Approve a submitted visit and countersign its report with your "
                     "certificate")),
            (self.return_button, self.tr("&Return…"),
             self.tr("Return a submitted visit to its officer, with the reason")),
            (self.verify_button, self.tr("Verify si&gnatures"),
             self.tr("Check that the stored report is unchanged since it was signed")),
        ]
        for button, text, tip in texts:
            button.setText(text)
            button.setToolTip(tip)
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
