"""The inspection report as a PDF (domain.md "The report"): A4, Chinese or English, every font
embedded, byte-for-byte reproducible, with a signature block the signing module fills.

``render_report`` is a plain long-running function that takes a ``Progress`` (report, cancel);
the GUI runs it off the UI thread. The sections are written by reports.sections with the
building blocks of reports.layout, on the page of reports.page.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, BinaryIO

from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
)

from inspector_app.common.files import atomic_write
from inspector_app.common.progress import Cancelled, Progress, fraction_progress
from inspector_app.reports.data import PhotoLine, ReportData
from inspector_app.reports.fonts import (
    FONT,
    label,
    make_styles,
)
from inspector_app.reports.page import (
    FRAME_BOTTOM,
    FRAME_TOP,
    FRAME_WIDTH,
    MARGIN_X,
    PageDecor,
    canvasmaker,
)
from inspector_app.reports.photo_cell import PhotoImage
from inspector_app.reports.sections import build_story
from inspector_app.reports.signature_block import SignatureLayout, SignatureRecorder
from inspector_app.store.photo_errors import PhotoError
from inspector_app.store.photos import PhotoStore

__all__ = [
    "RenderResult",
    "ReportCancelled",
    "SignatureLayout",
    "render_report",
]

# The report's progress is a share of the whole, counted in thousandths: its two stages
# (photo copies, then the pages) have no common unit.
PROGRESS_STEPS = 1000
# Share of the progress bar for making the photos' report copies, when any must be made.
_PHOTO_SHARE = 0.5
# Report copies are decoded and encoded by Pillow, which releases the GIL while it works, so
# threads use every core without a process pool's start-up cost.
_MAX_WORKERS = min(4, os.cpu_count() or 1)


class ReportCancelled(Cancelled):
    """The caller's Progress was cancelled; nothing was written."""


@dataclass(frozen=True)
class RenderResult:
    """What the signing flow needs to know about a rendered report."""

    signature_layout: SignatureLayout
    page_count: int
    missing_photos: tuple[str, ...]  # SHA-256 of photos drawn as a placeholder


def render_report(
    data: ReportData,
    photos: PhotoStore,
    out: Path | IO[bytes],
    *,
    draft: bool | None = None,
    progress: Progress | Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RenderResult:
    """Render the report of ``data`` to ``out`` (a path, replaced atomically, or a stream).

    ``draft=None`` puts the DRAFT watermark on every page unless the visit is signed or
    later; the signing flow passes ``draft=False`` (it renders a completed visit). A signed
    visit's report rendered again is a copy whatever ``draft`` says: every page carries the
    COPY watermark and the signed original's SHA-256 (``data.signed_original_sha256``).
    progress counts up to PROGRESS_STEPS; once it is cancelled, ReportCancelled is raised,
    leaving no file behind. (A progress(fraction) callback with a cancelled() one is still
    accepted.)
    """
    steps = fraction_progress(progress, cancelled)

    def report(fraction: float) -> None:
        steps.report(int(fraction * PROGRESS_STEPS), PROGRESS_STEPS)

    if draft is None:
        draft = not data.signed
    _check(steps)
    styles = make_styles(data.lang)
    images = _prepare_photos(data, photos, report, steps)
    built = _PHOTO_SHARE if images else 0.0

    recorder = SignatureRecorder()
    story = build_story(data, styles, images, recorder)
    buffer = io.BytesIO()
    doc = _document(data, buffer)
    total = max(1, len(story))

    done = 0

    def on_build(kind: str, value: int) -> None:
        nonlocal done
        _check(steps)
        # A flowable split across pages puts its rest back in the queue, so the count of
        # handled flowables can step back; the bar must not.
        if kind == "PROGRESS" and value > done:
            done = value
            report(built + (1 - built) * 0.95 * min(1.0, done / total))

    doc.setProgressCallBack(on_build)
    make_canvas = canvasmaker(
        _decor(data, draft), document_id=_document_id(data, draft),
        created=_pdf_date(data.document_time),
    )
    with _binary_streams():
        doc.build(story, canvasmaker=make_canvas)
    _check(steps)
    if recorder.layout is None:  # pragma: no cover - the block is always in the story
        raise RuntimeError("the signature block was not drawn")
    _write(out, buffer.getvalue())
    report(1.0)
    return RenderResult(
        signature_layout=recorder.layout,
        page_count=doc.page,
        missing_photos=tuple(
            dict.fromkeys(p.sha256 for p in data.photos if images[p.sha256].path is None)
        ),
    )


# -- photos ------------------------------------------------------------------------------


def _prepare_photos(
    data: ReportData, store: PhotoStore, report: Callable[[float], None], progress: Progress
) -> dict[str, PhotoImage]:
    """The report copy of every photo, made in parallel where not cached yet.

    A photo whose original is missing (or unreadable) gets no copy; the report shows a
    placeholder with its hash instead of failing the whole report.
    """
    wanted = list(dict.fromkeys(line.sha256 for line in data.photos))
    result: dict[str, PhotoImage] = {}
    if not wanted:
        return result
    lines = {line.sha256: line for line in data.photos}
    with ThreadPoolExecutor(max_workers=min(_MAX_WORKERS, len(wanted))) as pool:
        futures: dict[Future[PhotoImage], str] = {
            pool.submit(_report_image, store, lines[sha]): sha for sha in wanted
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                result[futures[future]] = future.result()
            if progress.cancelled:
                for future in pending:
                    future.cancel()
                raise ReportCancelled()
            if done:
                report(_PHOTO_SHARE * len(result) / len(wanted))
    return result


def _report_image(store: PhotoStore, line: PhotoLine) -> PhotoImage:
    """The photo's report copy, with the officer's markings drawn on it (the original, which
    its SHA-256 names, is never altered)."""
    try:
        path = store.report_copy(line.sha256, markings=line.markings)
        with Image.open(path) as im:  # the header only: the size, for the layout
            width, height = im.size
    except (FileNotFoundError, PhotoError):  # original not in the store, or damaged
        return PhotoImage(None, line.width, line.height)
    return PhotoImage(path, width, height)


# -- the document --------------------------------------------------------------------------


def _document(data: ReportData, target: BinaryIO) -> BaseDocTemplate:
    lang = data.lang
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=A4[1] - FRAME_TOP,
        bottomMargin=FRAME_BOTTOM,
        title=f"{label('title', lang)} · {data.borrower.name} · {data.visit_date.isoformat()}",
        author=data.officer_name,
        subject=f"{data.kind} · {data.visit_id} · {label('revision', lang, n=data.revision)}",
        keywords=[data.visit_id],  # reportlab joins the list with ", ": the same string
        creator="inspector-app",
        lang="en" if lang == "en" else "zh-CN",
        # Per document, not reportlab's global rl_config.invariant: no timestamp-derived
        # values anywhere, so identical input gives identical bytes.
        invariant=1,
        pageCompression=1,
        # The canvas starts every page with this font selected; with reportlab's default
        # (Helvetica) a non-embedded standard-14 font would be referenced on every page.
        initialFontName=FONT,
        initialFontSize=9,
    )
    frame = Frame(
        MARGIN_X, FRAME_BOTTOM, FRAME_WIDTH, FRAME_TOP - FRAME_BOTTOM, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="report", frames=[frame])])
    return doc


def _decor(data: ReportData, draft: bool) -> PageDecor:
    return PageDecor(
        lang=data.lang, borrower_name=data.borrower.name, visit_id=data.visit_id,
        branch=data.borrower.branch, revision=data.revision, draft=draft,
        copy=data.is_copy, original_sha256=data.signed_original_sha256,
    )


def _document_id(data: ReportData, draft: bool) -> bytes:
    """The file identifier, from the visit rather than the clock or a random source."""
    stage = "copy" if data.is_copy else "draft" if draft else "final"
    key = f"{data.visit_id}/r{data.revision}/{data.lang}/{stage}"
    return hashlib.sha256(key.encode()).digest()[:16]


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


# -- output --------------------------------------------------------------------------------


def _write(out: Path | IO[bytes], pdf: bytes) -> None:
    if not isinstance(out, str | os.PathLike):
        out.write(pdf)
        return
    # A failure or a crash leaves either the old file or the new one, never a partial report.
    # No directory fsync: a rendered report is made again from the visit; the signed copy
    # (reports.signing) is the one kept durably.
    atomic_write(Path(out), pdf, sync_dir=False)


def _check(progress: Progress) -> None:
    if progress.cancelled:
        raise ReportCancelled()


_streams_lock = threading.Lock()
_streams_depth = 0
_saved_use_a85 = 1


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Binary streams while a report is built: no ASCII85 layer on photos, fonts and pages.

    reportlab reads this switch from its global settings only. ASCII85 adds a quarter to every
    embedded photo for nothing (it dates from 7-bit mail); binary streams are plain PDF that
    every reader takes, so another document built meanwhile is not harmed by the switch.
    Threads share one depth count: the first in saves the setting, the last out restores it.
    """
    global _streams_depth, _saved_use_a85
    with _streams_lock:
        if _streams_depth == 0:
            _saved_use_a85 = rl_config.useA85
        _streams_depth += 1
        rl_config.useA85 = 0
    try:
        yield
    finally:
        with _streams_lock:
            _streams_depth -= 1
            if _streams_depth == 0:
                rl_config.useA85 = _saved_use_a85
