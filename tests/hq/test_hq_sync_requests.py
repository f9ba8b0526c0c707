"""A sync's requests, well-formed or not, each answered as the protocol says: the status, the
error code and the headers the laptop reads, for pull, blob HEAD and PATCH and push, and a
revoked device on each. (These requests were once answered two ways, with and without
FastAPI; these are the answers both gave, now pinned for the one way.)"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hq_helpers import ACTOR, World, register, upload, visit_push

from inspector_app.hq import admin
from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.context import Hq
from inspector_app.wire import API, PullResponse, PushResult

OCTETS = "application/offset+octet-stream"


def code(r: Any) -> str | None:
    """The ErrorBody's code of an error answer with a body (HEAD answers have none)."""
    return r.json()["code"] if r.status_code >= 400 and r.content else None


# query -> (status, error code); a page's cursor is checked separately below.
PULLS = {
    "": (200, None), "?cursor=0": (200, None), "?cursor=0&limit=2": (200, None),
    "?limit=3&cursor=2": (200, None), "?cursor=99999": (200, None),
    "?cursor=-1": (422, "invalid_request"), "?cursor=abc": (422, "invalid_request"),
    "?cursor=": (422, "invalid_request"), "?cursor=%35": (200, None),
    "?cursor=1&cursor=2": (200, None), "?limit=0": (422, "invalid_request"),
    "?limit=5001": (422, "invalid_request"), "?limit=5000": (200, None),
    "?other=1": (200, None), "?cursor=0&": (200, None),
    "?cursor=99999999999999999999999": (200, None),
}


def test_pulls_are_answered_as_the_protocol_says(client, world: World) -> None:
    a = register(client, "off_a")
    pages = {}
    for query, expected in PULLS.items():
        r = client.get(f"{API}/pull{query}", headers=a)
        assert (r.status_code, code(r)) == expected, query
        if r.status_code == 200:
            pages[query] = PullResponse.model_validate(r.json())
    everything = pages["?limit=5000"]
    assert everything.changes and not everything.more
    top = everything.cursor
    assert len(pages["?cursor=0&limit=2"].changes) == 2 and pages["?cursor=0&limit=2"].more
    assert pages["?cursor=%35"] == client_page(client, a, "?cursor=5")
    assert pages["?cursor=1&cursor=2"] == client_page(client, a, "?cursor=2")  # the last one
    # A cursor past the log (a laptop restored from a backup) is brought back to its end.
    for ahead in ("?cursor=99999", "?cursor=99999999999999999999999"):
        assert (pages[ahead].cursor, pages[ahead].changes, pages[ahead].more) == (top, [], False)


def client_page(client: TestClient, headers: dict[str, str], query: str) -> PullResponse:
    r = client.get(f"{API}/pull{query}", headers=headers)
    assert r.status_code == 200, r.text
    return PullResponse.model_validate(r.json())


def test_heads_are_answered_as_the_protocol_says(client, world: World) -> None:
    a = register(client, "off_a")
    whole = b"a complete photo"
    held = upload(client, a, whole)
    part = b"half of a photo"
    part_sha = hashlib.sha256(part).hexdigest()
    client.patch(f"{API}/blobs/{part_sha}", content=part[:4], headers={
        **a, "Upload-Offset": "0", "Upload-Length": str(len(part)), "Content-Type": OCTETS})
    expected = {
        held: (200, {"upload-offset": str(len(whole)), "upload-length": str(len(whole))}),
        part_sha: (206, {"upload-offset": "4"}), "0" * 64: (404, {"upload-offset": "0"}),
        "NOT-A-SHA": (422, {}), "A" * 64: (422, {})}
    for sha, (status, headers) in expected.items():
        for suffix in ("", "?x=1"):  # an unknown query parameter changes nothing
            r = client.head(f"{API}/blobs/{sha}{suffix}", headers=a)
            assert r.status_code == status, (sha, suffix)
            assert {h: r.headers[h] for h in ("upload-offset", "upload-length")
                    if h in r.headers} == headers, (sha, suffix)


@pytest.mark.parametrize(("authorization", "pull_status", "head_status"), [
    (None, 401, 401), ("Bearer", 401, 401), ("Bearer not-a-token", 401, 401),
    ("Basic abc", 401, 401), ("bearer", 200, 200)])
def test_the_token_is_read_as_the_protocol_says(client, world: World, authorization: str | None,
                                               pull_status: int, head_status: int) -> None:
    a = register(client, "off_a")
    held = upload(client, a, b"a complete photo")
    if authorization == "bearer":  # the scheme in any case, with the real token
        authorization = "bearer " + a["Authorization"].split()[1]
    headers = {"Authorization": authorization} if authorization else {}
    r = client.get(f"{API}/pull?cursor=0", headers=headers)
    assert r.status_code == pull_status
    if pull_status == 401:
        assert code(r) == "unauthorized" and r.headers["www-authenticate"] == "Bearer"
    # A malformed parameter is refused before an unknown token is looked up (device_token).
    r = client.get(f"{API}/pull?cursor=x", headers=headers)
    assert (r.status_code, code(r)) == ((401, "unauthorized") if authorization is None
                                        or not authorization.lower().startswith("bearer ")
                                        else (422, "invalid_request"))
    r = client.head(f"{API}/blobs/{held}", headers=headers)
    assert r.status_code == head_status
    if head_status == 401:
        assert r.headers["www-authenticate"] == "Bearer"


def test_chunks_are_answered_as_the_protocol_says(client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")

    def chunk(data: bytes, offset: int, length: int, **headers: str) -> Any:
        sha = hashlib.sha256(data).hexdigest()
        return client.patch(f"{API}/blobs/{sha}", content=data[offset:offset + 5], headers={
            **a, "Upload-Offset": str(offset), "Upload-Length": str(length),
            "Content-Type": OCTETS, **headers})

    r = chunk(b"whole photo one", 0, 5)  # the last byte, but not the photo's bytes
    assert (r.status_code, code(r)) == (422, "hash_mismatch")
    photo = b"parts photo one"
    r = chunk(photo, 0, len(photo))
    assert (r.status_code, r.headers["upload-offset"]) == (204, "5")
    r = chunk(photo, 3, len(photo))
    assert (r.status_code, code(r), r.headers["upload-offset"]) == (409, "offset_mismatch", "5")
    assert r.json()["detail"] == {"offset": 5}
    r = chunk(photo, 5, len(photo))
    assert (r.status_code, r.headers["upload-offset"]) == (204, "10")
    refusals = [({"Content-Type": "image/jpeg"}, 415, "unsupported_media_type"),
                ({"Upload-Offset": "x"}, 422, "invalid_request"),
                ({"Upload-Length": "-1"}, 422, "invalid_request"),
                ({"Upload-Length": str(10**12)}, 413, "too_large"),
                ({"Upload-Offset": "9", "Upload-Length": "5"}, 400, "bad_chunk")]
    for i, (headers, status, error) in enumerate(refusals):
        data = f"refused photo {i}".encode()
        r = chunk(data, 0, len(data), **headers)
        assert (r.status_code, code(r)) == (status, error), headers
        assert hq.blobs.offset(hashlib.sha256(data).hexdigest()) is None  # nothing kept
    whole = b"a photo sent whole"
    url = f"{API}/blobs/{hashlib.sha256(whole).hexdigest()}"
    for _ in range(2):  # the second time it is complete already: answered alike
        r = client.patch(url, content=whole, headers={**a, "Upload-Offset": "0",
                                                      "Upload-Length": str(len(whole)),
                                                      "Content-Type": OCTETS})
        assert (r.status_code, r.headers["Upload-Offset"]) == (204, str(len(whole)))


def test_pushes_are_answered_as_the_protocol_says(client, world: World) -> None:
    a = register(client, "off_a")
    b = register(client, "off_b")

    def put(body: dict[str, Any], headers: dict[str, str] = a, path_id: str | None = None
            ) -> Any:
        return client.put(f"{API}/visits/{path_id or body['visit']['id']}", json=body,
                          headers=headers)

    def result(r: Any) -> tuple[int, str, int]:
        pushed = PushResult.model_validate(r.json())
        return r.status_code, pushed.status, pushed.server_version

    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    assert result(put(body)) == (200, "stored", 1)
    assert result(put(body)) == (200, "unchanged", 1)
    stale = copy.deepcopy(body)
    body["base_version"], body["visit"]["general_note"] = 1, "第二次编辑"
    assert result(put(body)) == (200, "stored", 2)
    stale["base_version"], stale["visit"]["general_note"] = 1, "旧编辑"
    assert result(put(stale)) == (409, "conflict", 2)
    r = put(body, b)  # another officer's visit
    assert (r.status_code, code(r)) == (403, "forbidden")
    fresh = visit_push(world.users["off_a"], world.borrowers["C001"])
    r = put(fresh, path_id="another-id")
    assert (r.status_code, code(r)) == (422, "invalid_visit")
    missing = copy.deepcopy(fresh)
    del missing["visit"]["borrower_id"]
    r = put(missing)
    assert (r.status_code, code(r)) == (422, "invalid_request")
    url = f"{API}/visits/{fresh['visit']['id']}"
    for kw, status, error in (
            ({"content": b"{not json", "headers": {**a, "Content-Type": "application/json"}},
             422, "invalid_request"),
            ({"content": json.dumps(fresh).encode(), "headers": {**a,
                                                                 "Content-Type": "text/plain"}},
             422, "invalid_request"),
            ({"json": fresh, "headers": {}}, 401, "unauthorized"),
            ({"json": fresh, "headers": {"Authorization": "Bearer nope"}}, 401, "unauthorized")):
        r = client.put(url, **kw)
        assert (r.status_code, code(r)) == (status, error), kw["headers"]
    assert client.get(f"{API}/visits/{fresh['visit']['id']}", headers=a).status_code == 404


def test_a_revoked_device_is_refused_everywhere(client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    (device,) = admin.list_devices(hq.db)
    assert admin.revoke_device(hq.db, device.id, ACTOR)
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    sha = hashlib.sha256(b"x").hexdigest()
    chunk = {**a, "Upload-Offset": "0", "Upload-Length": "1", "Content-Type": OCTETS}
    for r in (client.get(f"{API}/pull?cursor=0", headers=a),
              client.patch(f"{API}/blobs/{sha}", content=b"x", headers=chunk),
              client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)):
        assert (r.status_code, code(r)) == (403, "device_revoked"), r.request.url
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 403
    assert hq.blobs.offset(sha) is None


def test_the_storage_is_read_from_the_app_on_every_request(
        client, hq: Hq, world: World, tmp_path) -> None:
    """A test server swaps app.state.hq between examples: each request reads it anew."""
    a = register(client, "off_a")
    sha = upload(client, a, b"a photo in the first store")
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 200
    client.app.state.hq = Hq(db=hq.db, blobs=DiskBlobStore(tmp_path / "other-blobs"),
                             settings=hq.settings)
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 404

