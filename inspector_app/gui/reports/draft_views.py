"""Previews and prints from the visits window, and the rendered drafts they read.

A draft rendered for a preview or a print is removed once nothing reads it any more: when the
preview closes (unless its own Print button started a print that still runs) or the print has
gone out; one a crash left behind is removed when a visits window next opens.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from inspector_app.gui.reports import printing
from inspector_app.gui.workers import TaskRunner
from inspector_app.reports.report_actions import remove_stale_previews

log = logging.getLogger(__name__)


def discard_draft(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _ignore(_result: object) -> None:
    pass


def _cleanup_failed(error: Exception) -> None:
    log.warning("could not remove old report drafts", exc_info=error)


class ReportViews(QObject):
    """Opens previews and prints over the window, each draft kept until its reader is done."""

    def __init__(self, window: QWidget, runner: TaskRunner, data_dir: Path) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self.last_preview: printing.PdfPreview | None = None
        self.last_print_job: printing.PrintJob | None = None
        # Rendered drafts, each with the preview or print job that still reads it.
        self._drafts: list[tuple[QObject, Path]] = []
        runner.submit(lambda: remove_stale_previews(data_dir), _ignore, _cleanup_failed)

    def preview(self, path: Path, draft: bool, name: str = "") -> None:
        preview = printing.preview(self._window, path, self._runner, name)
        self.last_preview = preview
        if draft:
            self._drafts.append((preview, path))
            preview.finished.connect(self._preview_finished)

    def print(self, path: Path, draft: bool) -> None:
        job = printing.print_with_dialog(self._window, path, self._runner)
        self.last_print_job = job
        if draft and job is None:
            discard_draft(path)
        elif draft and job is not None:
            self._drafts.append((job, path))
            job.finished.connect(self._print_finished)

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
            discard_draft(path)

    def _print_finished(self, _outcome: object) -> None:
        path = self._take_draft(self.sender())
        if path is not None:
            discard_draft(path)

    def _take_draft(self, user: QObject | None) -> Path | None:
        for i, (holder, path) in enumerate(self._drafts):
            if holder is user:
                del self._drafts[i]
                return path
        return None
