"""Headquarters tests: a database (PostgreSQL when reachable, else SQLite), a server, a world.

PostgreSQL: $INSPECTOR_TEST_PG_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test.
The session (each xdist worker's) migrates a fresh schema of its own (dropped at the end), and
each test starts from emptied tables, so runs and workers are isolated and repeatable and never
touch other schemas. Without PostgreSQL, each test gets a copy of a migrated SQLite file.
Which one ran is said once a run, by tests/conftest.py.
"""

from __future__ import annotations

import functools
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from hq_helpers import World, build_world
from pg_probe import postgres, schema_name
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from inspector_app.common import passwords
from inspector_app.hq.app import create_app, open_hq
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import Base

with warnings.catch_warnings():
    # Starlette's notice about httpx's successor; nothing the tests can act on.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

# --- which database ---------------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    kind: str  # "postgresql" or "sqlite"
    url: str | None  # the server URL (PostgreSQL) before a schema is chosen
    label: str


@functools.cache
def backend() -> Backend:
    """PostgreSQL when pg_probe finds one (tests/conftest.py says which in the run's header
    or summary), else SQLite."""
    url, label = postgres()
    if url is None:
        return Backend("sqlite", None, f"SQLite ({label})")
    return Backend("postgresql", url, label)


@dataclass
class TemplateDb:
    kind: str
    url: str  # PostgreSQL: the session's schema; SQLite: the migrated template file
    file: Path | None = None


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDb]:
    b = backend()
    if b.kind == "sqlite":
        path = tmp_path_factory.mktemp("hq-template") / "hq.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade_database(engine)
        engine.dispose()
        yield TemplateDb("sqlite", f"sqlite:///{path}", file=path)
        return
    assert b.url is not None
    schema = schema_name("hq_test")
    # NullPool: no connection kept idle for the whole session. The PostgreSQL is shared by
    # every xdist worker and every other run on the machine, and once it refused new clients
    # ("too many clients already"), failing a whole run's server tests.
    admin_engine = create_engine(b.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # synchronous_commit=off: a test database need not survive a power cut, and waiting for
    # each commit's WAL flush is most of a test's set-up time.
    url = make_url(b.url).update_query_dict(
        {"options": f"-csearch_path={schema} -csynchronous_commit=off"})
    url_text = url.render_as_string(hide_password=False)
    try:  # from here on, the schema is dropped whatever happens (a failed migration too)
        engine = make_engine(url_text)
        upgrade_database(engine)
        engine.dispose()
        yield TemplateDb("postgresql", url_text)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin_engine.dispose()


@pytest.fixture
def db_url(template_db: TemplateDb, tmp_path: Path) -> str:
    """An empty, migrated database for this test."""
    if template_db.kind == "sqlite":
        assert template_db.file is not None
        path = tmp_path / "hq.sqlite3"
        shutil.copyfile(template_db.file, path)
        return f"sqlite:///{path}"
    _empty(template_db.url)
    return template_db.url


def _empty(url: str) -> None:
    """Every table of the session's PostgreSQL schema emptied."""
    engine = make_engine(url)
    with engine.begin() as conn:
        # DELETE, children first: on a handful of rows it is much quicker than TRUNCATE, and
        # no test depends on where the sequences restart.
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


# Argon2 at its lowest cost for the session's world (tests/conftest.py does it for each
# test, but session fixtures are made before a test's monkeypatch).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# --- a server -----------------------------------------------------------------------------


@pytest.fixture
def settings() -> HqSettings:
    return HqSettings()


@pytest.fixture
def hq(db_url: str, tmp_path: Path, settings: HqSettings) -> Iterator[Hq]:
    h = open_hq(db_url, tmp_path / "blobs", settings)
    yield h
    h.db.dispose()


@pytest.fixture
def client(hq: Hq) -> Iterator[TestClient]:
    with TestClient(create_app(hq)) as c:
        yield c


# --- a world ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorldSnapshot:
    world: World
    rows: dict[str, list[dict[str, Any]]]  # table -> its rows, as built by build_world


@pytest.fixture(scope="session")
def world_snapshot(template_db: TemplateDb, tmp_path_factory: pytest.TempPathFactory
                   ) -> WorldSnapshot:
    """build_world once per session, through the admin commands and the CSV import; each
    test then gets its rows copied in, which is a fraction of the time."""
    folder = tmp_path_factory.mktemp("world")
    if template_db.kind == "sqlite":
        assert template_db.file is not None
        shutil.copyfile(template_db.file, folder / "hq.sqlite3")
        url = f"sqlite:///{folder / 'hq.sqlite3'}"
    else:
        url = template_db.url
        # Made when a worker's first test asks for a world, maybe after tests that left their
        # rows in the schema (db_url empties it at a test's start, not its end): with another
        # order of tests, build_world failed on "branch B01 already exists".
        _empty(url)
    hasher = passwords._hasher
    passwords._hasher = CHEAP_HASHER
    h = open_hq(url, folder / "blobs")
    try:
        world = build_world(h, folder / "csv")
        with h.db.engine.begin() as conn:
            rows = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                    for t in Base.metadata.sorted_tables}
            if template_db.kind == "postgresql":
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(table.delete())
    finally:
        passwords._hasher = hasher
        h.db.dispose()
    # A supervisor's row before their officers' (users refer to users).
    rows["users"].sort(key=lambda u: u["supervisor_id"] is not None)
    return WorldSnapshot(world, rows)


@pytest.fixture
def world(hq: Hq, world_snapshot: WorldSnapshot) -> World:
    with hq.db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if world_snapshot.rows[table.name]:
                conn.execute(table.insert(), world_snapshot.rows[table.name])
        if hq.db.engine.dialect.name == "postgresql":
            # Rows were copied with their ids: move the identities past them.
            for table, column in (("change_log", "seq"), ("audit_log", "id")):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                  f"'{column}'), (SELECT max({column}) FROM {table}))"))
    return world_snapshot.world




# --- signed reports -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def signed_reports(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Signed report PDFs for visits headquarters is to store as signed (signed_helpers)."""
    from signed_helpers import SignedReports

    return SignedReports(tmp_path_factory.mktemp("signed-reports"))


SIGNED_OR_LATER = ("signed", "submitted", "approved", "returned")


@pytest.fixture
def sign(signed_reports: Any, client: Any, world: World) -> Any:
    """sign(body, headers): a body that says signed or later gets its officer's signed report
    (uploaded with headers), as a laptop sends it; other bodies are returned as they are."""
    names = {v: k for k, v in world.users.items()}

    def attach(body: dict[str, Any], headers: dict[str, str], n: int = 0, *,
               again: bool = False) -> dict[str, Any]:
        if body["visit"]["status"] in SIGNED_OR_LATER:
            signed_reports.attach(client, headers, body, names[body["visit"]["officer_id"]], n,
                                  again=again)
        return body

    return attach
