"""Test-wide set-up: headless Qt, every data directory in a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: the suite never needs a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _fresh_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test may touch the real per-user data directory or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INSPECTOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))


@pytest.fixture(scope="session")
def _migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty database at the head revision, copied for each test (migrating is slow)."""
    from inspector_app.common.paths import database_path
    from inspector_app.store.migrate import upgrade_database

    db = database_path(tmp_path_factory.mktemp("template"))
    upgrade_database(db)
    return db


@pytest.fixture
def store(tmp_path: Path, _migrated_db: Path) -> Iterator[object]:
    """An empty, migrated LocalStore in a temporary data directory."""
    from inspector_app.common.paths import database_path
    from inspector_app.store.local import LocalStore

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(_migrated_db, database_path(data))
    s = LocalStore.open(data)
    yield s
    s.close()
