"""How a worker thread hands something to the UI thread without touching a QObject that may die.

A worker used to emit a signal of the very object that wanted the answer (a Job, a
TaskRunner). That object belongs to a window; when the window closes, Qt deletes it on the UI
thread, and a worker emitting at that moment reads freed memory: PySide6 only checks that the
object is alive before the call, not during it, so the test suite saw a segmentation fault
now and then (a sync dialog closed while the sync was reporting progress).

Here the worker emits only on the mailbox, one QObject that lives as long as the process.
What it posts is a plain callable, run on the UI thread, where the receiver is alive or not
and cannot change state meanwhile (Qt deletes widgets on that thread): ``if_alive`` checks.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from inspector_app.gui.qt_compat import emit


class _Mailbox(QObject):
    posted = Signal(object)  # a callable; emitted on any thread, run on the UI thread

    def __init__(self) -> None:
        super().__init__()  # no parent: nothing deletes it before the process ends
        self.posted.connect(self._run)

    @Slot(object)
    def _run(self, call: Callable[[], Any]) -> None:
        call()


_LOCK = threading.Lock()
_MAILBOX: _Mailbox | None = None


def _mailbox() -> _Mailbox:
    global _MAILBOX
    with _LOCK:
        if _MAILBOX is None:
            mailbox = _Mailbox()
            app = QCoreApplication.instance()
            # Made on a worker (the first post may come from one): its slot must run on the
            # UI thread, so it moves there; only the thread it lives on may move it.
            if app is not None and mailbox.thread() is not app.thread():
                mailbox.moveToThread(app.thread())
            _MAILBOX = mailbox
        return _MAILBOX


def post(call: Callable[[], Any]) -> None:
    """Run call() on the UI thread: soon, from a worker; at once, on the UI thread itself."""
    # RuntimeError: the interpreter is shutting down and has dropped the mailbox; a worker
    # still finishing then has nobody to tell.
    with contextlib.suppress(RuntimeError):
        emit(_mailbox().posted, call)


def if_alive(receiver: QObject, call: Callable[[], Any]) -> Callable[[], None]:
    """call, to be run only if receiver's Qt object still exists when the time comes."""

    def run() -> None:
        if shiboken6.isValid(receiver):
            call()

    return run


# Made now, on the thread importing the GUI (the UI thread), so the first post need not.
_mailbox()
