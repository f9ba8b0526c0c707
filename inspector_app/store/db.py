"""Engine and session set-up for the local SQLite database.

Every connection gets the same pragmas: WAL so readers never block the writer, FULL sync so a
committed edit survives a power cut (the officer's laptop may die in a warehouse), foreign keys
on (SQLite leaves them off by default) and a busy timeout so a second connection waits instead
of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000


def _set_pragmas(dbapi_conn: Any, _record: Any) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    # The pysqlite driver opens transactions lazily; autocommit while setting pragmas, because
    # journal_mode cannot change inside a transaction.
    previous = dbapi_conn.isolation_level
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()
    dbapi_conn.isolation_level = previous


def _begin(conn: Any) -> None:
    # A writing transaction takes the write lock at BEGIN, so two writers queue on the busy
    # timeout instead of one failing half-way when it upgrades from a read lock. Readers use a
    # deferred BEGIN so they never wait for a writer (WAL).
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at path, with the pragmas on every connection."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    # Let SQLAlchemy, not the driver, emit BEGIN: the driver's own lazy BEGIN would commit
    # DDL implicitly, so a failed migration step could not be rolled back.
    event.listen(engine, "connect", _disable_driver_transactions)
    event.listen(engine, "begin", _begin)
    return engine


def _disable_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
    if isinstance(dbapi_conn, sqlite3.Connection):
        dbapi_conn.isolation_level = None


def make_sessionmaker(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions for reading, or (write=True) for writing with BEGIN IMMEDIATE."""
    bind = engine.execution_options(immediate=True) if write else engine
    return sessionmaker(bind, expire_on_commit=False)
