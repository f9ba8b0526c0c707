"""The signature block at the end of the report: the officer's handwritten signature and
seal boxes, the supervisor's 复核确认 lines (reviewer, date, decision, final classification,
opinion) and seal box, and where they landed on the page for the signing module to fill (PDF
points, default user space, as pyHanko takes them).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
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
from inspector_app.reports.review_block import (
    CLASSIFICATION_FIELD,
    DECISION_FIELD,
    OPINION_FIELD,
    REVIEW_DATE_FIELD,
    REVIEWER_FIELD,
)


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
    empty for the supervisor's countersignature. ``review_boxes`` are where the supervisor's
    text goes (reviewer, date, decision, final classification, opinion), by form field name
    (reports/review_block.py): the certification makes them empty form fields.
    """

    page_index: int
    page_size: tuple[float, float]
    officer_signature_box: Rect
    officer_seal_box: Rect
    supervisor_seal_box: Rect
    review_boxes: Mapping[str, Rect] = field(default_factory=dict)


# -- signatures ----------------------------------------------------------------------------

SEAL_WIDTH: Final = 220.0
SEAL_HEIGHT: Final = 78.0
# The supervisor's seal also shows their handwritten signature above the seal's text.
SUPERVISOR_SEAL_HEIGHT: Final = 100.0
REVIEW_ROW: Final = 20.0  # one line of the supervisor's block
REVIEW_FIELD_HEIGHT: Final = 16.0
OPINION_HEIGHT: Final = 64.0
_REVIEW_LINES: Final = (
    (REVIEWER_FIELD, "reviewer"),
    (REVIEW_DATE_FIELD, "review_date"),
    (DECISION_FIELD, "review_decision"),
    (CLASSIFICATION_FIELD, "review_classification"),
)


@dataclass
class SignatureRecorder:
    """Filled in by SignatureBlock when it is drawn: where its boxes are on the page."""

    layout: SignatureLayout | None = field(default=None)


class SignatureBlock(Flowable):
    """The officer's handwritten signature and seal boxes, then the supervisor's seal box."""

    def __init__(
        self, *, lang: str, officer_name: str, visit_date: str, signature_png: bytes | None,
        recorder: SignatureRecorder, copy: bool = False,
    ) -> None:
        super().__init__()
        self.copy = copy  # a copy's seal boxes say where the signatures are
        self.lang = lang
        self.officer_name = officer_name
        self.visit_date = visit_date
        self.signature_png = signature_png
        self.recorder = recorder

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = FRAME_WIDTH
        # officer: caption, boxes, name line; supervisor: caption, lines beside the seal box,
        # then the opinion's caption and box; nothing below
        self.height = (16 + SEAL_HEIGHT + 32) + (16 + SUPERVISOR_SEAL_HEIGHT) + 20 + OPINION_HEIGHT
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
        if self.copy:
            self._see_original(seal)
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
        # supervisor: the review's lines (left) and the empty seal box (right)
        sup_top = officer_y - 32
        sup_y = sup_top - 16 - SUPERVISOR_SEAL_HEIGHT
        self._caption(0, sup_top - 10, label("supervisor_confirm", lang))
        self._caption(right_x, sup_top - 10, label("supervisor_seal", lang))
        sup = Rect(right_x, sup_y, self.width, sup_y + SUPERVISOR_SEAL_HEIGHT)
        self._box(sup, dashed=True)
        if self.copy:
            self._see_original(sup)
        canv.setFont(FONT, 8.5)
        canv.setFillColor(MUTED)
        canv.drawString(0, sup_top - 27, label("sign_here_note", lang))
        boxes: dict[str, Rect] = {}
        label_width = 58.0 if lang == "zh" else 92.0
        line_end = right_x - 16
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        for n, (name, key) in enumerate(_REVIEW_LINES):
            y = sup_top - 32 - REVIEW_ROW * (n + 1)
            canv.drawString(0, y + 4, f"{label(key, lang)}{colon}")
            canv.line(label_width, y, line_end, y)
            boxes[name] = Rect(label_width, y + 1, line_end, y + 1 + REVIEW_FIELD_HEIGHT)
        # the opinion: a box the width of the page
        opinion_top = sup_y - 20
        self._caption(0, opinion_top + 6, label("review_opinion", lang))
        opinion = Rect(0, opinion_top - OPINION_HEIGHT, self.width, opinion_top)
        self._box(opinion, dashed=False)
        boxes[OPINION_FIELD] = Rect(opinion.x0 + 2, opinion.y0 + 2, opinion.x1 - 2, opinion.y1 - 2)
        self.recorder.layout = SignatureLayout(
            page_index=canv.getPageNumber() - 1,
            page_size=(PAGE_WIDTH, PAGE_HEIGHT),
            officer_signature_box=self._absolute(hand),
            officer_seal_box=self._absolute(seal),
            supervisor_seal_box=self._absolute(sup),
            review_boxes={name: self._absolute(box) for name, box in boxes.items()},
        )

    def _caption(self, x: float, y: float, text: str) -> None:
        self.canv.setFont(FONT, 9)
        self.canv.setFillColor(ACCENT)
        self.canv.drawString(x, y, text)

    def _see_original(self, rect: Rect) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFont(FONT, 9)
        canv.setFillColor(MUTED)
        canv.drawCentredString((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2 - 3,
                               label("copy_seal", self.lang))
        canv.restoreState()

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
