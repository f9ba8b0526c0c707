"""SyncClient's file step: every queued photo and report goes up, photos first, resumably.

A part of SyncClient (a mixin), kept apart to keep the client readable. The server is asked
how much of a file it holds (HEAD) and sent the rest in chunks (PATCH) from that offset; after
a failure it is asked again, so a cut connection costs at most one chunk. The outbox row goes
only once the server holds the last byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.reports.files import report_path
from inspector_app.store import outbox
from inspector_app.store.models import Photo, Report
from inspector_app.sync.errors import ServerError as _ServerError
from inspector_app.sync.errors import Unreachable as _Unreachable
from inspector_app.sync.errors import server_message as _message
from inspector_app.sync.report import Reason, SyncIssue, SyncProgress, SyncReport, What

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore


@dataclass(frozen=True)
class QueuedFile:
    """A photo or report the outbox holds for upload, named by its SHA-256."""

    sha256: str
    what: What
    path: Path | None  # None: the file is gone from this laptop
    label: str


class FileUploads:
    """SyncClient's file upload step (a mixin)."""

    if TYPE_CHECKING:
        store: LocalStore
        chunk_bytes: int
        retries: int
        _http: httpx.Client
        _report: SyncReport
        _current: tuple[str, str] | None
        _last_failure: httpx.TransportError | None

        def _unreachable(self) -> _Unreachable: ...

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _auth(self) -> dict[str, str]: ...

        def _check_auth(self, r: httpx.Response) -> None: ...

        def _delay(self, attempt: int) -> float: ...

        def _sleep(self, seconds: float) -> None: ...

        def _check_cancelled(self) -> None: ...

        _progress: Callable[[SyncProgress], None]

    # -- files ----------------------------------------------------------------------------

    def _upload_blobs(self) -> set[str]:
        """Send every queued file, photos first; returns the hashes that did not go."""
        with self.store.read() as s:
            queued = {row.ref: resolve_queued_file(self.store, s, row.ref)
                      for row in outbox.pending(s, outbox.BLOB)}
        orphans = [sha for sha, blob in queued.items() if blob is None]
        if orphans:  # no photo or report names it any more: nothing to send
            with outbox.quiet_write(self.store) as s:
                for sha in orphans:
                    outbox.remove(s, outbox.BLOB, sha)
        blobs = sorted((b for b in queued.values() if b is not None),
                       key=lambda b: b.what is not What.PHOTO)
        failed: set[str] = set()
        for done, blob in enumerate(blobs):
            self._check_cancelled()
            self._progress(SyncProgress("upload", done, len(blobs), blob.label))
            if not self._upload(blob, done, len(blobs)):
                failed.add(blob.sha256)
        if blobs:
            self._progress(SyncProgress("upload", len(blobs), len(blobs)))
        return failed

    def _upload(self, blob: QueuedFile, done: int = 0, total: int = 1) -> bool:
        """One file, resumably; True once the server holds all of it (outbox row removed)."""
        self._current = (outbox.BLOB, blob.sha256)
        if blob.path is None or not blob.path.exists():
            return self._blob_failed(blob, Reason.MISSING_FILE)
        try:
            refusal = self._send_blob(blob, blob.path, done, total)
        except _ServerError as exc:
            return self._blob_failed(blob, Reason.SERVER_ERROR, _message(exc.args[0]))
        if refusal is not None:
            reason, message = refusal
            return self._blob_failed(blob, reason, message)
        with outbox.quiet_write(self.store) as s:
            outbox.remove(s, outbox.BLOB, blob.sha256)
        if blob.what is What.PHOTO:
            self._report.photos_sent += 1
        else:
            self._report.reports_sent += 1
        self._current = None
        return True

    def _send_blob(self, blob: QueuedFile, path: Path, done: int,
                   total: int) -> tuple[Reason, str] | None:
        """Ask the server how much it holds, send the rest; after any failure ask again.
        None once the server has taken the last byte, else why it refused the file."""
        url = f"{wire.API}/blobs/{blob.sha256}"
        size = path.stat().st_size
        failures = 0
        while True:
            head = self._send("HEAD", url)
            if head.status_code == 200:
                return None
            if head.status_code not in (404, 206):
                return Reason.REJECTED, _message(head)
            offset = int(head.headers.get("Upload-Offset", 0)) if head.status_code == 206 else 0
            if offset >= size:  # "partial" yet holding it all: completion is the server's word
                return Reason.REJECTED, _message(head)
            r, moved = self._send_from(url, path, offset, size,
                                       lambda at: SyncProgress("upload", done, total,
                                                               blob.label, at, size))
            if r is not None and r.status_code in (200, 204):
                return None
            if r is not None and r.status_code == 413:
                return Reason.TOO_LARGE, _message(r)
            if r is not None and r.status_code < 500 and r.status_code != 409:
                return Reason.REJECTED, _message(r)
            # Cut off, 5xx, or 409 (the server holds another offset): ask again where it is.
            failures = 1 if moved else failures + 1
            if failures > self.retries:
                if r is None:
                    raise self._unreachable()
                raise _ServerError(r)
            self._sleep(self._delay(failures - 1))

    def _send_from(
        self, url: str, path: Path, offset: int, size: int,
        progress: Callable[[int], SyncProgress],
    ) -> tuple[httpx.Response | None, bool]:
        """PATCH chunks from offset until the end or the first failure: (the last response,
        None if the connection failed; whether any chunk was taken)."""
        moved = False
        with path.open("rb") as f:
            while True:
                self._check_cancelled()
                f.seek(offset)
                chunk = f.read(self.chunk_bytes)
                try:
                    r = self._http.patch(url, content=chunk, headers={
                        **self._auth(), "Upload-Offset": str(offset),
                        "Upload-Length": str(size),
                        "Content-Type": "application/offset+octet-stream",
                    })
                except httpx.TransportError as exc:
                    self._last_failure = exc
                    return None, moved
                self._check_auth(r)
                if r.status_code not in (200, 204):
                    return r, moved
                moved = True
                offset = int(r.headers.get("Upload-Offset", offset + len(chunk)))
                self._progress(progress(offset))
                if offset >= size:
                    return r, moved

    def _blob_failed(self, blob: QueuedFile, reason: Reason, message: str = "") -> bool:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, outbox.BLOB, blob.sha256, message or reason.value)
        self._report.issues.append(SyncIssue(blob.what, blob.sha256, reason, message,
                                             blob.label))
        self._current = None
        return False


def resolve_queued_file(store: LocalStore, session: Session, sha: str) -> QueuedFile | None:
    """Which file a queued hash is and where it lives; None if no row names it any more."""
    name = session.scalar(select(Photo.original_name).where(Photo.sha256 == sha).limit(1))
    if name is not None:
        path = store.photos.original_path(sha) if store.photos.has(sha) else None
        return QueuedFile(sha, What.PHOTO, path, name)
    if session.scalar(select(Report.id).where(Report.sha256 == sha)) is not None:
        path = report_path(store.data_dir, sha)
        return QueuedFile(sha, What.REPORT, path if path.exists() else None, f"{sha[:12]}….pdf")
    return None
