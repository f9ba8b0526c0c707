"""Blob uploads: chunks, resuming from exactly what the server holds, hash check, size limit."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hq_helpers import World, register, upload

from inspector_app.hq.app import create_app
from inspector_app.hq.blobs import DiskBlobStore, HashMismatch, OffsetMismatch
from inspector_app.hq.context import MB, Hq, HqSettings
from inspector_app.hq.models import Blob
from inspector_app.wire import API

OCTETS = "application/offset+octet-stream"


def patch(client, headers: dict[str, str], sha: str, offset: int, total: int, chunk: bytes,
          content_type: str = OCTETS):
    return client.patch(f"{API}/blobs/{sha}", content=chunk, headers={
        **headers, "Upload-Offset": str(offset), "Upload-Length": str(total),
        "Content-Type": content_type})


def test_an_interrupted_upload_resumes_from_the_servers_offset_after_a_restart(
        client, hq: Hq, world: World, tmp_path: Path) -> None:
    headers = register(client, "off_a")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert client.head(f"{API}/blobs/{sha}", headers=headers).status_code == 404

    # Two chunks arrive, then the laptop is closed mid-upload.
    for offset in (0, 100_000):
        r = patch(client, headers, sha, offset, len(data), data[offset:offset + 100_000])
        assert r.status_code == 204 and r.headers["Upload-Offset"] == str(offset + 100_000)

    # The server restarts (a new app over the same storage): the offset survived.
    from fastapi.testclient import TestClient
    with TestClient(create_app(Hq(hq.db, DiskBlobStore(hq.blobs.root), hq.settings))) as again:
        head = again.head(f"{API}/blobs/{sha}", headers=headers)
        assert head.status_code == 206 and head.headers["Upload-Offset"] == "200000"
        # Only the remaining bytes are sent.
        held = int(head.headers["Upload-Offset"])
        rest = data[held:]
        r = patch(again, headers, sha, held, len(data), rest)
        assert r.status_code == 204 and r.headers["Upload-Offset"] == str(len(data))
        assert len(rest) == 100_000
        done = again.head(f"{API}/blobs/{sha}", headers=headers)
    assert done.status_code == 200 and done.headers["Upload-Offset"] == str(len(data))
    with hq.blobs.open(sha) as f:
        assert f.read() == data
    assert not (hq.blobs.partial_dir / sha).exists()
    with hq.db.read() as s:
        row = s.get(Blob, sha)
        assert row is not None and row.complete and row.size == len(data)


def test_a_chunk_at_the_wrong_offset_is_refused_with_the_servers_offset(
        client, world: World) -> None:
    headers = register(client, "off_a")
    data = b"0123456789" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert patch(client, headers, sha, 0, len(data), data[:400]).status_code == 204
    # A retry of the first chunk (its answer was lost) and a chunk from the future.
    for offset in (0, 700):
        r = patch(client, headers, sha, offset, len(data), data[offset:offset + 100])
        assert r.status_code == 409
        assert r.headers["Upload-Offset"] == "400" and r.json()["detail"] == {"offset": 400}
    assert client.head(f"{API}/blobs/{sha}", headers=headers).headers["Upload-Offset"] == "400"


def test_bytes_that_do_not_match_the_name_are_discarded_with_422(client, world: World) -> None:
    headers = register(client, "off_a")
    data = b"the photo as it left the laptop"
    sha = hashlib.sha256(data).hexdigest()
    flipped = bytes([data[0] ^ 1]) + data[1:]
    r = patch(client, headers, sha, 0, len(data), flipped)
    assert r.status_code == 422 and r.json()["code"] == "hash_mismatch"
    assert r.json()["detail"]["actual"] == hashlib.sha256(flipped).hexdigest()
    # Discarded: the upload starts again from zero, and then succeeds.
    head = client.head(f"{API}/blobs/{sha}", headers=headers)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    assert upload(client, headers, data) == sha


def test_the_size_limit_is_413_with_a_message_for_the_officer(client, world: World) -> None:
    headers = register(client, "off_a")
    r = patch(client, headers, "a" * 64, 0, 50 * MB + 1, b"x")
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"
    assert r.json()["message"] == "照片超过50MB上限 / the photo is larger than the 50 MB limit"
    # Exactly the limit is allowed to start.
    assert patch(client, headers, "a" * 64, 0, 50 * MB, b"x").status_code == 204


@pytest.mark.parametrize("settings", [HqSettings(max_blob_bytes=2 * MB)])
def test_the_size_limit_is_configurable(client, world: World, settings: HqSettings) -> None:
    headers = register(client, "off_a")
    r = patch(client, headers, "b" * 64, 0, 2 * MB + 1, b"x")
    assert r.status_code == 413
    assert r.json()["message"] == "照片超过2MB上限 / the photo is larger than the 2 MB limit"


def test_a_complete_blob_is_not_uploaded_twice(client, hq: Hq, world: World) -> None:
    a, a2, c = register(client, "off_a"), register(client, "off_a"), register(client, "off_c")
    data = b"same photo, two visits"
    sha = upload(client, a, data)
    final = hq.blobs.complete_dir / sha[:2] / sha
    mtime = final.stat().st_mtime_ns
    # The same user's other laptop is told it is here, and a chunk it sends is not taken.
    head = client.head(f"{API}/blobs/{sha}", headers=a2)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == str(len(data))
    r = patch(client, a2, sha, 0, len(data), data)  # a client that did not ask first
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(len(data))
    # Another officer is told nothing of it: they send it, it is checked and kept once, and
    # from then on they hold it too.
    head = client.head(f"{API}/blobs/{sha}", headers=c)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    assert patch(client, c, sha, 0, len(data), b"x" * len(data)).status_code == 422
    r = patch(client, c, sha, 0, len(data), data)
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(len(data))
    assert client.head(f"{API}/blobs/{sha}", headers=c).status_code == 200
    assert final.stat().st_mtime_ns == mtime
    assert list(hq.blobs.partial_dir.iterdir()) == []
    with hq.blobs.open(sha) as f:
        assert f.read() == data


def test_malformed_uploads_are_refused(client, world: World) -> None:
    headers = register(client, "off_a")
    sha = hashlib.sha256(b"abc").hexdigest()
    assert patch(client, headers, sha, 0, 3, b"abc", "image/jpeg").status_code == 415
    assert patch(client, headers, sha, 0, 2, b"abc").json()["code"] == "bad_chunk"
    assert patch(client, headers, "NOT-A-HASH", 0, 3, b"abc").status_code == 422
    r = client.patch(f"{API}/blobs/{sha}", content=b"abc",
                     headers={**headers, "Content-Type": OCTETS})  # no offset headers
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    assert client.head(f"{API}/blobs/{sha}").status_code == 401


def test_the_disk_store_on_its_own(tmp_path: Path) -> None:
    store = DiskBlobStore(tmp_path)
    data = b"x" * 10
    sha = hashlib.sha256(data).hexdigest()
    assert store.offset(sha) is None
    assert store.append(sha, 0, data[:4], 10) == 4
    with pytest.raises(OffsetMismatch) as e:
        store.append(sha, 3, data[3:], 10)
    assert e.value.current == 4
    assert store.append(sha, 4, data[4:], 10) == 10
    assert store.complete(sha) and store.offset(sha) == 10
    wrong = hashlib.sha256(b"y").hexdigest()
    with pytest.raises(HashMismatch):
        store.append(wrong, 0, b"z", 1)
    assert store.offset(wrong) is None
    with pytest.raises(ValueError):
        store.offset("../../etc/passwd")


def test_each_device_fills_its_own_upload(tmp_path: Path) -> None:
    """An upload is its owner's: another owner's chunks go to their own, junk there does not
    touch it, and whoever finishes second keeps nothing but the check of their bytes."""
    store = DiskBlobStore(tmp_path)
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    mine, theirs = "7d6c1f0e-0000-4000-8000-000000000001", "7d6c1f0e-0000-4000-8000-000000000002"
    assert store.append(sha, 0, data[:400], 1000, owner=mine) == 400
    assert store.partial_offset(sha, mine) == 400 and store.partial_offset(sha, theirs) is None
    with pytest.raises(OffsetMismatch) as e:  # their offset is their own upload's: nothing
        store.append(sha, 400, os.urandom(600), 1000, owner=theirs)
    assert e.value.current == 0
    with pytest.raises(HashMismatch):
        store.append(sha, 0, os.urandom(1000), 1000, owner=theirs)
    assert store.partial_offset(sha, mine) == 400 and store.has_partial(sha)
    assert store.append(sha, 0, data[:100], 1000, owner=theirs) == 100
    assert store.append(sha, 400, data[400:], 1000, owner=mine) == 1000
    assert store.complete(sha) and store.partial_offset(sha, mine) is None
    final = store.complete_dir / sha[:2] / sha
    mtime = final.stat().st_mtime_ns
    # Complete, yet an owner's upload is still checked to the last byte, then dropped.
    with pytest.raises(HashMismatch):
        store.append(sha, 100, b"j" * 900, 1000, owner=theirs)
    assert store.append(sha, 0, data, 1000, owner=theirs) == 1000
    assert not store.has_partial(sha) and final.stat().st_mtime_ns == mtime
    with final.open("rb") as f:
        assert f.read() == data
    with pytest.raises(ValueError):
        store.append(sha, 0, data, 1000, owner="../../etc")
