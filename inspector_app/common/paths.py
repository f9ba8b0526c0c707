"""Where the user's data lives on disk (the shipped files: see inspector_app.resources)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

DATA_DIR_ENV = "INSPECTOR_DATA_DIR"
APP_NAME = "inspector-app"


def data_dir(override: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """The data directory: --data-dir, else $INSPECTOR_DATA_DIR, else the platform's user dir;
    made if missing, unless ``create`` is false (a command that only reads)."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if not chosen:
        # Imported here: platformdirs costs ~6 ms, on the way to the first window otherwise.
        from platformdirs import user_data_dir

        chosen = user_data_dir(APP_NAME, appauthor=False)
    path = Path(chosen).expanduser().resolve()
    if create:
        if path.exists() and not path.is_dir():  # mkdir would say "exists", which misleads
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path))
        path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(root: Path) -> Path:
    return root / "inspector.sqlite3"


def photos_dir(root: Path) -> Path:
    return root / "photos"

