"""Fault tests against a real `inspector-hq serve` process on loopback: a server per test
(SQLite data directory, world written with the admin API before it starts), and a laptop
registered with it that has pulled its portfolio. Every process and proxy a test starts is
stopped in a finally, whatever happened."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from e2e_support import PASSWORD, HqServer, Laptop, build_hq_world, free_port

from inspector_app.store import auth as store_auth
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient

# Argon2 at its lowest cost for the users written here (and the laptop's local hash); the
# hashes carry their parameters, so the server process verifies them cheaply too.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: fault tests against a real server process (part of the normal suite)")


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_auth, "_hasher", CHEAP_HASHER)


@pytest.fixture
def hq_server(tmp_path: Path) -> Iterator[HqServer]:
    data_dir = tmp_path / "hq"
    build_hq_world(data_dir)
    server = HqServer(data_dir, free_port())
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def laptop(tmp_path: Path, _migrated_db: Path, hq_server: HqServer) -> Iterator[Laptop]:
    """A fresh laptop registered as off_a, its portfolio pulled (directly, no faults)."""
    from inspector_app.paths import database_path

    data = tmp_path / "laptop"
    data.mkdir()
    shutil.copyfile(_migrated_db, database_path(data))
    photos = tmp_path / "camera"
    photos.mkdir()
    store = LocalStore.open(data)
    try:
        with SyncClient(store, hq_server.url, retries=1, backoff=0.01) as client:
            client.register("off_a", PASSWORD, "现场笔记本")
            first = client.sync()
            assert first.ok, first.messages()
        yield Laptop(store, photos, random.Random(20261120))
    finally:
        store.close()
