"""Blobs belong to someone (issue #12, item 3), tried as a hostile client would, with a
legitimate officer's device token, against a real `inspector-hq serve` process on SQLite and
PostgreSQL (the hq_db fixture runs each test on both).

- an officer who pushes a visit naming another officer's photo hash must not get to download
  the photo (the push is 422 missing_blobs, as for a photo never uploaded);
- HEAD /blobs/{sha} tells nobody about a blob they may not read: the answer is the one for a
  blob that does not exist; an honest laptop whose photo another device of the same user
  already sent is still told it is there;
- an upload in progress is its device's: nobody else can append to it (or learn its offset),
  and junk sent by another user does not destroy it.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import ACTOR, PASSWORD, HqServer, build_hq_world, free_port, sqlite_url

from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.db import Database
from inspector_app.wire import API

OCTETS = "application/offset+octet-stream"


@pytest.fixture
def server(tmp_path: Path, hq_db: str | None) -> Iterator[HqServer]:
    """build_hq_world (sup1 with off_a, C001-C003 theirs) plus a second team: sup2 with
    off_b, who has C004."""
    data_dir = tmp_path / "hq"
    build_hq_world(data_dir, hq_db)
    db = Database.open(hq_db or sqlite_url(data_dir))
    try:
        admin.add_user(db, "sup2", "赵主任", Role.SUPERVISOR, PASSWORD, ACTOR,
                       branch_code="B01")
        admin.add_user(db, "off_b", "王芳", Role.OFFICER, PASSWORD, ACTOR,
                       branch_code="B01", supervisor_username="sup2")
        admin.assign(db, "C004", "off_b", ACTOR)
    finally:
        db.dispose()
    s = HqServer(data_dir, free_port(), hq_db)
    try:
        s.start()
        yield s
    finally:
        s.kill()


class Device:
    """One registered laptop, spoken for by hand over HTTP."""

    def __init__(self, http: httpx.Client, username: str) -> None:
        r = http.post(f"{API}/devices/register", json={
            "username": username, "password": PASSWORD, "device_name": f"{username} 笔记本"})
        assert r.status_code == 200, r.text
        self.http = http
        self.user_id: str = r.json()["user"]["id"]
        self.auth = {"Authorization": f"Bearer {r.json()['token']}"}

    def head(self, sha: str) -> httpx.Response:
        return self.http.head(f"{API}/blobs/{sha}", headers=self.auth)

    def patch(self, sha: str, offset: int, chunk: bytes, length: int) -> httpx.Response:
        return self.http.patch(f"{API}/blobs/{sha}", content=chunk, headers={
            **self.auth, "Upload-Offset": str(offset), "Upload-Length": str(length),
            "Content-Type": OCTETS})

    def get(self, sha: str) -> httpx.Response:
        return self.http.get(f"{API}/blobs/{sha}", headers=self.auth)

    def upload(self, data: bytes, chunk: int = 64 * 1024) -> str:
        """As the laptop does: ask what the server holds, send the rest."""
        sha = hashlib.sha256(data).hexdigest()
        head = self.head(sha)
        assert head.status_code in (200, 206, 404), head.status_code
        if head.status_code == 200:
            return sha
        offset = int(head.headers["Upload-Offset"])
        while offset < len(data):
            r = self.patch(sha, offset, data[offset:offset + chunk], len(data))
            assert r.status_code == 204, r.text
            offset = int(r.headers["Upload-Offset"])
        return sha

    def push(self, borrower_id: str, photos: list[bytes]) -> httpx.Response:
        visit_id = str(uuid.uuid4())
        body: dict[str, Any] = {"base_version": 0, "visit": {
            "id": visit_id, "borrower_id": borrower_id, "officer_id": self.user_id,
            "kind": "routine", "status": "completed", "template_refs": ["routine@1"],
            "revision": 1, "visit_date": date(2026, 11, 20).isoformat(), "place": "厂区",
            "general_note": "经营正常", "answers": [],
            "photos": [{"id": str(uuid.uuid4()), "sha256": hashlib.sha256(p).hexdigest(),
                        "original_name": f"{i}.jpg", "width": 4000, "height": 3000,
                        "size_bytes": len(p)} for i, p in enumerate(photos)],
            "reports": []}}
        return self.http.put(f"{API}/visits/{visit_id}", json=body, headers=self.auth)

    def borrowers(self) -> dict[str, str]:
        """code -> id of the borrowers this user pulls."""
        found: dict[str, str] = {}
        cursor = 0
        while True:
            r = self.http.get(f"{API}/pull", params={"cursor": cursor}, headers=self.auth)
            assert r.status_code == 200, r.text
            body = r.json()
            for c in body["changes"]:
                if c["entity"] == "borrower" and c.get("data"):
                    found[c["data"]["code"]] = c["data"]["id"]
            cursor = body["cursor"]
            if not body["more"]:
                return found


def _unknown(r: httpx.Response) -> tuple[int, str | None, str | None]:
    return r.status_code, r.headers.get("Upload-Offset"), r.headers.get("Upload-Length")


NOTHING = (404, "0", None)  # what HEAD says of a blob that does not exist


def test_naming_another_officers_photo_does_not_make_it_yours(server: HqServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        a, b = Device(http, "off_a"), Device(http, "off_b")
        sup1, sup2 = Device(http, "sup1"), Device(http, "sup2")
        photo = b"\xff\xd8 off_a's photo of the factory " + os.urandom(3000)
        sha = a.upload(photo)
        r = a.push(a.borrowers()["C001"], [photo])
        assert r.status_code == 200, r.text
        assert sup1.get(sha).content == photo  # off_a's supervisor reads it

        # off_b names the hash in a visit of their own borrower: refused as a photo never
        # uploaded (nothing said about whether it exists), and nothing to download.
        c004 = b.borrowers()["C004"]
        r = b.push(c004, [photo])
        assert r.status_code == 422, r.text
        assert r.json()["status"] == "missing_blobs"
        assert r.json()["missing_blobs"] == [sha]
        assert b.get(sha).status_code == 404
        assert sup2.get(sha).status_code == 404

        # Someone who really has the bytes proves it by sending them; then the photo is theirs
        # to use too (and their supervisor's to read).
        assert b.upload(photo) == sha
        r = b.push(c004, [photo])
        assert r.status_code == 200, r.text
        assert b.get(sha).content == photo
        assert sup2.get(sha).content == photo


def test_head_says_nothing_about_blobs_the_caller_may_not_read(server: HqServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        a, b, sup1 = Device(http, "off_a"), Device(http, "off_b"), Device(http, "sup1")
        complete = b"\xff\xd8 a finished photo " + os.urandom(2000)
        half = b"\xff\xd8 a photo on its way " + os.urandom(4000)
        sha = a.upload(complete)
        half_sha = hashlib.sha256(half).hexdigest()
        assert a.patch(half_sha, 0, half[:2000], len(half)).status_code == 204
        never = hashlib.sha256(os.urandom(32)).hexdigest()

        assert _unknown(a.head(sha)) == (200, str(len(complete)), str(len(complete)))
        assert _unknown(a.head(half_sha))[:2] == (206, "2000")
        for sha_ in (never, sha, half_sha):
            assert _unknown(b.head(sha_)) == NOTHING, sha_
        # Not yet in any visit: not even off_a's supervisor is told.
        assert _unknown(sup1.head(sha)) == NOTHING

        # An honest second laptop of off_a finds the photo its other laptop sent (and sends it
        # no more); the upload still in progress is the other laptop's, so not for it.
        a2 = Device(http, "off_a")
        assert _unknown(a2.head(sha))[0] == 200
        assert _unknown(a2.head(half_sha)) == NOTHING

        assert a.push(a.borrowers()["C001"], [complete]).status_code == 200
        assert _unknown(sup1.head(sha))[0] == 200  # now in a visit of their team
        assert _unknown(b.head(sha)) == NOTHING  # still nothing for another team


def test_nobody_else_can_append_to_an_upload_in_progress(server: HqServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        a, b = Device(http, "off_a"), Device(http, "off_b")
        a2 = Device(http, "off_a")  # the same user's other laptop
        data = b"\xff\xd8 a large photo " + os.urandom(300_000)
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        held = 100_000
        assert a.patch(sha, 0, data[:held], size).status_code == 204

        # Junk onto the rest of the upload, from another user and from another device.
        for intruder in (b, a2):
            r = intruder.patch(sha, held, os.urandom(size - held), size)
            assert r.status_code in (404, 409), r.text
            assert r.headers.get("Upload-Offset") in (None, "0"), r.headers
            # Nor may they restart it from nothing.
            r = intruder.patch(sha, 0, os.urandom(size), size)
            assert r.status_code == 422, r.text
            assert _unknown(a.head(sha))[:2] == (206, str(held))

        # The owner finishes it, and the server holds exactly the photo.
        r = a.patch(sha, held, data[held:], size)
        assert r.status_code == 204, r.text
        assert r.headers["Upload-Offset"] == str(size)
        assert a.push(a.borrowers()["C001"], [data]).status_code == 200
        assert a.get(sha).content == data
