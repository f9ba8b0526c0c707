"""Long work from the GUI, one way: off the UI thread, with a progress dialog and Cancel.

A job runs a Qt-free core function ``work(progress)`` that takes a ``common.progress.Progress``
(see there). The GUI side is here, once: the work runs on a thread pool (or on the queue the
caller names, e.g. a visit's one writer), a QProgressDialog appears if it lasts longer than
PROGRESS_DELAY_MS, each ``progress.report`` moves its bar, its Cancel button cancels the
Progress, and exactly one of on_done(result), on_error(exception) or on_cancelled() follows on
the UI thread. The worker never touches a widget: its reports cross to the UI thread as a
queued signal. (Anki's CollectionOp/QueryOp, Orange's TaskState, napari's progress object.)

What "cancelled" means is the core function's to say: raising ``Cancelled`` (after undoing
what it began) ends in on_cancelled; returning a result ends in on_done, even after a Cancel,
because a partial result may be worth keeping (photos imported before the Cancel stay). A
caller whose result is worthless once cancelled passes ``discard``: a result that arrives
after the Cancel is handed to it instead, and on_cancelled follows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from inspector_app.common.progress import Cancelled, Progress, Step
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.ui_thread import if_alive, post
from inspector_app.gui.workers import TaskRunner

log = logging.getLogger(__name__)

# A progress dialog for work shorter than this would only flash.
PROGRESS_DELAY_MS = 400

Work = Callable[[Progress], Any]
# How a job's call is queued: submit(call, on_success, on_failure), the callbacks arriving on
# the UI thread (TaskRunner.submit, VisitContext.save).
Submit = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], Any]

# Jobs started without a parent window are held here until they finish, so Python does not
# collect them (and their callbacks) while a worker is still busy for them.
_UNPARENTED: set[Job] = set()


class Job(QObject):
    """One run of work(progress) in the background, shown by a progress dialog."""

    progressed = Signal(object)  # each Step, on the UI thread, before the dialog shows it
    finished = Signal()  # after on_done, on_error or on_cancelled has run

    def __init__(
        self,
        work: Work,
        parent: QWidget | None,
        label: str,
        *,
        title: str = "",
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        discard: Callable[[Any], None] | None = None,
        cancellable: bool = True,
        describe: Callable[[Step], str] | None = None,
        submit: Submit | None = None,
        show_dialog: bool = True,
    ) -> None:
        """label: what the dialog says while the work runs; describe(step), if given, says
        it anew for each report (by default a step's own label goes on a second line).
        show_dialog=False: a screen with its own bar and Cancel button (the sync dialog)
        follows ``progressed`` and calls cancel() itself."""
        super().__init__(parent)
        self.progress = Progress(self._forward)
        self.dialog: QProgressDialog | None = None
        self.label = label
        self.title = title
        self._work = work
        self._parent = parent
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self._discard = discard
        self._cancellable = cancellable
        self._describe = describe
        self._show_dialog = show_dialog
        self._submit = submit or TaskRunner(self).submit
        self._running = False

    @property
    def running(self) -> bool:
        """Started and not yet finished."""
        return self._running

    def start(self) -> Job:
        """Queue the work and arm the progress dialog; returns self."""
        self._running = True
        self.dialog = self._open_dialog() if self._show_dialog else None
        if self.parent() is None:
            _UNPARENTED.add(self)
        work, progress = self._work, self.progress
        self._submit(lambda: work(progress), self._succeeded, self._failed)
        return self

    def cancel(self) -> None:
        """Ask the work to stop; its outcome still arrives through the callbacks."""
        self.progress.cancel()
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.setLabelText(QCoreApplication.translate("Jobs", "Cancelling…"))

    # -- progress ---------------------------------------------------------------------------

    def _forward(self, step: Step) -> None:
        # Worker thread: only a post to the UI thread. If the window that started the job
        # was closed meanwhile, the work goes on and nobody is shown its progress.
        post(if_alive(self, lambda: self._show(step)))

    def _show(self, step: Step) -> None:
        emit(self.progressed, step)
        dialog = self.dialog
        # After a Cancel the dialog is hidden; moving its bar would bring it back.
        if dialog is None or self.progress.cancelled:
            return
        dialog.setLabelText(self._text(step))
        if step.total is None:
            dialog.setRange(0, 0)  # a busy bar: how much is coming is not known
        else:
            dialog.setRange(0, max(step.total, 1))
        # Last: a window-modal progress dialog processes events in setValue, which may deliver
        # the end of the job and close this very dialog.
        dialog.setValue(min(step.done, dialog.maximum()) if step.total is not None else 0)

    def _text(self, step: Step) -> str:
        if self._describe is not None:
            return self._describe(step)
        return f"{self.label}\n{step.label}" if step.label else self.label

    def _open_dialog(self) -> QProgressDialog:
        cancel = QCoreApplication.translate("Jobs", "Cancel")
        dialog = QProgressDialog(self.label, cancel, 0, 0, self._parent)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)  # closed when the worker has really finished
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the clock: the dialog shows once the delay has passed
        return dialog

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            # Closing a QProgressDialog emits canceled; that is not the user cancelling.
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    # -- the outcome, on the UI thread ------------------------------------------------------

    def _succeeded(self, result: Any) -> None:
        if self._discard is not None and self.progress.cancelled:
            # Finished after the user's Cancel, before it was looked at: not wanted.
            self._end(lambda: (self._discard(result), self._call_cancelled()))
        else:
            self._end(lambda: self._on_done(result) if self._on_done else None)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            self._end(self._call_cancelled)
        elif self._on_error is not None:
            self._end(lambda: self._on_error(error))
        else:
            log.error("%s failed", self.label, exc_info=error)
            self._end(lambda: None)

    def _call_cancelled(self) -> None:
        if self._on_cancelled is not None:
            self._on_cancelled()

    def _end(self, callback: Callable[[], object]) -> None:
        self._running = False
        self._close_dialog()
        try:
            callback()
        finally:
            _UNPARENTED.discard(self)
            emit(self.finished)


def run_job(work: Work, parent: QWidget | None, label: str, **options: Any) -> Job:
    """Start work(progress) in the background with a progress dialog; see Job for options."""
    return Job(work, parent, label, **options).start()
