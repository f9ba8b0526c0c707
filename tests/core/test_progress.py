"""The one Progress object long core work takes: reports in order, a cancel the work sees."""

from __future__ import annotations

import io
import threading
import time

import pytest

from inspector_app.common.progress import (
    NO_PROGRESS,
    Cancelled,
    Progress,
    Step,
    counting_progress,
    fraction_progress,
    printing_progress,
)


def copy_files(progress: Progress, names: list[str], kept: list[str]) -> int:
    """A core function as the app writes them: one step at a time, undone if cancelled."""
    progress.report(0, len(names))
    try:
        for done, name in enumerate(names, start=1):
            progress.check()
            kept.append(name)
            progress.report(done, len(names), name)
    except Cancelled:
        kept.clear()  # nothing half-done stays behind
        raise
    return len(kept)


def test_reports_arrive_in_order_with_their_labels() -> None:
    steps: list[Step] = []
    progress = Progress(steps.append)

    assert copy_files(progress, ["a.jpg", "b.jpg"], []) == 2

    assert steps == [Step(0, 2), Step(1, 2, "a.jpg"), Step(2, 2, "b.jpg")]
    assert progress.last == Step(2, 2, "b.jpg") and not progress.cancelled
    assert [s.fraction for s in steps] == [0.0, 0.5, 1.0]
    assert Step(3, None).fraction == 0.0  # unknown total: no share to show


def test_a_cancel_from_another_thread_stops_the_work_and_nothing_is_kept() -> None:
    third_reported, cancelled_here = threading.Event(), threading.Event()

    def listener(step: Step) -> None:
        if step.done == 3:  # the work waits here until the "UI" has pressed Cancel
            third_reported.set()
            assert cancelled_here.wait(10)

    progress = Progress(listener)
    kept: list[str] = []
    outcome: list[object] = []

    def worker() -> None:
        try:
            outcome.append(copy_files(progress, [f"{i}.jpg" for i in range(100)], kept))
        except Cancelled as exc:
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    assert third_reported.wait(10)
    progress.cancel()
    cancelled_here.set()
    thread.join(10)

    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert progress.cancelled and kept == []
    assert progress.last == Step(3, 100, "2.jpg")  # stopped at the next step, not later


def test_two_threads_reporting_reach_the_listener_one_at_a_time() -> None:
    inside = threading.Lock()
    overlaps: list[int] = []
    seen: list[int] = []

    def listener(step: Step) -> None:
        if not inside.acquire(blocking=False):
            overlaps.append(step.done)
            return
        try:
            time.sleep(0.0005)  # widen the window two unserialised calls would meet in
            seen.append(step.done)
        finally:
            inside.release()

    progress = Progress(listener)
    threads = [
        threading.Thread(target=lambda: [progress.report(i, 400) for i in range(200)]),
        threading.Thread(target=lambda: [progress.report(200 + i, 400) for i in range(200)]),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert overlaps == []
    assert len(seen) == 400
    # Each thread's own reports stay in the order it made them.
    assert [n for n in seen if n < 200] == list(range(200))
    assert [n for n in seen if n >= 200] == list(range(200, 400))


def test_cancelled_when_is_asked_and_stays_true() -> None:
    answers = iter([False, True, False])
    progress = Progress(cancelled_when=lambda: next(answers))
    assert not progress.cancelled
    assert progress.cancelled
    assert progress.cancelled  # once true, it is not asked again
    with pytest.raises(Cancelled):
        progress.check()


def test_no_progress_reports_nothing_and_cannot_be_cancelled() -> None:
    NO_PROGRESS.report(1, 2, "x")
    NO_PROGRESS.check()
    assert not NO_PROGRESS.cancelled and NO_PROGRESS.last is None
    with pytest.raises(TypeError):
        NO_PROGRESS.cancel()  # shared by all: a cancel would stop unrelated work
    assert not NO_PROGRESS.cancelled


def test_the_old_callback_shapes_still_drive_a_core_function() -> None:
    counted: list[tuple[int, int]] = []
    stop_after_two = counting_progress(lambda d, t: counted.append((d, t)),
                                       lambda: len(counted) > 2)
    with pytest.raises(Cancelled):
        copy_files(stop_after_two, ["a", "b", "c", "d"], [])
    assert counted == [(0, 4), (1, 4), (2, 4)]

    fractions: list[float] = []
    copy_files(fraction_progress(fractions.append), ["a", "b", "c", "d"], [])
    assert fractions == [0.0, 0.25, 0.5, 0.75, 1.0]

    own = Progress()
    assert counting_progress(own) is own and fraction_progress(own) is own
    assert counting_progress(None) is NO_PROGRESS
    with pytest.raises(TypeError):  # two cancel flags: which one would Cancel set?
        counting_progress(own, lambda: False)


def test_printing_progress_rewrites_one_terminal_line() -> None:
    out = io.StringIO()
    progress = printing_progress(lambda s: f"{s.done}/{s.total} {s.label}", out)
    progress.report(1, 2, "a.jpg")
    progress.report(2, 2, "b.jpg")
    assert out.getvalue() == "\r1/2 a.jpg\r2/2 b.jpg"
