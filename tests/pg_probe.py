"""Which PostgreSQL the server tests that run a live server use, if any answers.

$INSPECTOR_TEST_PG_URL, else the CI machine's postgresql+psycopg://postgres@127.0.0.1:5432/test.
Shared by tests/e2e and tests/sync (tests/ is on pytest's path through its conftest).
"""

from __future__ import annotations

import functools
import os

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
