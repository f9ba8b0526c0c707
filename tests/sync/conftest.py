"""Sync test set-up: fixtures over sync_helpers (a uniquely named module, because a plain
``from conftest import`` would find another directory's conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fake_server import FakeHQ
from sync_helpers import CHUNK, PASSWORD, SERVER, Portfolio, build_portfolio, make_hq

from inspector_app.common import passwords
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient

# Argon2 at its lowest cost: registration hashes the password, and production cost would
# dominate the suite's time. Hashes carry their parameters, so verification is unchanged.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)


@pytest.fixture
def portfolio(store: LocalStore) -> Portfolio:
    return build_portfolio(store)


@pytest.fixture
def hq(portfolio: Portfolio) -> FakeHQ:
    return make_hq(portfolio)


@pytest.fixture
def client(store: LocalStore, hq: FakeHQ) -> Iterator[SyncClient]:
    with SyncClient(store, SERVER, transport=hq.transport, chunk_bytes=CHUNK, retries=3,
                    backoff=0.0) as c:
        yield c


@pytest.fixture
def registered(client: SyncClient) -> SyncClient:
    client.register("li", PASSWORD, "laptop-test")
    return client
