"""Content-addressed store for inspection photos.

Originals are evidence: they are kept byte for byte as the officer's camera wrote them, under
``root/originals/ab/<sha256><ext>`` where ``ab`` is the first two hex digits of the SHA-256 of
those bytes. Everything shown or printed (thumbnails, the downscaled copy in the PDF report)
is derived from an original and cached under ``root/derived/ab/``; derived files can always
be thrown away and rebuilt.

A file only enters the store after all of its image data has been decoded (a JPEG at reduced
DCT scale, which still consumes every byte; see ``_decode``), so a truncated or damaged photo
is refused while the officer is still on site and can retake it, not discovered weeks later
when the report is printed. Refusals raise :class:`PhotoError` and leave the store exactly as
it was: nothing is written until the photo has passed every check.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Final

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from inspector_app.common.files import atomic_write, fsync_dir, write_temp
from inspector_app.store.exif import NO_FACTS, ExifFacts, read_exif_facts

__all__ = [
    "DEFAULT_MAX_BYTES",
    "REPORT_LONG_SIDE",
    "REPORT_QUALITY",
    "THUMBNAIL_SIZE",
    "PhotoError",
    "PhotoErrorReason",
    "PhotoInfo",
    "PhotoStore",
]

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
THUMBNAIL_SIZE: Final = 256
REPORT_LONG_SIDE: Final = 1600
REPORT_QUALITY: Final = 80
_THUMBNAIL_QUALITY: Final = 85
_READ_CHUNK: Final = 1024 * 1024
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

# Formats an officer's camera, phone or scanner produces. Pillow can open many more (EPS would
# even start Ghostscript), and none of them belongs in an inspection file. Order matters only
# for speed: Pillow tries them in turn. HEIF is opened only if a plugin such as pillow-heif has
# registered it; MPO (multi-picture JPEG from some phones) is opened by the JPEG plugin.
_PHOTO_FORMATS: Final = ("JPEG", "PNG", "HEIF", "WEBP", "AVIF", "TIFF", "BMP", "GIF")
_JPEG_FAMILY: Final = frozenset({"JPEG", "MPO"})
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

# ISO-BMFF brands of HEIF still images (HEIC from iPhones, HEIF from some Android phones).
_HEIF_BRANDS: Final = frozenset(
    {"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "heif", "mif1", "mif2", "msf1"}
)
_AVIF_BRANDS: Final = frozenset({"avif", "avis"})
# Signatures of image formats we accept: a file that starts like one but that Pillow cannot
# identify is a damaged photo, not "some other kind of file", and the message should say so.
_IMAGE_MAGIC: Final = (
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
)


class PhotoErrorReason(StrEnum):
    """Why a photo was refused; stable codes for the UI and for logs."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_IMAGE = "not_image"
    UNSUPPORTED_FORMAT = "unsupported_format"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    DECOMPRESSION_BOMB = "decompression_bomb"
    UNREADABLE = "unreadable"


class PhotoError(ValueError):
    """A photo the store refuses, with a message in Chinese and English.

    ``str(error)`` is ``"<中文> / <English>: <file name>"``; the parts are also available
    separately as ``zh``, ``en`` and ``name`` for a UI that shows one language.
    """

    def __init__(self, reason: PhotoErrorReason, name: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}: {name}")
        self.reason = reason
        self.name = name
        self.zh = zh
        self.en = en

    def __reduce__(self) -> tuple[type[PhotoError], tuple[PhotoErrorReason, str, str, str]]:
        # Keeps the error intact across a process pool (e.g. ingest in a worker process).
        return (type(self), (self.reason, self.name, self.zh, self.en))


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


@dataclass(frozen=True, slots=True)
class _Decoded:
    format: str
    width: int
    height: int
    facts: ExifFacts
    thumbnail: bytes | None


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
            raise _unreadable(name, error) from error
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
        with _open_photo(path, path.name) as im:
            fmt, raw_size, facts = im.format or "", im.size, _facts(im)
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

    def thumbnail(self, sha256: str, size: int = THUMBNAIL_SIZE) -> Path:
        """A JPEG whose long side is ``size`` (smaller photos are not enlarged), upright."""
        _check_positive("size", size)
        target = self._derived_path(_checked_sha(sha256), f"thumb{size}")
        if not target.exists():
            self._render_derived(sha256, target, size, _THUMBNAIL_QUALITY)
        return target

    def report_copy(
        self, sha256: str, long_side: int = REPORT_LONG_SIDE, quality: int = REPORT_QUALITY
    ) -> Path:
        """A JPEG for the PDF report: long side ``long_side``, upright, all EXIF stripped.

        Stripping matters: the report leaves the bank, and GPS tags in an embedded photo would
        publish the borrower's exact address to anyone who extracts it.
        """
        _check_positive("long_side", long_side)
        if not 1 <= quality <= 100:
            raise ValueError(f"quality must be between 1 and 100, got {quality}")
        target = self._derived_path(_checked_sha(sha256), f"report{long_side}q{quality}")
        if not target.exists():
            self._render_derived(sha256, target, long_side, quality)
        return target

    # -- internals ------------------------------------------------------------------------

    def _check_size(self, size: int, name: str) -> None:
        if size == 0:
            raise PhotoError(
                PhotoErrorReason.EMPTY, name, "照片文件为空", "the photo file is empty"
            )
        if size > self.max_bytes:
            limit, actual = _megabytes(self.max_bytes), _megabytes(size)
            raise PhotoError(
                PhotoErrorReason.TOO_LARGE,
                name,
                f"照片文件太大（{actual} MB，上限 {limit} MB）",
                f"the photo file is too large ({actual} MB; the limit is {limit} MB)",
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
            raise _unreadable(name, error) from error
        self._check_size(total, name)
        return b"".join(chunks), digest.hexdigest()

    def _ingest(self, data: bytes, digest: str, name: str, make_thumbnail: bool) -> PhotoInfo:
        existing = self._find_original(digest)
        if existing is not None:
            # Validated when it was first stored; reading the header is enough for the facts.
            with _open_photo(data, name) as im:
                fmt, raw_size, facts = im.format or "", im.size, _facts(im)
            if make_thumbnail:
                self.thumbnail(digest)
            return _info(digest, len(data), fmt, raw_size, facts, name, True, existing)

        # Writing and fsyncing the original (disk) overlaps with decoding it (CPU): the bytes
        # go to a temp file in a worker while this thread validates them. The temp file only
        # gets its real name once the photo has passed every check; otherwise it is removed.
        fan_out = self._originals / digest[:2]
        staged = _STAGER.submit(_stage, fan_out, data)
        try:
            decoded = _decode(data, name, THUMBNAIL_SIZE if make_thumbnail else None)
        except BaseException:
            _discard(staged)
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
                _write_atomic(thumb, decoded.thumbnail, sync_dir=False)
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

    def _render_derived(self, sha256: str, target: Path, long_side: int, quality: int) -> None:
        source = self.original_path(sha256)
        with _strict_truncation(), _open_photo(source, source.name) as im:
            if im.format in _JPEG_FAMILY:
                # Same trade as Image.thumbnail's reducing_gap=2: decode at the smallest DCT
                # scale that keeps at least twice the target size, then resample properly.
                im.draft(None, (long_side * 2, long_side * 2))
            _load(im, source, source.name)
            rendered = _render_jpeg(im, long_side, quality)
        _write_atomic(target, rendered, sync_dir=False)

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


# -- decoding -----------------------------------------------------------------------------


def _decode(data: bytes, name: str, thumbnail_size: int | None) -> _Decoded:
    """Fully decode ``data`` (the validation) and render the thumbnail from that one decode."""
    with _strict_truncation(), _open_photo(data, name) as im:
        fmt, (width, height) = im.format or "", im.size
        if fmt in _JPEG_FAMILY:
            # Decode at a reduced DCT scale: 1/4 for a 12 MP photo going to a 256 px thumbnail,
            # 1/8 when no thumbnail is wanted. This still validates the whole file: libjpeg
            # must entropy-decode every coefficient of every block to produce the last
            # scanline at any scale, so a file cut short runs out of data and Pillow raises
            # exactly as at full size. Only the inverse DCT, which cannot fail, is cheaper.
            wanted = thumbnail_size * 2 if thumbnail_size else 1
            im.draft(None, (wanted, wanted))
        _load(im, data, name)
        facts = _facts(im)
        thumb = _render_jpeg(im, thumbnail_size, _THUMBNAIL_QUALITY) if thumbnail_size else None
    return _Decoded(fmt, width, height, facts, thumb)


def _open_photo(source: bytes | Path, name: str) -> ImageFile.ImageFile:
    """Open (parse the header of) a photo in one of the accepted formats."""
    Image.init()  # so formats registered late by plugins (e.g. pillow-heif) are listed
    formats: list[str] = [f for f in _PHOTO_FORMATS if f in Image.OPEN]
    try:
        fp = io.BytesIO(source) if isinstance(source, bytes) else source
        return Image.open(fp, formats=formats)
    except MemoryError:
        raise
    except Exception as error:
        raise _as_photo_error(error, source, name) from error


def _load(im: ImageFile.ImageFile, source: bytes | Path, name: str) -> None:
    try:
        im.load()
    except MemoryError:
        raise
    except Exception as error:
        raise _as_photo_error(error, source, name) from error


# -- errors -------------------------------------------------------------------------------


def _as_photo_error(error: Exception, source: bytes | Path, name: str) -> PhotoError:
    """Say what is wrong with a file Pillow choked on.

    Pillow's plugins raise a zoo of types on malformed input (OSError, SyntaxError,
    ValueError, struct.error, EOFError, ...). Callers pass only errors from calls into Pillow
    on the photo itself, so any of them means the file is bad; the question is only how.
    """
    if isinstance(error, Image.DecompressionBombError):
        return PhotoError(
            PhotoErrorReason.DECOMPRESSION_BOMB,
            name,
            "图片像素数大得异常，疑似恶意文件，已拒绝",
            "the image claims an abnormally large number of pixels (a possible "
            "decompression bomb) and was refused",
        )
    if isinstance(error, UnidentifiedImageError):
        return _unidentified(_head(source), name)
    if isinstance(error, EOFError) or "truncated" in str(error).lower():
        return PhotoError(
            PhotoErrorReason.TRUNCATED,
            name,
            "照片文件不完整（可能复制或传输中断），请重新拷贝或重拍",
            "the photo file is incomplete (the copy or transfer was probably cut short); "
            "copy it again or retake the photo",
        )
    return _damaged(name)


def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[:4096]
    try:
        with source.open("rb") as f:
            return f.read(4096)
    except OSError:
        return b""


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


def _facts(im: Image.Image) -> ExifFacts:
    try:
        exif = im.getexif()
    except Exception:
        # Broken EXIF is the camera's fault, not the photo's: keep the photo, lose the facts.
        return NO_FACTS
    return read_exif_facts(exif)


def _render_jpeg(im: Image.Image, long_side: int, quality: int) -> bytes:
    # Shrink first so the transpose works on the small image: a square bounding box gives
    # the same long side either way round. thumbnail() never enlarges a small photo.
    im.thumbnail((long_side, long_side))
    try:
        upright = ImageOps.exif_transpose(im)
    except Exception:
        # EXIF too broken to read means orientation 1 in the facts too; stay consistent.
        upright = im
    out = _jpeg_compatible(upright)
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


def _unidentified(data: bytes, name: str) -> PhotoError:
    brands = _ftyp_brands(data)
    if brands & _AVIF_BRANDS:
        return PhotoError(
            PhotoErrorReason.UNSUPPORTED_FORMAT,
            name,
            "本机不支持 AVIF 照片，请导出为 JPEG",
            "AVIF photos are not supported on this computer; export as JPEG",
        )
    if brands & _HEIF_BRANDS:
        return PhotoError(
            PhotoErrorReason.UNSUPPORTED_FORMAT,
            name,
            "本机不支持 HEIC 照片，请导出为 JPEG（iPhone：设置 › 相机 › 格式 › 兼容性最佳）",
            "HEIC photos are not supported on this computer; export as JPEG "
            "(iPhone: Settings › Camera › Formats › Most Compatible)",
        )
    if data.startswith(_IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return _damaged(name)
    return PhotoError(
        PhotoErrorReason.NOT_IMAGE,
        name,
        "不是照片文件（支持 JPEG、PNG 等图片格式）",
        "not a photo (JPEG, PNG and other image formats are accepted)",
    )


def _damaged(name: str) -> PhotoError:
    return PhotoError(
        PhotoErrorReason.CORRUPT,
        name,
        "照片文件已损坏，无法读取",
        "the photo file is damaged and cannot be read",
    )


def _unreadable(name: str, error: OSError) -> PhotoError:
    return PhotoError(
        PhotoErrorReason.UNREADABLE,
        name,
        f"无法读取照片文件（{error.strerror or error}）",
        f"the photo file cannot be read ({error.strerror or error})",
    )


def _ftyp_brands(data: bytes) -> set[str]:
    """Major and compatible brands of an ISO-BMFF ``ftyp`` box (HEIC, AVIF, MP4, ...)."""
    if data[4:8] != b"ftyp":
        return set()
    box_size = int.from_bytes(data[:4], "big")
    end = min(box_size if box_size >= 16 else len(data), len(data), 4096)
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    return {brand.decode("latin-1").lower() for brand in brands}


_strict_lock = threading.Lock()
_strict_depth = 0
_saved_truncation_flag = False


@contextlib.contextmanager
def _strict_truncation() -> Iterator[None]:
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


def _write_atomic(path: Path, data: bytes, *, sync_dir: bool) -> None:
    """Write via a temp file in the target directory, fsync, then rename into place.

    A crash leaves either the complete file or none, never a partial one under the final
    name. ``sync_dir`` also makes the rename itself durable, which originals need (the
    database will point at them) and derived files do not (they are rebuilt if lost).
    """
    _make_dirs(path.parent, sync=sync_dir)
    atomic_write(path, data, sync_dir=sync_dir, prefix=".tmp-")


# One writer thread: staging is disk-bound, and a single queue keeps photos' writes in order.
_STAGER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-stage")


@dataclass(frozen=True)
class _Staged:
    tmp: Path
    made_dirs: list[Path]  # directories this write created, outermost first


def _stage(directory: Path, data: bytes) -> _Staged:
    """Write data to a fsynced temp file in directory (made durably if missing)."""
    made = _make_dirs(directory, sync=True)
    return _Staged(write_temp(directory, data), made)


def _discard(staged: Future[_Staged]) -> None:
    """Undo a staged write of a refused photo: the temp file and the directories it made."""
    try:
        done = staged.result()
    except Exception:
        return  # the write itself failed; nothing was left
    done.tmp.unlink(missing_ok=True)
    for directory in reversed(done.made_dirs):
        with contextlib.suppress(OSError):  # another photo may have filled it meanwhile
            directory.rmdir()


def _make_dirs(directory: Path, *, sync: bool) -> list[Path]:
    """Create directory and its missing parents; returns those created, outermost first."""
    missing: list[Path] = []
    while not directory.is_dir() and directory.parent != directory:
        missing.append(directory)
        directory = directory.parent
    made: list[Path] = []
    for new_dir in reversed(missing):
        try:
            new_dir.mkdir()
            made.append(new_dir)
        except FileExistsError:
            pass
        if sync:
            # A new directory's entry lives in its parent; without this a crash could lose
            # the whole fan-out directory even though the file inside it was fsynced.
            fsync_dir(new_dir.parent)
    return made


def _extension(name: str, fmt: str) -> str:
    # Keep the officer's extension (lower-cased) when it fits the content, so the stored file
    # still opens in any viewer; a JPEG sent as "photo.dat" or "IMG_1.png" gets ".jpg".
    ext = os.path.splitext(name)[1].lower()
    family = _JPEG_FAMILY if fmt in _JPEG_FAMILY else {fmt}
    if _KNOWN_EXT.match(ext) and Image.registered_extensions().get(ext) in family:
        return ext
    return _CANONICAL_EXT.get(fmt, "." + fmt.lower())


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
