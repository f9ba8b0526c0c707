"""The building blocks every section of a report is laid out with: paragraphs, headings,
label/value facts and tables in the report's style, for one language.

The page itself is reports.page's, the signature block reports.signature_block's, a photo
with its caption reports.photo_cell's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from inspector_app.reports.fonts import (
    FONT,
    HEADER_FILL,
    RULE,
    Styles,
    label,
)
from inspector_app.reports.page import FRAME_BOTTOM, FRAME_TOP, FRAME_WIDTH

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
