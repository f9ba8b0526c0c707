"""Background calls report back on the UI thread, with results or with the exception."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.gui.workers import TaskRunner


def test_result_arrives_on_the_ui_thread(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    worked_on: list[threading.Thread] = []
    delivered: list[tuple[object, bool]] = []

    def work() -> int:
        worked_on.append(threading.current_thread())
        return 42

    runner.submit(
        work,
        lambda result: delivered.append((result, QThread.currentThread() is qapp.thread())),
        lambda error: delivered.append((error, False)),
    )
    assert runner.pending == 1
    qtbot.waitUntil(lambda: bool(delivered))

    assert delivered == [(42, True)]
    assert worked_on[0] is not threading.main_thread()
    assert runner.pending == 0


def test_exception_goes_to_on_failure(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[Exception] = []

    def work() -> None:
        raise LookupError("no such borrower")

    runner.submit(work, lambda result: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], LookupError)
    assert str(failures[0]) == "no such borrower"
