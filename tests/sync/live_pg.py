"""PostgreSQL behind the live headquarters server (live_hq.py), when one is reachable.

Which one: pg_probe.postgres() ($INSPECTOR_TEST_PG_URL, else 127.0.0.1:5432/test), as
tests/hq and tests/e2e. The run gets a schema of its own in that database (named after the
xdist worker, the process and a random suffix, so parallel runs and workers do not collide),
dropped at the end.

Each example starts from the same rows: the schema's tables are emptied (DELETE, children
first) and the world's rows put back, in one transaction, about 5 ms. The server keeps its
engine and pooled connections from one example to the next, as a running server does (and
psycopg's prepared statements with them). Measured against the alternatives on this machine
(2 cores, PostgreSQL 15): TRUNCATE of the tables 30-40 ms; CREATE DATABASE ... TEMPLATE
15-45 ms and its DROP 7-50 ms, then new connections (a backend process each) every example.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pg_probe import schema_name
from sqlalchemy import create_engine, inspect, make_url, select, text
from sqlalchemy.pool import NullPool

from inspector_app.hq.db import Database
from inspector_app.hq.models import Base


@contextmanager
def own_schema(url: str) -> Iterator[tuple[str, str]]:
    """A new, empty schema for this run: (the URL of the database with its search_path set to
    it, its name). Dropped at the end, whatever happened."""
    schema = schema_name("sync_property")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        # synchronous_commit=off: these examples are about order and idempotency, not about
        # surviving a power cut; waiting for each commit's WAL flush would be most of a push.
        yield make_url(url).update_query_dict(
            {"options": f"-csearch_path={schema} -csynchronous_commit=off"}
        ).render_as_string(hide_password=False), schema
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


class WorldRows:
    """The rows of a database as it was when taken, to put back before each example."""

    def __init__(self, db: Database) -> None:
        tables = Base.metadata.sorted_tables
        with db.engine.connect() as conn:
            # Every table but Alembic's is emptied between examples: one the models do not
            # know would keep an example's rows for the next.
            unknown = set(inspect(conn).get_table_names()) - {t.name for t in tables}
            assert unknown == {"alembic_version"}, unknown
            self.rows: dict[str, list[dict[str, Any]]] = {
                t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in tables}
        # A supervisor's row before their officers' (users refer to users).
        self.rows["users"].sort(key=lambda u: u["supervisor_id"] is not None)

    def restore(self, db: Database) -> None:
        """Empty every table and put the world's rows back, with their ids. The identity
        sequences go on from where they are, so later rows never take one of those ids."""
        tables = Base.metadata.sorted_tables
        with db.engine.begin() as conn:
            for table in reversed(tables):
                conn.execute(table.delete())
            for table in tables:
                if self.rows[table.name]:
                    conn.execute(table.insert(), self.rows[table.name])
