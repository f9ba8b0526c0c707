"""The pre-visit brief (访前准备) of one borrower: read it, print it, start the visit from it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Role
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner
from inspector_app.gui.worklist.brief_html import BriefHtml
from inspector_app.gui.worklist.revise import ReviseReturned
from inspector_app.gui.worklist.start_visit_dialog import StartVisitDialog
from inspector_app.store.facade import LocalStore, UserRow, VisitBrief

if TYPE_CHECKING:
    from inspector_app.gui.reports import printing
    from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog

# reportlab, PDFium and the visits dialog (pyHanko) are imported when first needed, the PDF
# renderer in the worker thread: opening a brief must not wait a second on imports.

log = logging.getLogger(__name__)

ABNORMAL = "#b3261e"
QUIET = "#5f6368"


def write_brief_pdf(brief: VisitBrief, lang: str, path: Path) -> Path:
    """Render the brief and write it to path (worker thread); returns path."""
    from inspector_app.reports.brief_pdf import render_brief

    pdf = render_brief(brief, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


class BriefDialog(QDialog):
    """The brief in sections, and the buttons that act on it."""

    loaded = Signal()  # the brief is showing
    visit_started = Signal(str)  # a visit was started, or a draft chosen to continue
    visits_changed = Signal()  # something changed in the borrower's visits dialog
    # The borrower's visits dialog was opened from here (it outlives the brief: whoever wants
    # to hear from it, e.g. of a revision to open, connects to it directly).
    visits_opened = Signal(object)
    # The borrower's returned visit was revised from here: the new draft's id (the main
    # window opens it on the supervisor's comments).
    visit_revised = Signal(str)
    pdf_written = Signal(str)  # a saved or printed brief's path, after it is on disk

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        borrower_id: str,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("briefDialog")
        self._store = store
        self._user = user
        self._borrower_id = borrower_id
        self._today = today
        self._runner = TaskRunner(self)
        self.brief: VisitBrief | None = None
        self.start_dialog: StartVisitDialog | None = None
        self.revise = ReviseReturned(store, user, self)
        self.revise.revised.connect(self._revised)
        self.last_print_job: printing.PrintJob | None = None

        self.view = QTextBrowser(self)
        self.view.setObjectName("briefView")
        self.view.setOpenLinks(False)
        self.status = QLabel(self)
        self.status.setObjectName("briefStatus")
        self.status.setWordWrap(True)
        self.print_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.visits_button = QPushButton(self)
        self.start_button = QPushButton(self)
        self.revise_button = QPushButton(self)
        self.revise_button.setObjectName("reviseButton")
        self.revise_button.hide()  # until the brief shows a returned visit waiting
        self.close_button = QPushButton(self)
        self.start_button.setDefault(True)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.visits_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.print_button.clicked.connect(self.print_brief)
        self.save_button.clicked.connect(self.save_pdf)
        self.visits_button.clicked.connect(self.open_visits)
        self.start_button.clicked.connect(self.start_visit)
        self.revise_button.clicked.connect(self.revise_returned)
        self.close_button.clicked.connect(self.close)
        self._set_busy(True)
        self.resize(860, 760)
        fit_window(self, "brief")
        self._retranslate()
        self._runner.submit(lambda: store.visit_brief(borrower_id, today()), self._show,
                            self._failed)

    @property
    def busy(self) -> bool:
        return self._runner.pending > 0

    # -- actions -------------------------------------------------------------------------------

    def print_brief(self) -> None:
        """Render the PDF off the UI thread, then ask for a printer and print it."""
        if self.brief is None:
            return
        self._write_pdf(self._print_path(), self._print)

    def save_pdf(self) -> None:
        """Ask where to save the brief as a PDF, then render and write it off the UI thread."""
        if self.brief is None:
            return
        b = self.brief.borrower
        prefix = self.tr("Brief")
        suggested = str(Path.home() / f"{prefix}-{b.code}-{b.name}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save brief as PDF"), suggested, self.tr("PDF files (*.pdf)"))
        if path:
            self._write_pdf(Path(path), self._saved)

    def open_visits(self) -> BorrowerVisitsDialog:
        """The borrower's visits and their reports (sign, submit, print)."""
        from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog

        # Parented to the main window when there is one: it outlives this brief.
        owner = self.parentWidget() or self
        dialog = BorrowerVisitsDialog(self._store, self._user, self._borrower_id, parent=owner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.visits_changed.connect(self.visits_changed)
        dialog.show()
        emit(self.visits_opened, dialog)
        return dialog

    def start_visit(self) -> StartVisitDialog:
        """Choose the kind, templates, place and time, and start the visit (or continue the
        borrower's draft)."""
        if self.start_dialog is None:
            self.start_dialog = StartVisitDialog(self._store, self._user, self._borrower_id,
                                                 today=self._today, parent=self)
            self.start_dialog.visit_started.connect(self._visit_started)
        self.start_dialog.show()
        self.start_dialog.raise_()
        return self.start_dialog

    def revise_returned(self) -> None:
        """The borrower's returned visit: ask why, then make its new draft revision (the
        visits window's Revise, without going there)."""
        if self.brief is not None and self.brief.returned_visit_id is not None:
            self.revise.ask(self.brief.returned_visit_id)

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _show(self, brief: VisitBrief) -> None:
        self.brief = brief
        self._set_busy(False)
        self._retranslate()
        emit(self.loaded)

    def _failed(self, error: Exception) -> None:
        log.error("the brief could not be loaded", exc_info=error)
        self.status.setText(self.tr("Could not load the brief: {error}").format(error=error))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def _revised(self, visit_id: str) -> None:
        emit(self.visit_revised, visit_id)
        self.close()  # the new draft's editor takes over

    def _visit_started(self, visit_id: str) -> None:
        emit(self.visit_started, visit_id)
        self.close()  # the visit editor takes over

    def _write_pdf(self, path: Path, then: Callable[[Path], None]) -> None:
        assert self.brief is not None
        brief, lang = self.brief, i18n.domain_language(i18n.current())
        self._set_busy(True)
        self.status.setText(self.tr("Preparing the brief…"))
        self._runner.submit(lambda: write_brief_pdf(brief, lang, path), then,
                            self._pdf_failed)

    def _print(self, path: Path) -> None:
        from inspector_app.gui.reports import printing

        self._set_busy(False)
        self.status.clear()
        emit(self.pdf_written, str(path))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(path.name)
        if not printing.ask_for_printer(self, printer, 1):
            return
        self.last_print_job = printing.PrintJob(path, printer, self, runner=self._runner)
        self.last_print_job.finished.connect(self._printed)
        self.last_print_job.start()

    def _printed(self, outcome: object) -> None:
        from inspector_app.gui.reports import printing

        if isinstance(outcome, Exception):
            self.status.setText(self.tr("Could not print the brief: {error}").format(
                error=printing.describe_failure(outcome)))
        else:
            self.status.setText(self.tr("The brief was sent to the printer."))

    def _saved(self, path: Path) -> None:
        self._set_busy(False)
        self.status.setText(self.tr("Saved to {path}").format(path=path))
        emit(self.pdf_written, str(path))

    def _pdf_failed(self, error: Exception) -> None:
        self._set_busy(False)
        log.error("the brief PDF could not be written", exc_info=error)
        self.status.setText(self.tr("Could not write the brief: {error}").format(error=error))

    # -- helpers -------------------------------------------------------------------------------

    def _print_path(self) -> Path:
        assert self.brief is not None
        lang = i18n.domain_language(i18n.current())
        return self._store.data_dir / "briefs" / f"brief-{self.brief.borrower.code}-{lang}.pdf"

    def _set_busy(self, busy: bool) -> None:
        ready = not busy and self.brief is not None
        for button in (self.print_button, self.save_button):
            button.setEnabled(ready)
        # An officer revises their returned visit; the store refuses anyone else.
        self.revise_button.setVisible(
            self.brief is not None and self.brief.returned_visit_id is not None
            and self._user.role is Role.OFFICER)

    def _retranslate(self) -> None:
        name = self.brief.borrower.name if self.brief else ""
        self.setWindowTitle(self.tr("Pre-visit brief — {name}").format(name=name)
                            if name else self.tr("Pre-visit brief"))
        self.print_button.setText(self.tr("&Print brief…"))
        self.save_button.setText(self.tr("Save as P&DF…"))
        self.visits_button.setText(self.tr("&Visits and reports"))
        self.start_button.setText(self.tr("S&tart visit…"))
        self.revise_button.setText(self.tr("&Revise…"))
        self.revise_button.setToolTip(self.tr("Make a new draft revision of the returned "
                                              "visit and answer the supervisor's comments"))
        self.close_button.setText(self.tr("Close"))
        if self.brief is None:
            loading = self.tr("Loading…")
            self.view.setHtml(f"<p style='color:{QUIET}'>{escape(loading)}</p>")
        else:
            self.view.setHtml(self._html(self.brief))

    def _html(self, brief: VisitBrief) -> str:
        return BriefHtml(brief, i18n.domain_language(i18n.current())).render()
