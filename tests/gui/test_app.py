"""Start-up: font, language, opening the store, and run() from start to quit."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from inspector_app.gui import app as gui_app
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.signin.login_dialog import LoginDialog
from inspector_app.store.local import LocalStore
from inspector_app.store.migrate import MigrationError


@pytest.fixture
def critical_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """QMessageBox.critical calls, recorded instead of shown (a modal box would block)."""
    shown: list[tuple[str, str]] = []

    def record(parent: object, title: str, text: str, *args: object) -> object:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


@pytest.fixture
def quit_on_last_window(qapp: QApplication):
    """run() changes when the app quits; put it back for the tests that follow."""
    before = qapp.quitOnLastWindowClosed()
    yield
    qapp.setQuitOnLastWindowClosed(before)


def test_bundled_font_renders_chinese(qapp: QApplication) -> None:
    family = gui_app.use_bundled_font(qapp)

    assert family == "WenQuanYi Micro Hei"
    font = qapp.font()
    assert QFontInfo(font).family() == family  # really used, not a substitute
    assert font.pointSizeF() >= gui_app.MIN_POINT_SIZE
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "贷后现场检查逾期客户经理风险分类：（）")


def test_migration_failure_is_reported_plainly(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    critical_messages: list[tuple[str, str]],
) -> None:
    error = "数据库升级失败，已从备份恢复 / the database upgrade from revision 0001 failed"

    def failing_open(data_dir: Path) -> object:
        raise MigrationError(error)

    monkeypatch.setattr(LocalStore, "open", failing_open)

    assert gui_app.run(tmp_path / "data", "zh_CN") == 1

    [(title, text)] = critical_messages
    assert title == "无法打开数据"
    assert "本地数据库无法升级到当前版本的程序。" in text
    assert error in text
    assert "Traceback" not in text


def test_unreadable_data_folder_is_reported_plainly(
    qapp: QApplication, tmp_path: Path, critical_messages: list[tuple[str, str]]
) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be")

    assert gui_app.run(not_a_folder, "en") == 1

    [(title, text)] = critical_messages
    assert title == "Cannot open the data"
    assert f"The data folder {not_a_folder} could not be opened." in text


def test_run_shows_sign_in_and_cancel_quits(
    qapp: QApplication, tmp_path: Path, quit_on_last_window: None
) -> None:
    seen: list[LoginDialog] = []

    def cancel_sign_in() -> None:
        dialogs = [w for w in qapp.topLevelWidgets() if isinstance(w, LoginDialog)]
        visible = [d for d in dialogs if d.isVisible()]
        seen.extend(visible)
        for dialog in visible:
            dialog.reject()

    QTimer.singleShot(0, cancel_sign_in)
    assert gui_app.run(tmp_path / "data", "en") == 0

    [dialog] = seen
    assert dialog.ui.signInButton.text() == "Sign in"
    assert (tmp_path / "data" / "inspector.sqlite3").exists()


@pytest.mark.parametrize(
    ("saved", "button"), [(None, "登录"), ("en", "Sign in"), ("zh_CN", "登录")]
)
def test_run_speaks_the_language_saved_on_this_laptop(
    qapp: QApplication, tmp_path: Path, quit_on_last_window: None, saved: str | None,
    button: str,
) -> None:
    if saved is not None:
        LaptopSettings().language = saved
    shown: list[str] = []

    def cancel_sign_in() -> None:
        for dialog in qapp.topLevelWidgets():
            if isinstance(dialog, LoginDialog) and dialog.isVisible():
                shown.append(dialog.ui.signInButton.text())
                dialog.reject()

    QTimer.singleShot(0, cancel_sign_in)
    gui_app.run(tmp_path / "data")
    assert shown == [button]


def test_run_refuses_an_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        gui_app.run(tmp_path / "data", "klingon")


def test_the_first_window_imports_nothing_of_the_store() -> None:
    # SQLAlchemy, the models and Argon2 load on the worker that opens the store, behind the
    # sign-in dialog; importing them first would delay the first window (bench/startup.py).
    probe = (
        "import sys, inspector_app.gui.app, inspector_app.gui.signin.login_dialog\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in "
        "{'sqlalchemy', 'alembic', 'argon2'} or m.startswith('inspector_app.store')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_signing_in_loads_no_charts_wire_models_pdf_or_network() -> None:
    # What the main window and the store need at sign-in, and no more: the team's charts
    # (pyqtgraph, numpy: a third of a second) load when their tab is opened, the wire models
    # (pydantic) with the first sync or handover, PDFs and the network when used.
    probe = (
        "import sys, inspector_app.gui.worklist.main_window, inspector_app.store.facade\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in {'pyqtgraph', "
        "'numpy', 'pydantic', 'httpx', 'pyhanko', 'reportlab'} "
        "or m.startswith(('inspector_app.wire', 'inspector_app.gui.dashboard'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_store_failing_behind_the_dialog_closes_it_and_says_why(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    quit_on_last_window: None,
) -> None:
    release = threading.Event()
    typed: list[str] = []
    windows_at_message: list[list[str]] = []

    def failing_open(data_dir: Path) -> object:
        assert release.wait(10)
        raise MigrationError("revision 0007 failed")

    def type_then_fail() -> None:
        [dialog] = [w for w in qapp.topLevelWidgets()
                    if isinstance(w, LoginDialog) and w.isVisible()]
        qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
        typed.append(dialog.ui.usernameEdit.text())
        release.set()

    def record(parent: object, title: str, text: str, *args: object) -> object:
        windows_at_message.append([type(w).__name__ for w in qapp.topLevelWidgets()
                                   if w.isVisible()])
        typed.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(gui_app, "open_local_store", failing_open)
    monkeypatch.setattr(QMessageBox, "critical", record)
    QTimer.singleShot(0, type_then_fail)
    try:
        assert gui_app.run(tmp_path / "data", "en") == 1
    finally:
        release.set()

    assert typed[0] == "wang"  # typed while the store was still opening
    assert "The local database could not be upgraded" in typed[1]
    assert "revision 0007 failed" in typed[1]
    assert windows_at_message == [[]]  # the dialog was gone; only the message shows
    assert not [w for w in qapp.topLevelWidgets()
                if isinstance(w, LoginDialog | QMainWindow) and w.isVisible()]
