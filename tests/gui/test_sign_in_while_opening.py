"""The sign-in dialog shows before the local store is open: typing works at once, and a
Sign in clicked meanwhile waits, visibly, for the store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.store.local import LocalStore

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio


@dataclass
class SlowOpener:
    """Opens (hands over) the portfolio store only once released, noting on which thread."""

    store: LocalStore
    release: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def __call__(self) -> LocalStore:
        self.threads.append(threading.current_thread())
        assert self.release.wait(10)
        return self.store


@pytest.fixture
def opener(portfolio: Portfolio) -> Iterator[SlowOpener]:
    slow = SlowOpener(portfolio.store)
    yield slow
    slow.release.set()  # never leave a worker blocked


@pytest.fixture
def slow_launcher(opener: SlowOpener, portfolio: Portfolio) -> Iterator[Launcher]:
    flow = Launcher(opener, LaptopSettings(), today=portfolio.today)
    flow.start()
    yield flow
    opener.release.set()
    for window in (flow.login_dialog, flow.main_window):
        if window is not None:
            window.close()
            window.deleteLater()


def test_typing_works_before_the_store_is_open_and_sign_in_waits_for_it(
    qtbot: QtBot, slow_launcher: Launcher, opener: SlowOpener, portfolio: Portfolio
) -> None:
    i18n.install("en")
    dialog = slow_launcher.login_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: bool(opener.threads))  # the store is opening, on a worker
    assert opener.threads[0] is not threading.main_thread()

    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords["wang"])
    assert dialog.ui.usernameEdit.text() == "wang"
    assert slow_launcher.store is None
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)

    assert dialog.waiting_for_store
    assert dialog.busy
    assert dialog.message() == "Opening the local database…"
    assert dialog.ui.messageLabel.isVisible()
    assert not dialog.ui.passwordEdit.isEnabled()
    assert dialog.ui.cancelButton.isEnabled()  # the officer can still give up
    i18n.install("zh_CN")  # the waiting message follows a language change
    assert dialog.message() == "正在打开本地数据库…"
    assert slow_launcher.main_window is None

    opener.release.set()
    qtbot.waitUntil(lambda: slow_launcher.main_window is not None, timeout=5000)
    window = slow_launcher.main_window
    assert window is not None
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 4)
    assert slow_launcher.store is portfolio.store


def test_the_empty_fields_message_does_not_wait_for_the_store(
    qtbot: QtBot, slow_launcher: Launcher
) -> None:
    i18n.install("en")
    dialog = slow_launcher.login_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert dialog.message() == "Enter your user name and password."
    assert not dialog.busy and not dialog.waiting_for_store


def test_cancel_while_the_store_opens_ends_without_signing_in(
    qtbot: QtBot, slow_launcher: Launcher, opener: SlowOpener, portfolio: Portfolio
) -> None:
    dialog = slow_launcher.login_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
    qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords["wang"])
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert dialog.waiting_for_store

    with qtbot.waitSignal(slow_launcher.finished):
        qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)
    opener.release.set()
    qtbot.waitUntil(lambda: slow_launcher.store is not None)  # opened after all; not used
    assert not dialog.waiting_for_store
    assert dialog.user is None
    assert slow_launcher.main_window is None
