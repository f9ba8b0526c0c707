"""The work list's query: what the officer typed and chose, asked off the UI thread, one
question at a time, the newest winning.

Typing used to wait 150 ms after each keystroke and then start a query whatever was running,
so on two cores stale queries competed with the one that mattered (bench/search_typing.py).
Now a keystroke asks almost at once; while a query runs, newer typing only marks it stale,
and its answer is dropped for one query of the newest text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer

from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import DueRow, LocalStore, WorkFilter

# Only long enough to gather what arrives at once (a paste, an input method's burst).
SEARCH_DELAY_MS = 30
# The list shows at most this many borrowers, the most urgent first: a supervisor's 20,000
# took a quarter of a second per keystroke to fetch and show, and nobody scrolls that far;
# typing narrows the list instead (bench/search_typing.py).
LIST_LIMIT = 1000

Answer = Callable[[WorkFilter, list[DueRow]], None]


class WorkListQuery(QObject):
    """Asks store.work_list for question() and hands the rows to answer on the UI thread;
    failures go to failed. soon() is for typing, now() for a filter clicked."""

    def __init__(
        self,
        store: LocalStore,
        officer_id: str | None,
        today: Callable[[], date],
        question: Callable[[], WorkFilter],
        answer: Answer,
        failed: Callable[[Exception], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._officer_id = officer_id
        self._today = today
        self._question = question
        self._answer = answer
        self._failed = failed
        self._runner = TaskRunner(self)
        self._stale = False  # asked again while a query ran: its answer is for older typing
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.now)

    @property
    def limit(self) -> int:
        """The most rows one answer holds."""
        return LIST_LIMIT

    @property
    def busy(self) -> bool:
        """True while a query runs or typing waits for its pause."""
        return self._runner.pending > 0 or self.timer.isActive()

    def soon(self) -> None:
        """After the short pause that gathers a burst of input."""
        self.timer.start()

    def now(self) -> None:
        self.timer.stop()
        if self._runner.pending:
            self._stale = True
            return
        where, officer, today = self._question(), self._officer_id, self._today()
        self._runner.submit(
            lambda: self._store.work_list(where, officer_id=officer, limit=LIST_LIMIT,
                                          today=today),
            lambda rows: self._arrived(where, rows),
            self._went_wrong,
        )

    def _arrived(self, where: WorkFilter, rows: list[DueRow]) -> None:
        if self._ask_again():
            return
        self._answer(where, rows)

    def _went_wrong(self, error: Exception) -> None:
        if self._ask_again():
            return
        self._failed(error)

    def _ask_again(self) -> bool:
        """If typing went on meanwhile: the newest question now, and True."""
        if not self._stale:
            return False
        self._stale = False
        self.now()
        return True
