"""Python's garbage collection only on the UI thread.

The collector runs on whichever thread happens to allocate when a generation fills up, often
a worker (a sync, a report, a query). Collecting a cycle that holds a Qt object Python owns
then deletes that object on the worker, while the UI thread may be using it: the suite saw a
segmentation fault now and then with a sync running (the UI thread crashed handing the
worker's outcome over). So the automatic collector is switched off and the same three
generations are collected here, by a timer on the UI thread, whenever they have filled up as
they would have triggered it. (pyqtgraph's GarbageCollector does the same; importing
pyqtgraph for it would add numpy to the start-up.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 200  # gen-0 collections are cheap; a fifth of a second keeps memory close


class UiThreadCollector(QObject):
    """From its making (on the UI thread) until stop(): gc off, collections on its timer."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def stop(self) -> None:
        """Give collection back to Python (as it was before this collector)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> None:
        """Collect each generation whose count passed its threshold, as gc itself would."""
        young, middle, old = gc.get_count()
        if young > self._threshold[0]:
            gc.collect(0)
            if middle > self._threshold[1]:
                gc.collect(1)
                if old > self._threshold[2]:
                    gc.collect(2)

