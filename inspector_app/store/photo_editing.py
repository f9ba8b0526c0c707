"""The photo part of the visit editor: list, caption, link, annotate, remove, import in bulk.

A part of LocalStore (it uses the store's read/write transactions and audit). Every mutation
is one short audited transaction; a signed visit refuses them through the database triggers,
which StoreBase.write turns into VisitLockedError. Originals are never
touched: captions, links and annotations are columns of the photo's row (a renderer that wants
the markings draws them over a derived copy).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select

from inspector_app.common.progress import NO_PROGRESS, Progress, counting_progress
from inspector_app.common.text import Text, UserError
from inspector_app.domain.enums import LOCKED_STATUSES
from inspector_app.store.base import StoreBase, VisitLockedError
from inspector_app.store.models import CollateralItem, Photo, Visit
from inspector_app.store.photo_errors import PhotoError, PhotoErrorReason
from inspector_app.store.rows import Actor, Changes
from inspector_app.store.visit_checks import visit_checklist

# A photo taken more than this many days before the visit date was probably not taken on this
# visit (an old picture reused); the officer is warned, the photo is still accepted.
OLD_PHOTO_DAYS: Final = 3
MAX_CAPTION: Final = 500
MAX_SHAPES: Final = 100
MAX_LABEL: Final = 200
SHAPE_KINDS: Final = ("arrow", "circle", "text")
DEFAULT_COLOR: Final = "#e53935"

# What a folder may hold that is worth trying as a photo. Anything else in a dropped folder
# (notes, spreadsheets, Thumbs.db) is skipped without a complaint, unless its first bytes say
# it is an image after all (a camera file with a lost extension).
IMAGE_EXTENSIONS: Final = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".heic", ".heif", ".webp", ".avif", ".tif", ".tiff",
     ".bmp", ".gif"}
)
_MAGIC: Final = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00",
                 b"MM\x00*", b"BM")


class PhotoEditError(UserError):
    """A photo edit that was refused; ``.text`` says why."""


@dataclass(frozen=True)
class PhotoRow:
    """One photo of a visit as the editor shows it."""

    id: str
    visit_id: str
    sha256: str
    original_name: str
    caption: str
    taken_at: datetime | None  # UTC
    gps_lat: float | None
    gps_lon: float | None
    width: int
    height: int
    item_code: str | None
    collateral_item_id: str | None
    annotations: tuple[dict[str, Any], ...]
    taken_long_before: bool  # more than OLD_PHOTO_DAYS before the visit date

    @property
    def changes(self) -> Changes:
        """What the edit that returned this row changed: this photo of its visit."""
        return Changes.of(self.visit_id, photos=[self.id])


@dataclass(frozen=True)
class ImportFailure:
    """A file that could not be used, and why in both languages."""

    name: str
    path: Path
    reason: str  # a PhotoErrorReason value
    text: Text  # why, without the file's name (shown beside it)

    # Each language on its own, as the import tests read them.
    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en


@dataclass(frozen=True)
class ImportResult:
    """What an import did: photos added, pictures the visit already had, files refused."""

    added: list[PhotoRow] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # file names
    failed: list[ImportFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # non-image files found in folders
    cancelled: bool = False
    total: int = 0  # files that were to be tried

    @property
    def changes(self) -> Changes:
        """The photos added (duplicates and refusals change nothing)."""
        changes = Changes()
        for row in self.added:
            changes |= row.changes
        return changes


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[ImportFailure]]:
    """(files to try, non-image files skipped in folders, folders that could not be read).

    Files named explicitly are always tried (so a .txt dropped on its own gets its message);
    folders are walked recursively in name order and contribute only image files.
    """
    tried: list[Path] = []
    skipped: list[Path] = []
    failures: list[ImportFailure] = []
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for found in _walk(path, failures):
                if found in seen:
                    continue
                seen.add(found)
                (tried if looks_like_image(found) else skipped).append(found)
        elif path not in seen:
            seen.add(path)
            tried.append(path)
    return tried, skipped, failures


def looks_like_image(path: Path) -> bool:
    """By extension, else by the first bytes (cheap: no decoding)."""
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head.startswith(_MAGIC) or head[8:12] == b"WEBP" or head[4:8] == b"ftyp"


def _walk(folder: Path, failures: list[ImportFailure]) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        failures.append(_unreadable_failure(Path(error.filename or folder), error))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs.sort()
        for name in sorted(files):
            if not name.startswith("."):  # .DS_Store, ._IMG_0001.JPG (macOS resource forks)
                yield Path(root) / name


def _unreadable_failure(path: Path, error: OSError) -> ImportFailure:
    why = error.strerror or str(error)
    return ImportFailure(path.name, path, PhotoErrorReason.UNREADABLE.value,
                         Text(f"无法读取（{why}）", f"cannot be read ({why})"))


def _failure(path: Path, error: PhotoError) -> ImportFailure:
    return ImportFailure(path.name, path, error.reason.value, error.why)


class PhotoEditing(StoreBase):
    """Photo operations of LocalStore (see the module docstring)."""

    def add_photo(
        self,
        visit_id: str,
        user: Actor,
        path: Path,
        *,
        caption: str = "",
        item_code: str | None = None,
        collateral_item_id: str | None = None,
    ) -> Photo:
        """Store a photo file and attach it to the visit; PhotoError (nothing kept) if bad.

        The file goes into the content-addressed store first; only then is the row written, so
        a crash between the two leaves an unreferenced file (harmless, deduplicated next time),
        never a row pointing at nothing.
        """
        info = self._photos.add_file(path)
        taken = info.taken_at_aware
        if taken is None and info.taken_at is not None:
            # Most cameras record local time without its offset; the laptop's zone is the
            # best guess for a photo taken on this visit.
            taken = info.taken_at.astimezone()
        with self.write() as s:
            existing = s.scalar(
                select(Photo).where(Photo.visit_id == visit_id, Photo.sha256 == info.sha256)
            )
            if existing is not None:
                return existing  # the same picture dragged in twice is one photo of the visit
            photo = Photo(
                visit_id=visit_id, sha256=info.sha256, original_name=path.name, caption=caption,
                taken_at=None if taken is None else taken.astimezone(UTC),
                gps_lat=info.gps_lat, gps_lon=info.gps_lon, width=info.width,
                height=info.height, size_bytes=info.size_bytes, item_code=item_code,
                collateral_item_id=collateral_item_id,
            )
            s.add(photo)
            s.flush()
            self.audit(s, user.id, "photo.add", "photo", photo.id, visit=visit_id,
                       sha256=info.sha256)
        return photo

    def visit_photos(self, visit_id: str) -> list[PhotoRow]:
        """The visit's photos in the order they were added."""
        with self.read() as s:
            visit_date = s.get_one(Visit, visit_id).visit_date
            photos = s.scalars(
                select(Photo).where(Photo.visit_id == visit_id)
                .order_by(Photo.created_at, Photo.id)
            )
            return [_row(p, visit_date) for p in photos]

    def photo_row(self, photo_id: str) -> PhotoRow:
        with self.read() as s:
            photo = s.get_one(Photo, photo_id)
            return _row(photo, photo.visit.visit_date)

    def set_photo_caption(self, photo_id: str, user: Actor, caption: str) -> PhotoRow:
        caption = caption.strip()
        if len(caption) > MAX_CAPTION:
            raise PhotoEditError(Text(f"说明不能超过 {MAX_CAPTION} 个字",
                                      f"a caption can have at most {MAX_CAPTION} characters"))
        with self.write() as s:
            photo = s.get_one(Photo, photo_id)
            if photo.caption != caption:
                photo.caption = caption
                self.audit(s, user.id, "photo.caption", "photo", photo.id, caption=caption)
            return _row(photo, photo.visit.visit_date)

    def link_photo(
        self,
        photo_id: str,
        user: Actor,
        *,
        item_code: str | None = None,
        collateral_item_id: str | None = None,
    ) -> PhotoRow:
        """Attach the photo to a checklist item and/or a collateral item; None unlinks."""
        with self.write() as s:
            photo = s.get_one(Photo, photo_id)
            visit = photo.visit
            if item_code is not None:
                try:
                    visit_checklist(visit).item(item_code)
                except KeyError:
                    raise PhotoEditError(Text(
                        f"本次检查没有检查项 {item_code}",
                        f"this visit's checklist has no item {item_code}")) from None
            if collateral_item_id is not None:
                owner = s.scalar(select(CollateralItem.borrower_id)
                                 .where(CollateralItem.id == collateral_item_id))
                if owner != visit.borrower_id:
                    raise PhotoEditError(Text("该押品不属于本客户",
                                              "that collateral item is not this borrower's"))
            if (photo.item_code, photo.collateral_item_id) != (item_code, collateral_item_id):
                photo.item_code = item_code
                photo.collateral_item_id = collateral_item_id
                self.audit(s, user.id, "photo.link", "photo", photo.id, item_code=item_code,
                           collateral_item_id=collateral_item_id)
            return _row(photo, visit.visit_date)

    def remove_photo(self, photo_id: str, user: Actor) -> Changes:
        """Take the photo off the visit. The stored original stays (other revisions and the
        sync outbox may name it; the content-addressed store shares it)."""
        with self.write() as s:
            photo = s.get_one(Photo, photo_id)
            self.audit(s, user.id, "photo.remove", "photo", photo.id, visit=photo.visit_id,
                       sha256=photo.sha256, original_name=photo.original_name)
            s.delete(photo)
            return Changes.of(photo.visit_id, photos=[photo_id])

    def set_photo_annotations(
        self, photo_id: str, user: Actor, shapes: list[dict[str, Any]]
    ) -> PhotoRow:
        """Replace the photo's drawn layer (arrows, circles, text in image pixels)."""
        with self.write() as s:
            photo = s.get_one(Photo, photo_id)
            clean = validate_shapes(shapes, photo.width, photo.height)
            if photo.annotations != clean:
                photo.annotations = clean
                self.audit(s, user.id, "photo.annotate", "photo", photo.id, shapes=len(clean))
            return _row(photo, photo.visit.visit_date)

    def import_photos(
        self,
        visit_id: str,
        user: Actor,
        paths: Iterable[Path],
        progress: Progress | Callable[[int, int], None] = NO_PROGRESS,
        cancelled: Callable[[], bool] | None = None,
        *,
        item_code: str | None = None,
        collateral_item_id: str | None = None,
    ) -> ImportResult:
        """Add files and folders (recursively) to the visit, one photo at a time.

        Each photo is whole or absent (see add_photo); a refused file is listed with its
        reason and the import goes on. progress learns (files done, files in all) and is
        asked between files whether to stop; what was stored by then stays. (A plain
        progress(done, total) callback with a cancelled() one is still accepted.)
        """
        progress = counting_progress(progress, cancelled)
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            if visit.status in LOCKED_STATUSES:
                raise VisitLockedError()
            visit_date = visit.visit_date
            known = set(s.scalars(select(Photo.id).where(Photo.visit_id == visit_id)))
        files, skipped, failed = expand_paths(paths)
        result = ImportResult(failed=failed, skipped=[p.name for p in skipped],
                              total=len(files))
        progress.report(0, len(files))
        for done, path in enumerate(files, start=1):
            if progress.cancelled:
                return _replace_cancelled(result)
            try:
                photo = self.add_photo(visit_id, user, path, item_code=item_code,
                                       collateral_item_id=collateral_item_id)
            except PhotoError as error:
                result.failed.append(_failure(path, error))
            except OSError as error:  # e.g. the file vanished between the listing and now
                result.failed.append(_unreadable_failure(path, error))
            else:
                if photo.id in known:
                    result.duplicates.append(path.name)
                else:
                    known.add(photo.id)
                    result.added.append(_row(photo, visit_date))
            progress.report(done, len(files), path.name)
        return result


def _replace_cancelled(result: ImportResult) -> ImportResult:
    return ImportResult(result.added, result.duplicates, result.failed, result.skipped,
                        cancelled=True, total=result.total)


def _row(photo: Photo, visit_date: date) -> PhotoRow:
    taken = photo.taken_at
    old = taken is not None and (visit_date - taken.astimezone().date()).days > OLD_PHOTO_DAYS
    return PhotoRow(
        id=photo.id, visit_id=photo.visit_id, sha256=photo.sha256,
        original_name=photo.original_name, caption=photo.caption, taken_at=taken,
        gps_lat=photo.gps_lat, gps_lon=photo.gps_lon,
        width=photo.width, height=photo.height, item_code=photo.item_code,
        collateral_item_id=photo.collateral_item_id,
        annotations=tuple(dict(a) for a in (photo.annotations or [])), taken_long_before=old,
    )


# -- annotation shapes ----------------------------------------------------------------------------

_COORDS: Final = {"arrow": ("x1", "y1", "x2", "y2"), "circle": ("cx", "cy", "r"),
                  "text": ("x", "y")}


def validate_shapes(shapes: Any, width: int, height: int) -> list[dict[str, Any]]:
    """The shapes in canonical form, or PhotoEditError naming the first bad one.

    Coordinates are image pixels of the upright photo and must lie on it (a circle's centre
    on the photo, its radius at most the long side); numbers are rounded to 0.1 px.
    """
    if not isinstance(shapes, list):
        raise _bad_shape(0, Text("标注须为列表", "annotations must be a list"))
    if len(shapes) > MAX_SHAPES:
        raise PhotoEditError(Text(f"一张照片最多 {MAX_SHAPES} 个标注",
                                  f"a photo can have at most {MAX_SHAPES} annotations"))
    return [_shape(index, shape, width, height) for index, shape in enumerate(shapes, 1)]


def _shape(index: int, shape: Any, width: int, height: int) -> dict[str, Any]:
    if not isinstance(shape, dict) or shape.get("kind") not in SHAPE_KINDS:
        raise _bad_shape(index, Text("类型须为箭头、圆圈或文字",
                                     "the kind must be arrow, circle or text"))
    kind = shape["kind"]
    clean: dict[str, Any] = {"kind": kind}
    for key in _COORDS[kind]:
        value = shape.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value
        ):
            raise _bad_shape(index, Text(f"{key} 须为数字", f"{key} must be a number"))
        clean[key] = round(float(value), 1)
    points = {"arrow": [("x1", "y1"), ("x2", "y2")], "circle": [("cx", "cy")],
              "text": [("x", "y")]}[kind]
    for x, y in points:
        if not (0 <= clean[x] <= width and 0 <= clean[y] <= height):
            raise _bad_shape(index, Text("位置超出照片范围", "it lies outside the photo"))
    if kind == "circle" and not 0 < clean["r"] <= max(width, height):
        raise _bad_shape(index, Text("半径无效", "the radius is not valid"))
    if kind == "text":
        text = shape.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_LABEL:
            raise _bad_shape(index, Text(f"文字须为 1–{MAX_LABEL} 个字",
                                         f"the text must have 1 to {MAX_LABEL} characters"))
        clean["text"] = text.strip()
    color = shape.get("color", DEFAULT_COLOR)
    if not (isinstance(color, str) and len(color) == 7 and color[0] == "#"
            and all(c in "0123456789abcdefABCDEF" for c in color[1:])):
        raise _bad_shape(index, Text("颜色须为 #RRGGBB", "the colour must be #RRGGBB"))
    clean["color"] = color.lower()
    return clean


def _bad_shape(index: int, why: Text) -> PhotoEditError:
    return PhotoEditError(
        Text(f"第 {index} 个标注无效：{why.zh}", f"annotation {index} is not valid: {why.en}"))
