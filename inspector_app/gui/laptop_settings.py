"""What belongs to this laptop, not to the bank: language, last user name, window sizes,
the last sync server address.

Declared once here, with types, so no widget reads a QSettings key by a string of its own.
What syncs (policy, templates) lives in the database instead.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize

ORGANISATION = "inspector-app"
APPLICATION = "inspector-app"

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


class LaptopSettings:
    """Typed access to the per-laptop settings file."""

    def __init__(self, store: QSettings | None = None) -> None:
        # An INI file on every platform (not the Windows registry), so support staff can read
        # or delete it, and tests redirect it with QSettings.setPath(IniFormat, ...).
        self._s = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    @property
    def language(self) -> str:
        value = self._s.value("ui/language", DEFAULT_LANGUAGE, type=str)
        # A stale or hand-edited value must not stop the app from starting.
        return value if value in LANGUAGES else DEFAULT_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unsupported language {value!r}; choose one of {LANGUAGES}")
        self._s.setValue("ui/language", value)

    @property
    def last_username(self) -> str:
        return str(self._s.value("login/last_username", "", type=str))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._s.setValue("login/last_username", value)

    @property
    def last_server_address(self) -> str:
        """The headquarters address the last sync used, offered again next time."""
        return str(self._s.value("sync/server_address", "", type=str))

    @last_server_address.setter
    def last_server_address(self, value: str) -> None:
        self._s.setValue("sync/server_address", value)

    def forget_server_address(self) -> None:
        """Offer the address IT deployed again (common.site_settings), not one of our own."""
        self._s.remove("sync/server_address")

    def window_size(self, name: str) -> QSize | None:
        """The size the window called name (see gui.screen_fit) was last left at."""
        value = self._s.value(f"{name}/size")
        return value if isinstance(value, QSize) and not value.isEmpty() else None

    def set_window_size(self, name: str, size: QSize) -> None:
        self._s.setValue(f"{name}/size", size)

    def window_maximized(self, name: str) -> bool:
        return self._s.value(f"{name}/maximized", False, type=bool) is True

    def set_window_maximized(self, name: str, maximized: bool) -> None:
        self._s.setValue(f"{name}/maximized", maximized)

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings otherwise writes lazily)."""
        self._s.sync()
