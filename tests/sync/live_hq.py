"""The real headquarters server (inspector_app.hq.app under uvicorn, in a thread, on loopback)
for tests that run many independent examples against it, on SQLite or on PostgreSQL.

Starting a server, migrating a database and hashing passwords are the slow parts, so they
happen once: a small world (branch B01, supervisor sup1, officer off_a with borrower C001, its
loan and collateral) is written into a migrated database. Each example then calls fresh(): an
empty blob directory, and the world's database as it was built (SQLite: a copy of the template
file, opened as the running app's database; PostgreSQL: the same schema, emptied and the
world's rows put back, see live_pg.py), so examples never see each other's visits, blobs,
devices or change log.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher
from live_pg import WorldRows, own_schema
from pg_probe import postgres

from inspector_app.common import passwords
from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.app import create_app, open_hq
from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.context import Hq
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.db import Database

OFFICER = "off_a"
PASSWORD = "pass-1234"
ACTOR = "cli:test"
# Argon2 at its lowest cost; the hash carries its parameters, so the server's check of the
# officer's password at registration is as cheap.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def scratch_dir() -> str | None:
    """Where to keep examples' files: RAM (/dev/shm) when there is one. Every commit and chunk
    is fsync'ed, on the laptop and at headquarters; on a disk that is most of an example's
    time, and these tests are about order and idempotency, not durability."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


class SqliteWorld:
    """The world in a template file; each example gets a copy of its own."""

    label = "SQLite"

    def __init__(self, template: Path) -> None:
        self.template = template

    def database(self, folder: Path) -> Database:
        shutil.copyfile(self.template, folder / "hq.sqlite3")
        return Database.open(f"sqlite:///{folder / 'hq.sqlite3'}")

    def done_with(self, db: Database) -> None:
        db.dispose()


class PostgresWorld:
    """The world in a schema of this run's; each example gets it back as it was built, in the
    same database (live_pg.py says why not a database of its own)."""

    def __init__(self, db: Database, label: str) -> None:
        self.db = db
        self.label = label
        self.world = WorldRows(db)

    def database(self, _folder: Path) -> Database:
        self.world.restore(self.db)
        return self.db

    def done_with(self, db: Database) -> None:
        pass  # the next example's too: disposed once the server has stopped


class LiveHq:
    """A running server whose storage can be replaced between examples."""

    def __init__(self, root: Path, world: SqliteWorld | PostgresWorld) -> None:
        self.root = root
        self.world = world
        self._storages = 0
        self.hq = self._storage()
        self.app = create_app(self.hq)  # handlers read app.state.hq on every request
        self.url = ""

    @property
    def label(self) -> str:
        """Which database the server stores into."""
        return self.world.label

    def fresh(self) -> Hq:
        """New, independent storage for the next example: the world's database as it was
        built, no blobs; the previous example's folder is removed. Call it between examples
        only (no request in flight)."""
        old, self.hq = self.hq, self._storage()
        self.app.state.hq = self.hq
        self.world.done_with(old.db)
        shutil.rmtree(self._folder(self._storages - 1), ignore_errors=True)
        return self.hq

    def _folder(self, n: int) -> Path:
        return self.root / f"storage-{n}"

    def _storage(self) -> Hq:
        self._storages += 1
        folder = self._folder(self._storages)
        folder.mkdir()
        return Hq(db=self.world.database(folder), blobs=DiskBlobStore(folder / "blobs"))


@contextmanager
def live_hq(root: Path, on_postgresql: bool = False) -> Iterator[LiveHq]:
    """Build the world (in a SQLite file, or in a schema of its own in the PostgreSQL that
    pg_probe.postgres() finds), start the server on a free loopback port, stop it at the end
    (and drop the schema)."""
    with ExitStack() as stack:
        world: SqliteWorld | PostgresWorld
        if on_postgresql:
            url, label = postgres()
            assert url is not None, label
            schema_url, schema = stack.enter_context(own_schema(url))
            db = stack.enter_context(_disposing(_build_world(schema_url, root / "template")))
            world = PostgresWorld(db, f"{label}, schema {schema}")
        else:
            template = root / "template" / "hq.sqlite3"
            # Closed again: the file holds everything (no WAL left beside it).
            _build_world(f"sqlite:///{template}", template.parent).dispose()
            world = SqliteWorld(template)
        running = LiveHq(root, world)
        stack.callback(lambda: world.done_with(running.hq.db))  # the last example's
        stack.enter_context(_serving(running))
        yield running


@contextmanager
def _disposing(db: Database) -> Iterator[Database]:
    try:
        yield db
    finally:
        db.dispose()


@contextmanager
def _serving(running: LiveHq) -> Iterator[None]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(running.app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    running.url = f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def _build_world(url: str, folder: Path) -> Database:
    """Through the admin commands and the CSV import, as an administrator would (the CSV
    files and an unused blob directory go to folder); the database, still open."""
    folder.mkdir(parents=True, exist_ok=True)
    hasher, passwords._hasher = passwords._hasher, CHEAP_HASHER
    hq = open_hq(url, folder / "blobs")
    try:
        admin.add_branch(hq.db, "B01", "城东支行", ACTOR)
        admin.add_user(hq.db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR,
                       branch_code="B01")
        admin.add_user(hq.db, OFFICER, "李明", Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                       supervisor_username="sup1")
        import_files(hq.db, {
            "borrowers": _csv(folder / "b.csv", [{
                "code": "C001", "name": "江苏恒达精密机械有限公司", "kind": "company",
                "industry": "manufacturing", "id_number": "91320000MA1X000001",
                "branch": "B01", "officer": OFFICER}]),
            "loans": _csv(folder / "l.csv", [{
                "contract_no": "L-C001", "borrower_code": "C001",
                "loan_type": "working_capital", "amount_yuan": "5000000.00",
                "disbursed_on": "2026-03-01", "matures_on": "2027-03-01",
                "classification": "normal"}]),
            "collateral": _csv(folder / "c.csv", [{
                "code": "P-C001", "borrower_code": "C001", "loan_contract_no": "L-C001",
                "kind": "property", "description": "厂房", "appraised_value_yuan": "8000000",
                "pledged_value_yuan": "5000000"}]),
        }, ACTOR)
    except BaseException:
        hq.db.dispose()
        raise
    finally:
        passwords._hasher = hasher
    return hq.db


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
