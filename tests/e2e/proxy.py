"""A cutting TCP proxy on loopback, for fault tests between the sync client and the server.

Every accepted connection is forwarded to the upstream port, bytes both ways. While `cutting`
is on, each new connection draws a byte count N from a seeded random.Random: once N bytes of
the client->server stream have passed, the rest of that read is dropped and both sides are
torn down (RST), so a cut lands anywhere: in the headers, mid-chunk of a PATCH body, mid-PUT,
or right after the last byte of a request (the server acts, the answer is lost).

Bounded: it listens only on 127.0.0.1, its threads are daemons, and it stops by itself after
`lifetime` seconds if nobody calls stop().
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

BUFFER = 16 * 1024


@dataclass
class ProxyStats:
    connections: int = 0
    cuts: int = 0
    client_bytes: int = 0  # client -> server, forwarded
    server_bytes: int = 0  # server -> client, forwarded
    cut_positions: list[int] = field(default_factory=list)


def _hard_close(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) after waking any thread blocked in recv on it."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class CuttingProxy:
    def __init__(self, upstream_port: int, *, seed: int, cut_range: tuple[int, int],
                 lifetime: float = 300.0) -> None:
        self.upstream_port = upstream_port
        self.cut_range = cut_range
        self.cutting = False
        self.stats = ProxyStats()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="cutting-proxy",
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> CuttingProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()
        self.drop_all()

    def drop_all(self) -> None:
        """Tear down every open connection (the listener stays)."""
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            _hard_close(s)

    # -- internals ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port),
                                                    timeout=5)
            except OSError:
                _hard_close(client)  # the server is down: the client sees a refused/reset
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self.stats.connections += 1
                cut_at = self._rng.randint(*self.cut_range) if self.cutting else None
                self._open.update((client, upstream))
            conn = _Connection(self, client, upstream, cut_at)
            threading.Thread(target=conn.client_to_server, daemon=True).start()
            threading.Thread(target=conn.server_to_client, daemon=True).start()
        self.drop_all()

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            for s in socks:
                self._open.discard(s)


class _Connection:
    def __init__(self, proxy: CuttingProxy, client: socket.socket, upstream: socket.socket,
                 cut_at: int | None) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.cut_at = cut_at
        self.sent = 0
        self._closed = threading.Lock()
        self._done = False

    def _close(self) -> None:
        with self._closed:
            if self._done:
                return
            self._done = True
        self.proxy._forget(self.client, self.upstream)
        _hard_close(self.client)
        _hard_close(self.upstream)

    def client_to_server(self) -> None:
        try:
            while True:
                data = self.client.recv(BUFFER)
                if not data:
                    break
                if self.cut_at is not None and self.sent + len(data) >= self.cut_at:
                    head = data[: self.cut_at - self.sent]
                    if head:
                        self.upstream.sendall(head)
                    with self.proxy._lock:
                        self.proxy.stats.client_bytes += len(head)
                        self.proxy.stats.cuts += 1
                        self.proxy.stats.cut_positions.append(self.cut_at)
                    break
                self.upstream.sendall(data)
                self.sent += len(data)
                with self.proxy._lock:
                    self.proxy.stats.client_bytes += len(data)
        except OSError:
            pass
        self._close()

    def server_to_client(self) -> None:
        try:
            while True:
                data = self.upstream.recv(BUFFER)
                if not data:
                    break
                self.client.sendall(data)
                with self.proxy._lock:
                    self.proxy.stats.server_bytes += len(data)
        except OSError:
            pass
        self._close()
