"""Abandoned partial uploads are purged: only those untouched for long enough, never a complete
blob, never one being written (the store's stripe lock), and the laptop can still send it."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hq_helpers import World, register, upload
from sqlalchemy import select

from inspector_app.hq.blobs import CROSS_PROCESS_LOCKS, DiskBlobStore
from inspector_app.hq.cli import main as hq_main
from inspector_app.hq.context import Hq
from inspector_app.hq.models import AuditEntry, Blob
from inspector_app.hq.purge import purge_in_background, purge_uploads
from inspector_app.wire import API

OCTETS = "application/offset+octet-stream"
DAY = 24 * 3600


def partial(store: DiskBlobStore, data: bytes, held: int, age_seconds: float) -> str:
    """An upload of ``data`` that stopped after ``held`` bytes, last written that long ago."""
    sha = hashlib.sha256(data).hexdigest()
    store.append(sha, 0, data[:held], len(data))
    when = time.time() - age_seconds
    os.utime(store.partial_dir / sha, (when, when))
    return sha


def complete(store: DiskBlobStore, data: bytes, age_seconds: float) -> str:
    sha = hashlib.sha256(data).hexdigest()
    store.append(sha, 0, data, len(data))
    when = time.time() - age_seconds
    os.utime(store.complete_dir / sha[:2] / sha, (when, when))
    return sha


def test_only_partial_uploads_untouched_long_enough_are_removed(tmp_path: Path) -> None:
    store = DiskBlobStore(tmp_path / "blobs")
    old = partial(store, b"a" * 5000, 3000, 4 * DAY)
    fresh = partial(store, b"b" * 5000, 1000, 3600)
    done = complete(store, b"c" * 5000, 30 * DAY)
    (store.partial_dir / "notes.txt").write_text("not an upload")
    os.utime(store.partial_dir / "notes.txt", (0, 0))

    removed = store.purge_partial(timedelta(hours=72))

    assert [(u.sha256, u.size) for u in removed] == [(old, 3000)]
    assert removed[0].last_written < datetime.now(UTC) - timedelta(days=3)
    assert store.offset(old) is None
    assert store.offset(fresh) == 1000
    assert store.complete(done) and store.offset(done) == 5000
    assert (store.partial_dir / "notes.txt").exists()
    assert store.purge_partial(timedelta(hours=72)) == []


@pytest.mark.skipif(not CROSS_PROCESS_LOCKS, reason="flock(2) is POSIX-only")
def test_an_upload_being_written_is_waited_for_and_kept(tmp_path: Path) -> None:
    store = DiskBlobStore(tmp_path / "blobs")
    data = b"d" * 5000
    sha = partial(store, data, 2000, 4 * DAY)
    writer = DiskBlobStore(store.root)  # another server process's store: only flock is shared
    result: list[list] = []
    with writer._locked(sha):  # a chunk is being appended right now
        purge = threading.Thread(target=lambda: result.append(
            store.purge_partial(timedelta(hours=72))))
        purge.start()
        purge.join(0.5)
        assert purge.is_alive(), "the purge must wait for the stripe's lock"
        assert (store.partial_dir / sha).exists()
        with (store.partial_dir / sha).open("ab") as f:  # the chunk lands: the file is fresh
            f.write(data[2000:3000])
    purge.join(5)
    assert result == [[]]
    assert store.offset(sha) == 3000
    # Resumed, it completes as if nothing happened.
    assert store.append(sha, 3000, data[3000:], len(data)) == len(data)
    assert store.complete(sha)


def test_purge_removes_the_row_audits_and_the_laptop_uploads_again(
        client, hq: Hq, world: World) -> None:
    headers = register(client, "off_a")
    data = os.urandom(200_000)
    sha = hashlib.sha256(data).hexdigest()
    r = client.patch(f"{API}/blobs/{sha}", content=data[:100_000], headers={
        **headers, "Upload-Offset": "0", "Upload-Length": str(len(data)),
        "Content-Type": OCTETS})
    assert r.status_code == 204
    kept = upload(client, headers, b"a finished photo")
    when = time.time() - 5 * DAY
    [held] = hq.blobs.partial_dir.glob(f"{sha}.*")  # the device's own upload
    os.utime(held, (when, when))

    removed = purge_uploads(hq.db, hq.blobs, timedelta(hours=72), "cli:test")

    assert [u.sha256 for u in removed] == [sha]
    with hq.db.read() as s:
        assert s.get(Blob, sha) is None
        assert s.get(Blob, kept) is not None
        [entry] = s.scalars(select(AuditEntry)
                            .where(AuditEntry.action == "blob.purge_uploads")).all()
    assert entry.detail["count"] == 1 and entry.detail["freed_bytes"] == 100_000
    assert entry.detail["sha256"] == [sha]
    # The laptop comes back: the server holds nothing of it, so it is sent from the start.
    assert client.head(f"{API}/blobs/{sha}", headers=headers).status_code == 404
    assert upload(client, headers, data) == sha
    with hq.blobs.open(sha) as f:
        assert f.read() == data


def test_admin_purge_uploads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "hq"
    assert hq_main(["admin", "--data-dir", str(data_dir), "purge-uploads"]) == 0
    assert "no partial upload untouched for 72 hours" in capsys.readouterr().out
    store = DiskBlobStore(data_dir / "blobs")
    old = partial(store, b"e" * 4096, 2048, 30 * 3600)
    young = partial(store, b"f" * 4096, 1024, 3600)

    assert hq_main(["admin", "--data-dir", str(data_dir), "purge-uploads"]) == 0
    assert "no partial upload" in capsys.readouterr().out  # 30 h < 72 h
    assert hq_main(["admin", "purge-uploads", "--data-dir", str(data_dir),
                    "--older-than", "24"]) == 0
    out = capsys.readouterr().out
    assert f"removed partial upload {old} (2048 bytes" in out
    assert "removed 1 partial upload(s), 2048 bytes freed" in out
    assert young not in out and store.offset(young) == 1024

    with pytest.raises(SystemExit):
        hq_main(["admin", "--db", f"sqlite:///{data_dir / 'hq.sqlite3'}", "purge-uploads"])
    assert "needs --blobs" in capsys.readouterr().err


def test_serve_purges_once_in_the_background(tmp_path: Path, db_url: str, hq: Hq,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    old = partial(hq.blobs, b"g" * 3 * 1024 * 1024, 2 * 1024 * 1024, 4 * DAY)
    purge_in_background(db_url, hq.blobs.root, "serve").join(30)
    assert hq.blobs.offset(old) is None
    assert "removed 1 partial upload(s), 2.0 MB freed" in capsys.readouterr().err
    with hq.db.read() as s:
        [entry] = s.scalars(select(AuditEntry)
                            .where(AuditEntry.action == "blob.purge_uploads")).all()
    assert entry.actor == "serve"


def test_devices_uploads_are_purged_by_name(tmp_path: Path) -> None:
    store = DiskBlobStore(tmp_path)
    data = b"h" * 5000
    sha = hashlib.sha256(data).hexdigest()
    device = "0b7d8a2e-1111-4222-8333-444455556666"
    store.append(sha, 0, data[:3000], len(data), owner=device)
    when = time.time() - 4 * DAY
    os.utime(store.partial_dir / f"{sha}.{device}", (when, when))
    [removed] = store.purge_partial(timedelta(hours=72))
    assert (removed.sha256, removed.owner, removed.size) == (sha, device, 3000)
    assert not store.has_partial(sha)
