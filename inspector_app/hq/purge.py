"""Abandoned uploads: partial blobs no laptop has written to for a while, removed.

A laptop resumes an upload from what headquarters holds; one that never comes back (lost,
wiped, reinstalled) would leave its partial file forever. Removing it loses nothing: a laptop
keeps every file until headquarters confirms it, and one that does come back after the purge
finds nothing held (HEAD 404, or 409 for its next chunk) and sends the file from the start.

`inspector-hq admin purge-uploads` runs it, and `serve` runs it once when it starts, in the
background (a server restarted for upgrades cleans up without anyone remembering to); a
server left running for weeks needs the admin command from cron as well.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete

from inspector_app.hq.audit import audit
from inspector_app.hq.blobs import DiskBlobStore, PurgedUpload
from inspector_app.hq.db import Database
from inspector_app.hq.models import Blob

DEFAULT_OLDER_THAN_HOURS = 72.0
MB = 1024 * 1024


def purge_uploads(db: Database, store: DiskBlobStore, older_than: timedelta, actor: str
                  ) -> list[PurgedUpload]:
    """Remove partial uploads untouched for ``older_than`` and their rows; audited if any."""
    removed = store.purge_partial(older_than)
    if not removed:
        return removed
    # Rows of uploads that are gone (one started again since keeps its row).
    gone = sorted({u.sha256 for u in removed
                   if not store.complete(u.sha256) and not store.has_partial(u.sha256)})
    with db.write() as session:
        if gone:
            session.execute(delete(Blob).where(Blob.sha256.in_(gone), Blob.complete.is_(False)))
        audit(session, actor, "blob.purge_uploads", "blob", "partial",
              older_than_hours=older_than.total_seconds() / 3600, count=len(removed),
              freed_bytes=sum(u.size for u in removed), sha256=[u.sha256 for u in removed])
    return removed


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


def describe(removed: list[PurgedUpload], older_than: timedelta) -> list[str]:
    """What a purge did, a line per removed upload and a total, for the terminal."""
    hours = f"{older_than.total_seconds() / 3600:g}"
    if not removed:
        return [f"没有超过 {hours} 小时未更新的未完成上传 / no partial upload untouched for "
                f"{hours} hours"]
    lines = [f"removed partial upload {u.sha256} ({_size(u.size)}, last written "
             f"{u.last_written.isoformat(timespec='seconds')})" for u in removed]
    freed = sum(u.size for u in removed)
    lines.append(f"已删除 {len(removed)} 个未完成上传，释放 {_size(freed)} / removed "
                 f"{len(removed)} partial upload(s), {_size(freed)} freed")
    return lines


def purge_in_background(db_url: str, blobs_dir: Path, actor: str,
                        older_than: timedelta = timedelta(hours=DEFAULT_OLDER_THAN_HOURS)
                        ) -> threading.Thread:
    """Run one purge on a thread of its own (serve's start-up), with its own database
    connection; what it removed, or why it failed, goes to stderr. Never stops the server."""

    def run() -> None:
        try:
            db = Database.open(db_url)
            try:
                removed = purge_uploads(db, DiskBlobStore(blobs_dir), older_than, actor)
            finally:
                db.dispose()
        except Exception as e:  # a start-up chore: say so, and let the server serve
            print(f"未完成上传清理失败 / purging partial uploads failed: {e}", file=sys.stderr)
            return
        if removed:
            print(describe(removed, older_than)[-1], file=sys.stderr)

    thread = threading.Thread(target=run, name="purge-uploads", daemon=True)
    thread.start()
    return thread
