"""Settings the bank's IT deploys with the app: today, the headquarters server's address.

An INI file, ``inspector-app.ini``, read where an installer or a management tool puts it:

1. the machine-wide configuration folder — ``/etc/xdg/inspector-app/`` on Linux (or the first
   folder of ``$XDG_CONFIG_DIRS``), ``C:\\ProgramData\\inspector-app\\`` on Windows,
   ``/Library/Application Support/inspector-app/`` on macOS;
2. the installation folder — beside the executable of a bundled build, else the Python
   environment the app is installed in (``sys.prefix``).

The first file that names a server wins::

    [sync]
    server_address = https://hq.bank.example:8443

The same key the laptop's own settings file keeps the address last used under, so on Linux
and Windows Qt also reads the machine-wide file as the default of that file. Plain Python (no
Qt), so the command line reads it too. A file that cannot be read is skipped, with a warning
in the log: a broken deployment must not stop the app from starting.
"""

from __future__ import annotations

import configparser
import logging
import sys
from pathlib import Path

from inspector_app.common.paths import APP_NAME

__all__ = ["FILE_NAME", "server_address", "settings_files"]

FILE_NAME = f"{APP_NAME}.ini"
log = logging.getLogger(__name__)


def settings_files() -> list[Path]:
    """Where a deployed settings file is looked for, in order."""
    from platformdirs import site_config_dir  # ~6 ms; only when asked

    install = (Path(sys.executable).parent if getattr(sys, "frozen", False)
               else Path(sys.prefix))
    return [Path(site_config_dir(APP_NAME, appauthor=False)) / FILE_NAME, install / FILE_NAME]


def server_address() -> str:
    """The headquarters address IT deployed, or "" if no file names one."""
    for path in settings_files():
        value = _read(path, "sync", "server_address")
        if value:
            return value
    return ""


def _read(path: Path, section: str, key: str) -> str:
    if not path.is_file():
        return ""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8-sig")  # Notepad may add a byte-order mark
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        log.warning("ignoring the deployed settings file %s: %s", path, exc)
        return ""
    # QSettings writes a value with special characters in double quotes.
    return parser.get(section, key, fallback="").strip().strip('"').strip()
