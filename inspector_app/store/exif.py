"""The few EXIF facts an inspection photo carries as evidence: when, where, and which way up.

EXIF is written by thousands of camera and phone firmwares, many of them sloppily, so every
reader here treats the data as untrusted: a field that is missing, malformed or out of range
comes back as ``None`` (or orientation 1) instead of raising. A photo whose pixels decode
must never be refused because its metadata is odd.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PIL import ExifTags, Image

__all__ = [
    "ExifFacts",
    "gps_to_decimal",
    "parse_exif_datetime",
    "parse_exif_offset",
    "read_exif_facts",
]

# Exceptions Pillow's lazy IFD parser raises on corrupt offsets and counts.
_BAD_EXIF_ERRORS: tuple[type[Exception], ...] = (
    struct.error,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    OSError,
    SyntaxError,
    EOFError,
)

_DATETIME_RE = re.compile(
    r"^\s*(\d{4})[:\-/](\d{1,2})[:\-/](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
)
_OFFSET_RE = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
# Real-world UTC offsets run from -12:00 to +14:00.
_MAX_OFFSET = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class ExifFacts:
    """What the store records from a photo's EXIF."""

    taken_at: datetime | None
    """Naive local time as the camera's clock showed it; no time zone is assumed."""
    taken_at_utc_offset: timedelta | None
    """The camera's UTC offset at ``taken_at`` (EXIF 2.31 OffsetTime*), when it recorded one."""
    gps_lat: float | None
    gps_lon: float | None
    orientation: int
    """EXIF orientation 1-8; 1 when absent or invalid."""


NO_FACTS = ExifFacts(None, None, None, None, 1)


def read_exif_facts(exif: Image.Exif) -> ExifFacts:
    """Extract capture time, GPS position and orientation from a Pillow ``Exif``."""
    exif_ifd = _ifd(exif, ExifTags.IFD.Exif)

    # DateTimeOriginal is the shutter time; DateTime is "last modified" and editors rewrite it,
    # so it is only a fallback. Each has its own offset and sub-second tag.
    taken_at = parse_exif_datetime(
        _first(exif_ifd, exif, ExifTags.Base.DateTimeOriginal),
        _first(exif_ifd, exif, ExifTags.Base.SubsecTimeOriginal),
    )
    offset_tag = ExifTags.Base.OffsetTimeOriginal
    if taken_at is None:
        taken_at = parse_exif_datetime(
            _first(exif, exif_ifd, ExifTags.Base.DateTime),
            _first(exif_ifd, exif, ExifTags.Base.SubsecTime),
        )
        offset_tag = ExifTags.Base.OffsetTime
    offset = parse_exif_offset(_first(exif_ifd, exif, offset_tag)) if taken_at else None

    gps = _ifd(exif, ExifTags.IFD.GPSInfo)
    lat = gps_to_decimal(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    lon = gps_to_decimal(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        lat = lon = None
    elif lat == 0 and lon == 0:
        # Phones without a fix sometimes write 0/0 rather than omitting the tags; a site visit
        # "at" Null Island in the Gulf of Guinea is never real, and must not pass as evidence.
        lat = lon = None

    return ExifFacts(taken_at, offset, lat, lon, _orientation(exif.get(ExifTags.Base.Orientation)))


def parse_exif_datetime(value: Any, subsec: Any = None) -> datetime | None:
    """Parse an EXIF ``YYYY:MM:DD HH:MM:SS`` value (with optional sub-seconds) to naive time.

    Blank ("    :  :     :  :  ") and zeroed ("0000:00:00 00:00:00") placeholders, which
    cameras write when their clock was never set, give ``None``.
    """
    text = _text(value)
    if text is None:
        return None
    match = _DATETIME_RE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    digits = re.match(r"\d+", _text(subsec) or "")
    micro = int(digits.group()[:6].ljust(6, "0")) if digits else 0
    try:
        return datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None


def parse_exif_offset(value: Any) -> timedelta | None:
    """Parse an EXIF OffsetTime value such as ``+08:00`` to a ``timedelta``."""
    text = _text(value)
    match = _OFFSET_RE.match(text) if text else None
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    if offset > _MAX_OFFSET or int(minutes) >= 60:
        return None
    return -offset if sign == "-" else offset


def gps_to_decimal(value: Any, ref: Any) -> float | None:
    """Convert an EXIF GPS (degrees, minutes, seconds) triple and N/S/E/W ref to degrees.

    A missing or unknown ref gives ``None``: guessing the hemisphere would put the photo on
    the wrong side of the planet, which is worse than having no position.
    """
    hemisphere = (_text(ref) or "").strip().upper()[:1]
    if hemisphere not in {"N", "S", "E", "W"} or value is None:
        return None
    parts = value if isinstance(value, tuple | list) else (value,)
    try:
        numbers = [float(part) for part in parts[:3]]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not numbers or not all(math.isfinite(n) and n >= 0 for n in numbers):
        return None
    degrees = sum(n / 60.0**i for i, n in enumerate(numbers))  # float power: int**int is Any
    return -degrees if hemisphere in {"S", "W"} else degrees


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(exif.get_ifd(tag))
    except _BAD_EXIF_ERRORS:
        return {}


def _first(
    primary: dict[int, Any] | Image.Exif, secondary: dict[int, Any] | Image.Exif, tag: int
) -> Any:
    # Some firmwares put Exif-IFD tags in IFD0 (or the reverse); look in both places.
    value = primary.get(tag)
    return secondary.get(tag) if value is None else value


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if not isinstance(value, str):
        return None
    text = value.replace("\x00", "").strip()
    return text or None


def _orientation(value: Any) -> int:
    try:
        orientation = int(value)
    except (TypeError, ValueError):
        return 1
    return orientation if 1 <= orientation <= 8 else 1
