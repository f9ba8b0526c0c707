"""The visible seal drawn in a signature box: a red-bordered stamp with who signed and when,
and for the supervisor, their handwritten signature above that text.

pyHanko's default stamp font has no Chinese glyphs, so the text is set with the shipped CJK
TrueType font, subset-embedded by pyHanko's GlyphAccumulator (which needs the
``pyHanko[opentype]`` extra: fontTools and uharfbuzz).
"""

from __future__ import annotations

import functools
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

from inspector_app.common.text import Text, UserError
from inspector_app.resources import cjk_font_path

if TYPE_CHECKING:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

SEAL_RED = (0.78, 0.08, 0.08)
OFFICER_TITLE = "客户经理签章"
SUPERVISOR_TITLE = "部门负责人复核"
# Laid out at this size, then shrunk by pyHanko if the signature box is too small for it.
FONT_SIZE = 10
_TEMPLATE = "%(title)s\n签署人：%(signer)s\n时间：%(when)s"
# With a handwritten signature, the seal's three lines sit at the bottom of the box and the
# signature is drawn in what is left above them.
_TEXT_HEIGHT = 3 * (FONT_SIZE + 4) + 10
_HANDWRITING_PIXELS = 1200  # a longer side beyond this is scaled down before embedding


class HandwritingError(UserError):
    """The handwritten signature image cannot be read."""


class Handwriting:
    """A handwritten signature, checked and decoded, ready to be drawn in a seal."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image


def seal_time(when: datetime) -> str:
    """2026-11-22 10:15 +08:00: minutes are enough on a seal, and the offset is never hidden."""
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def seal_text_params(title: str, signer: str, when: datetime) -> dict[str, str]:
    """Values for the seal template. A '%' in a name is safe: values are not re-interpolated."""
    return {"title": title, "signer": signer, "when": seal_time(when)}


def seal_text(title: str, signer: str, when: datetime) -> str:
    return _TEMPLATE % seal_text_params(title, signer, when)


def handwriting_image(png: bytes) -> Handwriting:
    """The PNG (from the signature pad) decoded; HandwritingError if it is not an image."""
    try:
        image: Image.Image = Image.open(BytesIO(png))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise HandwritingError(Text(
            "手写签名图片无法读取", "the handwritten signature image cannot be read")) from None
    image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                          else "RGB")
    if max(image.size) > _HANDWRITING_PIXELS:
        image.thumbnail((_HANDWRITING_PIXELS, _HANDWRITING_PIXELS))
    return Handwriting(image)


def seal_style(text: str, *, handwriting: Handwriting | None = None) -> TextStampStyle:
    """A red border and red Chinese text, centred in the signature box; ``text`` is what the
    seal will say (its characters are the only ones the embedded font needs). With
    ``handwriting``, the text sits at the bottom of the box and the signature above it.

    Raises ImportError if pyHanko's opentype extra (fontTools, uharfbuzz) is missing.
    """
    _glyph_accumulator_class()  # fail here, before anything is written, if the extra is missing
    font = CJKFont(cjk_font_path(), characters=text)
    if handwriting is not None:
        return TextStampStyle(
            stamp_text=_TEMPLATE,
            text_box_style=TextBoxStyle(
                font=font, font_size=FONT_SIZE, leading=FONT_SIZE + 4, text_color=SEAL_RED,
            ),
            inner_content_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MIN,
                margins=Margins.uniform(4),
            ),
            border_width=2,
            border_color=SEAL_RED,
            # A fixed resource name: pyHanko's default is a random one, and the signed file
            # must come out the same for the same input.
            background=PdfImage(handwriting.image, name="Handwriting"),
            background_opacity=1.0,
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MAX,
                margins=Margins(left=6, right=6, top=5, bottom=_TEXT_HEIGHT),
                inner_content_scaling=InnerScaling.STRETCH_TO_FIT,
            ),
        )
    return TextStampStyle(
        stamp_text=_TEMPLATE,
        text_box_style=TextBoxStyle(
            font=font, font_size=FONT_SIZE, leading=FONT_SIZE + 4, text_color=SEAL_RED,
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(4),
        ),
        border_width=2,
        border_color=SEAL_RED,
    )


class CJKFont(FontEngineFactory):
    """pyHanko's GlyphAccumulator (what its GlyphAccumulatorFactory makes), with corrections
    that tests check:

    - the font handed to pyHanko is first cut down to ``characters``: pyHanko keeps every glyph
      slot of a TrueType font when it subsets, and with this 30,000-glyph font that took over a
      second per signature;
    - glyph widths in the PDF (/W, TJ) are in 1/1000 em as the PDF format requires; pyHanko
      writes font units, right only for fonts with 1000 units per em and twice too wide for
      this one (2048), which pushed the seal's text out of its box;
    - the embedded font keeps the source font's timestamp instead of fontTools stamping in the
      current time, which made every signed file differ;
    - the font is read into memory, not through a file handle that is never closed.
    """

    def __init__(self, font_file: Path, *, characters: str, font_size: int = FONT_SIZE) -> None:
        self.font_file = Path(font_file)
        self.characters = characters
        self.font_size = font_size

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: object = None,
    ) -> FontEngine:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        engine = _glyph_accumulator_class()(
            writer=writer, font_handle=BytesIO(_cut_font(self.font_file, self.characters)),
            font_size=self.font_size, obj_stream=obj_stream,
        )
        engine.tt.recalcTimestamp = False
        return engine


# Every seal says when it was signed: cut with all the characters a time may use, the font for
# one signer's seal serves every signing of theirs, and the cut is made once per process.
_TIME_CHARACTERS = "0123456789-:+ "


def _cut_font(font_file: Path, characters: str) -> bytes:
    """The font with only the glyphs for ``characters`` and any time (and .notdef)."""
    wanted = "".join(sorted(set(characters) | set(_TIME_CHARACTERS)))
    return _cut_font_for(font_file, wanted)


@functools.lru_cache(maxsize=32)
def _cut_font_for(font_file: Path, characters: str) -> bytes:
    """The font with only the glyphs for ``characters`` (and .notdef), as TrueType bytes;
    about half a second for this 30,000-glyph font."""
    from fontTools import subset, ttLib

    font = ttLib.TTFont(BytesIO(font_file.read_bytes()), recalcTimestamp=False, lazy=True)
    options = subset.Options()
    options.layout_features = []  # Chinese and digits need no shaping features
    options.drop_tables += ["GPOS", "GDEF", "GSUB"]
    options.name_IDs = ["*"]  # pyHanko reads the PostScript name from the name table
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _glyph_accumulator_class() -> type[GlyphAccumulator]:
    # Imported late: the module needs pyHanko's opentype extra, and only signing needs it.
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class ThousandUnitGlyphAccumulator(GlyphAccumulator):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._to_thousandths = 1000 / self.units_per_em
            # HarfBuzz then reports advances in 1/1000 em, matching the widths below.
            self.hb_font.scale = (1000, 1000)
            self.units_per_em = 1000

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * self._to_thousandths))
            return self._glyphs[glyph_id]

    return ThousandUnitGlyphAccumulator
