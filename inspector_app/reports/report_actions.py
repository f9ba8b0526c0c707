"""What a borrower's visits window (and the ``report`` command) does with a report, without Qt:
render a draft for a preview or a print, sign, countersign, find the file kept for a visit,
and write a visit's report where asked: the signed file itself for a signed visit.

Each runs as a background job of the window (gui/reports/visits_window.py, through gui/jobs.py)
and returns plain values; the long ones take a common.progress.Progress.
The report and signing modules load pyHanko and reportlab, which take about a second, so they
are imported when first used rather than when the main window starts.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.common.files import atomic_write
from inspector_app.common.progress import NO_PROGRESS, Progress
from inspector_app.common.text import Text, UserError
from inspector_app.store.review_rows import Approval
from inspector_app.store.rows import Actor, ReportRow

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

PREVIEWS_DIR = "previews"  # drafts rendered for a preview or a print, under the data dir
# A rendered draft is removed once its preview or print is done; one left behind by a crash
# is removed when a visits window next opens, once it is this old.
STALE_PREVIEW_SECONDS = 24 * 3600


def render_draft(
    store: LocalStore,
    visit_id: str,
    lang: str,
    progress: Progress = NO_PROGRESS,
) -> Path:
    """Render the visit's report to a new file under the data dir's previews/; its path.

    Raises ReportCancelled (and leaves no file) once progress is cancelled.
    """
    from inspector_app.reports.data import load_report_data
    from inspector_app.reports.pdf import PROGRESS_STEPS, render_report

    def report(fraction: float) -> None:
        progress.report(round(fraction * PROGRESS_STEPS), PROGRESS_STEPS)

    def cancelled() -> bool:
        return progress.cancelled

    data = load_report_data(store, visit_id, lang)
    # Under the data directory, not the system temp folder: the report is confidential and
    # should be as well protected as the database it comes from.
    folder = previews_dir(store.data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="report-", suffix=".pdf")
    os.close(fd)
    path = Path(name)
    try:
        # As a fraction and a cancelled() callback, render_report's older door: a test stands
        # in for the renderer with a function taking exactly those two.
        render_report(data, store.photos, path, progress=report, cancelled=cancelled)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def previews_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PREVIEWS_DIR


def remove_stale_previews(data_dir: Path, now: float | None = None) -> None:
    """Remove rendered drafts a crash left behind (older than STALE_PREVIEW_SECONDS)."""
    cutoff = (now or time.time()) - STALE_PREVIEW_SECONDS
    folder = previews_dir(data_dir)
    if not folder.is_dir():
        return
    for path in folder.glob("report-*.pdf"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def sign_report(
    store: LocalStore, visit_id: str, officer: Actor, p12: Path, password: str, lang: str,
    png: bytes, progress: Progress = NO_PROGRESS,
) -> ReportRow:
    """The officer signs the completed visit's report (reports/files.py's sign_visit); signing
    is not cancelled half-way, so progress is only reported to."""
    from inspector_app.reports import files as report_files
    from inspector_app.store.visit_history import report_row

    return report_row(report_files.sign_visit(
        store, visit_id, officer, p12, password, lang=lang, handwritten_png=png,
        progress=progress,
    ))


def countersign_report(
    store: LocalStore, visit_id: str, supervisor: Actor, p12: Path, password: str, *,
    approval: Approval | None = None, handwritten_png: bytes | None = None,
    signed_at: datetime | None = None,
) -> ReportRow:
    """The supervisor approves and countersigns (reports/files.py's countersign_visit): the
    report's 复核确认 block says approval's opinion and classification, the seal shows the
    handwritten signature, and the decision is recorded with the visit's step to approved."""
    from inspector_app.reports import files as report_files
    from inspector_app.store.visit_history import report_row

    return report_row(report_files.countersign_visit(
        store, visit_id, supervisor, p12, password, approval=approval,
        handwritten_png=handwritten_png, signed_at=signed_at,
    ))


def report_file(store: LocalStore, sha256: str) -> Path:
    """Where the report file with this SHA-256 is kept."""
    from inspector_app.reports.files import report_path

    return report_path(store.data_dir, sha256)


@dataclass(frozen=True)
class WrittenReport:
    """What write_visit_report wrote: the kept signed file, or a rendering of the visit."""

    stage: str  # "signed" or "countersigned" (the kept file), "copy" or "draft" (rendered)
    lang: str
    original_sha256: str | None  # the signed original: the file written, or what it copies

    @property
    def is_signed_file(self) -> bool:
        return self.stage not in ("copy", "draft")


def write_visit_report(
    store: LocalStore, visit_id: str, out: Path, lang: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> WrittenReport:
    """The visit's report at ``out``. For a signed visit, the kept signed file byte for byte
    (in its own language: ``lang`` None or the same); in another language, or when this
    laptop keeps no signed file, an unsigned copy watermarked as one and naming the original
    (reports.pdf). For a visit not yet signed, a draft (Chinese unless ``lang`` says)."""
    from inspector_app.reports.data import load_report_data
    from inspector_app.reports.files import report_path
    from inspector_app.reports.pdf import PROGRESS_STEPS, render_report

    kept = store.latest_report(visit_id)
    if kept is not None and lang in (None, kept.lang):
        source = report_path(store.data_dir, kept.sha256)
        try:
            data = source.read_bytes()
        except OSError:
            raise UserError(Text(f"已签署的报告文件缺失：{source}",
                                 f"the signed report file is missing: {source}")) from None
        atomic_write(Path(out), data, prefix=".report-", suffix=".pdf")
        return WrittenReport(kept.stage, kept.lang, kept.sha256)
    report_data = load_report_data(store, visit_id, lang or "zh")

    def report(fraction: float) -> None:
        progress.report(round(fraction * PROGRESS_STEPS), PROGRESS_STEPS)

    render_report(report_data, store.photos, Path(out), progress=report,
                  cancelled=lambda: progress.cancelled)
    return WrittenReport("copy" if report_data.is_copy else "draft", report_data.lang,
                         report_data.signed_original_sha256)
