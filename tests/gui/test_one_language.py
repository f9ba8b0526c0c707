"""The GUI speaks one language at a time: in Chinese no English word shows, in English no
Chinese one, except in the data (names, addresses, what people typed) — on every window and
dialog, Qt's own included. Internal codes (template refs, checklist item codes, digests) are
not shown to the officer either.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from review_support import ca_fixture  # noqa: F401 (a fixture)
from screen_checks import data_strings, foreign_words, visible_texts
from window_tour import Tour, build_world

from inspector_app import resources
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.reports.certs import TestCA

# What only a programmer knows a thing by: a template's code@version, a checklist item's code,
# a file's SHA-256 (or the first dozen digits of one).
INTERNAL = re.compile(r"\b[a-z_]+@\d+\b|\b[A-Z]{1,3}-[A-Z]{2,5}-\d{2}\b|\b[0-9a-f]{12,64}\b")


@pytest.fixture(autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    use_bundled_font(qapp)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_window_speaks_one_language(
    qtbot: QtBot, portfolio, ca: TestCA, tmp_path: Path, lang: str
) -> None:
    i18n.install(lang)
    world = build_world(portfolio, ca, tmp_path)
    data = data_strings(world.store) | world.typed
    tour = Tour(qtbot, world)
    problems, seen = [], 0
    try:
        for stop in tour.stops():
            seen += 1
            texts = list(visible_texts(stop.window))
            problems += [f"{stop.name}: {p}" for p in foreign_words(texts, lang, data)]
            problems += [f"{stop.name}: {where}: internal {code!r} in {shown!r}"
                         for where, shown in texts for code in INTERNAL.findall(shown)]
    finally:
        tour.close_all()
    assert seen > 30
    assert problems == []


def test_qt_own_words_come_with_the_app() -> None:
    """Qt's file dialog and standard buttons speak Chinese from the app's own files: an
    installed app (a wheel, a frozen bundle) need not carry Qt's translations folder."""
    shipped = resources.translations_dir() / "qtbase_zh_CN.qm"
    assert shipped.is_file()
    i18n.install("zh_CN")
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "文件名称(&N)："
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    # What Qt's catalogue lacks, the app's own supplies (gui/qt_words.py).
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "文件夹"
