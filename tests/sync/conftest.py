"""Sync test set-up: fixtures over sync_helpers (a uniquely named module, because a plain
``from conftest import`` would find another directory's conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_server import FakeHQ
from sync_helpers import CHUNK, PASSWORD, SERVER, Portfolio, build_portfolio, make_hq

from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient


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
