"""The 复核确认 block's text form fields, with pyHanko: made empty by the officer's
certification, filled by the supervisor's countersignature.

pyHanko makes signature fields only, so the text fields are plain AcroForm dictionaries (a
field merged with its widget, on the signature page). Filling one sets its value (/V) and points
its normal appearance (/AP /N) at a new stream, set in the shipped CJK font (subset-embedded
through seal.CJKFont, the seal's font engine) so every viewer, printer and pdftotext shows the
text without generating an appearance of its own. That is what pyHanko's difference analysis
calls form filling (GenericFieldModificationRule), which the certification's DocMDP permits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.layout import (
    AxisAlignment,
    BoxConstraints,
    InnerScaling,
    Margins,
    SimpleBoxLayoutRule,
)
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary

from inspector_app.reports import seal
from inspector_app.reports.review_block import MULTILINE_FIELDS, REVIEW_FIELDS, ReviewBlock
from inspector_app.resources import cjk_font_path

Box = tuple[float, float, float, float]

# Field flags (ISO 32000-1, table 226 and 228); ReadOnly (bit 1) stays off so that filling
# the field later is ordinary form filling.
_MULTILINE = 1 << 12
_DO_NOT_SPELL_CHECK = 1 << 22
_PRINT = 4  # annotation flag: printed with the page
_TOOLTIPS = {
    "ReviewerName": "复核人 / Reviewer",
    "ReviewDate": "复核日期 / Review date",
    "ReviewDecision": "复核结论 / Decision",
    "FinalClassification": "最终分类 / Final classification",
    "ReviewOpinion": "复核意见 / Review opinion",
}
TEXT_COLOR = (0.05, 0.12, 0.35)  # a dark blue-black, as a pen
FONT_SIZES = (9, 8, 7, 6)  # tried in turn until the text fits; pyHanko sets sizes as integers
_MARGIN = 2.0
ELLIPSIS = "…"


def add_review_fields(writer: BasePdfFileWriter, page: int, boxes: Mapping[str, Box]) -> None:
    """Empty text fields named by ``boxes`` (field name -> rectangle on ``page``), added to the
    document's AcroForm (which the supervisor's signature field already made)."""
    page_ref = writer.find_page_for_modification(page)[0]
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    # A default appearance is required for variable text; the app always writes appearances,
    # so the standard Helvetica only matters to a viewer that insists on making its own.
    if "/DA" not in form:
        form[generic.pdf_name("/DA")] = generic.pdf_string("/Helv 0 Tf 0 g")
        form[generic.pdf_name("/DR")] = generic.DictionaryObject({
            generic.pdf_name("/Font"): generic.DictionaryObject({
                generic.pdf_name("/Helv"): generic.DictionaryObject({
                    generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                    generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                    generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
                    generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding"),
                }),
            }),
        })
    for name in REVIEW_FIELDS:
        if name not in boxes:
            continue
        x1, y1, x2, y2 = boxes[name]
        flags = _DO_NOT_SPELL_CHECK | (_MULTILINE if name in MULTILINE_FIELDS else 0)
        blank = init_xobject_dictionary(b"", x2 - x1, y2 - y1)
        widget = generic.DictionaryObject({
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
            generic.pdf_name("/FT"): generic.pdf_name("/Tx"),
            generic.pdf_name("/T"): generic.pdf_string(name),
            generic.pdf_name("/TU"): generic.pdf_string(_TOOLTIPS.get(name, name)),
            generic.pdf_name("/Ff"): generic.NumberObject(flags),
            generic.pdf_name("/F"): generic.NumberObject(_PRINT),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (x1, y1, x2, y2)]),
            generic.pdf_name("/P"): page_ref,
            generic.pdf_name("/DA"): generic.pdf_string("/Helv 9 Tf 0 g"),
            # An empty appearance: nothing drawn, and no viewer makes one up meanwhile.
            generic.pdf_name("/AP"): generic.DictionaryObject(
                {generic.pdf_name("/N"): writer.add_object(blank)}),
        })
        ref = writer.add_object(widget)
        fields.append(ref)
        writer.register_annotation(page_ref, ref)
    writer.update_container(fields)
    writer.update_container(form)


def review_fields(writer: BasePdfFileWriter) -> dict[str, generic.DictionaryObject]:
    """The report's 复核确认 text fields by name; empty for a report certified without them."""
    try:
        fields = writer.root["/AcroForm"]["/Fields"]
    except KeyError:
        return {}
    found: dict[str, generic.DictionaryObject] = {}
    for ref in fields:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name in REVIEW_FIELDS and field.get("/FT") == "/Tx":
            found[name] = field
    return found


def fill_review_fields(writer: BasePdfFileWriter, block: ReviewBlock) -> bool:
    """Write the block's text into the report's fields (value and appearance); False, and
    nothing written, when the report has none (certified before the fields existed)."""
    fields = review_fields(writer)
    if not fields:
        return False
    values = block.values()
    characters = "".join(values[name] for name in fields) + ELLIPSIS
    engine = seal.CJKFont(cjk_font_path(), characters=characters).create_font_engine(writer)
    shared = _SharedEngine(engine)
    for name, field in fields.items():
        text = values[name]
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        stream = _appearance(shared, text, x2 - x1, y2 - y1, multiline=name in MULTILINE_FIELDS)
        field[generic.pdf_name("/V")] = generic.pdf_string(text)
        field[generic.pdf_name("/AP")] = generic.DictionaryObject(
            {generic.pdf_name("/N"): writer.add_object(stream)})
        writer.update_container(field)
    return True


class _SharedEngine(FontEngineFactory):
    """Hands pyHanko's TextBox one font engine for all fields: one embedded subset, not five."""

    def __init__(self, engine: FontEngine) -> None:
        self.engine = engine

    def create_font_engine(self, writer: BasePdfFileWriter,
                           obj_stream: object = None) -> FontEngine:
        return self.engine


def _appearance(fonts: _SharedEngine, text: str, width: float, height: float, *,
                multiline: bool) -> generic.StreamObject:
    inner_w, inner_h = width - 2 * _MARGIN, height - 2 * _MARGIN
    size, lines = FONT_SIZES[-1], [text]
    for size in FONT_SIZES:
        lines = _wrap(fonts.engine, text, size, inner_w) if multiline else [text]
        if (len(lines) * _leading(size) <= inner_h
                and all(_width(fonts.engine, line, size) <= inner_w for line in lines)):
            break
    else:
        if multiline:  # still too long at the smallest size: cut, and say so with an ellipsis
            keep = max(1, int(inner_h // _leading(size)))
            if len(lines) > keep:
                lines = lines[:keep]
                lines[-1] = _fit_with_ellipsis(fonts.engine, lines[-1], size, inner_w)
    box = TextBox(
        TextBoxStyle(
            font=fonts, font_size=size, leading=_leading(size), text_color=TEXT_COLOR,
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MIN,
                y_align=AxisAlignment.ALIGN_MAX if multiline else AxisAlignment.ALIGN_MID,
                margins=Margins.uniform(_MARGIN),
                # a single line longer than the field at the smallest size is squeezed in
                inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
            ),
        ),
        writer=None, box=BoxConstraints(width, height),
    )
    box.content = "\n".join(lines)
    commands = box.render()
    return init_xobject_dictionary(commands, width, height, box.resources.as_pdf_object())


def _leading(size: int) -> int:
    return size + 3


def _width(engine: FontEngine, text: str, size: int) -> float:
    if not text:
        return 0.0
    engine.font_size = size
    return float(engine.shape(text).x_advance) * size


_TOKEN = re.compile(r"[A-Za-z0-9.,;:!?'\"()\-/%]+\s*|\s+|.", re.S)


def _wrap(engine: FontEngine, text: str, size: int, width: float) -> list[str]:
    """Lines no wider than ``width``: Chinese breaks between any two characters, a run of
    Latin letters or digits only at its ends (unless it is wider than a line by itself)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _TOKEN.findall(paragraph):
            if _width(engine, line + token.rstrip(), size) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token.lstrip()
            while line and _width(engine, line.rstrip(), size) > width:  # a word wider than a line
                cut = _longest_prefix(engine, line, size, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _longest_prefix(engine: FontEngine, text: str, size: int, width: float) -> int:
    n = 1
    while n < len(text) and _width(engine, text[:n + 1], size) <= width:
        n += 1
    return n


def _fit_with_ellipsis(engine: FontEngine, line: str, size: int, width: float) -> str:
    while line and _width(engine, line + ELLIPSIS, size) > width:
        line = line[:-1]
    return line + ELLIPSIS
