"""Fault tests against a real `inspector-hq serve` process on loopback: a server per test
(world written with the admin API before it starts), and a laptop registered with it that has
pulled its portfolio. Every process and proxy a test starts is stopped in a finally, whatever
happened.

Each test runs twice: on SQLite (a data directory, one server process) and on PostgreSQL
($INSPECTOR_TEST_PG_URL, else 127.0.0.1:5432/test, as tests/hq; the server's default of one
worker process per CPU) in a schema of its own, dropped afterwards, so nothing else in that
database is touched (the schema's name carries the xdist worker and process, see pg_probe).
Without PostgreSQL those runs are skipped, saying why; tests/conftest.py says once a run which
databases the server tests use."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import PASSWORD, HqServer, Laptop
from server_fixtures import database_for, running_server

from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: fault tests against a real server process (part of the normal suite)")


@pytest.fixture(params=["sqlite", "postgresql"])
def hq_db(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (the server's data directory), or a PostgreSQL URL whose search_path
    is a fresh schema of this test's, dropped at the end."""
    yield from database_for(request.param)


@pytest.fixture
def hq_server(tmp_path: Path, hq_db: str | None) -> Iterator[HqServer]:
    yield from running_server(tmp_path / "hq", hq_db)


@pytest.fixture
def laptop(tmp_path: Path, _migrated_db: Path, hq_server: HqServer) -> Iterator[Laptop]:
    """A fresh laptop registered as off_a, its portfolio pulled (directly, no faults)."""
    from inspector_app.common.paths import database_path

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
