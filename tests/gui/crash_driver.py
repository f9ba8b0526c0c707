"""Types a visit into the real editor, then idles until it is killed (test_crash_resume).

    python tests/gui/crash_driver.py DATA_DIR USERNAME PASSWORD VISIT_ID

Opens the visit editor as the app does, answers items of the "ability" and "guarantee"
sections with the keyboard (QTest key clicks, Chinese through an input-method commit), prints
EDITED once everything is on screen, and keeps the event loop running: the test kills it with
SIGKILL a second later, without any chance to flush or close.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.gui import i18n
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.window import VisitEditor, open_visit_editor
from inspector_app.store.local import LocalStore

# What the driver types, and what the test expects to find stored after the kill.
EXPECTED_VALUES = {"R-ABL-08": "yes", "R-ABL-10": "no", "R-ABL-06": "2500000",
                   "R-GUA-01": "yes", "R-GUA-02": "na"}
EXPECTED_NOTES = {"R-ABL-10": "水泵损坏 pump broken", "R-GUA-06": "last words"}
EXPECTED_PAGE = "section:guarantee"


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("driver: timed out")
        QTest.qWait(10)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None:
        raise RuntimeError("driver: nothing has the keyboard focus")
    return widget


def type_text(text: str) -> None:
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(focused(), ch)
        else:
            commit = QInputMethodEvent()
            commit.setCommitString(ch)
            QApplication.sendEvent(focused(), commit)


def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), k, modifier)


def section(editor: VisitEditor) -> ChecklistPage:
    page = editor.current_page()
    assert isinstance(page, ChecklistPage)
    wait_for(lambda: page.ready)
    return page


def drive(editor: VisitEditor) -> None:
    wait_for(lambda: editor.loaded)
    editor.activateWindow()
    wait_for(lambda: QApplication.activeWindow() is editor)
    rows = section(editor).rows

    rows["R-ABL-08"].focus_answer()
    key(Qt.Key.Key_Y)
    rows["R-ABL-10"].focus_answer()
    key(Qt.Key.Key_N)  # abnormal: the note field takes the keyboard
    type_text(EXPECTED_NOTES["R-ABL-10"])
    rows["R-ABL-06"].focus_answer()
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("250万")  # Alt+Down next leaves the field, which hands it over at once

    key(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next page: the guarantee section
    rows = section(editor).rows
    key(Qt.Key.Key_Y)  # the first question has the keyboard after Alt+Down
    key(Qt.Key.Key_A)
    rows["R-GUA-06"].focus_note()
    type_text(EXPECTED_NOTES["R-GUA-06"])  # still inside its typing pause when EDITED prints
    print("EDITED", flush=True)


def main(data_dir: str, username: str, password: str, visit_id: str) -> int:
    app = QApplication(sys.argv[:1])
    i18n.install("zh_CN", app)
    store = LocalStore.open(Path(data_dir))
    user = store.authenticate(username, password)
    editor = open_visit_editor(store, user, visit_id, page="section:ability")
    QTimer.singleShot(0, lambda: drive_or_quit(app, editor))
    return app.exec()  # until killed


def drive_or_quit(app: QApplication, editor: VisitEditor) -> None:
    try:
        drive(editor)
    except Exception:  # the test reads stderr; a driver that cannot type must not hang it
        traceback.print_exc()
        app.exit(1)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
