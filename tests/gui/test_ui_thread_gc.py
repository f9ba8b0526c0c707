"""Garbage is collected on the UI thread only (gui/ui_thread_gc.py)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from inspector_app.gui.ui_thread_gc import UiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_made_on_a_worker_are_collected_on_the_ui_thread(qtbot: QtBot) -> None:
    collector = UiThreadCollector(interval_ms=10)
    collected_on: list[str] = []

    def note(phase: str, _info: object) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()
        worker = threading.Thread(target=lambda: [Cycle() for _ in range(50_000)],
                                  name="worker")
        worker.start()
        worker.join()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # the worker filled generation 0
        qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0], timeout=5000)
        assert collected_on and set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
        collector.stop()
        collector.deleteLater()
