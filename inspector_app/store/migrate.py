"""Bring a local database to the current schema, safely.

Before any step runs, the database file is copied aside (with SQLite's backup API, so a WAL
file is folded in); if a step fails the copy is put back and the error says so plainly. The
officer's unsynced visits are in this file: a half-migrated database must never be left behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from inspector_app.store import sqlite_backup
from inspector_app.store.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class MigrationError(RuntimeError):
    """A schema upgrade failed; the database was restored from its backup."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None  # None when nothing had to be done or the database was new


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, target: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one() > 0


def upgrade_database(db_path: Path, target: str = "head") -> MigrationResult:
    """Upgrade the SQLite file at db_path to target, backing up first and restoring on failure."""
    engine = make_engine(db_path)
    try:
        before = current_revision(engine)
        wanted = head_revision() if target == "head" else target
        if before == wanted:
            return MigrationResult(before, wanted, None)
        fresh = before is None and not _has_tables(engine)
        backup = None if fresh else sqlite_backup.backup(db_path, before)
        try:
            _run(engine, target)
        except Exception as exc:
            engine.dispose()
            if backup is not None:
                sqlite_backup.restore(db_path, backup)
                raise MigrationError(
                    f"数据库升级失败，已从备份恢复 / the database upgrade from revision "
                    f"{before} to {wanted} failed and the database was restored from "
                    f"{backup.name}: {exc}"
                ) from exc
            raise MigrationError(f"could not create the database schema: {exc}") from exc
        return MigrationResult(before, wanted, backup)
    finally:
        engine.dispose()
