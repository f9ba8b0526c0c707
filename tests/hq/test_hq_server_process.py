"""The real thing: `inspector-hq serve` in its own process, spoken to over HTTP."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from hq_helpers import PASSWORD, World, pull_all, upload, visit_push

from inspector_app.wire import API, PullResponse, PushResult, RegisterResponse

START_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}:\n"
                                 f"{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the server did not start:\n{log.read_text(errors='replace')}")


def test_register_pull_upload_and_push_over_real_http(world: World, db_url: str,
                                                      tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_app.hq.cli", "serve", "--db", db_url,
             "--blobs", str(tmp_path / "server-blobs"), "--port", str(port),
             "--log-level", "info"],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_until_up(base, proc, log)
        with httpx.Client(base_url=base, timeout=30) as http:
            r = http.post(f"{API}/devices/register", json={
                "username": "off_a", "password": PASSWORD, "device_name": "现场笔记本"})
            assert r.status_code == 200, r.text
            reg = RegisterResponse.model_validate(r.json())
            headers = {"Authorization": f"Bearer {reg.token}"}

            _, changes = pull_all(http, headers)
            assert {c["data"]["code"] for c in changes if c["entity"] == "borrower"} == {"C001"}

            photo = os.urandom(150_000)
            sha = upload(http, headers, photo, chunk=64 * 1024)  # three chunks
            assert http.head(f"{API}/blobs/{sha}", headers=headers).status_code == 200
            assert sha == hashlib.sha256(photo).hexdigest()

            body = visit_push(reg.user.id, world.borrowers["C001"], photos=[(sha, len(photo))])
            for expected in ("stored", "unchanged"):
                r = http.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
                assert r.status_code == 200, r.text
                assert PushResult.model_validate(r.json()).status == expected

            again = PullResponse.model_validate(http.get(
                f"{API}/pull", params={"cursor": 0}, headers=headers).json())
            assert again.changes and not again.revoked
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells of it.
    output = log.read_text(errors="replace")
    assert proc.returncode in (0, -signal.SIGTERM), output
    assert "Finished server process" in output and "Traceback" not in output, output
    assert (tmp_path / "server-blobs" / "complete" / sha[:2] / sha).read_bytes() == photo
