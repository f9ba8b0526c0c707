"""Export…: what a list shows, written as xlsx or CSV in the background.

One way for every list (the work list, the supervisor's review queue, later the dashboards):
the list gives ``prepare()``, called on the UI thread when the file is chosen, which reads the
list's filters there and returns the function the worker calls to make the ``ExportTable``
in a language (it queries the store with those filters, every row rather than the screen's
first page), and a file name to suggest. This asks where to save it (a file dialog offering
.xlsx and .csv), then makes the table and writes it (common.export_files.write_table) as a
job (gui.jobs: off the UI thread, progress, Cancel). The file is written to a temporary name
and put in place only when whole, so a Cancel or a failure leaves nothing half-written; a
failure is said in a message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from inspector_app.common.export_files import ExportError, write_table
from inspector_app.common.export_table import ExportFormat, ExportTable
from inspector_app.common.progress import Progress
from inspector_app.gui import i18n
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.qt_compat import emit

log = logging.getLogger(__name__)

# (lang, progress) -> the table, in the worker thread.
MakeTable = Callable[[str, Progress], ExportTable]
# On the UI thread: the list's filters read now, in the MakeTable it returns.
Prepare = Callable[[], MakeTable]


def export_folder() -> Path:
    """Where the file dialog opens: the user's documents, else home."""
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


class ExportAction(QObject):
    """Asks for a file, then writes the table there in the background.

    exported(path) once the file is in place; failed(message) when it could not be written
    (the message box says it too); cancelled() after the user's Cancel."""

    exported = Signal(str)
    failed = Signal(str)
    cancelled = Signal()  # the user's Cancel: nothing was written, an earlier file kept

    def __init__(self, parent: QWidget, prepare: Prepare, name: Callable[[], str]) -> None:
        """name(): the file name to suggest, without its suffix (in the GUI language)."""
        super().__init__(parent)
        self._owner = parent
        self._prepare = prepare
        self._name = name
        self.file_dialog: QFileDialog | None = None
        self.job: Job | None = None
        self.message: QMessageBox | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(self) -> QFileDialog:
        """Show the file dialog (window-modal, not blocking); writing starts when a file is
        chosen."""
        if self.file_dialog is not None:
            self.file_dialog.deleteLater()
        dialog = self.file_dialog = QFileDialog(self._owner, self.tr("Export"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        xlsx, csv = self._filters()
        dialog.setNameFilters([xlsx, csv])
        dialog.selectNameFilter(xlsx)
        dialog.setDirectory(str(export_folder()))
        dialog.selectFile(f"{self._name()}-{date.today().isoformat()}.xlsx")
        dialog.fileSelected.connect(self.export_to)
        dialog.open()
        return dialog

    def export_to(self, path: str) -> Job:
        """Make the table and write it to path (xlsx or csv by its suffix), in the
        background."""
        target = Path(path)
        # A name typed without .xlsx or .csv gets the suffix of the file type chosen (no
        # default suffix in the dialog: it would add .xlsx whatever type is chosen).
        if ExportFormat.of_path(target.name) is None:
            target = target.with_name(target.name + self._chosen_suffix())
        lang = i18n.domain_language(i18n.current())
        make = self._prepare()

        def work(progress: Progress) -> str:
            table = make(lang, progress)
            return str(write_table(table, target, lang=lang, progress=progress))

        self.job = run_job(
            work, self._owner, self.tr("Exporting to {name}…").format(name=target.name),
            title=self.tr("Export"), on_done=self._done, on_error=self._failed,
            on_cancelled=lambda: emit(self.cancelled),
            describe=lambda step: self._describe(target, step.done, step.total),
        )
        return self.job

    # -- helpers -------------------------------------------------------------------------------

    def _filters(self) -> tuple[str, str]:
        return (self.tr("Excel workbook (*.xlsx)"),
                self.tr("CSV, UTF-8 for Excel (*.csv)"))

    def _chosen_suffix(self) -> str:
        dialog = self.file_dialog
        csv = dialog is not None and "*.csv" in dialog.selectedNameFilter()
        return ".csv" if csv else ".xlsx"

    def _describe(self, target: Path, done: int, total: int | None) -> str:
        head = self.tr("Exporting to {name}…").format(name=target.name)
        if total is None:
            return head + "\n" + self.tr("Reading the list…")
        return head + "\n" + self.tr("{done} of {total} rows").format(
            done=f"{done:,}", total=f"{total:,}")

    def _done(self, path: str) -> None:
        emit(self.exported, path)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, ExportError):
            log.error("export failed", exc_info=error)
        text = i18n.error_text(error)
        box = self.message = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Export failed"),
            self.tr("The file was not written.") + "\n\n" + text, QMessageBox.StandardButton.Ok,
            self._owner)
        box.setObjectName("exportFailed")
        box.open()
        emit(self.failed, text)
