"""Run plain core calls off the UI thread and get their outcome back on it.

The UI thread never waits on the disk (a login check, a due-list query): the call runs on a
QThreadPool and its result or exception is delivered to callbacks on the UI thread, where it
is safe to touch widgets. Workers never touch a widget.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from inspector_app.gui.ui_thread import if_alive, post

OnSuccess = Callable[[Any], None]
OnFailure = Callable[[Exception], None]


class TaskRunner(QObject):
    """Submits callables to a thread pool; calls back on the UI thread."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._tickets = itertools.count(1)
        self._callbacks: dict[int, tuple[OnSuccess, OnFailure]] = {}

    @property
    def pending(self) -> int:
        """How many submitted calls have not yet been delivered."""
        return len(self._callbacks)

    def submit(self, call: Callable[[], Any], on_success: OnSuccess, on_failure: OnFailure) -> int:
        """Run call() on the pool; on_success(result) or on_failure(exc) follows on this thread."""
        ticket = next(self._tickets)
        self._callbacks[ticket] = (on_success, on_failure)
        self._pool.start(lambda: self._work(ticket, call))
        return ticket

    def _work(self, ticket: int, call: Callable[[], Any]) -> None:
        # Worker thread.
        try:
            result, error = call(), None
        except Exception as exc:  # handed to on_failure, which decides what the user sees
            result, error = None, exc
        # Through the mailbox, not a signal of this runner: the window that asked may be
        # closed (and this runner deleted) meanwhile; then nobody wants the answer.
        post(if_alive(self, lambda: self._deliver(ticket, result, error)))

    def _deliver(self, ticket: int, result: Any, error: Exception | None) -> None:
        on_success, on_failure = self._callbacks.pop(ticket)
        if error is None:
            on_success(result)
        else:
            on_failure(error)
