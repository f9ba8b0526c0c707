"""Importing photos into a visit: store.import_photos runs as a background job (gui.jobs)
whose progress bar with Cancel shows how far it got, then the outcome is told in plain words.

The import runs on the visit's writer (ctx.save), so it is stored in order with the officer's
other edits. A clipboard image is saved to a temporary PNG by the worker, imported, and the
temporary file removed.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from inspector_app.common.progress import Progress, Step
from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import ImportResult

MAX_LISTED = 8  # refused files named one by one in the summary; the rest are counted
IMAGE_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.webp *.tif *.tiff *.bmp *.gif"


class PhotoImport(QObject):
    """One import into the visit, started with start() or start_image()."""

    finished = Signal(object)  # the ImportResult, or None when the import failed as a whole
    progressed = Signal(int, int)  # files done, files in all (on the UI thread)

    def __init__(
        self,
        ctx: VisitContext,
        parent: QWidget,
        *,
        item_code: str | None = None,
        collateral_item_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_code = item_code
        self.collateral_item_id = collateral_item_id
        self.job: Job | None = None
        self.message_box: QMessageBox | None = None
        self.result: ImportResult | None = None
        self.summary = ""

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog while the import runs."""
        return self.job.dialog if self.job is not None else None

    # -- starting -------------------------------------------------------------------------------

    def start(self, paths: list[Path]) -> None:
        """Import files and folders (folders recursively)."""
        self._run(lambda: [Path(p) for p in paths], cleanup=None)

    def start_image(self, image: QImage) -> None:
        """Import a picture from the clipboard (saved as a PNG by the worker)."""
        image = image.copy()  # detached from the clipboard, safe to hand to the worker
        folder = Path(tempfile.mkdtemp(prefix="inspector-paste-"))
        name = f"clipboard-{datetime.now():%Y%m%d-%H%M%S}.png"

        def save() -> list[Path]:
            target = folder / name
            if not image.save(str(target), "PNG"):
                raise OSError(f"cannot write {target}")
            return [target]

        def cleanup() -> None:
            for leftover in folder.iterdir():
                leftover.unlink(missing_ok=True)
            folder.rmdir()

        self._run(save, cleanup)

    def cancel(self) -> None:
        """Stop after the photo being stored now; what was stored stays."""
        if self.job is not None:
            self.job.cancel()

    def _run(self, prepare: Callable[[], list[Path]], cleanup: Callable[[], None] | None) -> None:
        ctx = self.ctx
        item_code, collateral = self.item_code, self.collateral_item_id

        def work(progress: Progress) -> ImportResult:
            # Worker thread: no widget is touched here.
            try:
                paths = prepare()
                return ctx.store.import_photos(
                    ctx.visit_id, ctx.user, paths, progress,
                    item_code=item_code, collateral_item_id=collateral,
                )
            finally:
                if cleanup is not None:
                    with contextlib.suppress(OSError):
                        cleanup()

        def on_the_writer(call: Callable[[], Any], done: Callable[[Any], None],
                          failed: Callable[[Exception], None]) -> None:
            ctx.save(call, done, what="photos", on_error=failed)

        parent = self.parent()
        assert isinstance(parent, QWidget)
        self.job = run_job(
            work, parent, self.tr("Adding photos…"), title=self.tr("Add photos"),
            on_done=self._done, on_error=self._failed, describe=self._describe_step,
            submit=on_the_writer,
        )
        self.job.progressed.connect(self._progressed)

    # -- progress -------------------------------------------------------------------------------

    def _describe_step(self, step: Step) -> str:
        text = self.tr("Adding photos… %1 of %2")
        return text.replace("%1", str(step.done)).replace("%2", str(step.total or 0))

    def _progressed(self, step: Step) -> None:
        emit(self.progressed, step.done, step.total or 0)

    # -- the outcome ----------------------------------------------------------------------------

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.summary = self.describe(result)
        if result.failed or result.cancelled or not result.added:
            self._tell(self.summary, QMessageBox.Icon.Warning)
        emit(self.finished, result)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValueError):  # a refusal (UserError), also a locked visit
            self.summary = i18n.error_text(error)
        else:
            self.summary = self.tr("The photos could not be added. Nothing was changed.")
        self._tell(self.summary, QMessageBox.Icon.Warning)
        emit(self.finished, None)

    def describe(self, result: ImportResult) -> str:
        """The outcome in plain words, in the GUI language."""
        lang = i18n.domain_language(i18n.current())
        lines: list[str] = []
        if result.cancelled:
            lines.append(self.tr("Stopped. The photos added before you cancelled are kept."))
        if result.added:
            lines.append(self.tr("%n photo(s) added.", "", len(result.added)))
        elif result.total == 0 and not result.failed:
            lines.append(self.tr("No photos were found to add."))
        else:
            lines.append(self.tr("No new photos were added."))
        if result.duplicates:
            lines.append(self.tr("%n already in this visit, not added again.", "",
                                 len(result.duplicates)))
        if result.failed:
            lines.append(self.tr("%n could not be used:", "", len(result.failed)))
            for failure in result.failed[:MAX_LISTED]:
                lines.append(f"  • {failure.name}: {failure.text.in_(lang)}")
            if len(result.failed) > MAX_LISTED:
                lines.append("  • " + self.tr("and %n more", "",
                                             len(result.failed) - MAX_LISTED))
        if result.skipped:
            lines.append(self.tr("%n other file(s) in the folders are not photos and were "
                                 "skipped.", "", len(result.skipped)))
        return "\n".join(lines)

    def _tell(self, text: str, icon: QMessageBox.Icon) -> None:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        box = QMessageBox(icon, self.tr("Add photos"), text, QMessageBox.StandardButton.Ok,
                          parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


def choose_photo_files(parent: QWidget) -> list[Path]:
    """The officer picks photos (several at once) in the system file dialog."""
    title = QCoreApplication.translate("PhotoImport", "Add photos")
    photos = QCoreApplication.translate("PhotoImport", "Photos")
    everything = QCoreApplication.translate("PhotoImport", "All files")
    names, _ = QFileDialog.getOpenFileNames(
        parent, title, "",
        f"{photos} ({IMAGE_FILTER} {IMAGE_FILTER.upper()});;{everything} (*)",
    )
    return [Path(n) for n in names]


def attach_photos_to_item(
    ctx: VisitContext, item_code: str, parent: QWidget
) -> PhotoImport | None:
    """For the checklist page: pick photos and attach them to one checklist item.

    Returns the running import (its ``finished`` signal carries the ImportResult, its
    ``summary`` the outcome in words, and ``ctx.changed`` names the photos added), or None if the
    officer picked nothing.
    """
    return attach_photos(ctx, parent, item_code=item_code)


def attach_photos(
    ctx: VisitContext,
    parent: QWidget,
    *,
    item_code: str | None = None,
    collateral_item_id: str | None = None,
) -> PhotoImport | None:
    """Pick photos and import them linked to a checklist item and/or a collateral item."""
    paths = choose_photo_files(parent)
    if not paths:
        return None
    job = PhotoImport(ctx, parent, item_code=item_code, collateral_item_id=collateral_item_id)
    job.start(paths)
    return job
