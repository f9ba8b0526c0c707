"""Where `inspector-hq` finds headquarters' database and blob store, and a database that
cannot be used said in one line: shared by serve, admin and export.

--data-dir is the embedded set-up: the SQLite file hq.sqlite3 and blobs/ in that directory;
--db and --blobs override either part.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from inspector_app.common.command_line import CommandError

if TYPE_CHECKING:
    from inspector_app.hq.db import Database

DB_FILE = "hq.sqlite3"
BLOBS_DIR = "blobs"
DB_URLS = "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"


def storage(args: argparse.Namespace, parser: argparse.ArgumentParser, *,
            create: bool = True) -> tuple[str, Path | None]:
    """The database URL and blob directory the options name; without create, the database
    has to be there already (a command that only reads)."""
    data_dir: Path | None = getattr(args, "data_dir", None)
    db: str | None = getattr(args, "db", None)
    blobs: Path | None = getattr(args, "blobs", None)
    if data_dir is not None:
        data_dir = data_dir.expanduser().resolve()
        if create:
            data_dir.mkdir(parents=True, exist_ok=True)
        db = db or f"sqlite:///{data_dir / DB_FILE}"
        blobs = blobs or data_dir / BLOBS_DIR
    if db is None:
        parser.error("give --data-dir, or --db URL (and for serve, --blobs DIR)")
    _check_database_url(db, must_exist=not create)
    return db, blobs


def _check_database_url(db: str, *, must_exist: bool) -> None:
    """A URL of a database this server runs on (SQLite, PostgreSQL), or CommandError; with
    must_exist, an SQLite file that is not there is one too."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db)
    except ArgumentError:
        raise CommandError(f"无法识别的数据库地址 / not a database URL: {db!r} (use {DB_URLS})"
                           ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise CommandError(f"不支持的数据库 / unsupported database {url.drivername!r} in "
                           f"{_shown(db)}: use {DB_URLS}")
    if (must_exist and url.get_backend_name() == "sqlite"
            and not Path(url.database or ":memory:").is_file()):
        raise CommandError(f"数据库不存在 / no database at {url.database}: check --data-dir "
                           "or --db")


def _shown(db: str) -> str:
    """The URL without its password, for a message."""
    from sqlalchemy import make_url

    return make_url(db).render_as_string(hide_password=True)


def database_failure(db: str, exc: Exception) -> CommandError:
    """The database could not be opened or used: one line, the driver's first."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    first = first.removeprefix("connection failed: ")
    return CommandError(f"数据库不可用 / the database {_shown(db)} cannot be used: {first}")


_T = TypeVar("_T")


def opened(db_url: str, open_: Callable[[], _T]) -> _T:
    """open_(), with a database that cannot be reached, or a driver not installed, said in
    one line."""
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError

    try:
        return open_()
    except (DBAPIError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise database_failure(db_url, exc) from exc


def open_migrated(db_url: str) -> Database:
    """The database at db_url, its schema migrated to this version (admin, export)."""
    from inspector_app.hq.db import Database
    from inspector_app.hq.migrate import upgrade_database

    def migrated() -> Database:
        db = Database.open(db_url)
        upgrade_database(db.engine)
        return db

    return opened(db_url, migrated)
