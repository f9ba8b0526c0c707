"""Printing a signed report: the seal must be on paper, and Cancel must stop the job.

The printer is Qt's PDF writer (so the "paper" can be looked at), set to A4 with no margins so
a point on the report is the same point on the printout.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from inspector_app.gui import i18n
from inspector_app.gui.reports import printing
from inspector_app.gui.reports.printing import (
    PdfPreview,
    PrintJob,
    PrintResult,
    print_pdf,
    render_pdf_pages,
)
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.signing import certify_report, load_signer

PAGES = 4
OFFICER_BOX = (330.0, 90.0, 530.0, 170.0)  # PDF points, lower-left origin
SUPERVISOR_BOX = (60.0, 90.0, 260.0, 170.0)
TEXT_BOX = (60.0, 740.0, 300.0, 790.0)  # where each page's heading is
DPI = 72  # enough to see a seal; keeps the suite quick


@dataclass(frozen=True)
class SignedReport:
    path: Path
    ca_cert: Path


def plain_report(pages: int) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        page.setFont("Helvetica-Bold", 28)
        page.drawString(TEXT_BOX[0], TEXT_BOX[1] + 10, f"Inspection report page {number}")
        page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def signed_report(tmp_path_factory: pytest.TempPathFactory) -> SignedReport:
    """A report certified by an officer: a visible red seal in OFFICER_BOX on page 1."""
    folder = tmp_path_factory.mktemp("signed")
    ca = make_test_ca(folder / "ca", [("wang", "王明")])
    user = ca.user("wang")
    signer = load_signer(user.p12_path, user.password)
    out = folder / "report.pdf"
    certify_report(
        plain_report(PAGES), out, signer, page=0, officer_box=OFFICER_BOX,
        supervisor_box=SUPERVISOR_BOX,
        signed_at=datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0),
    )
    return SignedReport(out, ca.ca_cert_path)


def pdf_printer(out: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    return printer


def page_image(path: Path, index: int = 0) -> Image.Image:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[index].render(scale=1).to_pil().convert("RGB")
    finally:
        pdf.close()


def region(image: Image.Image, box: tuple[float, float, float, float]) -> list[tuple]:
    """The pixels of a PDF-point box (lower-left origin) on a page rendered at 72 dpi."""
    x1, y1, x2, y2 = box
    height = image.height
    return pixels(image.crop((int(x1), int(height - y2), int(x2), int(height - y1))))


def pixels(image: Image.Image) -> list[tuple]:
    data = image.tobytes()  # RGB
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def red(pixels: list[tuple]) -> int:
    return sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110)


def dark(pixels: list[tuple]) -> int:
    return sum(1 for r, g, b in pixels if r + g + b < 200)


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_the_source_report_has_its_seal_only_in_the_form_layer(
    signed_report: SignedReport,
) -> None:
    # The premise of the whole module: without PDFium's form layer the seal is not drawn.
    [with_forms] = render_pdf_pages(signed_report.path, DPI, pages=[0])
    [without] = render_pdf_pages(signed_report.path, DPI, pages=[0], draw_forms=False)
    assert with_forms.height() == 842  # A4 at 72 dpi: one pixel a point

    def reds(image: QImage) -> int:
        x1, y1, x2, y2 = OFFICER_BOX
        count = 0
        for y in range(int(image.height() - y2), int(image.height() - y1)):
            for x in range(int(x1), int(x2)):
                c = image.pixelColor(x, y)
                count += c.red() > 150 and c.green() < 110 and c.blue() < 110
        return count

    assert reds(with_forms) > 100
    assert reds(without) == 0


def test_printout_shows_the_seal_and_a_print_without_forms_does_not(
    signed_report: SignedReport, tmp_path: Path
) -> None:
    with_forms, without = tmp_path / "with.pdf", tmp_path / "without.pdf"
    result = print_pdf(signed_report.path, pdf_printer(with_forms), DPI)
    assert result == PrintResult(printed=PAGES, total=PAGES, cancelled=False)
    print_pdf(signed_report.path, pdf_printer(without), DPI, draw_forms=False)

    assert page_count(with_forms) == PAGES
    printed, plain = page_image(with_forms), page_image(without)
    assert red(region(printed, OFFICER_BOX)) > 100  # the red seal is on paper
    assert red(region(plain, OFFICER_BOX)) == 0  # ...and only thanks to the form layer
    # Both printed the page itself, and nothing red elsewhere.
    assert dark(region(printed, TEXT_BOX)) > 100
    assert dark(region(plain, TEXT_BOX)) > 100
    assert red(region(printed, SUPERVISOR_BOX)) == 0  # the empty supervisor field
    assert red(region(page_image(with_forms, 1), OFFICER_BOX)) == 0  # page 2 has no seal


def test_printing_runs_in_a_worker_thread(signed_report: SignedReport, tmp_path: Path) -> None:
    # Qt allows painting on a QPrinter outside the GUI thread; this is how PrintJob prints.
    out = tmp_path / "threaded.pdf"
    printer = pdf_printer(out)
    results: list[PrintResult] = []
    worker = threading.Thread(
        target=lambda: results.append(print_pdf(signed_report.path, printer, DPI))
    )
    worker.start()
    worker.join(30)
    assert results == [PrintResult(PAGES, PAGES, False)]
    assert red(region(page_image(out), OFFICER_BOX)) > 100


def test_cancel_stops_part_way_and_leaves_no_half_printout(
    signed_report: SignedReport, tmp_path: Path
) -> None:
    out = tmp_path / "cancelled.pdf"
    seen: list[tuple[int, int]] = []

    result = print_pdf(
        signed_report.path, pdf_printer(out), DPI,
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: len(seen) > 2,  # after (0, 4), (1, 4), (2, 4)
    )

    assert result == PrintResult(printed=2, total=PAGES, cancelled=True)
    assert seen == [(0, PAGES), (1, PAGES), (2, PAGES)]
    assert not out.exists()


def test_the_print_dialogs_page_range_is_followed(
    signed_report: SignedReport, tmp_path: Path
) -> None:
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(signed_report.path, printer, DPI).printed == 2
    assert page_count(out) == 2
    assert red(region(page_image(out), OFFICER_BOX)) == 0  # page 1, with the seal, was left out


def test_print_job_cancelled_from_the_ui_thread(
    qtbot: QtBot, signed_report: SignedReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "job.pdf"
    job = PrintJob(signed_report.path, pdf_printer(out), dpi=DPI)
    # Page 2 cannot finish before the UI thread has pressed Cancel, so the job must stop after
    # page 1 or page 2 (whether the Cancel lands before page 2 starts is up to the scheduler).
    cancelled_on_ui = threading.Event()
    painted: list[int] = []
    real_draw = printing.draw_fitted

    def draw_then_wait(*args) -> None:
        real_draw(*args)
        painted.append(1)
        if len(painted) == 2:
            cancelled_on_ui.wait(10)

    def on_progress(done: int, total: int) -> None:
        if done == 1:
            job.cancel()
            cancelled_on_ui.set()

    monkeypatch.setattr(printing, "draw_fitted", draw_then_wait)
    job.progressed.connect(on_progress)
    with qtbot.waitSignal(job.finished, timeout=20_000) as finished:
        job.start()
        assert job.running
    [outcome] = finished.args
    assert isinstance(outcome, PrintResult)
    assert outcome.cancelled and outcome.total == PAGES and outcome.printed in (1, 2)
    assert job.outcome == outcome
    assert not job.running
    assert not out.exists()


def test_print_job_reports_a_missing_file(qtbot: QtBot, tmp_path: Path) -> None:
    job = PrintJob(tmp_path / "missing.pdf", pdf_printer(tmp_path / "out.pdf"))
    with qtbot.waitSignal(job.finished, timeout=10_000) as finished:
        job.start()
    assert isinstance(finished.args[0], FileNotFoundError)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(
    ("lang", "missing", "broken"),
    [
        ("zh_CN", "文件 /a/report.pdf 不存在。", "该文件不是可读取的 PDF（"),
        ("en", "The file /a/report.pdf does not exist.", "The file is not a readable PDF ("),
    ],
)
def test_failures_are_told_in_the_users_language(
    tmp_path: Path, lang: str, missing: str, broken: str
) -> None:
    i18n.install(lang)
    assert printing.describe_failure(FileNotFoundError(2, "gone", "/a/report.pdf")) == missing
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a PDF")
    with pytest.raises(pdfium.PdfiumError) as error:
        list(render_pdf_pages(bad))
    assert printing.describe_failure(error.value).startswith(broken)


def test_print_with_dialog_prints_in_the_background(
    qtbot: QtBot, signed_report: SignedReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dialog.pdf"

    def choose_pdf_file(parent, printer: QPrinter, page_count: int) -> bool:
        assert page_count == PAGES
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(printing, "ask_for_printer", choose_pdf_file)
    job = printing.print_with_dialog(None, signed_report.path)
    assert job is not None
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=30_000)
    assert job.outcome == PrintResult(PAGES, PAGES, False)
    assert page_count(out) == PAGES


def test_print_with_dialog_cancelled_prints_nothing(
    signed_report: SignedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(printing, "ask_for_printer", lambda parent, printer, count: False)
    assert printing.print_with_dialog(None, signed_report.path) is None


def test_preview_shows_every_page_and_its_print_button_prints_full_size(
    qtbot: QtBot, signed_report: SignedReport, tmp_path: Path
) -> None:
    preview = printing.preview(None, signed_report.path)
    assert isinstance(preview, PdfPreview)
    qtbot.waitUntil(lambda: preview.dialog is not None, timeout=30_000)
    dialog = preview.dialog
    assert dialog is not None and dialog.isVisible()
    widget = dialog.findChild(QPrintPreviewWidget)
    assert widget.pageCount() == PAGES

    # What the dialog's Print button does once a printer is chosen.
    out = tmp_path / "from_preview.pdf"
    preview.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.printer.setOutputFileName(str(out))
    widget.print()
    assert not out.exists()  # not painted on the UI thread...
    dialog.accept()
    assert preview.print_job is not None  # ...but by a background job
    job = preview.print_job
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=30_000)
    assert job.outcome == PrintResult(PAGES, PAGES, False)
    assert page_count(out) == PAGES
    image = page_image(out)
    assert red(pixels(image)) > 100  # the seal, wherever the margins put it
