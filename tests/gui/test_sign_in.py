"""Signing in through the real dialog and landing on the portfolio."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.signin.login_dialog import LoginDialog
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import OVERDUE_FILL, OVERDUE_TEXT, Column
from inspector_app.store.models import User
from inspector_app.store.portfolio import WorkFilter

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def codes(window: MainWindow) -> list[str]:
    return [window.model.row_at(r).code for r in range(window.model.rowCount())]


def test_officer_signs_in_and_sees_own_portfolio_overdue_first(sign_in: SignIn) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")

    assert window.isVisible()
    assert window.windowTitle() == "贷后现场检查"
    # Only wang's borrowers (C2001 belongs to another officer), most overdue first.
    assert codes(window) == ["C1002", "C1003", "C1001", "C1004"]
    overdue = window.model.index(0, Column.NAME)
    assert overdue.data() == "华东精密机械有限公司"
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_TEXT
    assert overdue.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_FILL
    assert OVERDUE_TEXT.red() > 2 * OVERDUE_TEXT.green()  # it is red
    assert window.model.index(2, Column.NAME).data(Qt.ItemDataRole.ForegroundRole) is None
    assert window.model.index(0, Column.INDUSTRY).data() == "制造业"
    assert window.model.index(0, Column.CLASSIFICATION).data() == "关注"
    assert window.model.index(0, Column.OPEN_SIGNALS).data() == "2"
    assert window.model.index(0, Column.NEXT_DUE).data() == "2025-02-26 · 逾期 12 天"
    assert window.model.index(0, Column.KIND).data() == "专项检查"
    assert window.model.index(0, Column.OFFICER).data() == "王明"
    assert window.counts_bar.overdue.text() == "逾期：1"
    assert window.counts_bar.due_week.text() == "本周到期：1"
    assert window._total_label.text() == "共 4 户"
    assert window._user_label.text() == "当前用户：王明（客户经理）"


def ime_commit(widget: QWidget, text: str) -> None:
    """Type text as a Chinese input method does (QTest.keyClicks handles ASCII only)."""
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


def test_search_filters_as_typed(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("wang")
    assert window.model.rowCount() == 4

    qtbot.keyClicks(window.ui.searchEdit, "C1003")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert codes(window) == ["C1003"]
    assert window._total_label.text() == "1 borrower"

    window.ui.searchEdit.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    ime_commit(window.ui.searchEdit, "机械")
    qtbot.waitUntil(lambda: codes(window) == ["C1002"])

    window.ui.searchEdit.clear()
    ime_commit(window.ui.searchEdit, "农业")  # by industry name
    qtbot.waitUntil(lambda: codes(window) == ["C1003"])


def test_typing_fast_queries_once_after_the_pause(
    qtbot: QtBot, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch, portfolio: Portfolio
) -> None:
    window = sign_in("wang")
    searched: list[str] = []
    real = portfolio.store.work_list

    def counting_work_list(where: WorkFilter, **kwargs: object):
        searched.append(where.text)
        return real(where, **kwargs)

    monkeypatch.setattr(portfolio.store, "work_list", counting_work_list)
    qtbot.keyClicks(window.ui.searchEdit, "C100")
    qtbot.waitUntil(lambda: searched == ["C100"] and not window.loading)
    assert window.model.rowCount() == 4
    assert codes(window)[0] == "C1002"


def test_supervisor_sees_every_officers_borrowers(sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("zhang")
    assert codes(window) == ["C1002", "C2001", "C1003", "C1001", "C1004"]
    assert window.model.index(1, Column.OFFICER).data() == "李强"
    assert window.counts_bar.overdue.text() == "Overdue: 2"
    assert window._total_label.text() == "5 borrowers"
    assert window._user_label.text() == "Signed in: 张华 (Supervisor)"


def test_the_refusal_is_in_the_language_shown_and_follows_a_switch(
    qtbot: QtBot, launcher: Launcher
) -> None:
    i18n.install("zh_CN")
    dialog = launcher.login_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, "not the password")
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.message() != "")
    assert dialog.message() == "用户名或密码错误"  # not "用户名或密码错误 / wrong username…"

    dialog.ui.languageCombo.setCurrentIndex(dialog.ui.languageCombo.findText("English"))
    assert dialog.message() == "Wrong username or password"


def test_wrong_password_shows_the_error_and_keeps_the_dialog(
    qtbot: QtBot, launcher: Launcher, portfolio: Portfolio
) -> None:
    dialog = launcher.login_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, "not the password")
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)

    # In the language shown (English: no translator installed), not both at once.
    qtbot.waitUntil(lambda: dialog.message() == "Wrong username or password")
    assert dialog.ui.messageLabel.isVisible()
    assert dialog.isVisible()
    assert not dialog.busy
    assert dialog.ui.passwordEdit.text() == ""
    assert dialog.ui.usernameEdit.text() == "wang"
    assert launcher.main_window is None

    # The next try, with the right password, works from the same dialog.
    qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords["wang"])
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None)


def test_empty_fields_are_refused_without_asking_the_store(
    qtbot: QtBot, portfolio: Portfolio
) -> None:
    dialog = LoginDialog(portfolio.store, LaptopSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert dialog.message() == "Enter your user name and password."
    assert not dialog.busy


def test_sign_in_runs_off_the_ui_thread_with_the_button_disabled(
    qtbot: QtBot, portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    threads: list[threading.Thread] = []
    real = portfolio.store.authenticate

    def slow_authenticate(username: str, password: str) -> User:
        threads.append(threading.current_thread())
        assert release.wait(5)
        return real(username, password)

    monkeypatch.setattr(portfolio.store, "authenticate", slow_authenticate)
    dialog = LoginDialog(portfolio.store, LaptopSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords["wang"])
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert dialog.busy
    assert not dialog.ui.signInButton.isEnabled()
    assert not dialog.ui.passwordEdit.isEnabled()
    assert dialog.message() == "Signing in…"

    with qtbot.waitSignal(dialog.accepted):
        release.set()
    assert dialog.user is not None and dialog.user.username == "wang"


def test_cancel_during_sign_in_ignores_the_late_answer(
    qtbot: QtBot, portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = portfolio.store.authenticate

    def slow_authenticate(username: str, password: str) -> User:
        assert release.wait(5)
        return real(username, password)

    monkeypatch.setattr(portfolio.store, "authenticate", slow_authenticate)
    dialog = LoginDialog(portfolio.store, LaptopSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords["wang"])
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    accepted: list[bool] = []
    dialog.accepted.connect(lambda: accepted.append(True))

    qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: dialog._runner.pending == 0)
    assert not accepted
    assert dialog.user is None


def test_successful_sign_in_remembers_user_and_language(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    i18n.install("en")
    sign_in("wang")

    settings = LaptopSettings()
    assert settings.last_username == "wang"
    assert settings.language == "en"
    # Next time the user name is filled in and the cursor waits in the password field.
    dialog = LoginDialog(portfolio.store, settings)
    qtbot.addWidget(dialog)
    assert dialog.ui.usernameEdit.text() == "wang"


def test_closing_the_main_window_ends_the_session_and_keeps_its_size(
    qtbot: QtBot, sign_in: SignIn, launcher: Launcher
) -> None:
    window = sign_in("wang")
    window.resize(900, 500)
    with qtbot.waitSignal(launcher.finished):
        window.close()
    assert LaptopSettings().window_size("main_window") == QSize(900, 500)


def test_activating_a_row_names_the_borrower(qtbot: QtBot, sign_in: SignIn) -> None:
    window = sign_in("wang")
    view = window.ui.portfolioView
    view.setCurrentIndex(window.model.index(0, Column.NAME))
    with qtbot.waitSignal(window.borrower_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [window.model.row_at(0).borrower_id]


def test_a_failed_query_is_shown_in_the_status_bar(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.install("en")
    window = sign_in("wang")

    def broken_work_list(where: WorkFilter, **kwargs: object) -> list:
        raise OSError("disk I/O error")

    monkeypatch.setattr(portfolio.store, "work_list", broken_work_list)
    window.reload()
    qtbot.waitUntil(lambda: not window.loading)
    assert window.ui.statusBar.currentMessage() == "Could not load the portfolio: disk I/O error"
    assert window.model.rowCount() == 4  # the last good list stays
