"""Which PostgreSQL the server tests use, if any answers, and names for the schemas they make.

$INSPECTOR_TEST_PG_URL, else the CI machine's postgresql+psycopg://postgres@127.0.0.1:5432/test.
Shared by tests/hq, tests/e2e and tests/sync (tests/ is on pytest's path through its conftest).
"""

from __future__ import annotations

import functools
import os
import secrets

from sqlalchemy import create_engine, make_url, text

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@functools.cache
def postgres() -> tuple[str | None, str]:
    """(the PostgreSQL URL, or None if none answers; a label saying which, or why not)."""
    url = os.environ.get("INSPECTOR_TEST_PG_URL") or PG_DEFAULT
    u = make_url(url)
    where = f"{u.host}:{u.port or 5432}/{u.database}"
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    except Exception as e:  # any reason at all: no PostgreSQL run, and say why
        return None, f"no PostgreSQL reachable at {where} ({type(e).__name__})"
    return url, f"PostgreSQL {version.split()[0]} at {where}"


def schema_name(prefix: str) -> str:
    """A schema name no other run or xdist worker makes: the worker (gw0, gw1, ...; "main"
    without xdist), the process id (runs from other checkouts share the database) and a
    random suffix (one process makes several). Lower case, so it needs no quoting rules."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}_{worker}_{os.getpid()}_{secrets.token_hex(3)}"
