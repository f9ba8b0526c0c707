"""A headquarters database and a real server on it, for fixtures of any scope: the e2e
conftest's per-test ones, and a module's own where its tests can share one server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import HqServer, build_hq_world, free_port
from pg_probe import postgres, schema_name
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool


def database_for(backend: str) -> Iterator[str | None]:
    """None for SQLite (the server's data directory), or a PostgreSQL URL whose search_path
    is a fresh schema, dropped at the end (skipped where PostgreSQL does not run)."""
    if backend == "sqlite":
        yield None
        return
    url, label = postgres()
    if url is None:
        pytest.skip(label)
    schema = schema_name("e2e")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield make_url(url).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def running_server(data_dir: Path, db: str | None) -> Iterator[HqServer]:
    """A real `inspector-hq serve` on a built world, killed at the end."""
    build_hq_world(data_dir, db)
    server = HqServer(data_dir, free_port(), db)
    try:
        server.start()
        yield server
    finally:
        server.kill()
