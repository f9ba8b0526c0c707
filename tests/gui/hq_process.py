"""A real `inspector-hq serve` process for the GUI tests that read headquarters online (the
administrator's audit trail and bank dashboard): started on a prepared database, waited for
until it answers, stopped at the end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A local port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(root: Path, url: str) -> Iterator[str]:
    """The server's base URL while it runs on the database at url (blobs and log in root)."""
    port = free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_app.hq.cli", "serve", "--db", url, "--blobs",
             str(root / "blobs"), "--port", str(port), "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(root / "blobs", ignore_errors=True)
