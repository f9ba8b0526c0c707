"""What the user sees: no text cut off, every character in the font, in both languages.

Set INSPECTOR_SCREENSHOTS=/some/folder to also save each screen as a PNG to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.common.passwords import LOGIN_FAILED_TEXT
from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher, use_bundled_font

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import SignIn


def save(widget: QWidget, name: str) -> None:
    image = widget.grab()
    assert not image.isNull()
    folder = os.environ.get("INSPECTOR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert image.save(str(Path(folder) / f"{name}.png"))


def texts_fit(window: QWidget) -> list[str]:
    """Problems: a label or button narrower than its text, or a character missing a glyph."""
    QApplication.processEvents()  # let layouts settle after a language change
    problems = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if not widget.isVisible() or not widget.text():
            continue
        metrics = QFontMetrics(widget.font())
        # inFontUcs4, not inFont: PySide6 6.12 turns some CJK str into the wrong QChar.
        text = widget.text()
        missing = [ch for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))]
        if missing:
            problems.append(f"{widget.objectName()}: no glyph for {missing}")
        wraps = isinstance(widget, QLabel) and widget.wordWrap()
        if not wraps and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{widget.objectName()} {widget.text()!r} is cut off")
    return problems


def headers_fit(window: QWidget) -> list[str]:
    view = window.ui.portfolioView
    header = view.horizontalHeader()
    model = view.model()
    problems = []
    for column in range(model.columnCount()):
        text = model.headerData(column, Qt.Orientation.Horizontal)
        needed = QFontMetrics(header.font()).horizontalAdvance(text)
        if header.sectionSize(column) < needed:
            problems.append(f"header {text!r} is cut off")
    return problems


@pytest.fixture(autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    use_bundled_font(qapp)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_sign_in_and_portfolio_screens(
    qtbot: QtBot, launcher: Launcher, sign_in: SignIn, lang: str
) -> None:
    i18n.install(lang)
    dialog = launcher.login_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert texts_fit(dialog) == []
    save(dialog, f"login_{lang}")

    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, "wrong")
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    refusal = i18n.in_current_language(LOGIN_FAILED_TEXT)
    qtbot.waitUntil(lambda: dialog.message() == refusal)
    assert texts_fit(dialog) == []
    save(dialog, f"login_error_{lang}")
    dialog.ui.usernameEdit.clear()

    window = sign_in("zhang")
    window.resize(1100, 520)
    qtbot.waitExposed(window)
    assert texts_fit(window) == []
    assert headers_fit(window) == []
    save(window, f"main_{lang}")
