"""Markings an officer drew on a photo (arrows, circles, text), burnt into a derived copy.

The original is evidence and is never altered: the markings are kept as a list of shapes on
the photo's row (photo_editing.validate_shapes) and drawn here, with Pillow, over the copies
that are shown or printed (the report's copy, the grid's thumbnail). The photo viewer draws
the same shapes as Qt items it can edit; the sizes below are shared with it so a marking
looks the same in the viewer, in the grid and on paper.

Coordinates are pixels of the upright original; a copy is the original scaled down, so each
shape is scaled by the copy's long side over the original's.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from PIL import Image, ImageDraw, ImageFont

from inspector_app.resources import cjk_font_path

ARROW_HEAD_SPREAD: Final = 0.45  # radians either side of the shaft
TEXT_BACKGROUND: Final = (255, 255, 255, 200)  # a light box so text reads on any photo
# Drawn at this multiple of the copy's size, then scaled down: Pillow draws without
# anti-aliasing, and a circle drawn at the final size has stair-stepped edges.
_SUPERSAMPLE: Final = 2
_MIN_STROKE: Final = 1.5  # output pixels: a marking stays visible on a thumbnail

Shapes = Sequence[Mapping[str, Any]]


def line_width(width: int, height: int) -> float:
    """A marking's stroke in photo pixels: visible at "fit" on a 12 MP photo and on a small
    screenshot alike."""
    return max(3.0, max(width, height) / 250)


def arrow_head(stroke: float) -> float:
    """The length of an arrow head's two strokes, in photo pixels."""
    return max(4 * stroke, 12.0)


def text_pixels(stroke: float) -> int:
    """A text marking's font size in photo pixels."""
    return max(int(stroke * 7), 14)


def markings_key(shapes: Shapes) -> str:
    """A short name for a set of markings, for the file name of a copy drawn with them."""
    canonical = json.dumps([dict(s) for s in shapes], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def draw_markings(image: Image.Image, shapes: Shapes, original_long_side: int) -> Image.Image:
    """``image`` (an upright copy of the photo) with ``shapes`` drawn over it, as RGB."""
    base = image.convert("RGB")
    if not shapes:
        return base
    scale = max(base.size) / max(original_long_side, 1)
    photo_stroke = line_width(original_long_side, 0)
    factor = _SUPERSAMPLE
    layer = Image.new("RGBA", (base.width * factor, base.height * factor), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    pixel = scale * factor  # photo pixels to layer pixels
    stroke = max(photo_stroke * scale, _MIN_STROKE) * factor
    for shape in shapes:
        colour = _rgb(str(shape.get("color", "#e53935")))
        kind = shape.get("kind")
        if kind == "arrow":
            _arrow(draw, shape, pixel, stroke, colour, arrow_head(photo_stroke) * pixel)
        elif kind == "circle":
            cx, cy, r = shape["cx"] * pixel, shape["cy"] * pixel, shape["r"] * pixel
            half = stroke / 2
            draw.ellipse((cx - r - half, cy - r - half, cx + r + half, cy + r + half),
                         outline=colour, width=max(1, round(stroke)))
        elif kind == "text":
            _text(draw, shape, pixel, stroke, colour, text_pixels(photo_stroke) * pixel)
    overlay = layer.resize(base.size, Image.Resampling.LANCZOS)
    marked = base.convert("RGBA")
    marked.alpha_composite(overlay)
    return marked.convert("RGB")


def _arrow(draw: ImageDraw.ImageDraw, shape: Mapping[str, Any], pixel: float, stroke: float,
           colour: tuple[int, int, int], head: float) -> None:
    x1, y1, x2, y2 = (shape[k] * pixel for k in ("x1", "y1", "x2", "y2"))
    angle = math.atan2(y1 - y2, x1 - x2)
    lines = [((x1, y1), (x2, y2))]
    for side in (-ARROW_HEAD_SPREAD, ARROW_HEAD_SPREAD):
        lines.append(((x2, y2), (x2 + head * math.cos(angle + side),
                                 y2 + head * math.sin(angle + side))))
    width = max(1, round(stroke))
    for start, end in lines:
        draw.line((start, end), fill=colour, width=width)
        for x, y in (start, end):  # round caps, as the viewer's pen draws them
            draw.ellipse((x - stroke / 2, y - stroke / 2, x + stroke / 2, y + stroke / 2),
                         fill=colour)


def _text(draw: ImageDraw.ImageDraw, shape: Mapping[str, Any], pixel: float, stroke: float,
          colour: tuple[int, int, int], size: float) -> None:
    font = _font(max(1, round(size)))
    x, y = shape["x"] * pixel, shape["y"] * pixel
    text = str(shape["text"])
    ascent, descent = font.getmetrics()
    width = font.getlength(text)
    pad = stroke
    draw.rectangle((x - pad, y - pad, x + width + pad, y + ascent + descent + pad),
                   fill=TEXT_BACKGROUND)
    # The shipped font has no bold face; a thin outline in the text's colour stands in for it.
    draw.text((x, y), text, font=font, fill=colour, stroke_width=max(1, round(size / 24)),
              stroke_fill=colour)


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path()), size)


def _rgb(colour: str) -> tuple[int, int, int]:
    try:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    except ValueError:
        return 0xE5, 0x39, 0x35  # the default colour; shapes are validated before they are kept
