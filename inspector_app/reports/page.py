"""The report's page: its geometry, and what every page carries besides its content (header,
footer with "page X of Y", the DRAFT watermark, or a copy's COPY watermark with the line
naming the signed original), drawn by a canvas that holds pages back.

Coordinates are PDF points in default user space: origin at the bottom-left corner of the
page, y upwards (what pyHanko expects for a signature field's box).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from inspector_app.reports.fonts import (
    ACCENT,
    FONT,
    HEADER_FILL,
    INK,
    MUTED,
    RULE,
    label,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X: Final = 42.0
FRAME_TOP: Final = PAGE_HEIGHT - 70.0  # below the header band
FRAME_BOTTOM: Final = 50.0  # above the footer
FRAME_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN_X


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
    # A copy of a signed visit's report: the signed original's SHA-256 (None: not here).
    copy: bool = False
    original_sha256: str | None = None


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
    if decor.copy:
        _draw_copy_marks(canv, decor)
    elif decor.draft:
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


COPY_MARK_ZH: Final = "副本 · 非签署件"
COPY_MARK_EN: Final = "COPY — NOT THE SIGNED ORIGINAL"


def _draw_copy_marks(canv: Canvas, decor: PageDecor) -> None:
    """Both languages across the page, whatever the report's: a copy must not pass for the
    signed report in any reader's eyes; and on every page, the line naming the original."""
    canv.saveState()
    canv.setFillColor(colors.Color(0.70, 0.15, 0.12, alpha=0.2))
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(40)
    canv.setFont(FONT, 74)
    canv.drawCentredString(0, 18, COPY_MARK_ZH)
    canv.setFont(FONT, 33)
    canv.drawCentredString(0, -44, COPY_MARK_EN)
    canv.restoreState()
    sha = decor.original_sha256
    line = (label("copy_line", decor.lang, sha=sha) if sha
            else label("copy_line_no_original", decor.lang))
    canv.setFillColor(colors.HexColor("#b3261e"))
    canv.setFont(FONT, 6.5)
    # Between the header band and the text, where nothing else is drawn.
    canv.drawCentredString(PAGE_WIDTH / 2, FRAME_TOP + 4, _fit(line, 6.5, FRAME_WIDTH))


def _fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` at ``size``."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"
