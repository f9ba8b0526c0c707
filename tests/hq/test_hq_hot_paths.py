"""hot_paths.py answers a sync's well-formed requests without FastAPI's routing: every request
here gets the same answer from the app with it and from the app without it (FastAPI alone).
Requests that change something are sent in pairs that differ only in their ids (a blob's
bytes, a visit's id), one to each app, and the answers compared with the ids swapped."""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hq_helpers import ACTOR, World, register, upload, visit_push

from inspector_app.hq import admin
from inspector_app.hq.app import create_app
from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.context import Hq
from inspector_app.wire import API

OCTETS = "application/offset+octet-stream"
COMPARED_HEADERS = ("content-type", "upload-offset", "upload-length", "www-authenticate")


@pytest.fixture
def plain(hq: Hq) -> Iterator[TestClient]:
    with TestClient(create_app(hq, hot_paths=False)) as c:
        yield c


def answer(r: Any, swap: dict[str, str]) -> tuple[int, dict[str, str], Any]:
    text = r.text
    for mine, theirs in swap.items():
        text = text.replace(mine, theirs)
    body = json.loads(text) if text else None
    return r.status_code, {h: r.headers[h] for h in COMPARED_HEADERS if h in r.headers}, body


def same(hot: Any, fastapi: Any, swap: dict[str, str] | None = None) -> int:
    """Assert both answers are alike (hot's ids replaced by swap); the status."""
    assert answer(hot, swap or {}) == answer(fastapi, {}), hot.request.url
    return hot.status_code


def test_pulls_and_heads_are_answered_alike(client, plain, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    held = upload(client, a, b"a complete photo")
    part = b"half of a photo"
    part_sha = hashlib.sha256(part).hexdigest()
    client.patch(f"{API}/blobs/{part_sha}", content=part[:4], headers={
        **a, "Upload-Offset": "0", "Upload-Length": str(len(part)), "Content-Type": OCTETS})
    queries = ["", "?cursor=0", "?cursor=0&limit=2", "?limit=3&cursor=2", "?cursor=99999",
               "?cursor=-1", "?cursor=abc", "?cursor=", "?cursor=%35", "?cursor=1&cursor=2",
               "?limit=0", "?limit=5001", "?limit=5000", "?other=1", "?cursor=0&",
               "?cursor=99999999999999999999999"]
    statuses = set()
    for query in queries:
        statuses.add(same(client.get(f"{API}/pull{query}", headers=a),
                          plain.get(f"{API}/pull{query}", headers=a)))
    for sha in (held, part_sha, "0" * 64, "NOT-A-SHA", "A" * 64):
        for suffix in ("", "?x=1"):
            url = f"{API}/blobs/{sha}{suffix}"
            statuses.add(same(client.head(url, headers=a), plain.head(url, headers=a)))
    for authorization in (None, "Bearer", "Bearer not-a-token", "Basic abc", "bearer " +
                          a["Authorization"].split()[1]):
        headers = {"Authorization": authorization} if authorization else {}
        for url in (f"{API}/pull?cursor=0", f"{API}/pull?cursor=x"):
            statuses.add(same(client.get(url, headers=headers), plain.get(url, headers=headers)))
        statuses.add(same(client.head(f"{API}/blobs/{held}", headers=headers),
                          plain.head(f"{API}/blobs/{held}", headers=headers)))
    assert statuses == {200, 206, 401, 404, 422}  # every kind of answer was compared


def test_chunks_are_answered_alike(client, plain, hq: Hq, world: World) -> None:
    a = register(client, "off_a")

    def chunk(c: TestClient, data: bytes, offset: int, length: int, **headers: str) -> Any:
        sha = hashlib.sha256(data).hexdigest()
        return c.patch(f"{API}/blobs/{sha}", content=data[offset:offset + 5], headers={
            **a, "Upload-Offset": str(offset), "Upload-Length": str(length),
            "Content-Type": OCTETS, **headers})

    def pair(tag: str) -> tuple[bytes, bytes, dict[str, str]]:
        hot, fastapi = f"{tag} photo one".encode(), f"{tag} photo two".encode()
        return hot, fastapi, {hashlib.sha256(hot).hexdigest(): hashlib.sha256(fastapi)
                              .hexdigest()}

    hot, fastapi, swap = pair("whole")
    assert same(chunk(client, hot, 0, 5), chunk(plain, fastapi, 0, 5), swap) == 422
    hot, fastapi, swap = pair("parts")
    statuses = {same(chunk(client, hot, 0, len(hot)), chunk(plain, fastapi, 0, len(fastapi)),
                     swap),
                same(chunk(client, hot, 3, len(hot)), chunk(plain, fastapi, 3, len(fastapi)),
                     swap),
                same(chunk(client, hot, 5, len(hot)), chunk(plain, fastapi, 5, len(fastapi)),
                     swap)}
    assert statuses == {204, 409}
    for headers in ({"Content-Type": "image/jpeg"}, {"Upload-Offset": "x"},
                    {"Upload-Length": "-1"}, {"Upload-Length": str(10**12)},
                    {"Upload-Offset": "9", "Upload-Length": "5"}):
        hot, fastapi, swap = pair("refused")
        statuses.add(same(chunk(client, hot, 0, len(hot), **headers),
                          chunk(plain, fastapi, 0, len(fastapi), **headers), swap))
    whole = b"a photo sent whole"
    url = f"{API}/blobs/{hashlib.sha256(whole).hexdigest()}"
    for c in (client, plain):  # the second one finds it complete already: answered alike
        r = c.patch(url, content=whole, headers={**a, "Upload-Offset": "0",
                                                 "Upload-Length": str(len(whole)),
                                                 "Content-Type": OCTETS})
        assert (r.status_code, r.headers["Upload-Offset"]) == (204, str(len(whole)))
    assert statuses == {204, 400, 409, 413, 415, 422}


def test_pushes_are_answered_alike(client, plain, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    b = register(client, "off_b")

    def pair(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
        other = copy.deepcopy(body)
        other["visit"]["id"] = str(uuid.uuid4())
        return body, other, {body["visit"]["id"]: other["visit"]["id"]}

    def put(c: TestClient, body: dict[str, Any], headers: dict[str, str] = a,
            path_id: str | None = None) -> Any:
        return c.put(f"{API}/visits/{path_id or body['visit']['id']}", json=body,
                     headers=headers)

    hot, fastapi, swap = pair(visit_push(world.users["off_a"], world.borrowers["C001"]))
    statuses = {same(put(client, hot), put(plain, fastapi), swap),
                same(put(client, hot), put(plain, fastapi), swap)}  # stored, then unchanged
    stale_hot, stale_fastapi = copy.deepcopy(hot), copy.deepcopy(fastapi)
    for body in (hot, fastapi):
        body["base_version"], body["visit"]["general_note"] = 1, "第二次编辑"
    same(put(client, hot), put(plain, fastapi), swap)
    stale_hot["visit"]["general_note"] = stale_fastapi["visit"]["general_note"] = "旧编辑"
    statuses.add(same(put(client, stale_hot), put(plain, stale_fastapi), swap))  # 409
    statuses.add(same(put(client, hot, b), put(plain, fastapi, b), swap))  # not theirs
    hot, fastapi, swap = pair(visit_push(world.users["off_a"], world.borrowers["C001"]))
    statuses.add(same(put(client, hot, path_id="another-id"),
                      put(plain, fastapi, path_id="another-id"), swap))  # ids differ
    missing = copy.deepcopy(hot)
    del missing["visit"]["borrower_id"]
    statuses.add(same(put(client, missing), put(plain, missing)))  # not a VisitPush
    for kw in ({"content": b"{not json", "headers": {**a, "Content-Type": "application/json"}},
               {"content": json.dumps(hot).encode(), "headers": {**a,
                                                                "Content-Type": "text/plain"}},
               {"json": hot, "headers": {}}, {"json": hot, "headers": {
                   "Authorization": "Bearer nope"}}):
        statuses.add(same(client.put(f"{API}/visits/{hot['visit']['id']}", **kw),
                          plain.put(f"{API}/visits/{hot['visit']['id']}", **kw)))
    assert statuses == {200, 401, 403, 409, 422}


def test_a_revoked_device_is_refused_alike(client, plain, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    (device,) = admin.list_devices(hq.db)
    assert admin.revoke_device(hq.db, device.id, ACTOR)
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    sha = hashlib.sha256(b"x").hexdigest()
    chunk = {**a, "Upload-Offset": "0", "Upload-Length": "1", "Content-Type": OCTETS}
    for request in (lambda c: c.get(f"{API}/pull?cursor=0", headers=a),
                    lambda c: c.head(f"{API}/blobs/{sha}", headers=a),
                    lambda c: c.patch(f"{API}/blobs/{sha}", content=b"x", headers=chunk),
                    lambda c: c.put(f"{API}/visits/{body['visit']['id']}", json=body,
                                    headers=a)):
        assert same(request(client), request(plain)) == 403


def test_the_storage_is_read_from_the_app_on_every_request(
        client, hq: Hq, world: World, tmp_path) -> None:
    """As the handlers' Hq dependency: a test server swaps app.state.hq between examples."""
    a = register(client, "off_a")
    sha = upload(client, a, b"a photo in the first store")
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 200
    client.app.state.hq = Hq(db=hq.db, blobs=DiskBlobStore(tmp_path / "other-blobs"),
                             settings=hq.settings)
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 404
