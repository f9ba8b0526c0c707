"""Opening an up-to-date database needs no Alembic (a tenth of a second of every start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from inspector_app.common.paths import database_path
from inspector_app.store.migrate import head_from_files, head_revision, upgrade_database


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert head_from_files() == head_revision()


def test_an_up_to_date_database_opens_without_importing_alembic(
    tmp_path: Path, _migrated_db: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database_path(data).write_bytes(_migrated_db.read_bytes())
    code = (
        "import sys; from pathlib import Path; from inspector_app.store.local import LocalStore; "
        f"s = LocalStore.open(Path({str(data)!r})); "
        "print(s.migration.to_revision, s.migration.backup, 'alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [head_revision(), "None", "False"]


def test_a_new_database_is_still_created_by_alembic(tmp_path: Path) -> None:
    result = upgrade_database(tmp_path / "new.sqlite3")
    assert (result.from_revision, result.to_revision) == (None, head_revision())
    assert upgrade_database(tmp_path / "new.sqlite3").backup is None  # and then fast
