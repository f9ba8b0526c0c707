"""A photo in the report: its report copy scaled into a box (or a placeholder naming the
missing original), with a caption cut to a bounded height.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph

from inspector_app.reports.fonts import (
    FONT,
    MUTED,
    RULE,
    label,
)

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
