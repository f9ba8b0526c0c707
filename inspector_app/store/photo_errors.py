"""Why a photo is refused: PhotoError, with its reason and a Text saying why,
and what a file Pillow could not read turns out to be (damaged, cut short, HEIC, not a photo).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Final

from PIL import Image, UnidentifiedImageError

from inspector_app.common.text import Text, UserError

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


class PhotoError(UserError):
    """A photo the store refuses: ``why`` (a Text), of which file (``name``), and a stable
    ``reason`` code.

    ``.text`` names the file in each language; ``str(error)`` is
    ``"<中文> / <English>: <file name>"``, as logs and the CLI have always shown it.
    """

    def __init__(self, reason: PhotoErrorReason, name: str, why: Text) -> None:
        super().__init__(Text(f"{why.zh}：{name}", f"{why.en}: {name}"))
        self.reason = reason
        self.name = name
        self.why = why

    def __str__(self) -> str:
        return f"{self.why}: {self.name}"

    # The refusal's parts by their older names; the photo tests read them.
    @property
    def zh(self) -> str:
        return self.why.zh

    @property
    def en(self) -> str:
        return self.why.en

    def __reduce__(self) -> tuple[type[PhotoError], tuple[PhotoErrorReason, str, Text]]:
        # Keeps the error intact across a process pool (e.g. ingest in a worker process).
        return (type(self), (self.reason, self.name, self.why))


# -- errors -------------------------------------------------------------------------------


def as_photo_error(error: Exception, source: bytes | Path, name: str) -> PhotoError:
    """Say what is wrong with a file Pillow choked on.

    Pillow's plugins raise a zoo of types on malformed input (OSError, SyntaxError,
    ValueError, struct.error, EOFError, ...). Callers pass only errors from calls into Pillow
    on the photo itself, so any of them means the file is bad; the question is only how.
    """
    if isinstance(error, Image.DecompressionBombError):
        return PhotoError(
            PhotoErrorReason.DECOMPRESSION_BOMB,
            name,
            Text("图片像素数大得异常，疑似恶意文件，已拒绝",
                 "the image claims an abnormally large number of pixels (a possible "
                 "decompression bomb) and was refused"),
        )
    if isinstance(error, UnidentifiedImageError):
        return _unidentified(_head(source), name)
    if isinstance(error, EOFError) or "truncated" in str(error).lower():
        return PhotoError(
            PhotoErrorReason.TRUNCATED,
            name,
            Text("照片文件不完整（可能复制或传输中断），请重新拷贝或重拍",
                 "the photo file is incomplete (the copy or transfer was probably cut short); "
                 "copy it again or retake the photo"),
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


def _unidentified(data: bytes, name: str) -> PhotoError:
    brands = _ftyp_brands(data)
    if brands & _AVIF_BRANDS:
        return PhotoError(
            PhotoErrorReason.UNSUPPORTED_FORMAT,
            name,
            Text("本机不支持 AVIF 照片，请导出为 JPEG",
                 "AVIF photos are not supported on this computer; export as JPEG"),
        )
    if brands & _HEIF_BRANDS:
        return PhotoError(
            PhotoErrorReason.UNSUPPORTED_FORMAT,
            name,
            Text("本机不支持 HEIC 照片，请导出为 JPEG（iPhone：设置 › 相机 › 格式 › 兼容性最佳）",
                 "HEIC photos are not supported on this computer; export as JPEG "
                 "(iPhone: Settings › Camera › Formats › Most Compatible)"),
        )
    if data.startswith(_IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return _damaged(name)
    return PhotoError(
        PhotoErrorReason.NOT_IMAGE,
        name,
        Text("不是照片文件（支持 JPEG、PNG 等图片格式）",
             "not a photo (JPEG, PNG and other image formats are accepted)"),
    )


def _damaged(name: str) -> PhotoError:
    return PhotoError(
        PhotoErrorReason.CORRUPT,
        name,
        Text("照片文件已损坏，无法读取",
             "the photo file is damaged and cannot be read"),
    )


def unreadable_error(name: str, error: OSError) -> PhotoError:
    return PhotoError(
        PhotoErrorReason.UNREADABLE,
        name,
        Text(f"无法读取照片文件（{error.strerror or error}）",
             f"the photo file cannot be read ({error.strerror or error})"),
    )


def _ftyp_brands(data: bytes) -> set[str]:
    """Major and compatible brands of an ISO-BMFF ``ftyp`` box (HEIC, AVIF, MP4, ...)."""
    if data[4:8] != b"ftyp":
        return set()
    box_size = int.from_bytes(data[:4], "big")
    end = min(box_size if box_size >= 16 else len(data), len(data), 4096)
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    return {brand.decode("latin-1").lower() for brand in brands}
