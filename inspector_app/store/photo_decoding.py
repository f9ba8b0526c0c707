"""Pillow's part of the photo store: opening a photo in an accepted format, decoding all of
it (the validation), reading its EXIF facts, and rendering the JPEG copies shown or printed.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageFile, ImageOps

from inspector_app.store.exif import NO_FACTS, ExifFacts, read_exif_facts
from inspector_app.store.photo_errors import as_photo_error

THUMBNAIL_QUALITY: Final = 85

# Formats an officer's camera, phone or scanner produces. Pillow can open many more (EPS would
# even start Ghostscript), and none of them belongs in an inspection file. Order matters only
# for speed: Pillow tries them in turn. HEIF is opened only if a plugin such as pillow-heif has
# registered it; MPO (multi-picture JPEG from some phones) is opened by the JPEG plugin.
_PHOTO_FORMATS: Final = ("JPEG", "PNG", "HEIF", "WEBP", "AVIF", "TIFF", "BMP", "GIF")
JPEG_FAMILY: Final = frozenset({"JPEG", "MPO"})


@dataclass(frozen=True, slots=True)
class Decoded:
    format: str
    width: int
    height: int
    facts: ExifFacts
    thumbnail: bytes | None


# -- decoding -----------------------------------------------------------------------------


def decode_photo(data: bytes, name: str, thumbnail_size: int | None) -> Decoded:
    """Fully decode ``data`` (the validation) and render the thumbnail from that one decode."""
    with strict_truncation(), open_photo(data, name) as im:
        fmt, (width, height) = im.format or "", im.size
        if fmt in JPEG_FAMILY:
            # Decode at a reduced DCT scale: 1/4 for a 12 MP photo going to a 256 px thumbnail,
            # 1/8 when no thumbnail is wanted. This still validates the whole file: libjpeg
            # must entropy-decode every coefficient of every block to produce the last
            # scanline at any scale, so a file cut short runs out of data and Pillow raises
            # exactly as at full size. Only the inverse DCT, which cannot fail, is cheaper.
            wanted = thumbnail_size * 2 if thumbnail_size else 1
            im.draft(None, (wanted, wanted))
        load_pixels(im, data, name)
        facts = exif_facts(im)
        thumb = render_jpeg(im, thumbnail_size, THUMBNAIL_QUALITY) if thumbnail_size else None
    return Decoded(fmt, width, height, facts, thumb)


def open_photo(source: bytes | Path, name: str) -> ImageFile.ImageFile:
    """Open (parse the header of) a photo in one of the accepted formats."""
    Image.init()  # so formats registered late by plugins (e.g. pillow-heif) are listed
    formats: list[str] = [f for f in _PHOTO_FORMATS if f in Image.OPEN]
    try:
        fp = io.BytesIO(source) if isinstance(source, bytes) else source
        return Image.open(fp, formats=formats)
    except MemoryError:
        raise
    except Exception as error:
        raise as_photo_error(error, source, name) from error


def load_pixels(im: ImageFile.ImageFile, source: bytes | Path, name: str) -> None:
    try:
        im.load()
    except MemoryError:
        raise
    except Exception as error:
        raise as_photo_error(error, source, name) from error


def exif_facts(im: Image.Image) -> ExifFacts:
    try:
        exif = im.getexif()
    except Exception:
        # Broken EXIF is the camera's fault, not the photo's: keep the photo, lose the facts.
        return NO_FACTS
    return read_exif_facts(exif)


def render_jpeg(
    im: Image.Image, long_side: int, quality: int,
    overlay: Callable[[Image.Image], Image.Image] | None = None,
) -> bytes:
    """The upright JPEG copy, long side at most ``long_side``; ``overlay`` draws over it."""
    # Shrink first so the transpose works on the small image: a square bounding box gives
    # the same long side either way round. thumbnail() never enlarges a small photo.
    im.thumbnail((long_side, long_side))
    try:
        upright = ImageOps.exif_transpose(im)
    except Exception:
        # EXIF too broken to read means orientation 1 in the facts too; stay consistent.
        upright = im
    out = _jpeg_compatible(upright)
    if overlay is not None:
        out = overlay(out)
    # Pillow copies a JPEG comment from info into the output; drop it with everything else.
    out.info.clear()
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _jpeg_compatible(im: Image.Image) -> Image.Image:
    if im.mode in {"RGB", "L"}:
        return im
    if im.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        im.mode == "P" and "transparency" in im.info
    ):
        # Flatten onto white: a transparent screenshot would otherwise turn black in JPEG.
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", im.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if im.mode.startswith("I"):
        # 16-bit scans: Pillow's convert clips to 255 (all white) instead of scaling down.
        return im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    return im.convert("RGB")


_strict_lock = threading.Lock()
_strict_depth = 0
_saved_truncation_flag = False


@contextlib.contextmanager
def strict_truncation() -> Iterator[None]:
    """Run with ``ImageFile.LOAD_TRUNCATED_IMAGES`` off, whatever the rest of the app set.

    With that process-wide flag on, Pillow silently pads a cut-short JPEG with grey and calls
    it loaded, which is exactly the failure validation exists to catch. Threads share one
    depth count so the first one in saves the flag and the last one out restores it.
    """
    global _strict_depth, _saved_truncation_flag
    with _strict_lock:
        if _strict_depth == 0:
            _saved_truncation_flag = ImageFile.LOAD_TRUNCATED_IMAGES
        _strict_depth += 1
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        with _strict_lock:
            _strict_depth -= 1
            if _strict_depth == 0:
                ImageFile.LOAD_TRUNCATED_IMAGES = _saved_truncation_flag
