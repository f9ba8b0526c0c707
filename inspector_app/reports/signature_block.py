"""The signature block at the end of the report: the officer's handwritten signature and
seal boxes, the supervisor's seal box, and where they landed on the page for the signing
module to fill (PDF points, default user space, as pyHanko takes them).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from inspector_app.reports.fonts import (
    ACCENT,
    FONT,
    INK,
    MUTED,
    RULE,
    label,
)
from inspector_app.reports.page import FRAME_WIDTH, PAGE_HEIGHT, PAGE_WIDTH


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
