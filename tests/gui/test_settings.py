"""Per-laptop settings: typed, defaulted, and kept in the test's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize

from inspector_app.gui.laptop_settings import DEFAULT_LANGUAGE, LaptopSettings


def test_defaults() -> None:
    settings = LaptopSettings()
    assert settings.language == DEFAULT_LANGUAGE == "zh_CN"
    assert settings.last_username == ""
    assert settings.window_size("main_window") is None
    assert settings.window_maximized("main_window") is False


def test_values_survive_a_restart_in_the_temporary_folder(_settings_in_tmp: Path) -> None:
    first = LaptopSettings()
    first.language = "en"
    first.last_username = "wang"
    first.set_window_size("brief", QSize(860, 700))
    first.set_window_maximized("visit_editor", True)
    first.sync()

    again = LaptopSettings()
    assert (again.language, again.last_username) == ("en", "wang")
    assert again.window_size("brief") == QSize(860, 700)
    assert again.window_maximized("visit_editor") is True
    assert list(_settings_in_tmp.rglob("*.ini")), "settings were written outside the test folder"


def test_unknown_language_is_refused_and_a_stale_one_ignored() -> None:
    settings = LaptopSettings()
    with pytest.raises(ValueError):
        settings.language = "fr"
    raw = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "inspector-app", "inspector-app"
    )
    raw.setValue("ui/language", "fr")
    assert LaptopSettings(raw).language == DEFAULT_LANGUAGE
