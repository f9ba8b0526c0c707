"""A headquarters for the handover's end-to-end tests (tests/e2e/test_e2e_handover*.py): a real
`inspector-hq serve` process on SQLite or PostgreSQL, sup1's team of off_a (C001-C012) and
off_b (no borrowers), a test CA for off_a, off_b and sup1 whose root the server trusts, and
the laptops' and the command line's ways in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from e2e_support import ACTOR, PASSWORD, HqServer, _csv, build_hq_world, free_port, sqlite_url
from pg_probe import postgres, schema_name
from PIL import Image, ImageDraw
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.db import Database
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store.local import LocalStore
from inspector_app.store.models import SyncState, User
from inspector_app.sync.client import SyncClient

EXTRA = [f"C{n:03d}" for n in range(5, 13)]  # besides build_hq_world's C001-C004


@dataclass
class World:
    server: HqServer
    db_url: str
    root: Path
    ca: TestCA


def handover_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                   name: str) -> Iterator[World]:
    """One server per database (request.param: "sqlite", "postgresql", or "server": the
    production database, PostgreSQL, where it runs, else SQLite, as the suite's header says)."""
    root = tmp_path_factory.mktemp(name)
    data_dir = root / "hq"
    url: str | None = None
    admin_engine = None
    schema = ""
    backend = request.param
    if backend == "server":
        backend = "postgresql" if postgres()[0] is not None else "sqlite"
    if backend == "postgresql":
        base, label = postgres()
        if base is None:
            pytest.skip(label)
        schema = schema_name(name)
        admin_engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
    server = None
    try:
        build_hq_world(data_dir, url)
        db = Database.open(url or sqlite_url(data_dir))
        try:
            admin.add_user(db, "off_b", "王芳", Role.OFFICER, PASSWORD, ACTOR,
                           branch_code="B01", supervisor_username="sup1")
            folder = data_dir / "csv-extra"
            folder.mkdir()
            import_files(db, {
                "borrowers": _csv(folder / "b.csv", [{
                    "code": c, "name": f"苏州新材料科技有限公司{c}", "kind": "company",
                    "industry": "manufacturing", "id_number": f"91320500MA1Y00{c}",
                    "branch": "B01", "officer": "off_a"} for c in EXTRA]),
                "loans": _csv(folder / "l.csv", [{
                    "contract_no": f"L-{c}", "borrower_code": c,
                    "loan_type": "working_capital", "amount_yuan": "3000000.00",
                    "disbursed_on": "2026-06-01", "matures_on": "2027-06-01",
                    "classification": "normal"} for c in EXTRA]),
                "collateral": _csv(folder / "c.csv", [{
                    "code": f"P-{c}", "borrower_code": c, "loan_contract_no": f"L-{c}",
                    "kind": "property", "description": "办公楼",
                    "appraised_value_yuan": "6000000", "pledged_value_yuan": "3000000"}
                    for c in EXTRA]),
            }, ACTOR)
        finally:
            db.dispose()
        ca = make_test_ca(root / "ca", [("off_a", "李明"), ("off_b", "王芳"), ("sup1", "张伟")])
        # Headquarters checks every signature chains to the bank's root.
        server = HqServer(data_dir, free_port(), url,
                          serve_args=("--trust-root", str(ca.ca_cert_path)))
        server.start()
        yield World(server, server.db_url, root, ca)
    finally:
        if server is not None:
            server.kill()
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin_engine.dispose()


def laptop(world: World, migrated: Path, username: str) -> tuple[LocalStore, SyncClient]:
    from inspector_app.common.paths import database_path

    data = Path(tempfile.mkdtemp(prefix=f"laptop-{username}-", dir=world.root))
    shutil.copyfile(migrated, database_path(data))
    store = LocalStore.open(data)
    client = SyncClient(store, world.server.url, retries=1, backoff=0.01)
    client.register(username, PASSWORD, f"{username} 笔记本")
    first = client.sync()
    assert first.ok, first.messages()
    return store, client


def api(store: LocalStore, server: HqServer) -> httpx.Client:
    """The laptop's own device token, for what the desktop app asks headquarters directly."""
    with store.read() as s:
        token = s.get_one(SyncState, 1).token
    return httpx.Client(base_url=server.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def cli(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    storage = (["--data-dir", str(world.root / "hq")] if world.db_url.startswith("sqlite")
               else ["--db", world.db_url])
    return subprocess.run([sys.executable, "-m", "inspector_app.hq.cli", "admin", *storage,
                           "handover", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


def handwriting() -> bytes:
    """A signature as the pad draws it: dark strokes on a transparent PNG."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(10, 70), (80, 20), (150, 80), (220, 25), (290, 60)], fill=(0, 0, 0, 255),
              width=5)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def codes(store: LocalStore, username: str) -> list[str]:
    """The borrowers on the user's work list."""
    with store.read() as s:
        me = s.scalar(select(User.id).where(User.username == username))
    return sorted(row.code for row in store.work_list(officer_id=me))
