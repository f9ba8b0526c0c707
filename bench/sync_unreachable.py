"""Benchmark: how long an officer waits to learn the headquarters server cannot be reached.

For each way a server is out of reach (the connection refused, the name not found, no answer,
no TLS at that port), the time from ``SyncClient.register`` to the error that says why, with
the client's defaults (retries, back-off, connect timeout), against the bare minimum: one
``socket.create_connection`` (plus the TLS handshake for https) to the same place with the
same connect timeout. Target: within 5 s, and within a few tenths of a second of the minimum.

"No answer" is a loopback socket whose backlog is full (further SYNs are dropped, as on a
non-routable address); ``--address`` adds real ones, e.g. ``--address http://10.255.255.1``
(some networks answer that address themselves; the figure then says so). Not a test: it
prints figures, asserts nothing. Runs against whatever ``inspector_app`` imports, so the same
script times an older checkout with ``PYTHONPATH=that/checkout``.

    python bench/sync_unreachable.py [--rounds 3] [--address URL]...
"""

from __future__ import annotations

import argparse
import http.server
import socket
import ssl
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient, SyncError

CONNECT_TIMEOUT = 4.0  # the client's default (sync.unreachable.CONNECT_TIMEOUT)


@contextmanager
def refused() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


@contextmanager
def no_answer() -> Iterator[str]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    held = []
    for _ in range(8):
        c = socket.socket()
        c.settimeout(0.2)
        try:
            c.connect(("127.0.0.1", port))
        except OSError:
            c.close()
            break
        held.append(c)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for c in held:
            c.close()
        server.close()


@contextmanager
def name_not_found() -> Iterator[str]:
    yield "https://hq.bank.invalid"


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def not_tls() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def given(address: str) -> Iterator[str]:
    yield address


def bare_minimum(address: str) -> float:
    """One connection attempt (and TLS handshake for https), as the client's first try."""
    url = httpx.URL(address)
    port = url.port or (443 if url.scheme == "https" else 80)
    start = time.perf_counter()
    try:
        with socket.create_connection((url.host, port), timeout=CONNECT_TIMEOUT) as sock:
            if url.scheme == "https":
                ssl.create_default_context().wrap_socket(sock, server_hostname=url.host)
    except OSError:
        pass
    return time.perf_counter() - start


def client_wait(store: LocalStore, address: str) -> tuple[float, str]:
    start = time.perf_counter()
    said = "(no error: something answered)"
    with SyncClient(store, address) as client:
        try:
            client.register("li", "a password", "bench")
        except SyncError as exc:
            said = exc.text.en
    return time.perf_counter() - start, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--address", action="append", default=[])
    args = parser.parse_args()
    cases = [("refused", refused), ("no answer (backlog full)", no_answer),
             ("name not found", name_not_found), ("no TLS at the port", not_tls)]
    cases += [(address, lambda a=address: given(a)) for address in args.address]
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalStore.open(Path(tmp))
        try:
            print(f"{'case':<28} {'client s':>9} {'minimum s':>10}  what the officer reads")
            for name, make in cases:
                waits, floors, said = [], [], ""
                for _ in range(args.rounds):
                    with make() as address:
                        floors.append(bare_minimum(address))
                        wait, said = client_wait(store, address)
                        waits.append(wait)
                print(f"{name:<28} {statistics.median(waits):9.2f} "
                      f"{statistics.median(floors):10.2f}  {said[:90]}")
        finally:
            store.close()


if __name__ == "__main__":
    main()
