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
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from PIL import Image, ImageDraw, ImageFont

from inspector_app.resources import cjk_font_path

ARROW_HEAD_SPREAD: Final = 0.45  # radians either side of the shaft
TEXT_BACKGROUND: Final = (255, 255, 255, 200)  # a light box so text reads on any photo
# Each marking's mask is drawn at this multiple of the copy's size, then averaged down: Pillow
# draws without anti-aliasing, and a circle drawn at the final size has stair-stepped edges.
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
    scale = max(base.size) / max(original_long_side, 1)
    stroke = line_width(original_long_side, 0)  # in photo pixels
    pen = max(stroke * scale, _MIN_STROKE) / scale  # at least _MIN_STROKE on the copy
    for shape in shapes:
        colour = _rgb(str(shape.get("color", "#e53935")))
        kind = shape.get("kind")
        if kind == "arrow":
            _arrow(base, scale, shape, pen, colour, arrow_head(stroke))
        elif kind == "circle":
            _circle(base, scale, shape, pen, colour)
        elif kind == "text":
            _text(base, scale, shape, pen, colour, text_pixels(stroke))
    return base


Draw = Callable[[ImageDraw.ImageDraw, Callable[[float, float], tuple[float, float]], float],
                None]


def _paint(base: Image.Image, scale: float, box: tuple[float, float, float, float],
           colour: tuple[int, int, int], draw: Draw, opacity: int = 255) -> None:
    """Fill ``colour`` over ``base`` through a mask drawn by ``draw`` at twice the copy's size
    over ``box`` (photo pixels) and averaged down: smooth edges, and only that box is worked.

    ``draw(d, at, px)`` gets the mask's ImageDraw, ``at(x, y)`` mapping a photo pixel into the
    mask, and the mask pixels per photo pixel.
    """
    px = scale * _SUPERSAMPLE
    x0, y0 = (max(0, math.floor(v * scale) - 1) for v in box[:2])
    x1 = min(base.width, math.ceil(box[2] * scale) + 1)
    y1 = min(base.height, math.ceil(box[3] * scale) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.new("L", ((x1 - x0) * _SUPERSAMPLE, (y1 - y0) * _SUPERSAMPLE), 0)
    draw(ImageDraw.Draw(mask),
         lambda x, y: (x * px - x0 * _SUPERSAMPLE, y * px - y0 * _SUPERSAMPLE), px)
    small = mask.reduce(_SUPERSAMPLE)
    if opacity < 255:
        small = small.point(lambda v: v * opacity // 255)
    base.paste(colour, (x0, y0, x1, y1), small)


def _arrow(base: Image.Image, scale: float, shape: Mapping[str, Any], pen: float,
           colour: tuple[int, int, int], head: float) -> None:
    x1, y1, x2, y2 = (float(shape[k]) for k in ("x1", "y1", "x2", "y2"))
    angle = math.atan2(y1 - y2, x1 - x2)
    lines = [((x1, y1), (x2, y2))]
    for side in (-ARROW_HEAD_SPREAD, ARROW_HEAD_SPREAD):
        lines.append(((x2, y2), (x2 + head * math.cos(angle + side),
                                 y2 + head * math.sin(angle + side))))
    xs = [x for line in lines for x, _ in line]
    ys = [y for line in lines for _, y in line]

    def draw(d: ImageDraw.ImageDraw, at: Callable[[float, float], tuple[float, float]],
             px: float) -> None:
        width, half = max(1, round(pen * px)), pen * px / 2
        for start, end in lines:
            d.line((at(*start), at(*end)), fill=255, width=width)
            for x, y in (at(*start), at(*end)):  # round caps, as the viewer's pen draws them
                d.ellipse((x - half, y - half, x + half, y + half), fill=255)

    _paint(base, scale, (min(xs) - pen, min(ys) - pen, max(xs) + pen, max(ys) + pen), colour,
           draw)


def _circle(base: Image.Image, scale: float, shape: Mapping[str, Any], pen: float,
            colour: tuple[int, int, int]) -> None:
    cx, cy = float(shape["cx"]), float(shape["cy"])
    outer = float(shape["r"]) + pen / 2  # the pen is centred on the circle, as in the viewer
    box = (cx - outer, cy - outer, cx + outer, cy + outer)
    _paint(base, scale, box, colour, lambda d, at, px: d.ellipse(
        (*at(box[0], box[1]), *at(box[2], box[3])), outline=255, width=max(1, round(pen * px))))


def _text(base: Image.Image, scale: float, shape: Mapping[str, Any], pen: float,
          colour: tuple[int, int, int], size: int) -> None:
    x, y, text = float(shape["x"]), float(shape["y"]), str(shape["text"])
    measure = _font(size)  # in photo pixels, for the box
    ascent, descent = measure.getmetrics()
    box = (x - pen, y - pen, x + measure.getlength(text) + pen, y + ascent + descent + pen)
    _paint(base, scale, box, TEXT_BACKGROUND[:3],
           lambda d, at, px: d.rectangle((*at(box[0], box[1]), *at(box[2], box[3])), fill=255),
           opacity=TEXT_BACKGROUND[3])

    def draw(d: ImageDraw.ImageDraw, at: Callable[[float, float], tuple[float, float]],
             px: float) -> None:
        font = _font(max(1, round(size * px)))
        # The shipped font has no bold face; a thin outline stands in for it.
        d.text(at(x, y), text, font=font, fill=255, stroke_width=max(1, round(size * px / 24)),
               stroke_fill=255)

    _paint(base, scale, box, colour, draw)


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path()), size)


def _rgb(colour: str) -> tuple[int, int, int]:
    try:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    except ValueError:
        return 0xE5, 0x39, 0x35  # the default colour; shapes are validated before they are kept
