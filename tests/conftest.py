"""Test-wide set-up: headless Qt, every data directory in a temporary folder, cheap Argon2,
and one line per run saying which database the server tests use.

The suite runs in parallel (pytest-xdist, see dev.sh): each worker is its own process with
its own session fixtures, and everything a test writes is under its tmp_path (or a fresh
temporary directory), so workers share nothing but PostgreSQL, where every schema a test or a
worker makes is named after its process (see pg_probe.worker_schema)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pg_probe import postgres

# Before anything imports Qt: the suite never needs a display. Its one screen is the smallest
# an officer's laptop has, 1366×768 (Qt's headless default is 800×600), so a window that
# does not fit there fails tests/gui/test_screen_fit.py as it would fail the officer.
LAPTOP_SCREEN = Path(__file__).with_name("laptop_screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={LAPTOP_SCREEN}"

# Argon2 at its lowest cost for every password a test hashes or checks: at production cost
# (64 MiB, 3 passes) each hash takes 0.3-0.7 s on this 2-core machine, and a portfolio
# fixture makes three, so it was most of the set-up time of the core and GUI tests. Hashes
# carry their parameters, so verification follows them; production cost is still exercised
# by the tests that run the CLI in a subprocess (the demo build, the crash-resume test).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector_app.common import passwords

    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)


@pytest.fixture(autouse=True)
def _fresh_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test may touch the real per-user data directory or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INSPECTOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # The machine-wide folder a deployed inspector-app.ini is read from (common.site_settings).
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "etc-xdg"))


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


# --- the order and grouping of tests across xdist workers ----------------------------------
# Each of these modules has tests of 10-70 s (live servers, server processes, hundreds of
# property examples). pytest-xdist hands tests out in collection order, and the sync property
# test, collected last, kept one worker busy for a minute after the others had run out of
# work. Whole modules move, in this order, with their tests' order kept.
LONGEST_FIRST = (
    "tests/sync/test_sync_property.py",
    "tests/hq/test_hq_visit_feed.py",  # 90 s on one worker (one module-scoped world)
    "tests/e2e/test_e2e_faults.py",
    "tests/e2e/test_e2e_handover.py",
    "tests/e2e/test_e2e_handover_review.py",
    "tests/e2e/test_e2e_handover_offline.py",
    "tests/packaging/test_wheel.py",
    "tests/core/test_cli.py",
    "tests/hq/test_hq_server_process.py",
    "tests/gui/test_crash_resume.py",
    "tests/hq/test_schemathesis.py",
)
# Modules whose long tests are better spread over the workers than kept together, even
# though they share a module-scoped fixture (the sync property test's server is one per
# database, each used by one test).
SPREAD = ("tests/sync/test_sync_property.py", "tests/e2e/test_e2e_faults.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {module: i for i, module in enumerate(LONGEST_FIRST)}
    root = config.rootpath

    def module_of(item: pytest.Item) -> str:
        return item.path.relative_to(root).as_posix()

    items.sort(key=lambda item: rank.get(module_of(item), len(rank)))  # stable
    # The tests of a module that share a module-scoped fixture (a wheel built and installed,
    # a demo portfolio, signed reports, a test CA) run on one worker (--dist loadgroup), so
    # the fixture is made once a run rather than once a worker.
    for item in items:
        module = module_of(item)
        if module not in SPREAD and _uses_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(module))


def _uses_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)  # pytest's own record of a test's fixtures
    if info is None:
        return False
    return any(defs and defs[-1].scope == "module" for defs in info.name2fixturedefs.values())


# --- which database the server tests use, said once a run ---------------------------------
# Here, not in tests/hq or tests/e2e: pytest asks only the conftests it loads before
# collection for the header, and under xdist only the controller (which collects nothing)
# writes the header and the summary.


def server_database_line() -> str:
    url, label = postgres()
    if url is None:
        return f"server tests' database: SQLite only ({label})"
    return (f"server tests' database: {label} (tests/hq on it; tests/e2e and the sync "
            f"property test on it and on SQLite)")


_header_shown = False


def pytest_report_header(config: pytest.Config) -> str:
    global _header_shown
    _header_shown = True
    return server_database_line()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # With -q (CI, dev.sh) pytest shows no header: say it at the end instead.
    if not _header_shown:
        terminalreporter.write_line(server_database_line())
