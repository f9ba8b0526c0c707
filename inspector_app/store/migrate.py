"""Bring a local database to the current schema, safely.

Before any step runs, the database file is copied aside (with SQLite's backup API, so a WAL
file is folded in); if a step fails the copy is put back and the error says so plainly. The
officer's unsynced visits are in this file: a half-migrated database must never be left behind.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from inspector_app.common import sqlite_backup
from inspector_app.store.db import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a database is not at the head revision already: importing it
# took a tenth of a second of every start of the app (bench/startup.py), to learn nothing.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*(None|"([^"]*)")\s*$', re.M)


class MigrationError(RuntimeError):
    """A schema upgrade failed; the database was restored from its backup."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None  # None when nothing had to be done or the database was new


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, target: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        count: int = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
        return count > 0


def head_from_files() -> str | None:
    """The head revision read from the version files' plain assignments, without Alembic;
    None if that is not clear-cut (then Alembic decides)."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {m.group(1): m.group(3) for m in _REVISION.finditer(path.read_text("utf-8"))}
        if "revision" not in found or found["revision"] is None:
            return None
        revisions[found["revision"]] = found.get("down_revision")
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(db_path: Path) -> str | None:
    """The revision recorded in the file, read-only with plain sqlite3; None if unknown."""
    if not db_path.exists():
        return None
    try:
        # closing(): sqlite3's own context manager commits but never closes.
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return rows[0][0] if len(rows) == 1 else None


def upgrade_database(db_path: Path, target: str = "head") -> MigrationResult:
    """Upgrade the SQLite file at db_path to target, backing up first and restoring on failure."""
    if target == "head":  # the usual start: already there, so no engine and no Alembic
        head = head_from_files()
        if head is not None and _stored_revision(db_path) == head:
            return MigrationResult(head, head, None)
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
