"""The headquarters database: an engine for SQLite or PostgreSQL and its read/write sessions.

SQLite gets the laptop's pragmas (WAL, FULL sync, foreign keys, busy timeout) and writers that
take the lock at BEGIN, so two writers queue instead of one failing half-way. PostgreSQL runs
at READ COMMITTED; what must be serialised (the change log's order) takes its own lock.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
# Per server process: the threads that run handlers (app.py sets the thread pool to this),
# and a pool that keeps a connection for each, so none is opened and closed per request (a
# PostgreSQL backend process each time). A request holds one connection at a time; several
# workers share PostgreSQL's max_connections (100 by default).
SERVER_THREADS = 8
PG_POOL_SIZE = SERVER_THREADS + 2
PG_MAX_OVERFLOW = 5
# A pooled PostgreSQL connection idle longer than this is pinged before a request gets it.
PING_IDLE_SECONDS = 2.0


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
    engine = create_engine(parsed, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """A connection broken by a database restart is replaced, not handed to a request: it is
    pinged at checkout, but only after PING_IDLE_SECONDS in the pool. (pool_pre_ping pings at
    every checkout: a round trip per request under load, when every connection was in use a
    moment ago. A restart that breaks a busy pool fails the requests on it once; SQLAlchemy
    then replaces every connection the pool held.)"""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= PING_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            # The pool drops this connection and checks out another (up to three times).
            raise exc.DisconnectionError(str(e)) from e


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
        # PostgreSQL: the hot read paths run each statement in a transaction of its own (READ
        # COMMITTED takes a snapshot per statement anyway), which spares a BEGIN and a
        # ROLLBACK round trip per connection; SQLite keeps a transaction (its WAL snapshot).
        self._autocommit_engine = self.engine if self.is_sqlite \
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")

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
        """A plain connection for the hot read paths (no ORM session: a fraction of the CPU):
        on PostgreSQL in autocommit (every statement its own transaction), on SQLite in a
        transaction rolled back at the end. Read through it; write through write_core()."""
        with self._autocommit_engine.connect() as conn:
            yield conn

    @contextmanager
    def write_core(self) -> Iterator[Connection]:
        """A Core write transaction (BEGIN IMMEDIATE on SQLite): committed when the block
        ends, rolled back if it raises."""
        with self._writer_engine.begin() as conn:
            yield conn

    @contextmanager
    def write_single(self) -> Iterator[Connection]:
        """For a write that is ONE statement (atomic by itself): on PostgreSQL an autocommit
        connection, so the statement is its own transaction without a BEGIN and a COMMIT
        round trip; on SQLite a write transaction."""
        if self.is_sqlite:
            with self.write_core() as conn:
                yield conn
        else:
            with self._autocommit_engine.connect() as conn:
                yield conn

    @contextmanager
    def write_next_to(self, reader: Connection) -> Iterator[Connection]:
        """Where a short write goes in the middle of a read_core() block: on PostgreSQL that
        connection itself (autocommit: each statement commits on its own; no second
        connection from the pool), on SQLite a write transaction of its own."""
        if self.is_sqlite:
            with self.write_core() as conn:
                yield conn
        else:
            yield reader

    def dispose(self) -> None:
        self.engine.dispose()
