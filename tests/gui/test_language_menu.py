"""Tools → Language in the main window: English or Chinese after sign-in, every open window
switching at once, the choice kept on this laptop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from editor_support import Visit, visit_fixture  # noqa: F401  (fixtures)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from test_language import CHINESE_HEADERS, ENGLISH_HEADERS, headers

from inspector_app.gui import i18n
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.main_window import MainWindow

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import SignIn


def tools_menu(window: MainWindow) -> QMenu:
    [menu] = [a.menu() for a in window.menuBar().actions()
              if a.text() in ("&Tools", "工具(&T)")]
    assert isinstance(menu, QMenu)
    return menu


def choose_language(qtbot: QtBot, window: MainWindow, endonym: str) -> None:
    """Open Tools, then Language, and click the language, with the mouse."""
    tools = tools_menu(window)
    tools.popup(window.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(tools.isVisible)
    language = window.language_menu
    entry = tools.actionGeometry(language.menuAction()).center()
    qtbot.mouseClick(tools, Qt.MouseButton.LeftButton, pos=entry)
    qtbot.waitUntil(language.isVisible)
    [action] = [a for a in language.actions() if a.text() == endonym]
    choice = language.actionGeometry(action).center()
    qtbot.mouseClick(language, Qt.MouseButton.LeftButton, pos=choice)
    qtbot.waitUntil(lambda: not tools.isVisible())


def checked(window: MainWindow) -> list[str]:
    return [a.text() for a in window.language_menu.actions() if a.isChecked()]


@pytest.fixture
def editor_of(qtbot: QtBot) -> Iterator[list[VisitEditor]]:
    """Visit editors the test opened through the main window; closed (saves done) at the end."""
    opened: list[VisitEditor] = []
    yield opened
    for editor in opened:
        editor.close()
        editor.ctx.wait_for_saves()


def test_switching_to_english_retranslates_the_main_window_and_an_open_editor(
    qtbot: QtBot, sign_in: SignIn, visit: Visit, editor_of: list[VisitEditor]
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    editor = window.open_visit(visit.visit_id)
    assert isinstance(editor, VisitEditor)
    editor_of.append(editor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
    assert editor.windowTitle() == f"{visit.borrower_name} — 常规检查"
    assert window.language_menu.title() == "语言(&L)"
    assert checked(window) == ["中文"]

    choose_language(qtbot, window, "English")

    assert i18n.current() == "en"
    assert window.windowTitle() == "Post-loan on-site inspection"
    assert headers(window) == ENGLISH_HEADERS
    assert tools_menu(window).title() == "&Tools"
    assert window.language_menu.title() == "&Language"
    assert window._user_label.text() == "Signed in: 王明 (Credit officer)"
    assert editor.windowTitle() == f"{visit.borrower_name} — Routine inspection"
    assert editor.page_list.item(0).text() == "Visit information"
    assert checked(window) == ["English"]
    assert LaptopSettings().language == "en"  # the next start speaks English too

    choose_language(qtbot, window, "中文")

    assert i18n.current() == "zh_CN"
    assert window.windowTitle() == "贷后现场检查"
    assert headers(window) == CHINESE_HEADERS
    assert editor.page_list.item(0).text() == "检查信息"
    assert checked(window) == ["中文"]
    assert LaptopSettings().language == "zh_CN"


def test_the_menu_shows_the_language_chosen_at_sign_in(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    i18n.install("en")  # as the sign-in dialog's chooser does
    window = sign_in("wang")
    assert checked(window) == ["English"]
    assert [a.text() for a in window.language_menu.actions()] == ["中文", "English"]


def test_after_a_switch_the_filters_and_columns_still_fit(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    # The officer's laptop screen (1366 x 768): in English the work list's eleven columns
    # need it (at 1100 px they scroll sideways, the borrower column keeping a dozen characters).
    window.resize(1366, 740)
    view = window.ui.portfolioView
    combo = window.filters.kind_combo
    for endonym in ("English", "中文", "English"):
        choose_language(qtbot, window, endonym)
        qtbot.waitUntil(lambda: combo.width() >= combo.minimumSizeHint().width())
        # "Any inspection" is not cut off, and the borrower column takes up the rest of the
        # width again: no gap at the right, no column pushed out of sight.
        assert combo.width() >= combo.minimumSizeHint().width()
        assert combo.sizeHint().width() >= combo.fontMetrics().horizontalAdvance(
            combo.itemText(0))
        qtbot.waitUntil(lambda: view.horizontalHeader().length() == view.viewport().width())
