"""GUI test set-up: settings in a temporary folder, no translator or worker left behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import BorrowerKind, Classification, Industry, Role, VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.ui_thread_gc import UiThreadCollector
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User

# A fixed "today" so urgency colours do not depend on when the suite runs.
TODAY = date(2025, 3, 10)
PASSWORDS = {"wang": "correct horse 7", "zhang": "battery staple 9", "li": "tr0mbone 1"}


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Every QSettings file this test writes goes to its own temporary folder."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    # Nor reads the machine's: a user-scope value Qt does not find falls back to this one.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope,
                      str(folder / "system"))
    yield folder


@pytest.fixture(autouse=True)
def _gc_on_the_ui_thread(qapp: QApplication) -> Iterator[None]:
    """As the app does (gui/app.py): a collection on a worker could delete a Qt object there.
    For GUI tests only: a worker process runs other tests after them, with no event loop to
    collect on."""
    collector = UiThreadCollector(qapp)
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture(autouse=True)
def _no_translator_left(qapp: QApplication) -> Iterator[None]:
    yield
    i18n.uninstall(qapp)


@pytest.fixture
def gui_store(store: LocalStore) -> Iterator[LocalStore]:
    """The store fixture, closed only after every background query on it has finished."""
    yield store
    # Torn down before `store`, so no worker queries a closed store.
    assert QThreadPool.globalInstance().waitForDone(10_000)


@dataclass(frozen=True)
class Portfolio:
    store: LocalStore
    officer: User
    other_officer: User
    supervisor: User
    passwords: dict[str, str]

    @staticmethod
    def today() -> date:
        return TODAY


@pytest.fixture
def portfolio(gui_store: LocalStore) -> Portfolio:
    """Two officers and a supervisor; five borrowers, one overdue and one due this week."""
    store = gui_store
    supervisor = store.create_user("zhang", PASSWORDS["zhang"], "张华", Role.SUPERVISOR)
    officer = store.create_user(
        "wang", PASSWORDS["wang"], "王明", Role.OFFICER, supervisor_id=supervisor.id
    )
    other = store.create_user("li", PASSWORDS["li"], "李强", Role.OFFICER)
    rows = [
        # code, name, industry, classification, signals, due in days, kind, officer
        ("C1001", "宏达房地产开发有限公司", Industry.REAL_ESTATE, Classification.NORMAL, 0,
         30, VisitKind.ROUTINE, officer),
        ("C1002", "华东精密机械有限公司", Industry.MANUFACTURING,
         Classification.SPECIAL_MENTION, 2, -12, VisitKind.SPECIAL, officer),
        ("C1003", "绿野农业合作社", Industry.AGRICULTURE, Classification.NORMAL, 0, 3,
         VisitKind.FIRST, officer),
        ("C1004", "陈建国", Industry.SERVICES, Classification.SUBSTANDARD, 1, 60,
         VisitKind.ROUTINE, officer),
        ("C2001", "远洋贸易有限公司", Industry.WHOLESALE_TRADE, Classification.NORMAL, 0, -1,
         VisitKind.ROUTINE, other),
    ]
    with store.write() as s:
        for code, name, industry, classification, signals, days, kind, owner in rows:
            s.add(
                Borrower(
                    code=code, name=name, industry=industry, classification=classification,
                    kind=BorrowerKind.PERSON if len(name) <= 3 else BorrowerKind.COMPANY,
                    id_number=f"91330100{code}", officer_id=owner.id, open_signals=signals,
                    next_due_on=TODAY + timedelta(days=days), next_due_kind=kind,
                )
            )
    return Portfolio(store, officer, other, supervisor, PASSWORDS)


@pytest.fixture
def launcher(portfolio: Portfolio) -> Iterator[Launcher]:
    """The start-up flow on the portfolio store, its sign-in dialog showing; the store is
    handed over from a worker thread, as run() opens it behind the dialog."""
    flow = Launcher(lambda: portfolio.store, LaptopSettings(), today=portfolio.today)
    flow.start()
    yield flow
    # The launcher owns its windows (it deletes the dialog after sign-in), so it closes them.
    for window in (flow.login_dialog, flow.main_window):
        if window is not None:
            window.close()
            window.deleteLater()


SignIn = Callable[[str], MainWindow]


@pytest.fixture
def sign_in(qtbot: QtBot, launcher: Launcher, portfolio: Portfolio) -> SignIn:
    """Types a user's name and password into the dialog, clicks, and awaits the portfolio."""

    def do(username: str) -> MainWindow:
        dialog = launcher.login_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.ui.usernameEdit, username)
        qtbot.keyClicks(dialog.ui.passwordEdit, portfolio.passwords[username])
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=5000)
        window = launcher.main_window
        assert window is not None
        qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() > 0)
        return window

    return do
