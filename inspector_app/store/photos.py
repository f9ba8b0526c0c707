"""Content-addressed store for inspection photos.

Originals are evidence: they are kept byte for byte as the officer's camera wrote them, under
``root/originals/ab/<sha256><ext>`` where ``ab`` is the first two hex digits of the SHA-256 of
those bytes. Everything shown or printed (thumbnails, the downscaled copy in the PDF report)
is derived from an original and cached under ``root/derived/ab/``; derived files can always
be thrown away and rebuilt. A photo the officer drew on gets copies with the markings drawn
in (``photo_markings``), named by the markings as well, so the original stays the photo's
identity and a change of markings never serves a stale copy.

A file only enters the store after all of its image data has been decoded (a JPEG at reduced
DCT scale, which still consumes every byte; see ``photo_decoding``), so a truncated or damaged
photo is refused while the officer is still on site and can retake it, not discovered weeks
later when the report is printed. Refusals raise :class:`PhotoError` and leave the store exactly as
it was: nothing is written until the photo has passed every check.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Final

from PIL import Image

from inspector_app.common.files import fsync_dir
from inspector_app.common.text import Text
from inspector_app.store.exif import ExifFacts
from inspector_app.store.photo_decoding import (
    JPEG_FAMILY,
    THUMBNAIL_QUALITY,
    decode_photo,
    exif_facts,
    load_pixels,
    open_photo,
    render_jpeg,
    strict_truncation,
)
from inspector_app.store.photo_errors import PhotoError, PhotoErrorReason, unreadable_error
from inspector_app.store.photo_files import STAGER, discard_staged, stage_file, write_atomic
from inspector_app.store.photo_markings import Shapes, draw_markings, markings_key

__all__ = [
    "DEFAULT_MAX_BYTES",
    "REPORT_LONG_SIDE",
    "REPORT_QUALITY",
    "THUMBNAIL_SIZE",
    "PhotoInfo",
    "PhotoStore",
]

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
THUMBNAIL_SIZE: Final = 256
REPORT_LONG_SIDE: Final = 1600
REPORT_QUALITY: Final = 80
_READ_CHUNK: Final = 1024 * 1024
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CANONICAL_EXT: Final = {
    "JPEG": ".jpg",
    "MPO": ".jpg",
    "PNG": ".png",
    "HEIF": ".heic",
    "WEBP": ".webp",
    "AVIF": ".avif",
    "TIFF": ".tif",
    "BMP": ".bmp",
    "GIF": ".gif",
}
_KNOWN_EXT: Final = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """A stored photo's identity and the facts read from it."""

    sha256: str
    size_bytes: int
    format: str
    """Pillow's format name: "JPEG", "PNG", "MPO" (a multi-picture JPEG), ..."""
    width: int
    """Width as displayed, i.e. after applying the EXIF orientation."""
    height: int
    taken_at: datetime | None
    """EXIF DateTimeOriginal (else DateTime): naive local time as the camera recorded it."""
    taken_at_utc_offset: timedelta | None
    """From EXIF OffsetTimeOriginal (else OffsetTime), when the camera wrote one."""
    gps_lat: float | None
    gps_lon: float | None
    orientation: int
    original_name: str
    """The name the photo was added under. The store keeps no record of names, so
    :meth:`PhotoStore.read_info` reports the stored file's own name here."""
    already_stored: bool
    path: Path
    """The stored original."""

    @property
    def taken_at_aware(self) -> datetime | None:
        """``taken_at`` with its time zone, when the camera recorded its UTC offset."""
        if self.taken_at is None or self.taken_at_utc_offset is None:
            return None
        return self.taken_at.replace(tzinfo=timezone(self.taken_at_utc_offset))


class PhotoStore:
    """Photos kept under ``root``; see the module docstring for the layout.

    Safe to use from several threads: decoding runs in parallel, and only the short "is it
    already stored? then write it" step is serialised.
    """

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        # Nothing is created here: an unused store leaves no trace on disk.
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._originals = self.root / "originals"
        self._derived = self.root / "derived"
        self._commit_lock = threading.Lock()

    # -- adding ---------------------------------------------------------------------------

    def add_file(self, path: Path, make_thumbnail: bool = True) -> PhotoInfo:
        """Validate and store the photo at ``path``; the file itself is left untouched.

        The file is read once: hashed as it is read, then decoded from memory. With
        ``make_thumbnail`` the thumbnail is rendered from that same decode.
        """
        path = Path(path)
        name = path.name
        try:
            size = path.stat().st_size
        except OSError as error:
            raise unreadable_error(name, error) from error
        # Refuse on the stat alone, before reading up to gigabytes of someone's video.
        self._check_size(size, name)
        data, digest = self._read_hashed(path, name)
        return self._ingest(data, digest, name, make_thumbnail)

    def add_bytes(self, data: bytes, name: str, make_thumbnail: bool = True) -> PhotoInfo:
        """Validate and store a photo given as bytes (e.g. from a camera tether or a paste).

        ``name`` supplies the extension and is quoted in error messages.
        """
        self._check_size(len(data), name)
        data = bytes(data)
        return self._ingest(data, hashlib.sha256(data).hexdigest(), name, make_thumbnail)

    # -- reading --------------------------------------------------------------------------

    def has(self, sha256: str) -> bool:
        return self._find_original(_checked_sha(sha256)) is not None

    def original_path(self, sha256: str) -> Path:
        """Where the original is stored. Raises ``FileNotFoundError`` if it is not."""
        sha256 = _checked_sha(sha256)
        found = self._find_original(sha256)
        if found is None:
            raise FileNotFoundError(f"照片不在库中 / photo not in the store: {sha256}")
        return found

    def read_info(self, sha256: str) -> PhotoInfo:
        """Facts about a stored photo, re-read from its EXIF (the pixels are not decoded)."""
        path = self.original_path(sha256)
        with open_photo(path, path.name) as im:
            fmt, raw_size, facts = im.format or "", im.size, exif_facts(im)
        return _info(
            sha256=path.name[:64],
            size_bytes=path.stat().st_size,
            fmt=fmt,
            raw_size=raw_size,
            facts=facts,
            original_name=path.name,
            already_stored=True,
            path=path,
        )

    def verify(self, sha256: str) -> bool:
        """Whether the stored original still hashes to its name; ``False`` if it is missing."""
        sha256 = _checked_sha(sha256)
        path = self._find_original(sha256)
        if path is None:
            return False
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(_READ_CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    # -- derived copies -------------------------------------------------------------------

    def thumbnail(self, sha256: str, size: int = THUMBNAIL_SIZE, markings: Shapes = ()) -> Path:
        """A JPEG whose long side is ``size`` (smaller photos are not enlarged), upright, with
        ``markings`` (the photo row's shapes) drawn on it."""
        _check_positive("size", size)
        target = self._derived_path(_checked_sha(sha256), _kind(f"thumb{size}", markings))
        if not target.exists():
            self._render_derived(sha256, target, size, THUMBNAIL_QUALITY, markings)
        return target

    def report_copy(
        self, sha256: str, long_side: int = REPORT_LONG_SIDE, quality: int = REPORT_QUALITY,
        markings: Shapes = (),
    ) -> Path:
        """A JPEG for the PDF report: long side ``long_side``, upright, all EXIF stripped, with
        ``markings`` (the photo row's shapes) drawn on it.

        Stripping matters: the report leaves the bank, and GPS tags in an embedded photo would
        publish the borrower's exact address to anyone who extracts it.
        """
        _check_positive("long_side", long_side)
        if not 1 <= quality <= 100:
            raise ValueError(f"quality must be between 1 and 100, got {quality}")
        target = self._derived_path(_checked_sha(sha256),
                                    _kind(f"report{long_side}q{quality}", markings))
        if not target.exists():
            self._render_derived(sha256, target, long_side, quality, markings)
        return target

    # -- internals ------------------------------------------------------------------------

    def _check_size(self, size: int, name: str) -> None:
        if size == 0:
            raise PhotoError(
                PhotoErrorReason.EMPTY, name, Text("照片文件为空", "the photo file is empty")
            )
        if size > self.max_bytes:
            limit, actual = _megabytes(self.max_bytes), _megabytes(size)
            raise PhotoError(
                PhotoErrorReason.TOO_LARGE,
                name,
                Text(f"照片文件太大（{actual} MB，上限 {limit} MB）",
                     f"the photo file is too large ({actual} MB; the limit is {limit} MB)"),
            )

    def _read_hashed(self, path: Path, name: str) -> tuple[bytes, str]:
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        total = 0
        try:
            with path.open("rb") as f:
                while chunk := f.read(_READ_CHUNK):
                    digest.update(chunk)
                    chunks.append(chunk)
                    total += len(chunk)
                    # The file may still be growing (a copy in progress from a phone).
                    if total > self.max_bytes:
                        self._check_size(total, name)
        except OSError as error:
            raise unreadable_error(name, error) from error
        self._check_size(total, name)
        return b"".join(chunks), digest.hexdigest()

    def _ingest(self, data: bytes, digest: str, name: str, make_thumbnail: bool) -> PhotoInfo:
        existing = self._find_original(digest)
        if existing is not None:
            # Validated when it was first stored; reading the header is enough for the facts.
            with open_photo(data, name) as im:
                fmt, raw_size, facts = im.format or "", im.size, exif_facts(im)
            if make_thumbnail:
                self.thumbnail(digest)
            return _info(digest, len(data), fmt, raw_size, facts, name, True, existing)

        # Writing and fsyncing the original (disk) overlaps with decoding it (CPU): the bytes
        # go to a temp file in a worker while this thread validates them. The temp file only
        # gets its real name once the photo has passed every check; otherwise it is removed.
        fan_out = self._originals / digest[:2]
        staged = STAGER.submit(stage_file, fan_out, data)
        try:
            decoded = decode_photo(data, name, THUMBNAIL_SIZE if make_thumbnail else None)
        except BaseException:
            discard_staged(staged)
            raise
        tmp = staged.result().tmp
        with self._commit_lock:
            # Re-check under the lock so two threads adding the same photo under different
            # extensions cannot store it twice.
            existing = self._find_original(digest)
            if existing is None:
                stored = fan_out / f"{digest}{_extension(name, decoded.format)}"
                os.replace(tmp, stored)
                fsync_dir(fan_out)
            else:
                tmp.unlink(missing_ok=True)
                stored = existing
        if decoded.thumbnail is not None:
            thumb = self._derived_path(digest, f"thumb{THUMBNAIL_SIZE}")
            if not thumb.exists():
                write_atomic(thumb, decoded.thumbnail, sync_dir=False)
        return _info(
            digest,
            len(data),
            decoded.format,
            (decoded.width, decoded.height),
            decoded.facts,
            name,
            existing is not None,
            stored,
        )

    def _render_derived(
        self, sha256: str, target: Path, long_side: int, quality: int, markings: Shapes = (),
    ) -> None:
        source = self.original_path(sha256)
        with strict_truncation(), open_photo(source, source.name) as im:
            overlay: Callable[[Image.Image], Image.Image] | None = None
            if markings:
                # The long side is the same upright or not: the scale for the shapes.
                original = max(im.size)
                overlay = lambda copy: draw_markings(copy, markings, original)  # noqa: E731
            if im.format in JPEG_FAMILY:
                # Same trade as Image.thumbnail's reducing_gap=2: decode at the smallest DCT
                # scale that keeps at least twice the target size, then resample properly.
                im.draft(None, (long_side * 2, long_side * 2))
            load_pixels(im, source, source.name)
            rendered = render_jpeg(im, long_side, quality, overlay)
        write_atomic(target, rendered, sync_dir=False)

    def _find_original(self, sha256: str) -> Path | None:
        # The extension is not part of the key, so look the hash up by prefix; a fan-out
        # directory holds 1/256 of the store, which stays small.
        try:
            with os.scandir(self._originals / sha256[:2]) as entries:
                for entry in entries:
                    if entry.name == sha256 or entry.name.startswith(sha256 + "."):
                        return Path(entry.path)
        except FileNotFoundError:
            pass
        return None

    def _derived_path(self, sha256: str, kind: str) -> Path:
        return self._derived / sha256[:2] / f"{sha256}.{kind}.jpg"


# -- helpers ------------------------------------------------------------------------------


def _info(
    sha256: str,
    size_bytes: int,
    fmt: str,
    raw_size: tuple[int, int],
    facts: ExifFacts,
    original_name: str,
    already_stored: bool,
    path: Path,
) -> PhotoInfo:
    width, height = raw_size
    if facts.orientation in {5, 6, 7, 8}:  # the four orientations that turn the photo 90°
        width, height = height, width
    return PhotoInfo(
        sha256=sha256,
        size_bytes=size_bytes,
        format=fmt,
        width=width,
        height=height,
        taken_at=facts.taken_at,
        taken_at_utc_offset=facts.taken_at_utc_offset,
        gps_lat=facts.gps_lat,
        gps_lon=facts.gps_lon,
        orientation=facts.orientation,
        original_name=original_name,
        already_stored=already_stored,
        path=path,
    )


def _extension(name: str, fmt: str) -> str:
    # Keep the officer's extension (lower-cased) when it fits the content, so the stored file
    # still opens in any viewer; a JPEG sent as "photo.dat" or "IMG_1.png" gets ".jpg".
    ext = os.path.splitext(name)[1].lower()
    family = JPEG_FAMILY if fmt in JPEG_FAMILY else {fmt}
    if _KNOWN_EXT.match(ext) and Image.registered_extensions().get(ext) in family:
        return ext
    return _CANONICAL_EXT.get(fmt, "." + fmt.lower())


def _kind(kind: str, markings: Shapes) -> str:
    """The derived file's kind, naming the markings drawn on it, if any."""
    return f"{kind}-marked-{markings_key(markings)}" if markings else kind


def _checked_sha(sha256: str) -> str:
    # The hash becomes a path, so anything but 64 hex digits could escape the store.
    normalised = sha256.lower()
    if not _SHA256_RE.match(normalised):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return normalised


def _check_positive(label: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{label} must be at least 1, got {value}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"
