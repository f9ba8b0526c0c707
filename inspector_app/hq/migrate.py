"""Bring the headquarters database to the current schema at start-up, safely.

PostgreSQL runs every step in one transaction (its DDL is transactional), under an advisory
lock so two servers starting together do not both migrate. A SQLite file is first copied aside
with SQLite's backup API and put back if a step fails, as the laptop's store does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from inspector_app.common import sqlite_backup

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant: it only has to differ from other advisory locks taken on the same database.
MIGRATION_LOCK = 0x4851_4D49  # "HQMI"


class MigrationError(RuntimeError):
    """A schema upgrade failed; the database was left (or put back) as it was."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


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
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    return Path(database) if database and database != ":memory:" else None


def upgrade_database(engine: Engine, target: str = "head") -> MigrationResult:
    """Upgrade the database behind engine to target; on failure nothing is left half-done."""
    before = current_revision(engine)
    wanted = head_revision() if target == "head" else target
    if before == wanted:
        return MigrationResult(before, wanted, None)
    db_file = _sqlite_file(engine)
    backup = None
    if db_file is not None and db_file.exists() and inspect(engine).get_table_names():
        backup = sqlite_backup.backup(db_file, before)
    try:
        _run(engine, target)
    except Exception as exc:
        if backup is not None and db_file is not None:
            engine.dispose()
            sqlite_backup.restore(db_file, backup)
            raise MigrationError(
                f"数据库升级失败，已从备份恢复 / the database upgrade from revision {before} to "
                f"{wanted} failed and the database was restored from {backup.name}: {exc}"
            ) from exc
        raise MigrationError(
            f"数据库升级失败，未做任何修改 / the database upgrade from revision {before} to "
            f"{wanted} failed and was rolled back: {exc}"
        ) from exc
    return MigrationResult(before, wanted, backup)
