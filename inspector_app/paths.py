"""Where things live on disk: the per-user data directory and the shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "INSPECTOR_DATA_DIR"
APP_NAME = "inspector-app"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: --data-dir, else $INSPECTOR_DATA_DIR, else the platform's user dir."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if not chosen:
        # Imported here: platformdirs costs ~6 ms, on the way to the first window otherwise.
        from platformdirs import user_data_dir

        chosen = user_data_dir(APP_NAME, appauthor=False)
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(root: Path) -> Path:
    return root / "inspector.sqlite3"


def photos_dir(root: Path) -> Path:
    return root / "photos"


def resources_dir() -> Path:
    """The repository's resources/ folder (templates, policy, fonts, translations)."""
    return Path(__file__).resolve().parents[1] / "resources"


def cjk_font_path() -> Path:
    """The shipped Chinese TrueType font (WenQuanYi Micro Hei, Apache-2.0).

    TrueType outlines on purpose: reportlab embeds only TrueType, and one font file serves the
    GUI, the PDF report and the signature seal so they look the same on any laptop.
    """
    return resources_dir() / "fonts" / "wqy-microhei.ttf"
