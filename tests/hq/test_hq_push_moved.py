"""A push whose visit or borrower moves between its checks and its write, and an edit that
changes the photos: the write checks again what the checks read (push.py), and leaves the
same rows on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable

import pytest
from hq_helpers import ACTOR, World, register, upload, visit_push
from sqlalchemy import func, select

from inspector_app.hq import admin
from inspector_app.hq.context import Hq
from inspector_app.hq.models import AuditEntry, ChangeLogEntry, Visit, VisitBlob
from inspector_app.wire import API, PushResult


def put(client, headers: dict[str, str], body: dict) -> tuple[int, PushResult]:
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    return r.status_code, PushResult.model_validate(r.json())


def written(hq: Hq, visit_id: str) -> dict[str, object]:
    """What headquarters holds of a visit: its version, blob rows, log and audit rows."""
    with hq.db.read() as s:
        visit = s.get(Visit, visit_id)
        return {
            "version": visit.version if visit else None,
            "blobs": dict(s.execute(select(VisitBlob.sha256, VisitBlob.kind)
                                    .where(VisitBlob.visit_id == visit_id)).all()),
            "log": list(s.scalars(select(ChangeLogEntry.version)
                                  .where(ChangeLogEntry.entity_id == visit_id)
                                  .order_by(ChangeLogEntry.seq))),
            "audit": [e.detail["version"] for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == visit_id,
                                         AuditEntry.action == "visit.push")
                .order_by(AuditEntry.id))],
        }


def once_between_checks_and_write(monkeypatch: pytest.MonkeyPatch, hq: Hq,
                                  meddle: Callable[[], None]) -> None:
    """Run meddle() the first time the push asks whether a photo is complete: after its
    checks read the stored visit, before it writes."""
    complete = hq.blobs.complete
    done: list[bool] = []

    def checked(sha256: str) -> bool:
        if not done:
            done.append(True)
            meddle()
        return complete(sha256)

    monkeypatch.setattr(hq.blobs, "complete", checked)


def test_an_edit_that_changes_the_photos_keeps_the_blob_rows_in_step(
        client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    one, two, three = (upload(client, a, f"jpeg {i}".encode()) for i in (1, 2, 3))
    first = visit_push(world.users["off_a"], world.borrowers["C001"],
                       photos=[(one, 6), (two, 6)])
    visit_id = first["visit"]["id"]
    assert put(client, a, first) == (200, PushResult(visit_id=visit_id, status="stored",
                                                     server_version=1))
    edit = visit_push(world.users["off_a"], world.borrowers["C001"], visit_id=visit_id,
                      base_version=1, photos=[(two, 6), (three, 6)], note="补拍一张")
    assert put(client, a, edit) == (200, PushResult(visit_id=visit_id, status="stored",
                                                    server_version=2))
    assert written(hq, visit_id) == {"version": 2, "blobs": {two: "photo", three: "photo"},
                                     "log": [1, 2], "audit": [1, 2]}
    with hq.db.read() as s:
        assert s.get(Visit, visit_id).payload["general_note"] == "补拍一张"


def test_a_visit_edited_meanwhile_is_not_overwritten(
        client, hq: Hq, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = register(client, "off_a")
    photo = upload(client, a, b"a jpeg")
    first = visit_push(world.users["off_a"], world.borrowers["C001"], photos=[(photo, 6)])
    visit_id = first["visit"]["id"]
    put(client, a, first)
    mine, theirs = copy.deepcopy(first), copy.deepcopy(first)
    mine["base_version"], mine["visit"]["general_note"] = 1, "这台电脑的编辑"
    theirs["base_version"], theirs["visit"]["general_note"] = 1, "另一台电脑的编辑"
    # The other laptop's edit lands after this push's checks read version 1.
    once_between_checks_and_write(monkeypatch, hq, lambda: put(client, a, theirs))
    status, result = put(client, a, mine)
    assert (status, result.status, result.server_version) == (409, "conflict", 2)
    assert written(hq, visit_id) == {"version": 2, "blobs": {photo: "photo"},
                                     "log": [1, 2], "audit": [1, 2]}
    with hq.db.read() as s:
        assert s.get(Visit, visit_id).payload["general_note"] == "另一台电脑的编辑"


def test_a_borrower_reassigned_meanwhile_takes_the_push_with_it(
        client, hq: Hq, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = register(client, "off_a")
    photo = upload(client, a, b"a jpeg")
    body = visit_push(world.users["off_a"], world.borrowers["C001"], photos=[(photo, 6)])
    with hq.db.read() as s:
        log_before = s.scalar(select(func.count()).select_from(ChangeLogEntry))
    once_between_checks_and_write(
        monkeypatch, hq, lambda: admin.assign(hq.db, "C001", "off_c", ACTOR))
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "not assigned to you" in r.json()["message"]
    assert written(hq, body["visit"]["id"]) == {"version": None, "blobs": {}, "log": [],
                                                "audit": []}
    with hq.db.read() as s:  # only the reassignment's own rows were logged
        assert s.scalar(select(func.count()).select_from(ChangeLogEntry)
                        .where(ChangeLogEntry.entity == "visit")) == 0
        assert s.scalar(select(func.count()).select_from(ChangeLogEntry)) > log_before


def test_a_revoked_device_pushes_nothing(client, hq: Hq, world: World) -> None:
    a = register(client, "off_a")
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    (device,) = admin.list_devices(hq.db)
    assert admin.revoke_device(hq.db, device.id, ACTOR) is True
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 403 and r.json()["code"] == "device_revoked"
    assert written(hq, body["visit"]["id"])["version"] is None
    sha = hashlib.sha256(b"x").hexdigest()
    assert client.head(f"{API}/blobs/{sha}", headers=a).status_code == 403
    assert client.get(f"{API}/pull", headers=a).status_code == 403
