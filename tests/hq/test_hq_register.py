"""Registering a laptop, its token, and revoking it."""

from __future__ import annotations

import hashlib

import pytest
from hq_helpers import PASSWORD, World, pull_all, register, visit_push
from sqlalchemy import select

from inspector_app.common.passwords import LOGIN_FAILED
from inspector_app.hq import admin
from inspector_app.hq.context import Hq
from inspector_app.hq.models import AuditEntry, Device
from inspector_app.wire import API, ErrorBody, RegisterResponse


def test_the_right_password_registers_a_device_and_the_token_is_kept_only_hashed(
        client, hq: Hq, world: World) -> None:
    r = client.post(f"{API}/devices/register",
                    json={"username": "off_a", "password": PASSWORD, "device_name": "ThinkPad"})
    assert r.status_code == 200
    body = RegisterResponse.model_validate(r.json())
    assert body.user.username == "off_a" and body.user.role == "officer"
    assert body.user.supervisor_id == world.users["sup1"]
    assert len(body.token) >= 43  # 32 random bytes, URL-safe base64
    with hq.db.read() as s:
        device = s.get(Device, body.device_id)
        assert device is not None and device.name == "ThinkPad"
        assert device.token_hash == hashlib.sha256(body.token.encode()).hexdigest()
        assert device.token_hash != body.token
    # The token works...
    pull = client.get(f"{API}/pull", headers={"Authorization": f"Bearer {body.token}"})
    assert pull.status_code == 200
    # ...and a second registration is a second device with another token.
    again = client.post(f"{API}/devices/register",
                        json={"username": "off_a", "password": PASSWORD, "device_name": "X1"})
    assert again.json()["token"] != body.token and again.json()["device_id"] != body.device_id


@pytest.mark.parametrize("username, password", [
    ("off_a", "wrong-password"),  # wrong password
    ("nobody", PASSWORD),  # unknown user
    ("off_a", ""),  # empty password
])
def test_every_failed_login_gets_the_same_answer(client, hq: Hq, world: World, username: str,
                                                 password: str) -> None:
    r = client.post(f"{API}/devices/register",
                    json={"username": username, "password": password, "device_name": "pc"})
    assert r.status_code == 401
    assert ErrorBody.model_validate(r.json()) == ErrorBody(code="login_failed",
                                                           message=LOGIN_FAILED)
    with hq.db.read() as s:
        assert s.scalar(select(Device.id)) is None
        refused = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "device.register_refused")).all()
    assert [e.actor for e in refused] == [username]


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc"])
def test_no_or_unknown_token_is_401(client, world: World, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    r = client.get(f"{API}/pull", headers=headers)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_device_sees_and_sends_nothing(client, hq: Hq, world: World) -> None:
    lost = register(client, "off_a", device_name="丢失的笔记本")
    other = register(client, "off_a", device_name="新笔记本")
    assert pull_all(client, lost)[1]  # it saw the portfolio before
    [device] = [d for d in admin.list_devices(hq.db) if d.name == "丢失的笔记本"]
    assert admin.revoke_device(hq.db, device.id, "cli:test") is True
    assert admin.revoke_device(hq.db, device.id, "cli:test") is False  # already

    sha = "0" * 64
    body = visit_push(world.users["off_a"], world.borrowers["C001"])
    for response in (
        client.get(f"{API}/pull", params={"cursor": 0}, headers=lost),
        client.head(f"{API}/blobs/{sha}", headers=lost),
        client.patch(f"{API}/blobs/{sha}", content=b"x", headers={
            **lost, "Upload-Offset": "0", "Upload-Length": "1",
            "Content-Type": "application/offset+octet-stream"}),
        client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=lost),
        client.get(f"{API}/visits", headers=lost),
    ):
        assert response.status_code == 403, response.request.url
        if response.request.method != "HEAD":
            assert response.json()["code"] == "device_revoked"
            assert "revoked" in response.json()["message"]
    # Nothing it sent was stored; the user's other laptop carries on.
    assert client.put(f"{API}/visits/{body['visit']['id']}", json=body,
                      headers=other).json()["status"] == "stored"
    [row] = [d for d in admin.list_devices(hq.db) if d.id == device.id]
    assert row.revoked_at is not None
