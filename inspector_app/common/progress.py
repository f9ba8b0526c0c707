"""How long work tells how far it got, and learns that it should stop.

A core function that takes a while (rendering a report, importing photos, a sync run) takes
one ``Progress`` and calls ``report(done, total, label)`` as it goes and ``check()`` (or reads
``cancelled``) between steps. Whoever started it decides what a report becomes: a progress bar
(``gui.jobs``), a line on the terminal (``printing_progress``), or nothing (``NO_PROGRESS``).
No Qt here: the same object serves the GUI, the CLI and tests (as napari's progress object and
Orange's TaskState do).

Thread-safety: ``report`` may be called from any thread and the listener sees the reports one at
a time, in the order they were made; ``cancel`` may be called from any thread (typically the
UI's) while the work runs on another.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = [
    "NO_PROGRESS",
    "Cancelled",
    "Progress",
    "Step",
    "counting_progress",
    "fraction_progress",
    "printing_progress",
]


class Cancelled(Exception):
    """The work stopped because it was asked to; what it had begun was undone or kept whole."""


@dataclass(frozen=True)
class Step:
    """One report: ``done`` of ``total`` (None while the amount is unknown).

    ``label`` says what is being done now, for a status line; ``detail`` carries what a
    particular screen shows beyond a bar (a sync's bytes of the file being sent), and is None
    for everything else.
    """

    done: int
    total: int | None
    label: str = ""
    detail: Any = None

    @property
    def fraction(self) -> float:
        """How far, from 0.0 to 1.0 (0.0 while the total is unknown)."""
        if not self.total:
            return 0.0
        return min(max(self.done / self.total, 0.0), 1.0)


Listener = Callable[[Step], None]


class Progress:
    """The progress and cancel flag of one piece of long work."""

    def __init__(
        self,
        listener: Listener | None = None,
        *,
        cancelled_when: Callable[[], bool] | None = None,
    ) -> None:
        """listener(step) follows each report, on the reporting thread; cancelled_when(), if
        given, is asked too whenever the work looks at ``cancelled``."""
        self._listener = listener
        self._cancelled_when = cancelled_when
        self._cancel = threading.Event()
        # Held while the listener runs, so two threads' reports reach it one after the other.
        self._lock = threading.Lock()
        self._last: Step | None = None

    def report(
        self, done: int, total: int | None = None, label: str = "", *, detail: Any = None
    ) -> None:
        """done of total steps finished (total None while unknown); label: what is going on."""
        step = Step(done, total, label, detail)
        with self._lock:
            self._last = step
            if self._listener is not None:
                self._listener(step)

    @property
    def last(self) -> Step | None:
        """The latest report, or None before the first."""
        return self._last

    def cancel(self) -> None:
        """Ask the work to stop at its next look at the flag."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel() was called (or cancelled_when() said so)."""
        if self._cancel.is_set():
            return True
        if self._cancelled_when is not None and self._cancelled_when():
            self._cancel.set()  # asked once true, it stays true
            return True
        return False

    def check(self) -> None:
        """Raise Cancelled if the work should stop."""
        if self.cancelled:
            raise Cancelled()


class _Silent(Progress):
    """Reports go nowhere and nothing can cancel: for callers that just wait (CLI, tests)."""

    def report(
        self, done: int, total: int | None = None, label: str = "", *, detail: Any = None
    ) -> None:
        pass

    def cancel(self) -> None:
        # Shared by every caller: cancelling it would stop unrelated work.
        raise TypeError("NO_PROGRESS cannot be cancelled; give the work a Progress() of its own")


NO_PROGRESS: Progress = _Silent()


def printing_progress(line: Callable[[Step], str], stream: TextIO | None = None) -> Progress:
    """A Progress that rewrites one terminal line (``\\r``) with line(step) on each report.

    The caller ends the line (print()) when the work is done.
    """

    def show(step: Step) -> None:
        print(f"\r{line(step)}", end="", file=stream or sys.stderr, flush=True)

    return Progress(show)


# -- the callback shapes core functions took before Progress, still accepted at their door --


def counting_progress(
    progress: Progress | Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None = None,
) -> Progress:
    """progress itself, or one made of a progress(done, total) and a cancelled() callback."""
    if isinstance(progress, Progress):
        return _also_cancelled_when(progress, cancelled)
    if progress is None and cancelled is None:
        return NO_PROGRESS
    report = progress
    return Progress(
        None if report is None else lambda step: report(step.done, step.total or 0),
        cancelled_when=cancelled,
    )


def fraction_progress(
    progress: Progress | Callable[[float], None] | None,
    cancelled: Callable[[], bool] | None = None,
) -> Progress:
    """progress itself, or one made of a progress(fraction) and a cancelled() callback."""
    if isinstance(progress, Progress):
        return _also_cancelled_when(progress, cancelled)
    if progress is None and cancelled is None:
        return NO_PROGRESS
    report = progress
    return Progress(
        None if report is None else lambda step: report(step.fraction),
        cancelled_when=cancelled,
    )


def _also_cancelled_when(progress: Progress, cancelled: Callable[[], bool] | None) -> Progress:
    if cancelled is not None:
        # Two cancel flags would leave it unclear which one the caller's Cancel button sets.
        raise TypeError("pass either a Progress or a cancelled() callback, not both")
    return progress
