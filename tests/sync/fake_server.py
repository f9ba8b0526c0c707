"""An in-memory headquarters that speaks the wire contract, served through httpx.MockTransport.

Small on purpose: enough to test the client's behaviour (resumable blobs, versioned visits,
a change log, revocation) without depending on the real server. Faults can be injected per
request: the connection refused before the server sees anything, the response lost after the
server acted, a PATCH cut after N bytes, or a 503.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from inspector_app import wire

A = wire.API


@dataclass
class Fault:
    """What goes wrong with a matching request. ``index`` matches the n-th request overall
    (0-based); otherwise ``method`` (or "*") and a substring of the path."""

    kind: str  # "connect", "lost", "cut", "503"
    method: str = "*"
    path: str = ""
    at: int = 0  # for "cut": how many bytes of the body arrive before the line drops
    times: int = 1
    index: int | None = None
    after: int = 0  # let this many matching requests through first

    def matches(self, n: int, request: httpx.Request) -> bool:
        if self.times <= 0:
            return False
        if self.index is not None:
            return self.index == n
        if self.method not in ("*", request.method) or self.path not in request.url.path:
            return False
        if self.after > 0:
            self.after -= 1
            return False
        return True


@dataclass
class StoredVisit:
    version: int
    record: dict[str, Any]


class FakeHQ:
    def __init__(self, *, page_size: int = 50, max_blob_bytes: int = 50 * 1024 * 1024) -> None:
        self.page_size = page_size
        self.max_blob_bytes = max_blob_bytes
        self.users: dict[str, tuple[str, wire.UserRecord]] = {}
        self.tokens: dict[str, str] = {}  # token -> device id
        self.revoked: set[str] = set()
        self.revoke_via_pull = False  # say it in the pull answer instead of 403
        self.blobs: dict[str, bytearray] = {}
        self.complete: set[str] = set()
        self.visits: dict[str, StoredVisit] = {}
        self.writes: Counter[str] = Counter()  # visit id -> times a new version was stored
        self.changes: list[wire.Change] = []
        # Each pull's Inspector-Entities header (None: none sent), as the client declared.
        self.declared: list[str | None] = []
        self.versions: Counter[tuple[str, str]] = Counter()
        self.bytes_received = 0
        self.requests: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.on_request: Callable[[httpx.Request], None] | None = None  # a test's spy

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # -- set-up, as an administrator would ---------------------------------------------------

    def add_user(self, record: wire.UserRecord, password: str) -> None:
        self.users[record.username] = (password, record)

    def publish(self, entity: str, record_id: str, data: dict[str, Any] | None = None, *,
                deleted: bool = False) -> wire.Change:
        """A change at headquarters: the next pull after it delivers it."""
        self.versions[entity, record_id] += 1
        change = wire.Change(entity=entity, id=record_id,
                             version=self.versions[entity, record_id], deleted=deleted,
                             data=json.loads(json.dumps(data or {}, default=str)))
        self.changes.append(change)
        return change

    def revoke(self, device_id: str) -> None:
        self.revoked.add(device_id)

    def edit_visit(self, visit_id: str, **fields: Any) -> None:
        """Someone at headquarters changes the server's copy: its version moves on."""
        stored = self.visits[visit_id]
        stored.record.update(fields)
        stored.version += 1

    def blob_sha(self, sha: str) -> str:
        return hashlib.sha256(bytes(self.blobs[sha])).hexdigest()

    # -- the protocol ----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        n = len(self.requests)
        self.requests.append((request.method, request.url.path))
        if self.on_request is not None:
            self.on_request(request)
        fault = next((f for f in self.faults if f.matches(n, request)), None)
        if fault is not None:
            fault.times -= 1
            if fault.kind == "connect":
                refused = ConnectionRefusedError(111, "Connection refused")  # the socket's words
                raise httpx.ConnectError("injected: connection refused",
                                         request=request) from refused
            if fault.kind == "503":
                return _error(503, "unavailable", "服务暂不可用 / service unavailable")
            if fault.kind == "cut" and request.method == "PATCH":
                self._route(request, body=request.content[: fault.at])
                raise httpx.ReadError("injected: connection cut", request=request)
            response = self._route(request)
            if fault.kind in ("lost", "cut"):
                raise httpx.ReadError("injected: response lost", request=request)
            return response
        return self._route(request)

    def _route(self, request: httpx.Request, body: bytes | None = None) -> httpx.Response:
        path = request.url.path
        if path == f"{A}/devices/register" and request.method == "POST":
            return self._register(request)
        device = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if device is None:
            return _error(401, "unauthorized", "未登记的设备 / unknown device")
        if device in self.revoked and not (self.revoke_via_pull and path == f"{A}/pull"):
            return _error(403, "device_revoked", "此设备已停用 / this device was revoked")
        if path == f"{A}/pull":
            self.declared.append(request.headers.get(wire.ENTITIES_HEADER))
            return self._pull(int(request.url.params["cursor"]), device)
        if path.startswith(f"{A}/blobs/"):
            sha = path.rsplit("/", 1)[1]
            if request.method == "HEAD":
                return self._head(sha)
            return self._patch(sha, request, request.content if body is None else body)
        if path.startswith(f"{A}/visits/") and request.method == "PUT":
            return self._put(wire.VisitPush.model_validate_json(request.content))
        return _error(404, "not_found", "no such endpoint")

    def _register(self, request: httpx.Request) -> httpx.Response:
        ask = wire.RegisterRequest.model_validate_json(request.content)
        known = self.users.get(ask.username)
        if known is None or known[0] != ask.password:
            return _error(401, "bad_login", "用户名或密码错误 / wrong username or password")
        device, token = str(uuid.uuid4()), uuid.uuid4().hex
        self.tokens[token] = device
        answer = wire.RegisterResponse(device_id=device, token=token, user=known[1])
        return httpx.Response(200, json=answer.model_dump(mode="json"))

    def _pull(self, cursor: int, device: str) -> httpx.Response:
        if device in self.revoked:
            page = wire.PullResponse(cursor=cursor, changes=[], revoked=True)
        else:
            changes = self.changes[cursor: cursor + self.page_size]
            end = cursor + len(changes)
            page = wire.PullResponse(cursor=end, changes=changes,
                                     more=end < len(self.changes))
        return httpx.Response(200, json=page.model_dump(mode="json"))

    def _head(self, sha: str) -> httpx.Response:
        if sha in self.complete:
            return httpx.Response(200, headers={"Upload-Offset": str(len(self.blobs[sha]))})
        if sha in self.blobs:
            return httpx.Response(206, headers={"Upload-Offset": str(len(self.blobs[sha]))})
        return httpx.Response(404, headers={"Upload-Offset": "0"})

    def _patch(self, sha: str, request: httpx.Request, body: bytes) -> httpx.Response:
        offset = int(request.headers["Upload-Offset"])
        length = int(request.headers["Upload-Length"])
        assert request.headers["Content-Type"] == "application/offset+octet-stream"
        if length > self.max_blob_bytes:
            return _error(413, "too_large",
                          f"照片过大（最大{self.max_blob_bytes}字节） / the photo is too large "
                          f"({self.max_blob_bytes} bytes at most)")
        held = self.blobs.setdefault(sha, bytearray())
        if sha in self.complete or offset != len(held):
            return httpx.Response(409, headers={"Upload-Offset": str(len(held))})
        self.bytes_received += len(body)
        held.extend(body)
        if len(held) >= length:
            if hashlib.sha256(bytes(held)).hexdigest() != sha or len(held) != length:
                del self.blobs[sha]
                return _error(422, "hash_mismatch", "文件校验失败 / the file does not match")
            self.complete.add(sha)
        return httpx.Response(204, headers={"Upload-Offset": str(len(held))})

    def _put(self, push: wire.VisitPush) -> httpx.Response:
        record = push.visit
        needed = {p.sha256 for p in record.photos} | {r.sha256 for r in record.reports}
        missing = sorted(needed - self.complete)
        if missing:
            result = wire.PushResult(visit_id=record.id, status="missing_blobs",
                                     server_version=0, missing_blobs=missing)
            return httpx.Response(422, json=result.model_dump(mode="json"))
        payload = record.model_dump(mode="json")
        stored = self.visits.get(record.id)
        if stored is not None and stored.record == payload:
            return _result(200, record.id, "unchanged", stored.version)
        current = 0 if stored is None else stored.version
        if push.base_version != current:
            return _result(409, record.id, "conflict", current,
                           "总行的版本已更新 / the copy at headquarters has changed")
        self.visits[record.id] = StoredVisit(current + 1, payload)
        self.writes[record.id] += 1
        return _result(200, record.id, "stored", current + 1)


def _result(status: int, visit_id: str, outcome: str, version: int,
            message: str = "") -> httpx.Response:
    result = wire.PushResult(visit_id=visit_id, status=outcome,  # type: ignore[arg-type]
                             server_version=version, message=message)
    return httpx.Response(status, json=result.model_dump(mode="json"))


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json=wire.ErrorBody(code=code, message=message)
                          .model_dump(mode="json"))
