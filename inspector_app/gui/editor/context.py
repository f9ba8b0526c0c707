"""What every page of the visit editor shares: the store, the officer, the visit, and the two
ways to reach the database without blocking the UI thread.

Reads go to the global pool (they may overtake each other; the pages drop stale answers).
Edits go to a private one-thread pool, so they are stored in exactly the order the officer
made them — an answer changed twice quickly can never end with the older value — and each
is in the database well within a second of the keystroke that made it. Every store edit
returns what it changed (store Changes); `changed` carries that to every page, and each page
refreshes only when a field it shows is named there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QUndoStack

from inspector_app.gui import i18n
from inspector_app.gui.editor.item_comments import ItemComments
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import Changes, LocalStore, UserRow, changes_of

log = logging.getLogger(__name__)


class VisitContext(QObject):
    """The visit being edited and the shared means to read, save and undo."""

    changed = Signal(object)  # the Changes an edit made, once they are in the database
    # A message for the officer, in the GUI's language; the edit was not stored.
    save_failed = Signal(str)

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        visit_id: str,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.visit_id = visit_id
        self.today = today
        self.reads = TaskRunner(self)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)  # one writer: edits land in the order made
        self.writes = TaskRunner(self, pool=self._write_pool)
        self.undo_stack = QUndoStack(self)
        # The supervisor's comments on single items: read (the officer) or written (reviewing).
        self.item_comments = ItemComments(self, self)
        self.item_comments.reload()

    @property
    def pending_saves(self) -> int:
        """Edits queued or being written; 0 means everything on screen is stored."""
        return self.writes.pending

    def save(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        what: str = "",
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue a store call on the writer; announce the outcome on the UI thread.

        call returns what the edit changed: a Changes, or a value carrying it (an edited
        photo's row, a created record, an import's result). on_done gets that result, then
        `changed` its Changes. what names the edit in the log should it fail.
        """

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            changes: Changes = changes_of(result)
            emit(self.changed, changes)

        def failed(error: Exception) -> None:
            if not isinstance(error, ValueError):  # a refusal is expected; anything else is a bug
                log.error("saving %s failed", what, exc_info=error)
            if on_error is not None:
                on_error(error)
            emit(self.save_failed, i18n.error_text(error))

        self.writes.submit(call, done, failed)

    def wait_for_saves(self, timeout_ms: int = 5000) -> bool:
        """Block until queued edits are written (closing the editor, tests); True if done."""
        return self._write_pool.waitForDone(timeout_ms)
