"""Photo store: originals kept byte for byte, bad files refused without a trace, derived copies.

Every image is generated here with Pillow; no binary fixtures are committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageFile
from PIL.TiffImagePlugin import IFDRational

from inspector_app.store.exif import gps_to_decimal, parse_exif_datetime, parse_exif_offset
from inspector_app.store.photo_errors import PhotoError, PhotoErrorReason
from inspector_app.store.photos import PhotoStore

RED = (255, 0, 0)
# 31°13'30.15"N 121°28'12.5"E, on the Bund in Shanghai.
SHANGHAI = ((31, 13, IFDRational(3015, 100)), (121, 28, IFDRational(125, 10)))
SHANGHAI_GPS = ("N", SHANGHAI[0], "E", SHANGHAI[1])
SHANGHAI_DECIMAL = (31 + 13 / 60 + 30.15 / 3600, 121 + 28 / 60 + 12.5 / 3600)


# -- building test images -----------------------------------------------------------------


def make_exif(
    *,
    orientation: int | None = None,
    original: str | None = None,
    offset: str | None = None,
    modified: str | None = None,
    gps: tuple[str, tuple[object, ...], str, tuple[object, ...]] | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if modified is not None:
        exif[ExifTags.Base.DateTime] = modified
    exif_ifd: dict[int, object] = {}
    if original is not None:
        exif_ifd[ExifTags.Base.DateTimeOriginal] = original
    if offset is not None:
        exif_ifd[ExifTags.Base.OffsetTimeOriginal] = offset
    if exif_ifd:
        exif[ExifTags.IFD.Exif] = exif_ifd
    if gps is not None:
        lat_ref, lat, lon_ref, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: lat_ref,
            ExifTags.GPS.GPSLatitude: lat,
            ExifTags.GPS.GPSLongitudeRef: lon_ref,
            ExifTags.GPS.GPSLongitude: lon,
        }
    return exif


def picture(size: tuple[int, int] = (400, 300), *, noise: bool = False) -> Image.Image:
    """A landscape picture with a red block in its stored top-left corner."""
    if noise:
        im = Image.merge("RGB", [Image.effect_noise(size, 60) for _ in range(3)])
    else:
        im = Image.new("RGB", size, (40, 90, 160))
    im.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    return im


def jpeg_bytes(
    size: tuple[int, int] = (400, 300),
    *,
    exif: Image.Exif | None = None,
    noise: bool = False,
    quality: int = 90,
) -> bytes:
    buffer = io.BytesIO()
    picture(size, noise=noise).save(buffer, "JPEG", quality=quality, exif=exif or Image.Exif())
    return buffer.getvalue()


def png_bytes(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    picture((100, 100)).save(buffer, "PDF")
    return buffer.getvalue()


def fake_heic_bytes() -> bytes:
    """An ISO-BMFF file whose ftyp box says HEIC, as an iPhone writes it."""
    ftyp = b"ftyp" + b"heic" + b"\x00\x00\x00\x00" + b"mif1" + b"heic" + b"miaf"
    meta = b"meta" + b"\x00" * 200
    return struct.pack(">I", 4 + len(ftyp)) + ftyp + struct.pack(">I", 4 + len(meta)) + meta


def png_bomb_bytes() -> bytes:
    """A tiny PNG whose header claims 60000 x 60000 pixels (3.6 gigapixels)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg_bytes() -> bytes:
    data = jpeg_bytes((640, 480), noise=True)
    return data[: len(data) // 2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(root: Path) -> list[tuple[str, int | None]]:
    """Every directory and file under root, with file sizes."""
    entries: list[tuple[str, int | None]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        entries += [(str((base / d).relative_to(root)), None) for d in dirnames]
        entries += [
            (str((base / f).relative_to(root)), (base / f).stat().st_size) for f in filenames
        ]
    return sorted(entries)


def write(directory: Path, name: str, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(data)
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(root: Path) -> PhotoStore:
    return PhotoStore(root)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return tmp_path / "inbox"


# -- a real photo ---------------------------------------------------------------------------


def test_jpeg_with_exif_is_stored_unchanged_with_its_facts(
    store: PhotoStore, root: Path, inbox: Path
) -> None:
    exif = make_exif(
        orientation=6,
        original="2024:05:06 14:30:15",
        offset="+08:00",
        modified="2024:06:01 09:00:00",
        gps=SHANGHAI_GPS,
    )
    data = jpeg_bytes((400, 300), exif=exif)
    source = write(inbox, "IMG_0001.JPG", data)

    info = store.add_file(source)

    assert info.sha256 == sha(data)
    assert info.size_bytes == len(data)
    assert info.format == "JPEG"
    # Stored 400 x 300, orientation 6 turns it a quarter: displayed 300 wide, 400 high.
    assert (info.width, info.height) == (300, 400)
    assert info.orientation == 6
    assert info.taken_at == datetime(2024, 5, 6, 14, 30, 15)
    assert info.taken_at.tzinfo is None
    assert info.taken_at_utc_offset == timedelta(hours=8)
    assert info.taken_at_aware == datetime(2024, 5, 6, 6, 30, 15, tzinfo=UTC)
    assert info.gps_lat == pytest.approx(SHANGHAI_DECIMAL[0], abs=1e-9)
    assert info.gps_lon == pytest.approx(SHANGHAI_DECIMAL[1], abs=1e-9)
    assert info.original_name == "IMG_0001.JPG"
    assert info.already_stored is False

    assert info.path == root / "originals" / info.sha256[:2] / f"{info.sha256}.jpg"
    assert store.original_path(info.sha256) == info.path
    assert info.path.read_bytes() == data
    assert sha(info.path.read_bytes()) == sha(data)
    assert source.read_bytes() == data


def test_thumbnail_is_upright_and_made_during_ingest(store: PhotoStore, inbox: Path) -> None:
    data = jpeg_bytes((400, 300), exif=make_exif(orientation=6))
    info = store.add_file(write(inbox, "rotated.jpg", data))

    derived = list((store.root / "derived").rglob("*.jpg"))
    assert len(derived) == 1, "add_file should render the thumbnail from its own decode"

    thumb = store.thumbnail(info.sha256)
    assert thumb == derived[0]
    with Image.open(thumb) as im:
        assert im.format == "JPEG"
        assert im.size == (192, 256)
        # Orientation 6 means "rotate 90° clockwise to display": the red block stored
        # top-left must show top-right, and the top-left must not be red.
        red_r, red_g, _ = im.convert("RGB").getpixel((im.width - 5, 5))
        other_r, _, _ = im.convert("RGB").getpixel((5, 5))
        assert red_r > 200 and red_g < 60
        assert other_r < 100


def test_date_falls_back_to_datetime_and_southwest_gps_is_negative(
    store: PhotoStore,
) -> None:
    exif = make_exif(
        modified="2023:12:31 23:59:58",
        gps=("S", (33, 52, 4), "W", (151, 12, 36)),
    )
    info = store.add_bytes(jpeg_bytes(exif=exif), "sydney_mirrored.jpg")

    assert info.taken_at == datetime(2023, 12, 31, 23, 59, 58)
    assert info.taken_at_utc_offset is None
    assert info.taken_at_aware is None
    assert info.gps_lat == pytest.approx(-(33 + 52 / 60 + 4 / 3600))
    assert info.gps_lon == pytest.approx(-(151 + 12 / 60 + 36 / 3600))
    assert info.orientation == 1
    assert (info.width, info.height) == (400, 300)


def test_photo_without_exif_has_no_facts(store: PhotoStore) -> None:
    info = store.add_bytes(jpeg_bytes(), "plain.jpg")
    assert (info.taken_at, info.gps_lat, info.gps_lon) == (None, None, None)
    assert info.orientation == 1


def test_read_info_rereads_the_stored_photo(store: PhotoStore) -> None:
    exif = make_exif(orientation=8, original="2024:02:29 08:00:00", gps=SHANGHAI_GPS)
    added = store.add_bytes(jpeg_bytes(exif=exif), "leap.jpg")

    info = store.read_info(added.sha256)

    assert info.taken_at == datetime(2024, 2, 29, 8, 0, 0)
    assert (info.width, info.height, info.orientation) == (300, 400, 8)
    assert info.gps_lat == pytest.approx(added.gps_lat)
    assert (info.sha256, info.size_bytes, info.path) == (added.sha256, added.size_bytes, added.path)
    assert info.already_stored is True
    assert info.original_name == added.path.name


# -- deduplication and naming ---------------------------------------------------------------


def test_same_photo_twice_is_stored_once(store: PhotoStore, root: Path, inbox: Path) -> None:
    data = jpeg_bytes(exif=make_exif(original="2024:01:01 10:00:00"))
    first = store.add_file(write(inbox, "IMG_1.JPG", data))
    second = store.add_file(write(inbox / "again", "IMG_1.JPG", data))
    third = store.add_bytes(data, "forwarded.jpeg")

    assert first.already_stored is False
    assert second.already_stored is True
    assert third.already_stored is True
    assert first.path == second.path == third.path
    assert third.original_name == "forwarded.jpeg"
    assert third.taken_at == datetime(2024, 1, 1, 10, 0, 0)
    originals = [p for p in (root / "originals").rglob("*") if p.is_file()]
    assert originals == [first.path]


@pytest.mark.parametrize(
    ("name", "make", "suffix"),
    [
        ("IMG_2.JPG", jpeg_bytes, ".jpg"),
        ("scan.JPEG", jpeg_bytes, ".jpeg"),
        ("wechat_photo.dat", jpeg_bytes, ".jpg"),
        ("no_extension", jpeg_bytes, ".jpg"),
        ("screenshot.jpg", lambda: png_bytes(picture()), ".png"),
    ],
)
def test_extension_is_kept_lower_cased_when_it_fits_the_content(
    store: PhotoStore, name: str, make: Callable[[], bytes], suffix: str
) -> None:
    info = store.add_bytes(make(), name)
    assert info.path.name == info.sha256 + suffix


# -- refusals leave nothing behind -------------------------------------------------------------


BAD_INPUTS: dict[str, tuple[Callable[[], bytes], PhotoErrorReason]] = {
    "empty": (lambda: b"", PhotoErrorReason.EMPTY),
    "text": (lambda: "检查记录 inspection notes\n".encode() * 20, PhotoErrorReason.NOT_IMAGE),
    "pdf": (pdf_bytes, PhotoErrorReason.NOT_IMAGE),
    "truncated_jpeg": (truncated_jpeg_bytes, PhotoErrorReason.TRUNCATED),
    "fake_heic": (fake_heic_bytes, PhotoErrorReason.UNSUPPORTED_FORMAT),
    "png_bomb_header": (png_bomb_bytes, PhotoErrorReason.DECOMPRESSION_BOMB),
    "damaged_jpeg_header": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64, PhotoErrorReason.CORRUPT),
}


@pytest.mark.parametrize("how", ["add_file", "add_bytes"])
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_leaves_no_trace(
    store: PhotoStore, root: Path, inbox: Path, case: str, how: str
) -> None:
    make, reason = BAD_INPUTS[case]
    store.add_bytes(jpeg_bytes(), "already_there.jpg")  # a store with content, as in real use
    before = tree(root)
    data = make()

    with pytest.raises(PhotoError) as caught:
        if how == "add_file":
            store.add_file(write(inbox, f"{case}.jpg", data))
        else:
            store.add_bytes(data, f"{case}.jpg")

    assert caught.value.reason == reason
    assert caught.value.name == f"{case}.jpg"
    assert str(caught.value).endswith(f": {case}.jpg")
    assert tree(root) == before


def test_refusal_in_an_empty_store_creates_nothing_at_all(root: Path) -> None:
    root.mkdir()
    with pytest.raises(PhotoError):
        PhotoStore(root).add_bytes(truncated_jpeg_bytes(), "cut.jpg")
    assert tree(root) == []


def test_messages_are_bilingual(store: PhotoStore) -> None:
    with pytest.raises(PhotoError) as empty:
        store.add_bytes(b"", "IMG_001.jpg")
    assert str(empty.value) == "照片文件为空 / the photo file is empty: IMG_001.jpg"
    copied = pickle.loads(pickle.dumps(empty.value))  # e.g. from an ingest worker process
    assert (copied.reason, str(copied)) == (PhotoErrorReason.EMPTY, str(empty.value))

    with pytest.raises(PhotoError) as heic:
        store.add_bytes(fake_heic_bytes(), "IMG_4032.HEIC")
    assert "HEIC" in heic.value.zh
    assert "HEIC photos are not supported on this computer; export as JPEG" in str(heic.value)
    assert "not a photo" not in str(heic.value)


def test_over_the_limit_is_refused_from_the_size_alone(
    root: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PhotoStore(root, max_bytes=1024 * 1024)
    big = write(inbox, "huge.jpg", jpeg_bytes((1200, 1200), noise=True, quality=98))
    assert big.stat().st_size > 1024 * 1024

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened although stat already showed it too large")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(PhotoError) as caught:
        store.add_file(big)
    monkeypatch.undo()

    assert caught.value.reason == PhotoErrorReason.TOO_LARGE
    assert "上限 1 MB" in caught.value.zh
    assert "the limit is 1 MB" in caught.value.en
    assert not root.exists()

    with pytest.raises(PhotoError) as from_bytes:
        store.add_bytes(big.read_bytes(), "huge.jpg")
    assert from_bytes.value.reason == PhotoErrorReason.TOO_LARGE
    assert not root.exists()


def test_decompression_bomb_by_pixel_limit(
    store: PhotoStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = png_bytes(picture((200, 200)))
    # Pillow errors above twice MAX_IMAGE_PIXELS: 40 000 pixels > 2 x 10 000.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(PhotoError) as caught:
        store.add_bytes(data, "bomb.png")
    assert caught.value.reason == PhotoErrorReason.DECOMPRESSION_BOMB
    assert not root.exists()


def test_unreadable_path_is_a_photo_error(store: PhotoStore, inbox: Path) -> None:
    with pytest.raises(PhotoError) as caught:
        store.add_file(inbox / "removed_usb_stick.jpg")
    assert caught.value.reason == PhotoErrorReason.UNREADABLE


# -- truncation and the reduced-scale decode --------------------------------------------------


@pytest.mark.parametrize("progressive", [False, True])
@pytest.mark.parametrize("make_thumbnail", [True, False])
@pytest.mark.parametrize("cut", [0.5, 0.98, "eoi"])
def test_truncated_jpeg_is_caught_by_the_draft_mode_decode(
    store: PhotoStore, root: Path, make_thumbnail: bool, cut: float | str, progressive: bool
) -> None:
    # Ingest decodes JPEGs at 1/4 or 1/8 scale. These cuts (half the file, the last few
    # scanlines, only the end-of-image marker) must all still be detected at that scale.
    buffer = io.BytesIO()
    picture((1024, 768), noise=True).save(buffer, "JPEG", quality=90, progressive=progressive)
    data = buffer.getvalue()
    end = len(data) - 2 if cut == "eoi" else int(len(data) * float(cut))
    assert data[end - 2 : end] != b"\xff\xd9"

    with pytest.raises(PhotoError) as caught:
        store.add_bytes(data[:end], "cut.jpg", make_thumbnail=make_thumbnail)

    assert caught.value.reason == PhotoErrorReason.TRUNCATED
    assert not root.exists()
    # The complete file passes through the same path.
    assert store.add_bytes(data, "whole.jpg", make_thumbnail=make_thumbnail).width == 1024


def test_truncated_jpeg_is_refused_even_if_the_app_enabled_lenient_loading(
    store: PhotoStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(PhotoError) as caught:
        store.add_bytes(truncated_jpeg_bytes(), "cut.jpg")
    assert caught.value.reason == PhotoErrorReason.TRUNCATED
    # The process-wide setting is restored for whoever turned it on.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_truncated_png_is_refused(store: PhotoStore) -> None:
    data = png_bytes(picture((300, 200), noise=True))
    with pytest.raises(PhotoError) as caught:
        store.add_bytes(data[: len(data) // 2], "cut.png")
    assert caught.value.reason == PhotoErrorReason.TRUNCATED


# -- other formats ------------------------------------------------------------------------


def test_png_with_transparency_works(store: PhotoStore) -> None:
    im = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (150, 0, 300, 200))
    data = png_bytes(im)

    info = store.add_bytes(data, "Screenshot.PNG")

    assert info.format == "PNG"
    assert (info.width, info.height) == (300, 200)
    assert info.path.suffix == ".png"
    assert info.path.read_bytes() == data
    with Image.open(store.thumbnail(info.sha256)) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (256, 171)
        rgb = thumb.convert("RGB")
        assert min(rgb.getpixel((10, 85))) > 240, "transparent areas should come out white"
        red = rgb.getpixel((240, 85))
        assert red[0] > 200 and red[1] < 60


def test_multi_picture_jpeg_is_kept_as_jpeg(store: PhotoStore) -> None:
    buffer = io.BytesIO()
    first = picture((400, 300), noise=True)
    first.save(buffer, "MPO", save_all=True, append_images=[first.rotate(5)])

    info = store.add_bytes(buffer.getvalue(), "DSCF0001.JPG")

    assert info.format == "MPO"
    assert info.path.suffix == ".jpg"
    assert (info.width, info.height) == (400, 300)


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow complains about the EXIF, rightly
def test_photo_with_garbage_exif_is_kept_without_facts(store: PhotoStore) -> None:
    buffer = io.BytesIO()
    garbage = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x01\x12\x00\x03junk" * 3
    picture().save(buffer, "JPEG", exif=garbage)

    info = store.add_bytes(buffer.getvalue(), "odd_camera.jpg")

    assert (info.taken_at, info.gps_lat, info.orientation) == (None, None, 1)
    assert (info.width, info.height) == (400, 300)
    assert store.thumbnail(info.sha256).exists()


def test_16_bit_greyscale_png_thumbnail_is_not_blown_out(store: PhotoStore) -> None:
    info = store.add_bytes(png_bytes(Image.new("I;16", (64, 64), 40_000)), "scan16.png")
    with Image.open(store.thumbnail(info.sha256)) as thumb:
        assert abs(thumb.convert("L").getpixel((32, 32)) - 40_000 // 257) <= 3


# -- derived copies -------------------------------------------------------------------------


def test_report_copy_is_upright_downscaled_and_stripped(store: PhotoStore) -> None:
    exif = make_exif(orientation=6, original="2024:05:06 14:30:15", gps=SHANGHAI_GPS)
    info = store.add_bytes(jpeg_bytes((2400, 1800), exif=exif), "site.jpg")

    report = store.report_copy(info.sha256)

    with Image.open(report) as im:
        assert im.format == "JPEG"
        assert im.size == (1200, 1600)
        assert max(im.size) == 1600
        assert len(im.getexif()) == 0
        assert "exif" not in im.info
    # The original keeps its GPS: only the copy leaving the bank is stripped.
    assert store.read_info(info.sha256).gps_lat == pytest.approx(SHANGHAI_DECIMAL[0])
    assert store.report_copy(info.sha256, long_side=800).name != report.name


def test_derived_copies_are_cached(store: PhotoStore) -> None:
    info = store.add_bytes(jpeg_bytes((2400, 1800)), "site.jpg", make_thumbnail=False)
    assert not (store.root / "derived").exists()

    for render in (store.thumbnail, store.report_copy):
        first = render(info.sha256)
        # Back-date it: a re-render would write a new file (new inode, current mtime).
        os.utime(first, ns=(1_000_000_000, 1_000_000_000))
        before = first.stat()
        second = render(info.sha256)
        after = second.stat()
        assert second == first
        assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)

    with Image.open(store.thumbnail(info.sha256, size=64)) as small:
        assert small.size == (64, 48)


def test_no_temporary_files_are_left_after_success(store: PhotoStore, root: Path) -> None:
    info = store.add_bytes(jpeg_bytes(), "a.jpg")
    store.report_copy(info.sha256)
    names = [name for name, _ in tree(root)]
    assert not [n for n in names if Path(n).name.startswith(".")]


# -- lookups and integrity --------------------------------------------------------------------


def test_verify_detects_a_tampered_original(store: PhotoStore) -> None:
    info = store.add_bytes(jpeg_bytes(), "evidence.jpg")
    assert store.has(info.sha256)
    assert store.verify(info.sha256) is True

    tampered = bytearray(info.path.read_bytes())
    tampered[len(tampered) // 2] ^= 0xFF
    info.path.write_bytes(bytes(tampered))

    assert store.verify(info.sha256) is False


def test_lookups_of_unknown_and_malformed_hashes(store: PhotoStore) -> None:
    unknown = "0" * 64
    assert store.has(unknown) is False
    assert store.verify(unknown) is False
    with pytest.raises(FileNotFoundError):
        store.original_path(unknown)
    with pytest.raises(ValueError):
        store.original_path("../../etc/passwd")
    with pytest.raises(ValueError):
        store.thumbnail("abc")


# -- EXIF parsing details -------------------------------------------------------------------


def test_exif_datetime_parsing() -> None:
    assert parse_exif_datetime("2024:05:06 14:30:15\x00") == datetime(2024, 5, 6, 14, 30, 15)
    assert parse_exif_datetime("2024:05:06 14:30:15", "042") == datetime(
        2024, 5, 6, 14, 30, 15, 42_000
    )
    assert parse_exif_datetime(b"2024:05:06 14:30:15") == datetime(2024, 5, 6, 14, 30, 15)
    assert parse_exif_datetime("    :  :     :  :  ") is None
    assert parse_exif_datetime("0000:00:00 00:00:00") is None
    assert parse_exif_datetime(None) is None


def test_exif_offset_parsing() -> None:
    assert parse_exif_offset("+08:00") == timedelta(hours=8)
    assert parse_exif_offset("-05:30") == -timedelta(hours=5, minutes=30)
    assert parse_exif_offset("+25:00") is None
    assert parse_exif_offset("") is None


def test_gps_conversion_refuses_to_guess() -> None:
    assert gps_to_decimal((10, 30, 0), "S") == pytest.approx(-10.5)
    assert gps_to_decimal((10, 30, 0), None) is None
    assert gps_to_decimal((IFDRational(1, 0), 0, 0), "N") is None


def test_null_island_is_not_a_position(store: PhotoStore) -> None:
    exif = make_exif(gps=("N", (0, 0, 0), "E", (0, 0, 0)))
    info = store.add_bytes(jpeg_bytes(exif=exif), "no_fix.jpg")
    assert (info.gps_lat, info.gps_lon) == (None, None)
