"""Who sees what: each role sees its own portfolio and nothing else, over pull, push, the visit
feed, single visits, reviews and blob downloads.

World (hq_helpers.build_world): team 1 = sup1 with off_a (C001) and off_c (C002); team 2 =
sup2 with off_b (C003); C004 is nobody's; admin administers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, upload, visit_push

from inspector_app.hq import admin
from inspector_app.hq.context import Hq
from inspector_app.wire import API, PullResponse

BORROWER_ENTITIES = ("borrower", "loan", "collateral_item", "guarantor")


def seen(changes: list[dict[str, Any]], world: World) -> dict[str, set[str]]:
    """Per entity, what the changes show: borrower codes for a borrower's records."""
    out: dict[str, set[str]] = {}
    for c in changes:
        if c["deleted"]:
            continue
        if c["entity"] == "borrower":
            value = c["data"]["code"]
        elif c["entity"] in BORROWER_ENTITIES:
            value = world.code_of(c["data"]["borrower_id"])
        elif c["entity"] == "user":
            value = c["data"]["username"]
        else:
            value = c["id"]
        out.setdefault(c["entity"], set()).add(value)
    return out


@pytest.mark.parametrize("username, borrowers, users", [
    ("off_a", {"C001"}, {"off_a", "sup1"}),
    ("off_c", {"C002"}, {"off_c", "sup1"}),
    ("off_b", {"C003"}, {"off_b", "sup2"}),
    ("sup1", {"C001", "C002"}, {"sup1", "off_a", "off_c"}),
    ("sup2", {"C003"}, {"sup2", "off_b"}),
    ("admin", set(), {"sup1", "sup2", "off_a", "off_b", "off_c", "admin"}),
])
def test_pull_shows_each_role_its_own_portfolio_only(client, world: World, username: str,
                                                     borrowers: set[str],
                                                     users: set[str]) -> None:
    headers = register(client, username)
    cursor, changes = pull_all(client, headers)
    got = seen(changes, world)
    for entity in BORROWER_ENTITIES:
        assert got.get(entity, set()) == borrowers, entity
    assert got["user"] == users
    assert got["branch"] == {c["id"] for c in changes if c["entity"] == "branch"}
    assert len(got["branch"]) == 2  # branches are for everyone
    # Nobody's password hash travels.
    assert all("password_hash" not in c["data"] for c in changes)
    # Pulling again from the returned cursor gives nothing new.
    again = PullResponse.model_validate(
        client.get(f"{API}/pull", params={"cursor": cursor}, headers=headers).json())
    assert again.changes == [] and again.cursor == cursor and not again.more


def test_pull_pages_with_more_and_a_cursor_that_never_skips(client, world: World) -> None:
    headers = register(client, "sup1")
    _, everything = pull_all(client, headers)
    cursor, paged = 0, []
    while True:
        r = client.get(f"{API}/pull", params={"cursor": cursor, "limit": 3}, headers=headers)
        body = r.json()
        assert len(body["changes"]) <= 3
        paged += body["changes"]
        assert body["cursor"] >= cursor
        cursor = body["cursor"]
        if not body["more"]:
            break
    key = {(c["entity"], c["id"]) for c in everything}
    assert {(c["entity"], c["id"]) for c in paged} == key


def test_an_officer_cannot_push_for_someone_elses_borrower_or_as_someone_else(
        client, world: World) -> None:
    a = register(client, "off_a")
    cases = [
        # off_a's own name on off_b's borrower
        visit_push(world.users["off_a"], world.borrowers["C003"]),
        # off_a's own name on a teammate's borrower
        visit_push(world.users["off_a"], world.borrowers["C002"]),
        # off_b's name on off_b's borrower, sent from off_a's laptop
        visit_push(world.users["off_b"], world.borrowers["C003"]),
        # nobody's borrower
        visit_push(world.users["off_a"], world.borrowers["C004"]),
        # a borrower that does not exist
        visit_push(world.users["off_a"], "00000000-0000-0000-0000-000000000000"),
    ]
    for body in cases:
        r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "forbidden"
    assert client.get(f"{API}/visits", headers=register(client, "sup2")).json()["visits"] == []


@pytest.mark.parametrize("username", ["sup1", "admin"])
def test_supervisors_and_admins_do_not_push_visits(client, world: World, username: str) -> None:
    headers = register(client, username)
    body = visit_push(world.users[username], world.borrowers["C001"])
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.status_code == 403


@pytest.fixture(autouse=True)
def _signing(sign: Any) -> Iterator[None]:
    """push() gives a visit that says signed its officer's signed report (issue #12)."""
    global _SIGN
    _SIGN = sign
    yield
    _SIGN = None


_SIGN: Any = None


def _push_signed(client, headers: dict[str, str], officer: str, borrower: str, world: World,
                 photo: bytes) -> str:
    sha = upload(client, headers, photo)
    body = visit_push(world.users[officer], world.borrowers[borrower], status="submitted",
                      photos=[(sha, len(photo))])
    _SIGN(body, headers)
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.json()["status"] == "stored", r.text
    return body["visit"]["id"]


def test_visits_reviews_and_photos_stay_inside_the_team(client, world: World) -> None:
    a, c, b = (register(client, u) for u in ("off_a", "off_c", "off_b"))
    sup1, sup2, adm = (register(client, u) for u in ("sup1", "sup2", "admin"))
    visit_a = _push_signed(client, a, "off_a", "C001", world, b"photo of team 1")
    visit_b = _push_signed(client, b, "off_b", "C003", world, b"photo of team 2")
    sha_b = hashlib.sha256(b"photo of team 2").hexdigest()

    def feed(headers: dict[str, str]) -> set[str]:
        return {v["visit"]["id"] for v in client.get(f"{API}/visits", headers=headers)
                .json()["visits"]}

    assert feed(a) == {visit_a} and feed(b) == {visit_b} and feed(c) == set()
    assert feed(sup1) == {visit_a} and feed(sup2) == {visit_b} and feed(adm) == set()

    # Team 1's supervisor cannot read, review or download anything of team 2.
    assert client.get(f"{API}/visits/{visit_b}", headers=sup1).status_code == 404
    assert client.get(f"{API}/visits/{visit_b}", headers=c).status_code == 404
    assert client.post(f"{API}/visits/{visit_b}/review", json={"decision": "approved"},
                       headers=sup1).status_code == 404
    assert client.get(f"{API}/blobs/{sha_b}", headers=sup1).status_code == 404
    assert client.get(f"{API}/blobs/{sha_b}", headers=adm).status_code == 404
    download = client.get(f"{API}/blobs/{sha_b}", headers=sup2)
    assert download.status_code == 200 and download.content == b"photo of team 2"

    # Officers cannot review, even their own visit.
    r = client.post(f"{API}/visits/{visit_a}/review", json={"decision": "approved"}, headers=a)
    assert r.status_code == 403

    # sup1 reviews off_a's visit; only off_a (and sup1) receive the decision.
    assert client.post(f"{API}/visits/{visit_a}/review", json={"decision": "returned"},
                       headers=sup1).json()["code"] == "comment_required"
    r = client.post(f"{API}/visits/{visit_a}/review",
                    json={"decision": "returned", "comment": "补充库存照片", "visit_version": 1},
                    headers=sup1)
    assert r.status_code == 201, r.text
    assert r.json()["reviewer_name"] == "张主任"
    again = client.post(f"{API}/visits/{visit_a}/review", json={"decision": "approved"},
                        headers=sup1)
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"

    def reviews(headers: dict[str, str]) -> list[dict[str, Any]]:
        return [ch for ch in pull_all(client, headers)[1] if ch["entity"] == "review"]

    [review] = reviews(a)
    assert review["data"]["visit_id"] == visit_a and review["data"]["decision"] == "returned"
    assert review["data"]["comment"] == "补充库存照片"
    assert reviews(c) == [] and reviews(b) == [] and reviews(sup2) == [] and reviews(adm) == []
    assert len(reviews(sup1)) == 1
    stored = client.get(f"{API}/visits/{visit_a}", headers=a).json()
    assert stored["review"]["decision"] == "returned"


def test_a_draft_is_not_reviewable_and_a_stale_review_is_refused(client, world: World) -> None:
    a, sup1 = register(client, "off_a"), register(client, "sup1")
    body = visit_push(world.users["off_a"], world.borrowers["C001"], status="draft")
    client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    r = client.post(f"{API}/visits/{body['visit']['id']}/review",
                    json={"decision": "approved"}, headers=sup1)
    assert r.status_code == 409 and r.json()["code"] == "not_reviewable"
    assert r.json()["message"] == ("只有已签署的检查记录可以复核（该记录状态：草稿）/ only signed "
                                   "visits can be reviewed (its status: Draft)")
    signed = _SIGN(visit_push(world.users["off_a"], world.borrowers["C001"], status="signed"),
                   a)
    client.put(f"{API}/visits/{signed['visit']['id']}", json=signed, headers=a)
    r = client.post(f"{API}/visits/{signed['visit']['id']}/review",
                    json={"decision": "approved", "visit_version": 7}, headers=sup1)
    assert r.status_code == 409 and r.json()["code"] == "visit_changed"


def test_reassigning_a_borrower_moves_it_between_devices(client, hq: Hq, world: World) -> None:
    a, c, b = (register(client, u) for u in ("off_a", "off_c", "off_b"))
    sup1 = register(client, "sup1")
    cursors = {name: pull_all(client, h)[0] for name, h in
               (("a", a), ("c", c), ("b", b), ("sup1", sup1))}

    # Inside team 1: off_a loses C001 (tombstones), off_c gains it, sup1 sees the new officer.
    assert admin.assign(hq.db, "C001", "off_c", "cli:test") is True
    _, to_a = pull_all(client, a, cursors["a"])
    assert {(ch["entity"], ch["deleted"]) for ch in to_a} == {
        (e, True) for e in BORROWER_ENTITIES}
    _, to_c = pull_all(client, c, cursors["c"])
    assert seen(to_c, world) == {e: {"C001"} for e in BORROWER_ENTITIES}
    [borrower] = [ch for ch in to_c if ch["entity"] == "borrower"]
    assert borrower["data"]["officer_id"] == world.users["off_c"]
    assert borrower["version"] == 2  # a new version, so devices apply the new officer
    cursors["sup1"], to_sup1 = pull_all(client, sup1, cursors["sup1"])
    assert all(not ch["deleted"] for ch in to_sup1)
    assert [ch["data"]["officer_id"] for ch in to_sup1 if ch["entity"] == "borrower"] == [
        world.users["off_c"]]
    assert pull_all(client, b, cursors["b"])[1] == []  # team 2 hears nothing of it

    # To team 2: sup1 loses it too.
    admin.assign(hq.db, "C001", "off_b", "cli:test")
    _, to_sup1 = pull_all(client, sup1, cursors["sup1"])
    assert {ch["deleted"] for ch in to_sup1} == {True} and len(to_sup1) == 4
    # off_a, who lost it earlier, is told nothing more about it.
    _, later_a = pull_all(client, a, pull_all(client, a, cursors["a"])[0])
    assert later_a == []
    # And off_a can no longer push for it.
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    assert client.put(f"{API}/visits/{body['visit']['id']}", json=body,
                      headers=a).status_code == 403
