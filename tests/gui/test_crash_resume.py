"""Kill the app in the middle of a visit; the restart finds every answer and the same page.

The visit is typed into the real editor in another process (crash_driver.py) on a demo
database, which is then killed with SIGKILL one second after the last keystroke — no close,
no flush, no atexit. This process then opens the same data folder, signs in as the officer
and must be taken back to the visit and page, with every answer and note on screen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from crash_driver import EXPECTED_NOTES, EXPECTED_PAGE, EXPECTED_VALUES
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.gui.app import Launcher
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Visit

DRIVER = Path(__file__).with_name("crash_driver.py")
DEMO_PASSWORD = "demo1234"
# Everything on screen a second before a kill must be stored (the promise).
PROMISE_SECONDS = 1.0
DRIVER_TIMEOUT_S = 120


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    subprocess.run(
        [sys.executable, "-c", "import sys; from inspector_app.cli import main; sys.exit(main())",
         "demo", "--data-dir", str(folder)],
        check=True, capture_output=True,
    )
    return folder


def draft_routine_visit(data: Path) -> tuple[str, str]:
    """(visit id, officer's username) of a routine draft in the demo portfolio."""
    store = LocalStore.open(data)
    try:
        with store.read() as s:
            visit = s.scalars(
                select(Visit).where(Visit.status == VisitStatus.DRAFT,
                                    Visit.kind == VisitKind.ROUTINE)
            ).first()
            assert visit is not None, "the demo has no routine draft"
            return visit.id, visit.officer.username
    finally:
        store.close()


@pytest.fixture
def reopened(demo: Path) -> Iterator[LocalStore]:
    yield (store := LocalStore.open(demo))
    assert QThreadPool.globalInstance().waitForDone(10_000)
    store.close()


def test_killed_mid_visit_restart_finds_every_answer_and_the_page(
    qtbot: QtBot, demo: Path, reopened: LocalStore
) -> None:
    visit_id, username = draft_routine_visit(demo)
    before = reopened.answers_of(visit_id)
    assert all(before.get(code) is None or before[code].value is None
               for code in ("R-ABL-08", "R-ABL-10", "R-GUA-01", "R-GUA-02"))

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    driver = subprocess.Popen(
        [sys.executable, str(DRIVER), str(demo), username, DEMO_PASSWORD, visit_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=DRIVER.parent,
    )
    watchdog = threading.Timer(DRIVER_TIMEOUT_S, driver.kill)  # a hung driver fails, not hangs
    watchdog.start()
    try:
        line = driver.stdout.readline()  # the driver exits (empty line) if it cannot type
        assert line.strip() == "EDITED", driver.stderr.read() if driver.poll() else line
        time.sleep(PROMISE_SECONDS)
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        watchdog.cancel()
    assert driver.returncode == -signal.SIGKILL

    # Every answer and note is in the database.
    answers = reopened.answers_of(visit_id)
    values = {code: answers[code].value for code in EXPECTED_VALUES}
    assert values == {**EXPECTED_VALUES, "R-ABL-06": Decimal(EXPECTED_VALUES["R-ABL-06"])}
    assert {code: answers[code].note for code in EXPECTED_NOTES} == EXPECTED_NOTES
    assert reopened.last_place(
        reopened.authenticate(username, DEMO_PASSWORD).id
    ) == (visit_id, EXPECTED_PAGE)

    # The restarted app signs in and comes back to the same visit and page.
    launcher = Launcher(reopened, LaptopSettings())
    launcher.start()
    try:
        dialog = launcher.login_dialog
        qtbot.keyClicks(dialog.ui.usernameEdit, username)
        qtbot.keyClicks(dialog.ui.passwordEdit, DEMO_PASSWORD)
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: launcher.visit_editor is not None and launcher.visit_editor.loaded,
            timeout=10_000,
        )
        editor = launcher.visit_editor
        assert editor.ctx.visit_id == visit_id
        page = editor.current_page()
        assert isinstance(page, ChecklistPage) and page.page_key() == EXPECTED_PAGE
        qtbot.waitUntil(lambda: page.ready)
        assert page.rows["R-GUA-01"].input.buttons["yes"].isChecked()
        assert page.rows["R-GUA-02"].input.buttons["na"].isChecked()
        assert page.rows["R-GUA-06"].note_edit.toPlainText() == "last words"
        ability = editor.page("section:ability")
        assert isinstance(ability, ChecklistPage)
        qtbot.waitUntil(lambda: ability.ready)
        assert ability.rows["R-ABL-10"].note_edit.toPlainText() == "水泵损坏 pump broken"
        assert Decimal(ability.rows["R-ABL-06"].input.edit.text()) == Decimal(2_500_000)
    finally:
        for window in (launcher.visit_editor, launcher.main_window, launcher.login_dialog):
            if window is not None:
                window.close()
