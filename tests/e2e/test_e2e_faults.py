"""Network and process faults between a laptop and a real headquarters server process.

a. A cutting proxy drops the connection at random byte positions (mid-header, mid-chunk,
   mid-push, just after a request's last byte) until sync reports ok; at least 100 cuts.
b. The laptop's sync process is killed with SIGKILL mid-upload, then run again.
c. The server is restarted (SIGTERM, same port and data) while a sync is uploading.
After each: headquarters holds exactly the laptop's visits and photos, nothing twice, and
every resumed upload started at the offset the server acknowledged.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from e2e_support import (
    HqServer,
    Laptop,
    RecordingTransport,
    assert_same_at_headquarters,
    check_resumes,
    local_state,
)
from proxy import CuttingProxy
from sqlalchemy import select

from inspector_app import wire
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Photo, SyncState
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import SyncProgress

pytestmark = pytest.mark.e2e

CHUNK = 64 * 1024
MIN_CUTS = 100
CUT_SEED = 4242


def _sync_until_ok(client: SyncClient, *, attempts: int, deadline: float) -> int:
    """Sync again until a run reports ok; how many runs it took."""
    for n in range(1, attempts + 1):
        assert time.monotonic() < deadline, "out of time"
        if client.sync().ok:
            return n
    raise AssertionError(f"no ok sync in {attempts} runs")


def test_random_cuts_resume_and_leave_headquarters_equal(
    laptop: Laptop, hq_server: HqServer
) -> None:
    started = time.monotonic()
    deadline = started + 60
    transport = RecordingTransport()
    with CuttingProxy(hq_server.port, seed=CUT_SEED, cut_range=(1, 3 * CHUNK),
                      lifetime=120) as proxy, \
            SyncClient(laptop.store, proxy.url, transport=transport, chunk_bytes=CHUNK,
                       retries=4, backoff=0.002) as client:
        # Three visits, eight photos between them, to begin with.
        for n_photos in (3, 3, 2):
            laptop.add_visit(n_photos)
        runs = 0
        rounds = 0
        while proxy.stats.cuts < MIN_CUTS + 20 and rounds < 16:
            if rounds % 2:
                # Visits without photos, and cuts short enough to land in the pushes.
                for _ in range(3):
                    laptop.add_visit(0)
                proxy.cut_range = (1, 12_000)
            else:
                if rounds:
                    laptop.add_visit(3)  # a visit with three more photos
                proxy.cut_range = (1, 3 * CHUNK)
            proxy.drop_all()  # new connections, cut within the new range
            proxy.cutting = True
            runs += _sync_until_ok(client, attempts=400, deadline=deadline)
            rounds += 1
        proxy.cutting = False
        final = client.sync()
        assert final.ok and (final.photos_sent, final.visits_sent) == (0, 0), \
            final.messages()
        cuts = proxy.stats.cuts

    assert cuts >= MIN_CUTS, proxy.stats
    # The cuts landed in uploads and in pushes, not only in pulls and HEADs.
    assert transport.failures["PATCH"] >= 20, dict(transport.failures)
    assert transport.failures["PUT"] >= 1, dict(transport.failures)

    _, sizes = local_state(laptop.store)
    accounts = check_resumes(transport, sizes, CHUNK)
    assert {a.sha for a in accounts} == set(sizes)
    summary = assert_same_at_headquarters(laptop.store, hq_server)
    resent = sum(a.patch_bytes - a.size for a in accounts)
    print(f"\n[cuts] {cuts} cuts over {proxy.stats.connections} connections in {rounds} "
          f"rounds, {runs} sync runs; failed requests {dict(transport.failures)}; "
          f"{summary}; {resent} bytes re-sent over "
          f"{sum(a.interruptions for a in accounts)} interrupted PATCHes; "
          f"{time.monotonic() - started:.1f}s")
    assert hq_server.unexpected_errors() == [], hq_server.output()[-6000:]


def _child(laptop_dir: Path, url: str, delay: float, log: Path) -> subprocess.Popen[str]:
    script = Path(__file__).with_name("sync_child.py")
    return subprocess.Popen(
        [sys.executable, str(script), str(laptop_dir), url, str(CHUNK), str(delay)],
        stdout=subprocess.PIPE, stderr=log.open("a"), text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_sigkill_mid_upload_then_the_next_run_completes(
    laptop: Laptop, hq_server: HqServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    for n_photos in (3, 2):
        laptop.add_visit(n_photos)
    data_dir = laptop.store.data_dir
    _, sizes = local_state(laptop.store)
    with laptop.store.read() as s:
        by_name = dict(s.execute(select(Photo.original_name, Photo.sha256)).all())
        laptops_token = s.get_one(SyncState, 1).token
    laptop.store.close()  # the child process owns the laptop's database now
    log = tmp_path / "child.log"

    child = _child(data_dir, hq_server.url, 0.05, log)
    killed_in: str | None = None
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 30
        chunks_seen = 0
        for line in child.stdout:
            assert time.monotonic() < deadline, "the child never got mid-upload"
            parts = line.split(maxsplit=6)
            if parts[:2] == ["progress", "upload"] and 0 < int(parts[4]) < int(parts[5]):
                chunks_seen += 1
                if chunks_seen == 5:  # a few chunks into the first photo
                    killed_in = parts[6].strip()
                    os.kill(child.pid, signal.SIGKILL)
                    break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL, log.read_text()
    assert killed_in is not None

    # The server holds part of that photo, the rest of it not at all. (Only the laptop that
    # sends it is told: the upload is its own until it completes.)
    sha = by_name[killed_in]
    url = f"{hq_server.url}{wire.API}/blobs/{sha}"
    other = httpx.head(url, headers={"Authorization": f"Bearer {hq_server.token('sup1')}"})
    assert other.status_code == 404, other.status_code
    head = httpx.head(url, headers={"Authorization": f"Bearer {laptops_token}"})
    assert head.status_code == 206, head.status_code
    held = int(head.headers["Upload-Offset"])
    assert 0 < held < sizes[sha] and held % CHUNK == 0

    again = _child(data_dir, hq_server.url, 0, log)
    try:
        out, _ = again.communicate(timeout=60)
    finally:
        if again.poll() is None:
            again.kill()
            again.wait()
    assert again.returncode == 0, out + log.read_text()
    # The resumed photo started where the server was, not from the beginning.
    first = next(ln for ln in out.splitlines()
                 if ln.startswith("progress upload") and ln.rstrip().endswith(killed_in)
                 and int(ln.split()[4]) > 0)
    assert int(first.split()[4]) == held + min(CHUNK, sizes[sha] - held), first

    store = LocalStore.open(data_dir)
    try:
        summary = assert_same_at_headquarters(store, hq_server)
    finally:
        store.close()
    print(f"\n[sigkill] killed in {killed_in} at {held}/{sizes[sha]} bytes; {summary}; "
          f"{time.monotonic() - started:.1f}s")


def test_server_restart_mid_upload(laptop: Laptop, hq_server: HqServer) -> None:
    started = time.monotonic()
    for n_photos in (3, 3):
        laptop.add_visit(n_photos)
    mid_upload = threading.Event()
    results: list[object] = []

    def progress(p: SyncProgress) -> None:
        if p.stage == "upload" and 0 < p.bytes_done < p.bytes_total:
            if p.done >= 1:
                mid_upload.set()
            time.sleep(0.02)

    def run() -> None:
        try:
            with SyncClient(laptop.store, hq_server.url, chunk_bytes=CHUNK, retries=6,
                            backoff=0.1) as client:
                results.append(client.sync(progress=progress))
        except BaseException as e:  # handed to the test thread
            results.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        assert mid_upload.wait(30), "the sync never got mid-upload"
        status = hq_server.stop()
        assert status in (0, -signal.SIGTERM), hq_server.output()
        time.sleep(0.3)  # the client meets a closed port meanwhile
        hq_server.start()
    finally:
        worker.join(60)
    assert not worker.is_alive(), "the sync run did not end"
    assert len(results) == 1 and not isinstance(results[0], BaseException), results

    runs = 1
    report = results[0]
    with SyncClient(laptop.store, hq_server.url, chunk_bytes=CHUNK, retries=3,
                    backoff=0.05) as client:
        while not report.ok:  # type: ignore[attr-defined]
            assert runs < 5, report.messages()  # type: ignore[attr-defined]
            report = client.sync()
            runs += 1
        final = client.sync()
        assert final.ok and (final.photos_sent, final.visits_sent) == (0, 0), final.messages()
    summary = assert_same_at_headquarters(laptop.store, hq_server)
    print(f"\n[restart] server started {hq_server.starts} times; ok after {runs} run(s); "
          f"{summary}; {time.monotonic() - started:.1f}s")
    assert hq_server.unexpected_errors() == [], hq_server.output()[-6000:]


def test_a_cut_upload_is_not_logged_as_a_server_error(hq_server: HqServer) -> None:
    token = hq_server.token("off_a")
    body = os.urandom(100_000)
    sha = hashlib.sha256(body).hexdigest()
    with CuttingProxy(hq_server.port, seed=1, cut_range=(2_000, 2_000), lifetime=30) as proxy:
        proxy.cutting = True
        with pytest.raises(httpx.TransportError):
            httpx.patch(f"{proxy.url}{wire.API}/blobs/{sha}", content=body, timeout=10,
                        headers={"Authorization": f"Bearer {token}", "Upload-Offset": "0",
                                 "Upload-Length": str(len(body)),
                                 "Content-Type": "application/offset+octet-stream"})
        assert proxy.stats.cuts == 1
    head = httpx.head(f"{hq_server.url}{wire.API}/blobs/{sha}",
                      headers={"Authorization": f"Bearer {token}"})
    assert head.status_code == 404  # nothing of the cut chunk was kept
    deadline = time.monotonic() + 5
    while "ClientDisconnect" not in hq_server.output() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server notices the cut a moment later
    assert "Traceback" not in hq_server.output(), hq_server.output()
