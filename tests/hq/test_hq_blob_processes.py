"""Several server processes on one blob directory (`serve --workers N`): two processes
appending to the same upload at the same time never both append a chunk, never corrupt the
blob, and the resumable offset semantics stay as they are (a chunk is accepted only at the
offset the store holds)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.hq.blobs import CROSS_PROCESS_LOCKS, DiskBlobStore

RACE = Path(__file__).with_name("blob_race.py")
CHUNK = 4096
CHUNKS = 300
PROCESSES = 3

pytestmark = pytest.mark.skipif(not CROSS_PROCESS_LOCKS,
                                reason="no flock here: one server process per blob directory")


def _race(root: Path, data_file: Path, go: Path) -> list[dict[str, object]]:
    procs = [subprocess.Popen([sys.executable, str(RACE), str(root), str(data_file),
                               str(CHUNK), str(go)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for _ in range(PROCESSES)]
    try:
        go.touch()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            results.append(json.loads(out))
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_processes_racing_on_one_upload_append_each_chunk_once(tmp_path: Path) -> None:
    data = os.urandom(CHUNK * CHUNKS - 123)  # a short last chunk
    sha = hashlib.sha256(data).hexdigest()
    data_file = tmp_path / "photo.jpg"
    data_file.write_bytes(data)
    root = tmp_path / "blobs"
    DiskBlobStore(root)  # the directories, before the racers start

    results = _race(root, data_file, tmp_path / "go")

    assert [r["errors"] for r in results] == [[]] * PROCESSES
    # They did race: chunks were refused because another process had appended them.
    assert sum(int(r["mismatches"]) for r in results) > 0  # type: ignore[call-overload]
    accepted = sorted(o for r in results for o in r["accepted"])  # type: ignore[attr-defined]
    last = (len(data) - 1) // CHUNK * CHUNK
    # Every chunk accepted exactly once, in the order of the upload. (The last may also be
    # "accepted" as the no-op append to a blob another process has just completed.)
    assert [o for o in accepted if o != last] == list(range(0, last, CHUNK))
    assert last in accepted
    store = DiskBlobStore(root)
    assert store.complete(sha) and store.offset(sha) == len(data)
    with store.open(sha) as f:
        assert f.read() == data
    assert list((root / "partial").iterdir()) == []


def test_racing_processes_finish_a_resumed_upload_from_where_it_stood(tmp_path: Path) -> None:
    data = os.urandom(CHUNK * 40)
    sha = hashlib.sha256(data).hexdigest()
    data_file = tmp_path / "report.pdf"
    data_file.write_bytes(data)
    root = tmp_path / "blobs"
    store = DiskBlobStore(root)
    held = 7 * CHUNK + 100  # an earlier upload was cut off here
    assert store.append(sha, 0, data[:held], len(data)) == held

    results = _race(root, data_file, tmp_path / "go")

    assert [r["errors"] for r in results] == [[]] * PROCESSES
    accepted = sorted(o for r in results for o in r["accepted"])  # type: ignore[attr-defined]
    last = held + (len(data) - held - 1) // CHUNK * CHUNK
    # From where the store stood, never below it; each chunk once.
    assert [o for o in accepted if o != last] == list(range(held, last, CHUNK))
    with store.open(sha) as f:
        assert hashlib.sha256(f.read()).hexdigest() == sha
