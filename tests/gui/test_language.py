"""The GUI speaks Chinese by default and English on request, and switches while open."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import SignIn

CHINESE_HEADERS = [
    "客户编号", "借款人", "进度", "行业", "风险分类", "预警信号", "贷款余额", "上次检查",
    "下次检查", "检查类型", "客户经理",
]
ENGLISH_HEADERS = [
    "Customer no.", "Borrower", "Progress", "Industry", "Risk classification",
    "Warning signals", "Outstanding balance", "Last visit", "Next inspection", "Inspection type",
    "Credit officer",
]


def headers(window: MainWindow) -> list[str]:
    model = window.ui.portfolioView.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_chinese_mode_shows_chinese(sign_in: SignIn, launcher: Launcher) -> None:
    i18n.install("zh_CN")
    dialog = launcher.login_dialog
    assert dialog is not None
    assert dialog.ui.signInButton.text() == "登录"
    assert dialog.ui.usernameLabel.text() == "用户名(&U)："
    assert dialog.ui.languageCombo.currentText() == "中文"

    window = sign_in("wang")
    assert headers(window) == CHINESE_HEADERS
    assert window.ui.searchLabel.text() == "搜索(&S)："
    assert window.model.index(0, Column.INDUSTRY).data() == "制造业"


def test_english_mode_shows_english(sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("wang")
    assert window.windowTitle() == "Post-loan on-site inspection"
    assert headers(window) == ENGLISH_HEADERS
    assert window.model.index(0, Column.INDUSTRY).data() == "Manufacturing"
    assert window.model.index(0, Column.CLASSIFICATION).data() == "Special mention"
    assert window.model.index(0, Column.KIND).data() == "Special inspection"
    assert window._user_label.text() == "Signed in: 王明 (Credit officer)"
    assert window._total_label.text() == "4 borrowers"


def test_choosing_english_in_the_dialog_switches_it_at_once(
    qtbot: QtBot, sign_in: SignIn, launcher: Launcher
) -> None:
    i18n.install("zh_CN")
    dialog = launcher.login_dialog
    assert dialog is not None
    assert dialog.ui.titleLabel.text() == "贷后现场检查"

    dialog.ui.languageCombo.setCurrentIndex(dialog.ui.languageCombo.findText("English"))

    assert i18n.current() == "en"
    assert dialog.ui.titleLabel.text() == "Post-loan on-site inspection"
    assert dialog.ui.signInButton.text() == "Sign in"
    window = sign_in("wang")
    assert headers(window) == ENGLISH_HEADERS


def test_open_window_follows_a_language_change(sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("wang")
    assert headers(window) == ENGLISH_HEADERS

    i18n.install("zh_CN")

    assert headers(window) == CHINESE_HEADERS
    assert window.windowTitle() == "贷后现场检查"
    assert window.model.index(0, Column.CLASSIFICATION).data() == "关注"
    assert window.counts_bar.overdue.text() == "逾期：1"
    assert window._user_label.text() == "当前用户：王明（客户经理）"


def test_language_codes_are_normalised() -> None:
    assert i18n.normalise("zh") == "zh_CN"
    assert i18n.normalise("zh-CN") == "zh_CN"
    assert i18n.normalise("en_US") == "en"
    with pytest.raises(ValueError, match="zh_CN"):
        i18n.normalise("fr")
