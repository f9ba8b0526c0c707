"""Importing photos into a visit: a worker runs store.import_photos while a progress bar with
Cancel shows how far it got, then the outcome is told in plain words.

The import runs on the visit's writer (ctx.writes), so it is stored in order with the
officer's other edits. The worker reports progress through a queued signal; widgets are
touched on the UI thread only. A clipboard image is saved to a temporary PNG by the worker,
imported, and the temporary file removed.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.report_verdict import in_language
from inspector_app.gui.visit_context import VisitContext
from inspector_app.store.local import VisitLockedError
from inspector_app.store.photo_editing import ImportResult

PROGRESS_DELAY_MS = 400  # a progress bar for a quicker import would only flash
MAX_LISTED = 8  # refused files named one by one in the summary; the rest are counted
IMAGE_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.webp *.tif *.tiff *.bmp *.gif"


class PhotoImport(QObject):
    """One import into the visit, started with start() or start_image()."""

    finished = Signal(object)  # the ImportResult, or None when the import failed as a whole
    progressed = Signal(int, int)  # files done, files in all (on the UI thread)
    _progressed = Signal(int, int)  # from the worker: done, total

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
        self.progress: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self.result: ImportResult | None = None
        self.summary = ""
        self.running = False
        self._cancel = threading.Event()
        self._progressed.connect(self._on_progress)

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
        self._cancel.set()

    def _run(self, prepare: Callable[[], list[Path]], cleanup: Callable[[], None] | None) -> None:
        ctx, cancel = self.ctx, self._cancel
        item_code, collateral = self.item_code, self.collateral_item_id
        progressed = self._progressed

        def work() -> ImportResult:
            # Worker thread: no widget is touched here.
            try:
                paths = prepare()
                return ctx.store.import_photos(
                    ctx.visit_id, ctx.user, paths,
                    lambda done, total: _quietly(lambda: emit(progressed, done, total)),
                    cancel.is_set, item_code=item_code, collateral_item_id=collateral,
                )
            finally:
                if cleanup is not None:
                    with contextlib.suppress(OSError):
                        cleanup()

        self.running = True
        self._open_progress()
        ctx.save(work, self._done, what="photos", on_error=self._failed)

    # -- progress -------------------------------------------------------------------------------

    def _open_progress(self) -> None:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        dialog = QProgressDialog(self.tr("Adding photos…"), self.tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(self.tr("Add photos"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)  # closed when the worker has really stopped
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self.progress = dialog

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        emit(self.progressed, done, total)
        dialog = self.progress
        if dialog is None:
            return
        text = self.tr("Adding photos… %1 of %2")
        dialog.setLabelText(text.replace("%1", str(done)).replace("%2", str(total)))
        dialog.setMaximum(max(total, 1))
        # Last: a window-modal progress dialog processes events in setValue, which may deliver
        # the end of the import and close this very dialog.
        dialog.setValue(done)

    def _close_progress(self) -> None:
        self.running = False
        dialog, self.progress = self.progress, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    # -- the outcome ----------------------------------------------------------------------------

    def _done(self, result: ImportResult) -> None:
        self._close_progress()
        self.result = result
        self.summary = self.describe(result)
        if result.failed or result.cancelled or not result.added:
            self._tell(self.summary, QMessageBox.Icon.Warning)
        emit(self.finished, result)

    def _failed(self, error: Exception) -> None:
        self._close_progress()
        if isinstance(error, ValueError | VisitLockedError):
            self.summary = in_language(str(error), i18n.current())
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
                lines.append(f"  • {failure.name}: {failure.message(lang)}")
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


def _quietly(call: Callable[[], None]) -> None:
    # The page may be closed while the import finishes; its progress then has no one to show.
    with contextlib.suppress(RuntimeError):
        call()


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
    ``summary`` the outcome in words, and ``ctx.saved`` fires with "photos"), or None if the
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
