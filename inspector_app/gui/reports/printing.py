"""Print a PDF (a visit report, a pre-visit brief) with its signature seals showing.

Qt's own PDF support does not draw form widgets, and a signature's visible seal is a form
widget, so pages are rasterised with PDFium with its form layer switched on
(``init_forms()`` then ``render(may_draw_forms=True)``) and each page image is painted onto a
QPrinter, fitted to the printable area.

Threads. Rendering a page takes a good part of a second, so it never runs on the UI thread:

* ``print_pdf`` renders and paints page by page in one worker (``PrintJob``, a ``gui.jobs``
  job). Qt allows a QPainter on a QPrinter outside the GUI thread as long as only one thread
  paints on it at a time; the UI thread does not touch the printer until the job has finished.
* A print preview is different: QPrintPreviewDialog asks for its pages on the UI thread and
  wants them painted before the handler returns. So ``PdfPreview`` renders the pages in a
  worker first, at screen resolution, and the handler only draws those images. Its Print
  button starts a full-resolution ``PrintJob`` once the preview has closed.
* PDFium is not thread-safe at all, not even for different documents, so every call into it
  here holds ``PDFIUM_LOCK`` (held per page, never across a ``yield``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QObject, QRectF, QSize, Signal
from PySide6.QtGui import QImage, QPageLayout, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from inspector_app.common.progress import Progress, Step, counting_progress
from inspector_app.gui import i18n
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner

log = logging.getLogger(__name__)

# The callbacks these functions took before Progress, still accepted: (pages done, in all).
PageCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]

# 200 dpi keeps 8-pt Chinese text and the seal crisp on an office laser printer, at about
# 4 megapixels an A4 page; 300 dpi would more than double the time and memory for little gain.
PRINT_DPI = 200
# The preview holds every page in memory at once: screen resolution keeps that near 4 MB a page.
PREVIEW_DPI = 110

# Jobs and previews started without a parent window are held here until they finish, so Python
# does not collect them (and their callbacks) while a worker is still busy for them.
_UNPARENTED: set[QObject] = set()

# Process-wide: PDFium may be entered by one thread at a time. Code elsewhere in the GUI that
# calls pypdfium2 while printing may run should take this lock too.
PDFIUM_LOCK = threading.RLock()


class PrintError(RuntimeError):
    """The printer refused the job or a page; the message is for the user, translated."""


@dataclass(frozen=True)
class PrintResult:
    printed: int  # pages painted onto the printer
    total: int  # pages the job was asked to print
    cancelled: bool


def pdf_page_count(path: str | Path) -> int:
    """The number of pages of the PDF at path."""
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_pdf_pages(
    path: str | Path,
    dpi: float = PRINT_DPI,
    progress: Progress | PageCallback | None = None,
    cancelled: CancelCallback | None = None,
    *,
    pages: Sequence[int] | None = None,
    draw_forms: bool = True,
) -> Iterator[QImage]:
    """Each page of the PDF (or the 0-based pages given) as an RGB QImage at dpi, in order.

    Signature seals and other form widgets are drawn unless draw_forms is False. progress
    learns (pages done, pages in all) after each page (and (0, total) first); the pages stop
    once it is cancelled. Call from any one thread; PDFium access is serialised with
    PDFIUM_LOCK.
    """
    progress = counting_progress(progress, cancelled)
    scale = dpi / 72  # PDF units are 1/72 inch
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            if draw_forms:
                # Must come before any page is loaded, or PDFium renders pages without forms.
                pdf.init_forms()
            count = len(pdf)
        except BaseException:
            pdf.close()
            raise
    try:
        wanted = list(range(count)) if pages is None else list(pages)
        for index in wanted:
            if not 0 <= index < count:
                raise IndexError(f"page {index + 1} asked for, but {path} has {count} pages")
        progress.report(0, len(wanted))
        for done, index in enumerate(wanted, start=1):
            if progress.cancelled:
                return
            with PDFIUM_LOCK:
                page = pdf[index]
                try:
                    bitmap = page.render(
                        scale=scale, may_draw_forms=draw_forms, rev_byteorder=True,
                        optimize_mode="print",
                    )
                    image = _to_qimage(bitmap)
                    bitmap.close()
                finally:
                    page.close()
            yield image
            progress.report(done, len(wanted))
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _to_qimage(bitmap: pdfium.PdfBitmap) -> QImage:
    # rev_byteorder gives RGB byte order, which is what Format_RGB888 means on every platform.
    if bitmap.mode != "RGB":
        raise ValueError(f"unexpected PDFium bitmap mode {bitmap.mode!r}")
    data = bytes(bitmap.buffer)
    image = QImage(data, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
    return image.copy()  # detached from `data`, which Python frees when this returns


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """The 0-based pages of a count-page document that printer's settings ask for, in order.

    Follows the page range chosen in the print dialog, the page order, and (when the printer
    cannot make copies itself) the number of copies.
    """
    chosen = list(range(count))
    ranges = printer.pageRanges()
    if printer.printRange() == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
        chosen = [i for i in chosen if ranges.contains(i + 1)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        chosen.reverse()
    if printer.copyCount() > 1 and not printer.supportsMultipleCopies():
        chosen *= printer.copyCount()
    return chosen


def paint_pages(
    printer: QPrinter,
    images: Iterable[QImage],
    total: int,
    progress: Progress | PageCallback | None = None,
    cancelled: CancelCallback | None = None,
) -> PrintResult:
    """Paint images onto printer, one per sheet, each fitted to the printable area.

    progress learns (pages printed, total). Stops before the next page once progress is
    cancelled, and then aborts the job if the printer can (a cancelled print to a PDF file
    leaves no half-written file behind).
    """
    progress = counting_progress(progress, cancelled)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(QCoreApplication.translate("Printing", "The printer refused the job."))
    printed, stopped, finished = 0, False, False
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        progress.report(0, total)
        for image in images:
            if progress.cancelled:
                stopped = True
                break
            if printed and not printer.newPage():
                raise PrintError(
                    QCoreApplication.translate(
                        "Printing", "The printer could not start a new page."
                    )
                )
            draw_fitted(painter, image, QRectF(0, 0, printer.width(), printer.height()))
            printed += 1
            progress.report(printed, total)
        else:
            # The pages ran out early because render_pdf_pages saw the cancel first.
            stopped = progress.cancelled and printed < total
        finished = not stopped
    finally:
        if not finished:  # cancelled, or an error on the way
            printer.abort()
        painter.end()
        if not finished and printer.outputFileName():
            # Qt's PDF writer cannot abort, and the half document it wrote would pass for the
            # whole report.
            with contextlib.suppress(OSError):
                Path(printer.outputFileName()).unlink()
    return PrintResult(printed, total, stopped)


def draw_fitted(painter: QPainter, image: QImage, target: QRectF) -> None:
    """Draw image as large as fits in target, centred, keeping its shape.

    A landscape page on portrait paper (or the reverse) is turned a quarter, as PDF viewers do,
    rather than shrunk to fit across.
    """
    width, height = image.width(), image.height()
    turn = (width > height) != (target.width() > target.height()) and width != height
    across, down = (height, width) if turn else (width, height)
    scale = min(target.width() / across, target.height() / down)
    painter.save()
    painter.translate(target.center())
    if turn:
        painter.rotate(90)
    painter.drawImage(
        QRectF(-width * scale / 2, -height * scale / 2, width * scale, height * scale), image
    )
    painter.restore()


def print_pdf(
    path: str | Path,
    printer: QPrinter,
    dpi: float = PRINT_DPI,
    progress: Progress | PageCallback | None = None,
    cancelled: CancelCallback | None = None,
    *,
    draw_forms: bool = True,
) -> PrintResult:
    """Print the PDF at path on printer, seals included, rendering each page at dpi.

    Blocking: call it from a worker (see PrintJob), never on the UI thread, and let no other
    thread use printer meanwhile. progress learns (pages printed, total); printing stops
    before the next page once it is cancelled.
    """
    progress = counting_progress(progress, cancelled)
    total_pages = pdf_page_count(path)
    pages = pages_to_print(printer, total_pages)
    # The printed pages are what the job reports; rendering only watches for the Cancel.
    rendering = Progress(cancelled_when=lambda: progress.cancelled)
    images = render_pdf_pages(path, dpi, rendering, pages=pages, draw_forms=draw_forms)
    try:
        return paint_pages(printer, images, len(pages), progress)
    finally:
        images.close()  # releases the document at once if painting stopped early


class PrintJob(QObject):
    """print_pdf as a background job, with a progress dialog whose Cancel stops it."""

    # PrintResult when printing ended (cancelled or not), or the Exception that stopped it.
    finished = Signal(object)
    # (pages printed, pages in all), on the UI thread.
    progressed = Signal(int, int)

    def __init__(
        self,
        path: str | Path,
        printer: QPrinter,
        parent: QWidget | None = None,
        dpi: float = PRINT_DPI,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.printer = printer  # referenced here, so it lives as long as the job
        self.dpi = dpi
        self.outcome: PrintResult | Exception | None = None
        self._parent = parent
        self._runner = runner
        self._job: Job | None = None

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    def start(self) -> PrintJob:
        """Start printing; returns self."""
        if self.parent() is None:
            _UNPARENTED.add(self)
        path, printer, dpi = self.path, self.printer, self.dpi
        self._job = run_job(
            lambda progress: print_pdf(path, printer, dpi, progress),
            self._parent,
            QCoreApplication.translate("Printing", "Printing {name}…").format(name=path.name),
            title=QCoreApplication.translate("Printing", "Printing"),
            on_done=self._done,
            on_error=self._done,
            submit=self._runner.submit if self._runner else None,
        )
        self._job.progressed.connect(self._progressed)
        return self

    def cancel(self) -> None:
        """Stop after the page being printed now."""
        if self._job is not None:
            self._job.cancel()

    def _progressed(self, step: Step) -> None:
        emit(self.progressed, step.done, step.total or 0)

    def _done(self, outcome: PrintResult | Exception) -> None:
        self.outcome = outcome
        if isinstance(outcome, Exception):
            log.error("printing %s failed", self.path, exc_info=outcome)
        _UNPARENTED.discard(self)
        emit(self.finished, outcome)


class PdfPreview(QObject):
    """Renders a PDF's pages in a background job, then shows them in a QPrintPreviewDialog.

    The dialog's Print button asks for a printer as usual; the printing itself then runs as a
    full-resolution PrintJob (self.print_job) after the preview has closed.
    """

    ready = Signal()  # the preview dialog is open
    finished = Signal()  # the preview closed (or failed, or was cancelled before showing)

    def __init__(
        self,
        path: str | Path,
        parent: QWidget | None = None,
        dpi: float = PREVIEW_DPI,
        print_dpi: float = PRINT_DPI,
        runner: TaskRunner | None = None,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.name = name or self.path.name  # the report in words, if the caller has them
        self.dpi = dpi
        self.print_dpi = print_dpi
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.dialog: QPrintPreviewDialog | None = None
        self.print_job: PrintJob | None = None
        self.pages: list[QImage] = []
        self.error: Exception | None = None
        self.job: Job | None = None  # the rendering, while it runs
        self._parent = parent
        self._runner = runner
        self._print_asked = False

    def start(self) -> PdfPreview:
        """Start rendering; the dialog opens when the pages are ready. Returns self."""
        if self.parent() is None:
            _UNPARENTED.add(self)
        path, dpi = self.path, self.dpi
        self.job = run_job(
            lambda progress: render_for_preview(path, dpi, progress),
            self._parent,
            QCoreApplication.translate("Printing", "Preparing the preview of {name}…").format(
                name=self.name),
            title=QCoreApplication.translate("Printing", "Printing"),
            on_done=self._rendered,
            on_error=self._failed,
            on_cancelled=self._finish,
            discard=lambda _pages: None,  # pages rendered after a Cancel are not shown
            submit=self._runner.submit if self._runner else None,
        )
        return self

    def paint(self, printer: QPrinter) -> None:
        """The dialog's paintRequested: draw the rendered pages, or note a print request."""
        engine = printer.paintEngine()
        # While building the preview Qt swaps in its recording engine (type Picture); any
        # other engine means the dialog's Print button was pressed and this is the real job,
        # which must not be rendered here on the UI thread.
        if engine is not None and engine.type() != QPaintEngine.Type.Picture:
            self._print_asked = True
            return
        paint_pages(printer, self.pages, len(self.pages))

    def _rendered(self, pages: list[QImage]) -> None:
        self.pages = pages
        if pages and pages[0].width() > pages[0].height():
            self.printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintPreviewDialog(self.printer, self._parent)
        dialog.setWindowTitle(QCoreApplication.translate(
            "Printing", "Print preview: {name}").format(name=self.name))
        fit_window(dialog, "print_preview", QSize(900, 1000))  # a page tall, if it fits
        dialog.paintRequested.connect(self.paint)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        emit(self.ready)

    def _failed(self, error: Exception) -> None:
        self.error = error
        log.error("preview of %s failed", self.path, exc_info=error)
        _tell_failure(self._parent, self.path, error)
        self._finish()

    def _closed(self, result: int) -> None:
        self.pages = []  # the preview's images are no longer needed
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        if result == QDialog.DialogCode.Accepted and self._print_asked:
            self.print_job = PrintJob(
                self.path, self.printer, self._parent, self.print_dpi, self._runner
            )
            self.print_job.finished.connect(
                lambda outcome: _report_outcome(self._parent, self.path, outcome)
            )
            self.print_job.start()
        self._finish()

    def _finish(self) -> None:
        _UNPARENTED.discard(self)
        emit(self.finished)


def render_for_preview(path: str | Path, dpi: float, progress: Progress) -> list[QImage]:
    """Every page of the PDF at dpi; raises Cancelled if progress was cancelled meanwhile."""
    pages = list(render_pdf_pages(path, dpi, progress))
    progress.check()  # the pages stopped early: a part of the document is no preview
    return pages


def describe_failure(error: Exception) -> str:
    """Why printing failed, in words for the user (in the GUI's language where we can)."""
    if isinstance(error, FileNotFoundError):
        return QCoreApplication.translate("Printing", "The file {path} does not exist.").format(
            path=error.filename or error
        )
    if isinstance(error, pdfium.PdfiumError):
        return QCoreApplication.translate(
            "Printing", "The file is not a readable PDF ({detail})."
        ).format(detail=error)
    return i18n.error_text(error)


def _tell_failure(parent: QWidget | None, path: Path, error: Exception) -> None:
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("Printing", "Printing"),
        QCoreApplication.translate("Printing", "Could not print {name}: {error}").format(
            name=path.name, error=describe_failure(error)
        ),
    )


def _report_outcome(
    parent: QWidget | None, path: Path, outcome: PrintResult | Exception
) -> None:
    if isinstance(outcome, Exception):
        _tell_failure(parent, path, outcome)


def ask_for_printer(parent: QWidget | None, printer: QPrinter, page_count: int) -> bool:
    """Show the print dialog for printer; True if the user chose to print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, max(page_count, 1))  # the page range spin boxes stop at the last page
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_with_dialog(
    parent: QWidget | None, path: str | Path, runner: TaskRunner | None = None
) -> PrintJob | None:
    """Ask for a printer, then print the PDF in the background; None if the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(Path(path).name)
    # Read first: cheap, lets the dialog bound the page range, and a broken file is caught
    # before the user has chosen a printer.
    try:
        count = pdf_page_count(path)
    except Exception as exc:  # a missing or broken file: say so instead of printing nothing
        _tell_failure(parent, Path(path), exc)
        return None
    if not ask_for_printer(parent, printer, count):
        return None
    job = PrintJob(path, printer, parent, runner=runner)
    job.finished.connect(lambda outcome: _report_outcome(parent, Path(path), outcome))
    return job.start()


def preview(
    parent: QWidget | None, path: str | Path, runner: TaskRunner | None = None, name: str = ""
) -> PdfPreview:
    """Show a print preview of the PDF (seals included); it opens once the pages are ready.
    name: the document in words for the title (a stored report's file is named by digest)."""
    return PdfPreview(path, parent, runner=runner, name=name).start()
