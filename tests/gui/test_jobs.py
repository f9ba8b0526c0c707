"""The one background-job pattern: a core function with a Progress, a real progress dialog."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.common.progress import Cancelled, Progress
from inspector_app.gui import jobs
from inspector_app.gui.jobs import Job, run_job

WAIT_MS = 10_000


class Outcome:
    """What the job's callbacks received, and on which thread."""

    def __init__(self, qapp: QApplication) -> None:
        self.qapp = qapp
        self.calls: list[tuple[str, object]] = []
        self.on_ui_thread: list[bool] = []

    def _note(self, kind: str, value: object) -> None:
        self.on_ui_thread.append(QThread.currentThread() is self.qapp.thread())
        self.calls.append((kind, value))

    def callbacks(self) -> dict[str, object]:
        return {
            "on_done": lambda result: self._note("done", result),
            "on_error": lambda error: self._note("error", error),
            "on_cancelled": lambda: self._note("cancelled", None),
        }


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setWindowTitle("Visit")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def write_pages(folder: Path, count: int, progress: Progress, gate: threading.Event) -> list[Path]:
    """A core function: writes count files, one a step; a cancel removes what it wrote."""
    written: list[Path] = []
    progress.report(0, count, "starting")
    try:
        for n in range(1, count + 1):
            progress.check()
            path = folder / f"page-{n}.txt"
            path.write_text(str(n))
            written.append(path)
            progress.report(n, count, path.name)
            if n == 2:
                assert gate.wait(WAIT_MS / 1000)  # held here until the test lets it go on
    except Cancelled:
        for path in written:
            path.unlink()
        raise
    return written


def test_progress_shows_in_a_dialog_and_cancel_stops_the_work_keeping_nothing(
    qtbot: QtBot, qapp: QApplication, window: QWidget, tmp_path: Path
) -> None:
    gate = threading.Event()
    outcome = Outcome(qapp)
    job = run_job(lambda progress: write_pages(tmp_path, 50, progress, gate), window,
                  "Writing pages…", title="Pages", **outcome.callbacks())
    assert job.running
    dialog = job.dialog
    assert dialog is not None and not dialog.isVisible()  # not before the delay

    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.value() == 2, timeout=WAIT_MS)
    assert dialog.maximum() == 50
    assert dialog.labelText() == "Writing pages…\npage-2.txt"
    assert dialog.windowTitle() == "Pages"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert len(list(tmp_path.iterdir())) == 2

    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert job.progress.cancelled
    gate.set()
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS):
        pass

    assert outcome.calls == [("cancelled", None)]  # no result, no error
    assert outcome.on_ui_thread == [True]
    assert list(tmp_path.iterdir()) == []  # the core function undid its two pages
    assert job.progress.last is not None and job.progress.last.done == 2  # stopped at once
    assert not job.running and job.dialog is None


def test_the_result_arrives_on_the_ui_thread_and_work_ran_off_it(
    qtbot: QtBot, qapp: QApplication, window: QWidget, tmp_path: Path
) -> None:
    gate = threading.Event()
    gate.set()
    worked_on: list[threading.Thread] = []
    outcome = Outcome(qapp)

    def work(progress: Progress) -> list[Path]:
        worked_on.append(threading.current_thread())
        return write_pages(tmp_path, 3, progress, gate)

    job = Job(work, window, "Writing pages…", **outcome.callbacks())
    seen: list[int] = []
    job.progressed.connect(lambda step: seen.append(step.done))
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS):
        job.start()

    assert outcome.calls == [("done", [tmp_path / f"page-{n}.txt" for n in (1, 2, 3)])]
    assert outcome.on_ui_thread == [True]
    assert worked_on[0] is not threading.main_thread()
    assert seen == [0, 1, 2, 3]  # every report, in order, on the UI thread
    assert job.dialog is None


def test_the_error_callback_gets_the_exception(
    qtbot: QtBot, qapp: QApplication, window: QWidget
) -> None:
    problem = ValueError("the file is not a readable PDF")
    outcome = Outcome(qapp)

    def work(progress: Progress) -> None:
        progress.report(1, 3)
        raise problem

    job = Job(work, window, "Reading…", **outcome.callbacks())
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS):
        job.start()

    assert outcome.calls == [("error", problem)]
    assert outcome.calls[0][1] is problem and outcome.on_ui_thread == [True]
    assert job.dialog is None and not job.running


def test_a_result_after_the_cancel_is_discarded_when_it_is_worthless(
    qtbot: QtBot, qapp: QApplication, window: QWidget, tmp_path: Path
) -> None:
    # The work returns without looking at the flag again (as a renderer past its last check).
    started, go_on = threading.Event(), threading.Event()
    outcome = Outcome(qapp)
    discarded: list[object] = []

    def work(_progress: Progress) -> str:
        started.set()
        assert go_on.wait(WAIT_MS / 1000)
        return "draft.pdf"

    job = run_job(work, window, "Rendering…", discard=discarded.append, **outcome.callbacks())
    assert started.wait(WAIT_MS / 1000)
    job.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT_MS)

    assert discarded == ["draft.pdf"]
    assert outcome.calls == [("cancelled", None)]


def test_without_discard_a_partial_result_after_cancel_is_the_result(
    qtbot: QtBot, qapp: QApplication, window: QWidget
) -> None:
    outcome = Outcome(qapp)

    def work(progress: Progress) -> int:
        stored = 0
        for _ in range(1000):
            if progress.cancelled:
                break
            stored += 1
            progress.report(stored, 1000)
            threading.Event().wait(0.005)
        return stored  # what was stored before the Cancel stays, and is told

    job = run_job(work, window, "Adding photos…", **outcome.callbacks())
    qtbot.waitUntil(lambda: job.progress.last is not None, timeout=WAIT_MS)
    job.cancel()
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT_MS)

    [(kind, stored)] = outcome.calls
    assert kind == "done" and isinstance(stored, int) and 0 < stored < 1000


def test_work_that_cannot_stop_has_no_cancel_button(window: QWidget, qtbot: QtBot) -> None:
    release = threading.Event()
    job = run_job(lambda _progress: release.wait(WAIT_MS / 1000), window, "Signing…",
                  cancellable=False)
    try:
        assert job.dialog is not None and job.dialog.findChildren(QPushButton) == []
    finally:
        release.set()
        qtbot.waitUntil(lambda: not job.running, timeout=WAIT_MS)


def test_a_screen_with_its_own_bar_follows_the_steps_without_a_dialog(
    qtbot: QtBot, qapp: QApplication, window: QWidget
) -> None:
    outcome = Outcome(qapp)

    def work(progress: Progress) -> None:
        progress.report(0, None, "pull")  # how much is coming is not known yet
        while not progress.cancelled:
            threading.Event().wait(0.005)
        progress.check()

    job = Job(work, window, "", show_dialog=False, **outcome.callbacks())
    steps: list[tuple[int, int | None, str]] = []
    job.progressed.connect(lambda step: steps.append((step.done, step.total, step.label)))
    job.start()
    qtbot.waitUntil(lambda: bool(steps), timeout=WAIT_MS)
    assert job.dialog is None
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS):
        job.cancel()  # the screen's own Cancel button

    assert steps == [(0, None, "pull")]
    assert outcome.calls == [("cancelled", None)]


def test_one_delay_for_every_progress_dialog() -> None:
    # The modules that had their own copy of the delay now take the shared one.
    from inspector_app.gui.editor.photos import photo_import
    from inspector_app.gui.reports import printing

    assert jobs.PROGRESS_DELAY_MS == 400
    assert not hasattr(printing, "PROGRESS_DELAY_MS")
    assert not hasattr(photo_import, "PROGRESS_DELAY_MS")


class Reporter:
    """Work that reports as fast as it can until told the window is closed, and a while after."""

    def __init__(self) -> None:
        self.reported, self.closed, self.ended = (threading.Event() for _ in range(3))

    def __call__(self, progress: Progress) -> int:
        reports = 0
        while not self.closed.is_set() or reports < 2_000:
            progress.report(reports, None, "busy")
            reports += 1
            if reports == 1_000:
                self.reported.set()
        self.ended.set()
        return reports


def test_closing_the_window_while_the_work_reports_harms_neither(qtbot: QtBot) -> None:
    """The window that started a job is deleted while the worker reports progress as fast as
    it can. The worker must neither crash the process (it used to emit a signal of the
    deleted job: a segmentation fault now and then) nor stop; nobody is called back."""
    outcome = Outcome(QApplication.instance())  # type: ignore[arg-type]
    for _ in range(5):
        work = Reporter()
        window = QWidget()
        window.show()
        Job(work, window, "busy", show_dialog=False, **outcome.callbacks()).start()  # type: ignore[arg-type]
        assert work.reported.wait(WAIT_MS / 1000)
        window.deleteLater()  # the officer closes it; Qt deletes it and the job on this thread
        qtbot.waitUntil(partial(gone, window), timeout=WAIT_MS)
        work.closed.set()
        assert work.ended.wait(WAIT_MS / 1000)
        qtbot.wait(50)  # what the worker posted arrives for a job that no longer exists

    assert outcome.calls == []


def gone(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget)
