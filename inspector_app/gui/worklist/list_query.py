"""The work list's query: what the officer typed and chose, asked off the UI thread, one
question at a time, the newest winning, a page at a time.

Typing used to wait 150 ms after each keystroke and then start a query whatever was running,
so on two cores stale queries competed with the one that mattered (bench/search_typing.py).
Now a keystroke asks almost at once; while a query runs, newer typing only marks it stale,
and its answer is dropped for one query of the newest text.

An answer is one page (PAGE_ROWS, the most urgent first): a screen shows about 25 rows, and a
supervisor's list of 1,000 cost each keystroke three times a page's query and fill. The next
page is asked for when the list is scrolled to its end, and the number of matches is counted
after the page is shown, so neither delays the rows the officer waits for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QTimer

from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import DueRow, LocalStore, WorkFilter

# Only long enough to gather what arrives at once (a paste, an input method's burst).
SEARCH_DELAY_MS = 30
# Rows per answer: a few screens' worth.
PAGE_ROWS = 200

Answer = Callable[[WorkFilter, list[DueRow], bool], None]  # the question, its rows, more?
MoreRows = Callable[[list[DueRow], bool], None]  # the next page's rows, more after them?
Counted = Callable[[int], None]  # how many borrowers the list holds in all


@dataclass(frozen=True)
class _Shown:
    """The question whose answer the list shows: the next pages and the count are of it."""

    where: WorkFilter
    officer_id: str | None
    today: date
    generation: int


class WorkListQuery(QObject):
    """Asks store.work_list for question() and hands the rows to answer on the UI thread;
    failures go to failed. soon() is for typing, now() for a filter clicked, more() for the
    page after the rows shown; counted gets the number of matches once known."""

    def __init__(
        self,
        store: LocalStore,
        officer_id: str | None,
        today: Callable[[], date],
        question: Callable[[], WorkFilter],
        answer: Answer,
        failed: Callable[[Exception], None],
        parent: QObject | None = None,
        *,
        more_rows: MoreRows | None = None,
        counted: Counted | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._officer_id = officer_id
        self._today = today
        self._question = question
        self._answer = answer
        self._failed = failed
        self._more_rows = more_rows
        self._counted = counted
        self._runner = TaskRunner(self)
        # Next pages and counts: apart, so they never hold up or mark stale a new question.
        self._extras = TaskRunner(self)
        self._stale = False  # asked again while a query ran: its answer is for older typing
        self._generation = 0  # one more per question asked; older pages and counts are dropped
        self._shown: _Shown | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.now)

    @property
    def page_rows(self) -> int:
        """The most rows one answer holds."""
        return PAGE_ROWS

    @property
    def busy(self) -> bool:
        """True while a query runs or typing waits for its pause."""
        return self._runner.pending > 0 or self.timer.isActive()

    def soon(self) -> None:
        """After the short pause that gathers a burst of input."""
        self.timer.start()

    def now(self) -> None:
        self.timer.stop()
        self._generation += 1
        if self._runner.pending:
            self._stale = True
            return
        shown = _Shown(self._question(), self._officer_id, self._today(), self._generation)
        store, rows = self._store, PAGE_ROWS
        self._runner.submit(
            lambda: store.work_list(shown.where, officer_id=shown.officer_id, limit=rows,
                                    today=shown.today),
            lambda found: self._arrived(shown, found),
            self._went_wrong,
        )

    def more(self, offset: int) -> None:
        """The page after the first offset rows of the answer shown, to more_rows."""
        shown = self._shown
        if shown is None or self._more_rows is None:
            return
        store, rows = self._store, PAGE_ROWS
        self._extras.submit(
            lambda: store.work_list(shown.where, officer_id=shown.officer_id, limit=rows,
                                    offset=offset, today=shown.today),
            lambda found: self._more_arrived(shown, found),
            self._extra_failed,
        )

    def _arrived(self, shown: _Shown, rows: list[DueRow]) -> None:
        if self._ask_again():
            return
        self._shown = shown
        complete = len(rows) < PAGE_ROWS
        self._answer(shown.where, rows, not complete)
        if self._counted is None:
            return
        if complete:
            self._counted(len(rows))
            return
        store = self._store
        self._extras.submit(
            lambda: store.work_list_count(shown.where, officer_id=shown.officer_id,
                                          today=shown.today),
            lambda total: self._count_arrived(shown, total),
            self._extra_failed,
        )

    def _more_arrived(self, shown: _Shown, rows: list[DueRow]) -> None:
        if shown.generation == self._generation and self._more_rows is not None:
            self._more_rows(rows, len(rows) == PAGE_ROWS)

    def _count_arrived(self, shown: _Shown, total: int) -> None:
        if shown.generation == self._generation and self._counted is not None:
            self._counted(total)

    def _extra_failed(self, error: Exception) -> None:
        # A failed next page or count goes where a failed list goes: the status line says so.
        self._failed(error)

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
