"""How the report is put on paper: the page (header, footer, watermark, page X of Y), the
photo cells, the signature block whose boxes the signing module fills, and the paragraphs,
headings and tables every section is built from.

Coordinates are PDF points in default user space: origin at the bottom-left corner of the
page, y upwards (what pyHanko expects for a signature field's box).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from inspector_app.reports.fonts import (
    ACCENT,
    FONT,
    HEADER_FILL,
    INK,
    MUTED,
    RULE,
    Styles,
    label,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X: Final = 42.0
FRAME_TOP: Final = PAGE_HEIGHT - 70.0  # below the header band
FRAME_BOTTOM: Final = 50.0  # above the footer
FRAME_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN_X


class Rect(NamedTuple):
    """A rectangle in PDF points, default user space: (x0, y0) bottom-left, (x1, y1) top-right.

    The order pyHanko's ``SigFieldSpec(box=...)`` takes.
    """

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class SignatureLayout:
    """Where the signature block landed: the page (0-based) and its boxes.

    ``officer_signature_box`` holds the handwritten signature; ``officer_seal_box`` is left
    empty beside it for the officer's visible PAdES signature; ``supervisor_seal_box`` is left
    empty for the supervisor's countersignature.
    """

    page_index: int
    page_size: tuple[float, float]
    officer_signature_box: Rect
    officer_seal_box: Rect
    supervisor_seal_box: Rect


# -- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides its content."""

    lang: str
    borrower_name: str
    visit_id: str
    branch: str
    revision: int
    draft: bool


def set_document_id(canvas: Canvas, hex_id: bytes) -> None:
    """Make the PDF's /ID the given one (hex digits), the same on every render.

    reportlab derives /ID from a digest it keeps private; this sets the value it caches.
    """
    doc: Any = canvas._doc  # type: ignore[attr-defined]  # private: not in reportlab's stubs
    doc._ID = b"[<" + hex_id + b"><" + hex_id + b">]"


class ReportCanvas(Canvas):
    """A canvas that holds pages back until the end, so each footer can say "page X of Y".

    The header, footer and watermark are drawn in that final pass, over the content: the
    watermark stays visible on photos, and it is translucent so text under it stays legible.
    """

    def __init__(
        self, *args: Any, decor: PageDecor, document_id: bytes, created: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._held_pages: list[dict[str, Any]] = []
        # Creation and modification date from the visit, not the clock (the formatter is
        # handed reportlab's timestamp and ignores it).
        self.setDateFormatter(lambda *_ignored: created)
        set_document_id(self, document_id.hex().upper().encode("ascii"))

    if TYPE_CHECKING:  # reportlab's own, left out of its stubs as private

        def _startPage(self) -> None: ...

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            _draw_furniture(self, self._decor, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def canvasmaker(
    decor: PageDecor, *, document_id: bytes, created: str
) -> Callable[..., ReportCanvas]:
    """A canvas factory for BaseDocTemplate.build: page decoration, file ID, PDF date."""

    def make(*args: Any, **kwargs: Any) -> ReportCanvas:
        return ReportCanvas(
            *args, decor=decor, document_id=document_id, created=created, **kwargs
        )

    return make


def _draw_furniture(canv: Canvas, decor: PageDecor, number: int, total: int) -> None:
    lang = decor.lang
    left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
    top = PAGE_HEIGHT - 18
    band = 40.0
    canv.saveState()
    canv.setFillColor(HEADER_FILL)
    canv.rect(left, top - band, right - left, band, stroke=0, fill=1)
    canv.setFillColor(ACCENT)
    canv.rect(left, top - band, 3, band, stroke=0, fill=1)
    canv.setFont(FONT, 12.5)
    canv.drawString(left + 10, top - 17, label("title", lang))
    canv.setFillColor(MUTED)
    canv.setFont(FONT, 7.5)
    canv.drawString(left + 10, top - 31, decor.branch)
    canv.setFillColor(INK)
    name = _fit(decor.borrower_name, 10.5, (right - left) * 0.55)
    canv.setFont(FONT, 10.5)
    canv.drawRightString(right - 8, top - 17, name)
    canv.setFillColor(MUTED)
    canv.setFont(FONT, 7)
    canv.drawRightString(right - 8, top - 31, f"{label('visit_id', lang)} {decor.visit_id}")
    # footer
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(left, 38, right, 38)
    canv.setFont(FONT, 8)
    canv.setFillColor(MUTED)
    canv.drawCentredString(PAGE_WIDTH / 2, 25, label("page", lang, n=number, total=total))
    canv.drawString(left, 25, label("revision", lang, n=decor.revision))
    canv.drawRightString(right, 25, decor.visit_id[:8])
    if decor.draft:
        _draw_watermark(canv)
    canv.restoreState()


def _draw_watermark(canv: Canvas) -> None:
    canv.saveState()
    canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.22))
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(40)
    canv.setFont(FONT, 120)
    canv.drawCentredString(0, 10, "草稿")
    canv.setFont(FONT, 64)
    canv.drawCentredString(0, -70, "DRAFT")
    canv.restoreState()


def _fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` at ``size``."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


# -- photos ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoImage:
    """A photo as the report places it: its report copy (None if the original is missing)."""

    path: Path | None
    width: int
    height: int


class PhotoCell(Flowable):
    """One photo, scaled to fit its box with its aspect ratio kept, and its caption below."""

    def __init__(
        self, image: PhotoImage, sha256: str, caption: list[Paragraph], *,
        width: float, image_height: float, lang: str,
    ) -> None:
        super().__init__()
        self.image = image
        self.sha256 = sha256
        self.caption = caption
        self.box_width = width
        self.image_height = image_height
        self.lang = lang
        self._caption_heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._caption_heights = [p.wrap(self.box_width, 10_000)[1] for p in self.caption]
        self.height = self.image_height + 4 + sum(self._caption_heights)
        self.width = self.box_width
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        box_y = top - self.image_height
        if self.image.path is None:
            self._draw_missing(box_y)
        else:
            scale = min(self.box_width / self.image.width, self.image_height / self.image.height)
            w, h = self.image.width * scale, self.image.height * scale
            x = (self.box_width - w) / 2
            y = box_y + (self.image_height - h)  # top-aligned: captions sit close below
            # A file path to a JPEG: reportlab embeds its bytes as they are (DCTDecode).
            canv.drawImage(str(self.image.path), x, y, w, h)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.4)
            canv.rect(x, y, w, h, stroke=1, fill=0)
        y = box_y - 4
        for paragraph, height in zip(self.caption, self._caption_heights, strict=True):
            y -= height
            paragraph.drawOn(canv, 0, y)

    def _draw_missing(self, y: float) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.HexColor("#f4f4f4"))
        canv.setStrokeColor(colors.HexColor("#b3261e"))
        canv.setDash(4, 3)
        canv.rect(0, y, self.box_width, self.image_height, stroke=1, fill=1)
        canv.setFillColor(colors.HexColor("#b3261e"))
        canv.setFont(FONT, 10)
        mid = y + self.image_height / 2
        canv.drawCentredString(self.box_width / 2, mid + 8, label("photo_missing", self.lang))
        canv.setFont(FONT, 5.6)
        canv.setFillColor(MUTED)
        canv.drawCentredString(self.box_width / 2, mid - 8, self.sha256[:32])
        canv.drawCentredString(self.box_width / 2, mid - 16, self.sha256[32:])
        canv.restoreState()


# -- signatures ----------------------------------------------------------------------------

SEAL_WIDTH: Final = 220.0
SEAL_HEIGHT: Final = 78.0


@dataclass
class SignatureRecorder:
    """Filled in by SignatureBlock when it is drawn: where its boxes are on the page."""

    layout: SignatureLayout | None = field(default=None)


class SignatureBlock(Flowable):
    """The officer's handwritten signature and seal boxes, then the supervisor's seal box."""

    def __init__(
        self, *, lang: str, officer_name: str, visit_date: str, signature_png: bytes | None,
        recorder: SignatureRecorder,
    ) -> None:
        super().__init__()
        self.lang = lang
        self.officer_name = officer_name
        self.visit_date = visit_date
        self.signature_png = signature_png
        self.recorder = recorder

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = FRAME_WIDTH
        # caption, officer's boxes, name line, caption, supervisor's box; nothing below
        self.height = 2 * SEAL_HEIGHT + 70
        return self.width, self.height

    def draw(self) -> None:
        canv, lang = self.canv, self.lang
        right_x = self.width - SEAL_WIDTH
        # officer: labels, the handwriting box (left) and the seal box (right)
        top = self.height
        officer_y = top - 16 - SEAL_HEIGHT
        self._caption(0, top - 10, label("officer_signature", lang))
        self._caption(right_x, top - 10, label("officer_seal", lang))
        hand = Rect(0, officer_y, SEAL_WIDTH, officer_y + SEAL_HEIGHT)
        seal = Rect(right_x, officer_y, self.width, officer_y + SEAL_HEIGHT)
        self._box(hand, dashed=False)
        self._box(seal, dashed=True)
        if self.signature_png:
            reader = ImageReader(io.BytesIO(self.signature_png))
            canv.drawImage(reader, hand.x0 + 6, hand.y0 + 6, SEAL_WIDTH - 12, SEAL_HEIGHT - 12,
                           mask="auto", preserveAspectRatio=True, anchor="c")
        canv.setFont(FONT, 9)
        canv.setFillColor(INK)
        colon = "：" if lang == "zh" else ": "
        canv.drawString(0, officer_y - 16, f"{label('name', lang)}{colon}{self.officer_name}")
        canv.drawString(SEAL_WIDTH * 0.62, officer_y - 16,
                        f"{label('date', lang)}{colon}{self.visit_date}")
        # supervisor: confirmation text (left) and the empty seal box (right)
        sup_top = officer_y - 32
        sup_y = sup_top - 16 - SEAL_HEIGHT
        self._caption(0, sup_top - 10, label("supervisor_confirm", lang))
        self._caption(right_x, sup_top - 10, label("supervisor_seal", lang))
        sup = Rect(right_x, sup_y, self.width, sup_y + SEAL_HEIGHT)
        self._box(sup, dashed=True)
        canv.setFont(FONT, 8.5)
        canv.setFillColor(MUTED)
        canv.drawString(0, sup_y + SEAL_HEIGHT - 14, label("sign_here_note", lang))
        canv.setStrokeColor(RULE)
        for n, key in enumerate(("name", "date")):
            y = sup_y + 22 - n * 22
            canv.drawString(0, y + 3, label(key, lang))
            canv.line(40, y, SEAL_WIDTH, y)
        self.recorder.layout = SignatureLayout(
            page_index=canv.getPageNumber() - 1,
            page_size=(PAGE_WIDTH, PAGE_HEIGHT),
            officer_signature_box=self._absolute(hand),
            officer_seal_box=self._absolute(seal),
            supervisor_seal_box=self._absolute(sup),
        )

    def _caption(self, x: float, y: float, text: str) -> None:
        self.canv.setFont(FONT, 9)
        self.canv.setFillColor(ACCENT)
        self.canv.drawString(x, y, text)

    def _box(self, rect: Rect, *, dashed: bool) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        if dashed:
            canv.setDash(3, 2)
        canv.rect(rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0, stroke=1, fill=0)
        canv.restoreState()

    def _absolute(self, rect: Rect) -> Rect:
        x0, y0 = self.canv.absolutePosition(rect.x0, rect.y0)
        x1, y1 = self.canv.absolutePosition(rect.x1, rect.y1)
        return Rect(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))


# -- building blocks -----------------------------------------------------------------------

# A table cell: text, a flowable, or flowables stacked in the one cell.
Cell = Flowable | str | Sequence[Flowable]
Row = list[Cell]
# One TableStyle command: its name, the first and last cell, then its values.
StyleCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


class Blocks:
    """Paragraphs, headings and tables in the report's style, for one language."""

    def __init__(self, lang: str, styles: Styles) -> None:
        self.lang = lang
        self.s = styles

    def t(self, key: str, **values: object) -> str:
        return label(key, self.lang, **values)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """User text as a paragraph: markup characters escaped, line breaks kept."""
        return Paragraph(escape(text).replace("\n", "<br/>"), style or self.s.cell)

    def h1(self, key: str, room: float = 110) -> list[Flowable]:
        """A section title, on a new page unless ``room`` points are left for what follows.

        Not keepWithNext: that keeps a heading with its whole table and leaves half a page
        empty when the table would have split anyway.
        """
        return [CondPageBreak(room), Paragraph(escape(self.t(key)), self.s.h1)]

    def h2(self, text: str, room: float = 70) -> list[Flowable]:
        return [CondPageBreak(room), Paragraph(escape(text), self.s.h2)]

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def parens(self, text: str) -> str:
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def money(self, fen: int | None) -> Paragraph:
        """Yuan with two decimals, right-aligned; exact, as fen are whole numbers."""
        if fen is None:
            return Paragraph("—", self.s.number)
        sign, fen = ("-" if fen < 0 else ""), abs(fen)
        text = f"{sign}{fen // 100:,}.{fen % 100:02d}"
        return Paragraph(text, self.s.number)

    def yes_no(self, value: bool | None) -> str:
        return "—" if value is None else self.t("yes" if value else "no")

    def table(
        self, rows: list[Row], widths: list[float], *, header: bool = True,
        extra: Sequence[StyleCommand] | None = None,
    ) -> Table:
        style: list[StyleCommand] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        cells = [[self.p(c) if isinstance(c, str) else c for c in row] for row in rows]
        if header:
            cells[0] = [Paragraph(escape(str(c)), self.s.cell_head) if isinstance(c, str)
                        else c for c in rows[0]]
        # repeatRows: a table continued on the next page starts with its header again.
        # Rows stay whole, except in a table with a row too tall for any page (a note of
        # thousands of characters): there rows may split, or the layout would fail.
        return Table(cells, colWidths=widths, repeatRows=1 if header else 0,
                     splitInRow=int(_tallest_row(cells, widths) > _ROW_LIMIT),
                     style=TableStyle([*style, *(extra or [])]), hAlign="LEFT")

    def facts(self, pairs: list[tuple[str, str]]) -> list[Flowable]:
        """Label/value pairs, two per line; a value marked with a leading "\\n" takes a line.

        Built as stacked tables, one per run of lines of the same shape, rather than one table
        with spanned cells: reportlab loses a span when it splits a tall row across pages.
        """
        lines: list[Row] = []
        pending: Row = []
        for key, value in pairs:
            cell = [Paragraph(escape(self.t(key)), self.s.label), self.p(value.lstrip("\n"))]
            if value.startswith("\n") and pending:
                lines.append(pending)
                pending = []
            pending += cell
            if len(pending) == 4 or value.startswith("\n"):
                lines.append(pending)
                pending = []
        if pending:
            lines.append(pending)
        label_w = 78.0
        value_w = FRAME_WIDTH / 2 - label_w
        shade = [("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)]
        tables: list[Flowable] = []
        for _wide, group in groupby(lines, key=len):
            rows: list[Row] = list(group)
            if len(rows[0]) == 2:
                tables.append(self.table(rows, [label_w, FRAME_WIDTH - label_w], header=False,
                                         extra=shade))
            else:
                tables.append(self.table(rows, [label_w, value_w, label_w, value_w],
                                         header=False, extra=[*shade, ("BACKGROUND", (2, 0),
                                                              (2, -1), HEADER_FILL)]))
        return tables


_ROW_LIMIT = (FRAME_TOP - FRAME_BOTTOM) * 0.8  # leaves room for a heading and a header row
_PADDING = 8.0  # a table cell's left + right padding (and more than its top + bottom)


def _tallest_row(cells: Sequence[Sequence[object]], widths: list[float]) -> float:
    """The height of the table's tallest row, measured on its paragraphs."""
    tallest = 0.0
    for row in cells:
        for cell, width in zip(row, widths, strict=True):
            parts = cell if isinstance(cell, list) else [cell]
            height = sum(p.wrap(width - _PADDING, 100_000)[1] for p in parts
                         if isinstance(p, Flowable))
            tallest = max(tallest, height + _PADDING)
    return tallest


def coordinates(lat: float, lon: float) -> str:
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"{abs(lat):.5f}°{ns} {abs(lon):.5f}°{ew}"


def clipped(paragraph: Paragraph, width: float, lines: int) -> Paragraph:
    """The paragraph, cut with an ellipsis to at most ``lines`` lines at ``width``.

    A photo row cannot break across pages, so its caption must have a bounded height.
    """
    style = paragraph.style
    limit = lines * style.leading + 0.1
    if paragraph.wrap(width, 10_000)[1] <= limit:
        return paragraph
    text = paragraph.text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits, by bisection
        mid = (low + high + 1) // 2
        if Paragraph(text[:mid] + "…", style).wrap(width, 10_000)[1] <= limit:
            low = mid
        else:
            high = mid - 1
    return Paragraph(text[:low] + "…", style)
