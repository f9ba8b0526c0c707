"""Copy a SQLite database aside before a risky step, and put the copy back if it fails.

Shared by the laptop's and headquarters' migrations. The copy uses SQLite's backup API, so a
WAL file is folded in and the copy is consistent even while other connections read.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path


def backup(db_path: Path, revision: str | None) -> Path:
    """A consistent copy next to db_path, named after the revision it holds and the time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copy = db_path.with_name(f"{db_path.name}.before-{revision or 'empty'}-{stamp}.bak")
    src, dst = sqlite3.connect(db_path), sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return copy


def restore(db_path: Path, copy: Path) -> None:
    """Put the copy back; every connection to db_path must be closed first."""
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, db_path)
