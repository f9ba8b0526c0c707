"""Pushing visits: idempotent, conflicts never overwrite, blobs must be there first."""

from __future__ import annotations

import copy
import hashlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hq_helpers import World, register, upload, visit_push
from sqlalchemy import func, select

from inspector_app.hq.context import Hq
from inspector_app.hq.models import AuditEntry, ChangeLogEntry, Visit, VisitBlob
from inspector_app.wire import API, PushResult


def put(client, headers: dict[str, str], body: dict) -> tuple[int, PushResult]:
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    return r.status_code, PushResult.model_validate(r.json())


def visit_rows(hq: Hq, visit_id: str) -> tuple[int, int]:
    """(visit rows, change-log rows) for this visit."""
    with hq.db.read() as s:
        return (s.scalar(select(func.count()).select_from(Visit).where(Visit.id == visit_id)),
                s.scalar(select(func.count()).select_from(ChangeLogEntry)
                         .where(ChangeLogEntry.entity_id == visit_id)))


def test_the_same_push_again_is_unchanged_and_never_a_duplicate(
        client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    assert put(client, a, body) == (200, PushResult(visit_id=body["visit"]["id"],
                                                    status="stored", server_version=1))
    for _ in range(2):  # the answer was lost; the laptop sends it again, twice
        assert put(client, a, body) == (200, PushResult(visit_id=body["visit"]["id"],
                                                        status="unchanged", server_version=1))
    assert visit_rows(hq, body["visit"]["id"]) == (1, 1)
    # Key order and whitespace are not the document: the same data is the same push.
    reordered = {"visit": dict(reversed(list(body["visit"].items()))), "base_version": 0}
    assert put(client, a, reordered)[1].status == "unchanged"
    with hq.db.read() as s:
        stored = s.get(Visit, body["visit"]["id"])
        assert stored is not None and stored.payload["general_note"] == "经营正常，生产线运转"
        pushes = s.scalars(select(AuditEntry).where(AuditEntry.action == "visit.push")).all()
    assert len(pushes) == 1 and pushes[0].actor == "off_a"


def test_a_push_based_on_an_old_version_is_a_conflict_and_overwrites_nothing(
        client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    v1 = visit_push(world.users["off_a"], world.borrowers["C001"])
    visit_id = v1["visit"]["id"]
    put(client, a, v1)
    v2 = copy.deepcopy(v1)
    v2["base_version"], v2["visit"]["general_note"] = 1, "第二次编辑"
    assert put(client, a, v2) == (200, PushResult(visit_id=visit_id, status="stored",
                                                  server_version=2))
    stale = copy.deepcopy(v1)
    stale["base_version"], stale["visit"]["general_note"] = 1, "另一台电脑上的旧编辑"
    status, result = put(client, a, stale)
    assert status == 409
    assert (result.status, result.server_version) == ("conflict", 2)
    assert "version 2" in result.message
    with hq.db.read() as s:
        stored = s.get(Visit, visit_id)
        assert stored is not None
        assert (stored.version, stored.payload["general_note"]) == (2, "第二次编辑")
    # A brand-new visit claiming a base version is not a conflict (nothing to overwrite).
    fresh = visit_push(world.users["off_a"], world.borrowers["C001"], base_version=3)
    assert put(client, a, fresh)[1].status == "stored"


def test_photos_must_be_uploaded_before_the_visit(client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    photo, partial = b"\xff\xd8 a whole jpeg", b"\xff\xd8 half of another jpeg"
    sha, sha_partial = (hashlib.sha256(x).hexdigest() for x in (photo, partial))
    client.patch(f"{API}/blobs/{sha_partial}", content=partial[:5], headers={
        **a, "Upload-Offset": "0", "Upload-Length": str(len(partial)),
        "Content-Type": "application/offset+octet-stream"})
    body = visit_push(world.users["off_a"], world.borrowers["C001"],
                      photos=[(sha, len(photo)), (sha_partial, len(partial))])
    status, result = put(client, a, body)
    assert status == 422
    assert result.status == "missing_blobs" and result.server_version == 0
    assert result.missing_blobs == sorted([sha, sha_partial])
    assert visit_rows(hq, body["visit"]["id"]) == (0, 0)

    upload(client, a, photo)
    assert put(client, a, body)[1].missing_blobs == [sha_partial]
    upload(client, a, partial)
    assert put(client, a, body)[1].status == "stored"
    with hq.db.read() as s:
        refs = set(s.scalars(select(VisitBlob.sha256)
                             .where(VisitBlob.visit_id == body["visit"]["id"])))
    assert refs == {sha, sha_partial}


def test_a_signed_visit_cannot_be_changed_but_may_move_on_in_status(
        client, hq: Hq, world: World, sign: Any) -> None:
    a = register(client, "off_a")
    signed = sign(visit_push(world.users["off_a"], world.borrowers["C001"], status="signed"), a)
    put(client, a, signed)
    edited = copy.deepcopy(signed)
    edited["base_version"], edited["visit"]["general_note"] = 1, "签字后又改了结论"
    status, result = put(client, a, edited)
    assert (status, result.status) == (422, "rejected")
    assert "new revision" in result.message
    # Headquarters stored it as submitted on arrival (issue #12): the laptop's "submitted"
    # after the confirmation is the same document.
    submitted = copy.deepcopy(signed)
    submitted["base_version"], submitted["visit"]["status"] = 1, "submitted"
    assert put(client, a, submitted)[1] == PushResult(
        visit_id=signed["visit"]["id"], status="unchanged", server_version=1)


def test_a_malformed_visit_is_refused_with_an_error_body(client, world: World) -> None:
    a = register(client, "off_a")
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    r = client.put(f"{API}/visits/another-id", json=body, headers=a)
    assert r.status_code == 422 and r.json()["code"] == "invalid_visit"
    body["visit"]["status"] = "finished"
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 422 and "finished" in r.json()["message"]
    del body["visit"]["borrower_id"]
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"


def test_the_same_new_visit_pushed_concurrently_is_stored_once(
        client, hq: Hq, world: World) -> None:
    """A retry racing its original (a timeout on a slow link): one row, one "stored"."""
    a = register(client, "off_a")
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: put(client, a, body), range(4)))
    assert sorted(r.status for _, r in results) == ["stored", "unchanged", "unchanged",
                                                    "unchanged"]
    assert {(code, r.server_version) for code, r in results} == {(200, 1)}
    assert visit_rows(hq, body["visit"]["id"]) == (1, 1)
