"""The headquarters database: an engine for SQLite or PostgreSQL and its read/write sessions.

SQLite gets the laptop's pragmas (WAL, FULL sync, foreign keys, busy timeout) and writers that
take the lock at BEGIN, so two writers queue instead of one failing half-way. PostgreSQL runs
at READ COMMITTED; what must be serialised (the change log's order) takes its own lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
# Per server process: the threads that run handlers (app.py sets the thread pool to this),
# and a pool that keeps a connection for each, so none is opened and closed per request (a
# PostgreSQL backend process each time). A request holds one connection at a time; several
# workers share PostgreSQL's max_connections (100 by default).
SERVER_THREADS = 8
PG_POOL_SIZE = SERVER_THREADS + 2
PG_MAX_OVERFLOW = 5


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    # Autocommit while setting pragmas: journal_mode cannot change inside a transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()
    # Leave isolation_level None: SQLAlchemy, not the driver, emits BEGIN (see _sqlite_begin),
    # so DDL in a migration is transactional and a failed step rolls back.


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for a database URL (sqlite:///FILE or postgresql+psycopg://...)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pre_ping: a connection broken by a database restart is replaced, not handed to a request.
    return create_engine(parsed, pool_pre_ping=True, pool_size=PG_POOL_SIZE,
                         max_overflow=PG_MAX_OVERFLOW)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


@dataclass
class Database:
    """Owns the engine; hands out read sessions and write sessions (one transaction each)."""

    engine: Engine
    _read: sessionmaker[Session] = field(init=False, repr=False)
    _write: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(immediate=True) if self.is_sqlite else self.engine
        self._write = sessionmaker(writer, expire_on_commit=False)
        self._writer_engine = writer

    @classmethod
    def open(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read_core(self) -> Iterator[Connection]:
        """A plain connection for the hot read paths (no ORM session: a fraction of the CPU);
        its transaction is rolled back at the end."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write_core(self) -> Iterator[Connection]:
        """A Core write transaction (BEGIN IMMEDIATE on SQLite): committed when the block
        ends, rolled back if it raises."""
        with self._writer_engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
