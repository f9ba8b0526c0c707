"""Content-addressed blob storage (photos, signed reports) with resumable uploads.

A blob is named by the SHA-256 of its bytes. While it arrives it lives in partial/<sha256>;
each chunk is appended and fsync'ed before the server answers, so an offset the client was
told survives a server crash and the upload resumes from exactly there. When the last byte
arrives the whole file is hashed again: a match moves it (atomically) to its final place, a
mismatch throws it away. Nothing half-written is ever visible under a final name.

Several server processes (`serve --workers N`) may share one blob directory: appends to a
blob are serialised by a thread lock within a process and an flock(2) on a lock file across
processes, so two workers handed the same chunk (a client retrying on a new connection)
never both append it.

An upload in progress belongs to the device that started it: with an owner (the API always
names the caller's device) its bytes live in partial/<sha256>.<device id>, which nobody else
appends to or learns the length of; two devices sending the same file each fill their own, and
the one that finishes second finds the blob already complete and keeps nothing but the
knowledge that it sent the right bytes. Appending with an owner never takes a shortcut past a
complete blob: whoever is not allowed to see it must send all of it, and the bytes are checked
against the name as any upload's are. (Without an owner, partial/<sha256> is the one shared
upload of earlier versions; the store's own tests and tools use it.)

An upload whose laptop never comes back would stay in partial/ forever: purge_partial()
removes those not written to for a given time, under the same lock as an append, so never one
being written (see hq.purge, `inspector-hq admin purge-uploads`). A complete blob is never
touched: it lives in complete/, which the purge does not look at.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from inspector_app.common.files import fsync_dir

try:
    import fcntl
except ImportError:  # Windows: one process per blob directory (serve refuses --workers > 1)
    fcntl = None  # type: ignore[assignment]

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
OWNER_RE = re.compile(r"^[0-9A-Za-z-]{1,64}$")  # a device id (a UUID)
# partial/'s names: <sha256> (an owner-less upload) or <sha256>.<owner>.
PARTIAL_RE = re.compile(r"^([0-9a-f]{64})(?:\.([0-9A-Za-z-]{1,64}))?$")
HASH_BLOCK = 1024 * 1024
LOCK_STRIPES = 64
# Whether processes can share a blob directory here (see DiskBlobStore._locked).
CROSS_PROCESS_LOCKS = fcntl is not None


class OffsetMismatch(Exception):
    """The chunk does not start where the stored bytes end; `current` is where they do."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the server holds {current} bytes of this blob")
        self.current = current


class HashMismatch(Exception):
    """The complete upload does not hash to its name; it was discarded."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"the uploaded bytes hash to {actual}, not {expected}")
        self.expected = expected
        self.actual = actual


class ChunkTooLong(Exception):
    """The chunk would run past the declared total length."""


@dataclass(frozen=True)
class PurgedUpload:
    """A partial upload purge_partial() removed."""

    sha256: str
    size: int  # bytes it held
    last_written: datetime  # UTC
    owner: str | None = None  # the device whose upload it was


class BlobStore(Protocol):
    def offset(self, sha256: str) -> int | None:
        """Bytes held: the size if complete, the partial length if arriving, None if unknown."""
        ...

    def partial_offset(self, sha256: str, owner: str) -> int | None:
        """Bytes held of owner's upload in progress; None if they have none."""
        ...

    def append(self, sha256: str, offset: int, chunk: bytes, total: int,
               owner: str | None = None) -> int:
        """Append chunk at offset (which must equal what is held); return the new offset.

        On reaching total the blob is verified and completed (HashMismatch if it does not
        match its name). Without an owner, appending to a complete blob is a no-op returning
        its size; with one, the owner's own upload is appended to and checked whether or not
        the blob is complete.
        """
        ...

    def complete(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO:
        """The complete blob for reading; FileNotFoundError if it is not complete."""
        ...


def check_name(sha256: str) -> str:
    if not SHA256_RE.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return sha256


def check_owner(owner: str) -> str:
    if not OWNER_RE.fullmatch(owner):
        raise ValueError(f"not an upload owner (a device id): {owner!r}")
    return owner


class DiskBlobStore:
    """Blobs under root/complete/<ab>/<sha256>, uploads in progress under root/partial/."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.partial_dir = self.root / "partial"
        self.complete_dir = self.root / "complete"
        self.lock_dir = self.root / "locks"
        for directory in (self.partial_dir, self.complete_dir, self.lock_dir):
            directory.mkdir(parents=True, exist_ok=True)
        # Striped by the first byte of the name: bounded however many blobs pass through.
        self._locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    def _final(self, sha256: str) -> Path:
        return self.complete_dir / sha256[:2] / check_name(sha256)

    def _partial(self, sha256: str, owner: str | None = None) -> Path:
        if owner is None:
            return self.partial_dir / check_name(sha256)
        return self.partial_dir / f"{check_name(sha256)}.{check_owner(owner)}"

    @contextmanager
    def _locked(self, sha256: str) -> Iterator[None]:
        # A retried chunk can arrive while the first attempt is still being written, in this
        # process or in another worker; the two must not interleave. Threads queue on the
        # stripe's lock, then processes on an flock of the stripe's file. The file is opened
        # for each hold (flock belongs to the open file, so threads sharing one descriptor
        # would not exclude each other, and a descriptor must not cross a fork); closing it
        # releases the lock, also when the process dies.
        stripe = int(check_name(sha256)[:2], 16) % LOCK_STRIPES
        with self._locks[stripe]:
            if fcntl is None:
                yield
                return
            fd = os.open(self.lock_dir / f"{stripe:02x}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)

    def complete(self, sha256: str) -> bool:
        return self._final(sha256).is_file()

    def offset(self, sha256: str) -> int | None:
        # Without the lock (a HEAD must not wait for a chunk being written), so the upload may
        # complete between the looks: the partial file is then gone and the final one there.
        final, partial = self._final(sha256), self._partial(sha256)
        for path in (final, partial, final):
            try:
                return path.stat().st_size
            except FileNotFoundError:
                continue
        return None

    def partial_offset(self, sha256: str, owner: str) -> int | None:
        try:
            return self._partial(sha256, owner).stat().st_size
        except FileNotFoundError:
            return None

    def has_partial(self, sha256: str) -> bool:
        """Whether anyone's upload of this blob is in progress."""
        check_name(sha256)
        return any(PARTIAL_RE.fullmatch(p.name) for p in self.partial_dir.glob(f"{sha256}*"))

    def size(self, sha256: str) -> int:
        return self._final(sha256).stat().st_size

    def open(self, sha256: str) -> BinaryIO:
        return self._final(sha256).open("rb")

    def append(self, sha256: str, offset: int, chunk: bytes, total: int,
               owner: str | None = None) -> int:
        with self._locked(sha256):
            final = self._final(sha256)
            if owner is None and final.is_file():
                return final.stat().st_size
            partial = self._partial(sha256, owner)
            existed = partial.is_file()
            current = partial.stat().st_size if existed else 0
            if offset != current:
                raise OffsetMismatch(current)
            if offset + len(chunk) > total:
                raise ChunkTooLong(f"{offset} + {len(chunk)} bytes is past the total {total}")
            if offset == 0 and len(chunk) == total:
                self._store_whole(sha256, chunk, partial, final)
                return total
            with partial.open("ab") as f:
                f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if not existed:
                fsync_dir(self.partial_dir)
            new_offset = offset + len(chunk)
            if new_offset == total:
                self._finish(sha256, partial, final)
            return new_offset

    def _store_whole(self, sha256: str, data: bytes, partial: Path, final: Path) -> None:
        """A blob that arrived in one chunk (most photos): checked against its name in memory,
        then written, synced and moved to its final place. Only the final name has to be
        durable, so this syncs the file and complete/'s directory, not partial/ (twice) as a
        chunked upload does, and does not read the file back to hash it."""
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            partial.unlink(missing_ok=True)  # an empty one from an earlier attempt, if any
            raise HashMismatch(sha256, actual)
        if final.is_file():  # sent by someone else first: the same bytes, kept once
            partial.unlink(missing_ok=True)
            return
        with partial.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self._publish(partial, final)

    def _finish(self, sha256: str, partial: Path, final: Path) -> None:
        digest = hashlib.sha256()
        with partial.open("rb") as f:
            while block := f.read(HASH_BLOCK):
                digest.update(block)
        actual = digest.hexdigest()
        if actual != sha256:
            partial.unlink(missing_ok=True)
            raise HashMismatch(sha256, actual)
        if final.is_file():  # sent by someone else first: the same bytes, kept once
            partial.unlink()
        else:
            self._publish(partial, final)
        fsync_dir(self.partial_dir)

    def _publish(self, partial: Path, final: Path) -> None:
        """Move a verified, synced file to its final name, durably."""
        if not final.parent.is_dir():
            final.parent.mkdir()
            fsync_dir(self.complete_dir)
        os.replace(partial, final)
        fsync_dir(final.parent)

    def purge_partial(self, older_than: timedelta, now: datetime | None = None
                      ) -> list[PurgedUpload]:
        """Remove the partial uploads not written to for ``older_than``; what was removed.

        Each candidate is looked at again under its stripe's lock (the one append takes):
        a chunk being written finishes first, and a file it just wrote to is kept. Files in
        partial/ that are not named as uploads are not this store's and are left alone."""
        now = now or datetime.now(UTC)
        cutoff = (now - older_than).timestamp()
        purged: list[PurgedUpload] = []
        for path in sorted(self.partial_dir.iterdir()):
            named = PARTIAL_RE.fullmatch(path.name)
            if named is None or not _written_before(path, cutoff):
                continue  # a quick look without the lock first: most uploads are alive
            sha256, owner = named.group(1), named.group(2)
            with self._locked(sha256):
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue  # completed (or discarded) meanwhile
                if st.st_mtime >= cutoff:
                    continue  # a chunk arrived while we waited for the lock
                path.unlink()
                purged.append(PurgedUpload(sha256, st.st_size,
                                           datetime.fromtimestamp(st.st_mtime, UTC), owner))
        if purged:
            fsync_dir(self.partial_dir)
        return purged


def _written_before(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False
