"""An httpx transport that carries the sync client's requests to a real server over real HTTP,
and breaks some of them on purpose (fake_server.Fault says which):

- "connect": refused before anything is sent; the server never sees the request.
- "503": a gateway in front of the server answers 503 itself; the server never sees it.
- "lost": the request goes through and the server acts on it (commits, appends a chunk), but
  the answer never reaches the client.
- "504": the same, except that the gateway answers 504 after the server acted.
- "cut": the line drops part-way through the request body: the headers (with the full
  Content-Length) and only the first `at` bytes of the body go on the wire, at least one byte
  short, then the connection closes. A request without a body is cut after it was sent, like
  "lost".

The tally counts what crossed the wire in PATCH bodies, so a test can bound the bytes an
upload sent again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from fake_server import Fault

from inspector_app import wire

# How long a cut line stays open after the part that got through: time for the server to
# read that part, else uvicorn may see the close first and hand the app no body at all.
CUT_PAUSE_S = 0.02


@dataclass
class WireTally:
    patch_bytes_whole: int = 0  # PATCH body bytes of chunks sent whole (the server read all)
    patch_bytes_cut: int = 0  # bytes of chunks whose line dropped part-way
    patches_cut: int = 0
    patches_unanswered: int = 0  # chunks the server took whose answer was lost (or a 504)
    fired: list[str] = field(default_factory=list)  # "kind METHOD" of each fault that hit


class _LineDropped(Exception):
    pass


class _Truncated(httpx.SyncByteStream):
    """The first bytes of a body, then the line drops (an exception inside the transport, so
    httpcore closes the connection with the body unfinished)."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self) -> Iterator[bytes]:
        if self.head:
            yield self.head
        time.sleep(CUT_PAUSE_S)  # so the cut lands inside the server's read of the body
        raise _LineDropped


class FaultyWire(httpx.BaseTransport):
    """Faults in front of `line`, a real HTTP transport that outlives this wrapper: making
    one costs an SSL context (tens of milliseconds), and a SyncClient closes its transport
    after every run."""

    def __init__(self, faults: list[Fault], tally: WireTally, line: httpx.HTTPTransport) -> None:
        self.faults = faults
        self.tally = tally
        self._requests = 0
        self._line = line

    def close(self) -> None:
        pass  # the line belongs to whoever made it

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        n = self._requests
        self._requests += 1
        fault = next((f for f in self.faults if f.matches(n, request)), None)
        if fault is None:
            return self._forward(request)
        fault.times -= 1
        self.tally.fired.append(f"{fault.kind} {request.method}")
        if fault.kind == "connect":
            refused = ConnectionRefusedError(111, "Connection refused")  # the socket's words
            raise httpx.ConnectError("injected: connection refused",
                                     request=request) from refused
        if fault.kind == "503":
            body = wire.ErrorBody(code="unavailable", message="服务暂不可用 / service unavailable")
            return httpx.Response(503, json=body.model_dump(mode="json"))
        body_bytes = request.read()
        if fault.kind == "cut" and body_bytes:
            self._cut(request, body_bytes, fault.at)
            raise httpx.WriteError("injected: connection cut mid-body", request=request)
        response = self._forward(request)
        response.read()  # the server has answered, so it has acted
        response.close()
        if request.method == "PATCH":
            self.tally.patches_unanswered += 1
        if fault.kind == "504":
            return httpx.Response(504, text="gateway timeout")
        raise httpx.ReadError("injected: response lost", request=request)

    def _forward(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            self.tally.patch_bytes_whole += len(request.read())
        return self._line.handle_request(request)

    def _cut(self, request: httpx.Request, body: bytes, at: int) -> None:
        head = body[: max(0, min(at, len(body) - 1))]
        cut = httpx.Request(request.method, request.url, headers=request.headers,
                            stream=_Truncated(head))
        try:
            self._line.handle_request(cut)
        except _LineDropped:
            pass
        else:
            raise AssertionError("a request cut short was answered")
        if request.method == "PATCH":
            self.tally.patch_bytes_cut += len(head)
            self.tally.patches_cut += 1
