"""How photo files reach the disk: written whole or not at all, and durably where it matters.

An original is staged to a fsynced temporary file while it is being validated, then renamed
into place (or removed with the directories it created, if the photo is refused); derived
copies are written atomically without the directory fsync, as they can be made again.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from inspector_app.common.files import atomic_write, fsync_dir, write_temp


def write_atomic(path: Path, data: bytes, *, sync_dir: bool) -> None:
    """Write via a temp file in the target directory, fsync, then rename into place.

    A crash leaves either the complete file or none, never a partial one under the final
    name. ``sync_dir`` also makes the rename itself durable, which originals need (the
    database will point at them) and derived files do not (they are rebuilt if lost).
    """
    _make_dirs(path.parent, sync=sync_dir)
    atomic_write(path, data, sync_dir=sync_dir, prefix=".tmp-")


# One writer thread: staging is disk-bound, and a single queue keeps photos' writes in order.
STAGER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-stage")


@dataclass(frozen=True)
class Staged:
    tmp: Path
    made_dirs: list[Path]  # directories this write created, outermost first


def stage_file(directory: Path, data: bytes) -> Staged:
    """Write data to a fsynced temp file in directory (made durably if missing)."""
    made = _make_dirs(directory, sync=True)
    return Staged(write_temp(directory, data), made)


def discard_staged(staged: Future[Staged]) -> None:
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
