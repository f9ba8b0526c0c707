"""Writing a file so that a crash or a failure leaves the old file or the new one, never half.

The one way the package does it: the bytes go to a temporary file in the target's directory
(same file system, so the rename is atomic), that file is flushed and fsynced, renamed over
the target, and the directory is fsynced so the rename itself survives a power cut. A
failure at any step removes the temporary file.

``atomic_write`` is the whole sequence. ``temp_file`` and ``write_temp`` are its first half,
for callers that check what they wrote (a download's hash, a photo's decoding, a certificate
opening with its password) before naming it; they rename with ``os.replace`` and call
``fsync_dir`` themselves.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def atomic_write(path: Path, data: bytes, *, sync_dir: bool = True, mode: int | None = None,
                 prefix: str | None = None, suffix: str = ".part") -> None:
    """Put data at path whole, or leave path as it was.

    The new file is readable by its owner only (as ``tempfile.mkstemp`` makes it) unless
    ``mode`` says otherwise. ``sync_dir=False`` skips the directory's fsync, for files that are
    rebuilt when lost (derived images, a rendered draft); the file's own bytes are always
    synced before the rename, so the name never points at a file the disk lost.
    """
    path = Path(path)
    temp = write_temp(path.parent, data, prefix=prefix or f".{path.name}.", suffix=suffix,
                      mode=mode)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def write_temp(directory: Path, data: bytes, *, prefix: str = ".tmp-", suffix: str = ".part",
               mode: int | None = None) -> Path:
    """A new fsynced file in directory holding data, under a temporary name; the caller
    renames it into place or removes it."""
    with temp_file(directory, prefix=prefix, suffix=suffix, mode=mode) as (f, path):
        f.write(data)
    return path


@contextmanager
def temp_file(directory: Path, *, prefix: str = ".tmp-", suffix: str = ".part",
              mode: int | None = None) -> Iterator[tuple[BinaryIO, Path]]:
    """A new file in directory, open for writing under a temporary name (for streamed bytes).

    Flushed and fsynced when the block ends; removed if the block raises. Owner-only from its
    first byte (mkstemp), or ``mode`` set before anything is written.
    """
    fd, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.chmod(path, mode)
            yield f, path
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def fsync_dir(directory: Path) -> None:
    """Make new, renamed or removed entries of directory durable (POSIX).

    Windows cannot open a directory to fsync it, and NTFS journals renames anyway.
    """
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
