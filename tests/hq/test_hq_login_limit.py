"""Failed sign-ins are limited per username and per client address, counted in the database
(so every server process sees them), answered 429 with Retry-After, audited; a success clears
the username's count; the laptop says it in plain words."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from hq_helpers import PASSWORD, World
from sqlalchemy import select

from inspector_app.hq import auth
from inspector_app.hq.app import create_app
from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.db import Database
from inspector_app.hq.models import AuditEntry, LoginFailure
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient, SyncError
from inspector_app.sync.errors import too_many_requests_message
from inspector_app.wire import API

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

WINDOW = 15 * 60


@pytest.fixture
def settings() -> HqSettings:
    return HqSettings(login_failures_per_user=5, login_failures_per_address=8,
                      login_window_seconds=WINDOW)


@pytest.fixture
def from_address(hq: Hq) -> Iterator[object]:
    """A TestClient factory for requests from a given client address."""
    opened: list[TestClient] = []

    def make(address: str, on: Hq | None = None) -> TestClient:
        c = TestClient(create_app(on or hq), client=(address, 40000))
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


def sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post(f"{API}/devices/register", json={
        "username": username, "password": password, "device_name": "笔记本"})


def audited(hq: Hq, action: str) -> list[AuditEntry]:
    with hq.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)))


def age_failures(hq: Hq, seconds: int) -> None:
    """Move every counted failure back in time, as if that much time had passed."""
    with hq.db.write() as s:
        for row in s.scalars(select(LoginFailure)):
            row.at = row.at - timedelta(seconds=seconds)


def test_five_failures_lock_the_username_without_checking_passwords(
        hq: Hq, world: World, from_address, monkeypatch: pytest.MonkeyPatch) -> None:
    branch = from_address("10.1.1.7")
    for _ in range(5):
        assert sign_in(branch, "off_a", "guess").status_code == 401
    checked: list[str] = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password",
                        lambda h, p: checked.append(p) or real(h, p))

    r = sign_in(branch, "off_a", PASSWORD)  # even the right password: locked for now
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["code"] == "too_many_attempts"
    assert "too many failed sign-ins" in body["message"] and "登录失败次数过多" in body["message"]
    retry = int(r.headers["Retry-After"])
    assert WINDOW - 60 < retry <= WINDOW
    assert body["detail"]["retry_after_seconds"] == retry
    assert checked == []  # no Argon2 spent on a locked attempt
    [locked] = audited(hq, "device.register_locked")
    assert locked.actor == "off_a" and locked.detail["address"] == "10.1.1.7"
    assert locked.detail["user_failures"] == 5
    assert [e.detail["address"] for e in audited(hq, "device.register_refused")] == \
        ["10.1.1.7"] * 5
    # From elsewhere too: the limit is the username's. Another username is not affected.
    assert sign_in(from_address("10.9.9.9"), "off_a", PASSWORD).status_code == 429
    assert sign_in(branch, "off_c", PASSWORD).status_code == 200

    # Once the oldest failure leaves the window, the user may sign in again.
    age_failures(hq, WINDOW)
    assert sign_in(branch, "off_a", PASSWORD).status_code == 200


def test_a_success_clears_the_usernames_count(hq: Hq, world: World, from_address) -> None:
    branch = from_address("10.1.1.7")
    for _ in range(4):
        assert sign_in(branch, "off_a", "guess").status_code == 401
    assert sign_in(branch, "off_a", PASSWORD).status_code == 200
    # Without the reset, the fifth of these would already be refused.
    for _ in range(5):
        assert sign_in(branch, "off_a", "guess").status_code == 401
    assert sign_in(branch, "off_a", "guess").status_code == 429


def test_an_address_guessing_at_many_users_is_locked(hq: Hq, world: World, from_address
                                                     ) -> None:
    attacker, branch = from_address("203.0.113.5"), from_address("10.1.1.7")
    for username in ("sup1", "sup2", "off_a", "off_b", "off_c", "admin", "nobody", "root"):
        assert sign_in(attacker, username, "guess").status_code == 401
    r = sign_in(attacker, "off_c", PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert audited(hq, "device.register_locked")[-1].detail["address_failures"] == 8
    # The users themselves, from their branch, are not locked out by it.
    assert sign_in(branch, "off_c", PASSWORD).status_code == 200


def test_a_success_does_not_clear_another_address(hq: Hq, world: World, from_address) -> None:
    attacker, branch = from_address("203.0.113.5"), from_address("10.1.1.7")
    for _ in range(4):
        assert sign_in(attacker, "off_a", "guess").status_code == 401
    for username in ("sup1", "sup2", "off_b"):
        assert sign_in(attacker, username, "guess").status_code == 401
    # off_a signs in at the branch: their own count is cleared ...
    assert sign_in(branch, "off_a", PASSWORD).status_code == 200
    # ... but the seven failures still count against the attacker's address.
    assert sign_in(attacker, "off_c", "guess").status_code == 401
    assert sign_in(attacker, "off_c", PASSWORD).status_code == 429


def test_every_server_process_counts_the_same_failures(
        hq: Hq, world: World, db_url: str, tmp_path: Path, settings: HqSettings,
        from_address) -> None:
    """Two apps over one database, as two `serve --workers` processes: no count in memory."""
    other = Hq(Database.open(db_url), DiskBlobStore(tmp_path / "blobs"), settings)
    try:
        first, second = from_address("10.1.1.7"), from_address("10.1.1.7", other)
        for i in range(5):
            assert sign_in(first if i % 2 else second, "off_a", "guess").status_code == 401
        assert sign_in(first, "off_a", PASSWORD).status_code == 429
        assert sign_in(second, "off_a", PASSWORD).status_code == 429
    finally:
        other.db.dispose()


def test_the_laptop_says_when_to_try_again(hq: Hq, world: World, from_address,
                                           store: LocalStore) -> None:
    server = from_address("10.1.1.7")

    def forward(request: httpx.Request) -> httpx.Response:
        r = server.request(request.method, request.url.path, content=request.content,
                           headers=dict(request.headers))
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)

    with SyncClient(store, "http://hq.test", transport=httpx.MockTransport(forward),
                    retries=0, backoff=0) as laptop:
        for _ in range(5):
            with pytest.raises(SyncError, match="wrong username or password"):
                laptop.register("off_a", "guess", "笔记本")
        with pytest.raises(SyncError) as refused:
            laptop.register("off_a", PASSWORD, "笔记本")
    message = str(refused.value)
    zh, en = message.split(" / ")
    assert zh.startswith("登录失败次数过多") and "后（约 15 分钟）再试" in zh
    assert en.startswith("too many failed sign-ins") and "(in about 15 minutes)" in en
    # The time to try again, on this laptop's clock.
    soon = datetime.now(UTC).astimezone() + timedelta(seconds=WINDOW)
    assert soon.strftime("%H:%M") in en or (soon - timedelta(minutes=1)).strftime("%H:%M") in en
    assert not laptop.is_registered()


def test_a_429_in_other_forms() -> None:
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    dated = httpx.Response(429, headers={"Retry-After": format_datetime(
        now + timedelta(minutes=3), usegmt=True)})
    text = too_many_requests_message(dated, now)
    assert "refusing requests" in text and "(in about 3 minutes)" in text
    local = (now + timedelta(minutes=3)).astimezone().strftime("%H:%M")
    assert f"try again after {local}" in text
    bare = too_many_requests_message(httpx.Response(429, text="slow down"), now)
    assert bare.endswith("refusing requests for now") and "try again after" not in bare
