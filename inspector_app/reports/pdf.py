"""The inspection report as a PDF (domain.md "The report"): A4, Chinese or English, every font
embedded, byte-for-byte reproducible, with a signature block the signing module fills.

``render_report`` is a plain long-running function that takes a ``Progress`` (report, cancel);
the GUI runs it off the UI thread.
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
from xml.sax.saxutils import escape

from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspector_app.common.files import atomic_write
from inspector_app.common.progress import Cancelled, Progress, fraction_progress
from inspector_app.reports.data import PhotoLine, ReportData
from inspector_app.reports.fonts import (
    ABNORMAL_FILL,
    FONT,
    SEVERITY_INK,
    Styles,
    label,
    make_styles,
)
from inspector_app.reports.layout import (
    FRAME_BOTTOM,
    FRAME_TOP,
    FRAME_WIDTH,
    MARGIN_X,
    Blocks,
    PageDecor,
    PhotoCell,
    PhotoImage,
    Row,
    SignatureBlock,
    SignatureLayout,
    SignatureRecorder,
    StyleCommand,
    canvasmaker,
    clipped,
    coordinates,
)
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
    later; the signing flow passes ``draft=False``. progress counts up to PROGRESS_STEPS;
    once it is cancelled, ReportCancelled is raised, leaving no file behind. (A
    progress(fraction) callback with a cancelled() one is still accepted.)
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
    story = _build_story(data, styles, images, recorder)
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


# -- the story: the report's sections in the domain's order -------------------------------


def _build_story(
    data: ReportData, styles: Styles, images: dict[str, PhotoImage], recorder: SignatureRecorder
) -> list[Flowable]:
    """The report's flowables, from the title to the signature block (always last)."""
    w = _Writer(data, styles)
    story: list[Flowable] = [*w.title(), *w.borrower(), *w.visit(), *w.checklist(), *w.notes(),
                             *w.collateral(), *w.photos(images), *w.signals(),
                             *w.classification(), *w.measures()]
    block = SignatureBlock(
        lang=data.lang, officer_name=data.officer_name,
        visit_date=data.visit_date.isoformat(), signature_png=data.officer_signature_png,
        recorder=recorder,
    )
    # Heading and boxes move to a new page together; nothing follows them, so the block is
    # always on the last page.
    story.append(KeepTogether([Paragraph(escape(w.t("s_signatures")), styles.h1), block]))
    return story


class _Writer(Blocks):
    """Turns ReportData into flowables; one method per section."""

    def __init__(self, data: ReportData, styles: Styles) -> None:
        super().__init__(data.lang, styles)
        self.d = data

    # -- sections ----------------------------------------------------------------------------

    def title(self) -> list[Flowable]:
        d, s = self.d, self.s
        lines: list[Flowable] = [
            Paragraph(escape(self.t("title")), s.title),
            Paragraph(escape(f"{d.borrower.name} · {d.kind} · {d.visit_date.isoformat()}"),
                      s.centered),
            Paragraph(escape(f"{self.t('visit_id')} {d.visit_id} · "
                             f"{self.t('revision', n=d.revision)} · {d.status_label}"),
                      s.centered),
        ]
        if d.supersedes_sha256:
            lines.append(Paragraph(escape(f"{self.t('supersedes')}: {d.supersedes_sha256}"),
                                   s.centered))
        return [*lines, Spacer(1, 6)]

    def borrower(self) -> list[Flowable]:
        d, b = self.d, self.d.borrower
        out: list[Flowable] = [*self.h1("s_borrower"), *self.facts([
            ("borrower", "\n" + b.name), ("borrower_code", b.code),
            ("borrower_kind", b.kind), ("industry", b.industry), ("id_number", b.id_number),
            ("legal_rep", b.legal_representative), ("phone", b.phone),
            ("address", "\n" + b.address), ("current_class", b.classification),
            ("branch", b.branch),
        ])]
        if d.loans:
            rows: list[Row] = [[self.t(k) for k in ("contract_no", "loan_type", "amount",
                                 "disbursed", "matures", "classification", "purpose")]]
            rows += [[loan.contract_no, loan.loan_type, self.money(loan.amount_fen),
                      loan.disbursed_on.isoformat(), loan.matures_on.isoformat(),
                      loan.classification, loan.purpose] for loan in d.loans]
            out += [*self.h2(self.t("loans")),
                    self.table(rows, [104, 70, 74, 56, 56, 42, 109])]
        if d.guarantors:
            rows = [[self.t(k) for k in ("guarantor", "borrower_kind", "relation", "guaranteed")]]
            rows += [[g.name, g.kind, g.relation, self.money(g.guaranteed_amount_fen)]
                     for g in d.guarantors]
            out += [*self.h2(self.t("guarantors")),
                    self.table(rows, [211, 70, 130, 100])]
        return out

    def visit(self) -> list[Flowable]:
        d = self.d
        start = d.started_at.strftime("%H:%M") if d.started_at else ""
        end = d.ended_at.strftime("%H:%M") if d.ended_at else ""
        span = f"{start}–{end}" if start and end else start
        pairs = [("visit_kind", d.kind), ("visit_date", d.visit_date.isoformat()),
                 ("visit_time", span), ("officer", d.officer_name),
                 ("place", "\n" + d.place), ("people_met", "\n" + d.people_met),
                 ("templates", ", ".join(d.template_refs)), ("status", d.status_label)]
        if d.supersedes_sha256:
            pairs.append(("supersedes", "\n" + d.supersedes_sha256))
        return [*self.h1("s_visit"), *self.facts(pairs)]

    def checklist(self) -> list[Flowable]:
        d, s = self.d, self.s
        items = sum(len(section.items) for section in d.checklist)
        out: list[Flowable] = [*self.h1("s_checklist"), Paragraph(escape(self.t(
            "checklist_summary", items=items, abnormal=d.abnormal_count)), s.body)]
        for section in d.checklist:
            title = section.title
            if section.abnormal_count:
                title += self.parens(f"{self.t('abnormal')} {section.abnormal_count}")
            rows: list[Row] = [[self.t(k) for k in ("code", "question", "answer", "note",
                                                     "flag")]]
            extra: list[StyleCommand] = []
            for n, line in enumerate(section.items, start=1):
                answer = line.answer or self.t("unanswered")
                flag: Flowable | str = ""
                if line.abnormal:
                    flag = Paragraph(escape(self.t("abnormal")), s.mark)
                    extra.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
                rows.append([Paragraph(escape(line.code), s.small), line.question,
                             self.p(answer, s.cell_abnormal if line.abnormal else s.cell),
                             line.note, flag])
            out += [*self.h2(title),
                    self.table(rows, [50, 190, 88, 133, 50], extra=extra)]
        return out

    def notes(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_notes")]
        if d.general_note.strip():
            out += [*self.h2(self.t("general_note")), self.p(d.general_note, s.body)]
        if d.notes:
            out += self.h2(self.t("item_notes"))
            for note in d.notes:
                head = f"{note.item_code} {note.question}{self.colon}" if note.item_code else ""
                out.append(self.p(head + note.text, s.body))
        if not d.general_note.strip() and not d.notes:
            out.append(Paragraph(escape(self.t("none")), s.body))
        return out

    def collateral(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_collateral")]
        if not d.collateral:
            return [*out, Paragraph(escape(self.t("none")), s.body)]
        rows: list[Row] = [[self.t(k) for k in ("collateral_item", "obs_status", "condition",
                             "appraised", "estimate", "change", "insurance", "certificate")]]
        extra: list[StyleCommand] = []
        for n, c in enumerate(d.collateral, start=1):
            item = f"{c.kind}{self.colon}{c.description}"
            details = [x for x in (c.location, c.certificate_no) if x]
            if c.found_on_site:
                details.append(self.t("found_on_site"))
            condition = "\n".join(x for x in (c.condition, c.note) if x)
            if c.location_checked:
                condition += ("\n" if condition else "") + self.t("location_checked")
            change = Paragraph("—" if c.change_percent is None else f"{c.change_percent:+}%",
                               s.number)
            rows.append([
                [self.p(item), self.p("\n".join(details), s.small)],
                self.p(c.status, s.cell_abnormal if c.status_abnormal else s.cell),
                condition, self.money(c.appraised_fen), self.money(c.estimate_fen), change,
                self.yes_no(c.insurance_valid), self.yes_no(c.certificate_held),
            ])
            if c.status_abnormal:
                extra.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
        out.append(self.table(rows, [136, 50, 76, 64, 64, 41, 40, 40], extra=extra))
        return out

    def photos(self, images: dict[str, PhotoImage]) -> list[Flowable]:
        d, s = self.d, self.s
        if not d.photos:
            return [*self.h1("s_photos"), Paragraph(escape(self.t("no_photos")), s.body)]
        gap = 15.0
        width = (FRAME_WIDTH - gap) / 2
        cells: Row = [self.photo_cell(n, line, images[line.sha256], width)
                      for n, line in enumerate(d.photos, start=1)]
        rows: list[Row] = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        if len(rows[-1]) == 1:
            rows[-1].append("")
        grid = Table(rows, colWidths=[width + gap, width], hAlign="LEFT", style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
        ]))
        intro = Paragraph(escape(self.t("photo_count", n=len(d.photos))), s.body)
        return [*self.h1("s_photos", room=300), intro, grid]  # heading, intro and one row

    def photo_cell(self, n: int, line: PhotoLine, image: PhotoImage, width: float) -> PhotoCell:
        s = self.s
        caption = f"{self.t('photo_n', n=n)}  {line.caption}".strip()
        meta = []
        if line.taken_at is not None:
            meta.append(f"{self.t('taken_at')} {line.taken_at.strftime('%Y-%m-%d %H:%M')}")
        if line.gps_lat is not None and line.gps_lon is not None:
            meta.append(f"{self.t('gps')} {coordinates(line.gps_lat, line.gps_lon)}")
        if line.item_code:
            meta.append(f"{self.t('item')} {line.item_code}")
        paragraphs = [clipped(self.p(caption, s.small), width, 3),
                      self.p(" · ".join(meta) or line.original_name, s.tiny),
                      self.p(f"SHA-256 {line.sha256}", s.tiny)]
        return PhotoCell(image, line.sha256, paragraphs, width=width, image_height=178,
                         lang=self.lang)

    def signals(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_signals")]
        if not d.signals:
            return [*out, Paragraph(escape(self.t("no_signals")), s.body)]
        rows: list[Row] = [[self.t(k) for k in ("severity", "category", "source", "signal",
                                                 "status", "raised_on")]]
        for sig in d.signals:
            colour = SEVERITY_INK.get(sig.severity_code, SEVERITY_INK["yellow"])
            title = sig.title + (self.parens(self.t("this_visit")) if sig.this_visit else "")
            body = [self.p(title)] + ([self.p(sig.description, s.small)]
                                      if sig.description else [])
            severity = Paragraph(f'<font color="{colour.hexval()}">■</font> '
                                 f"{escape(sig.severity)}", s.cell)
            rows.append([severity, sig.category, sig.source, body, sig.status,
                         sig.raised_on.isoformat()])
        out.append(self.table(rows, [50, 70, 64, 215, 46, 66]))
        return out

    def classification(self) -> list[Flowable]:
        c = self.d.classification
        pending = self.t("not_concluded")
        pairs = [("current_class", c.current), ("recommended", c.recommended or pending),
                 ("reasons", "\n" + "\n".join(c.reasons or (pending,))),
                 ("final", "\n" + (c.final or pending))]
        if c.overridden or c.override_reason.strip():
            pairs.append(("override_reason", "\n" + c.override_reason))
        return [*self.h1("s_classification"), *self.facts(pairs)]

    def measures(self) -> list[Flowable]:
        d = self.d
        due = d.next_due_on.isoformat() if d.next_due_on else "—"
        return [*self.h1("s_measures"),
                *self.facts([("measures", "\n" + (d.measures or "—")), ("next_due", "\n" + due)])]


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
    fallback = {line.sha256: (line.width, line.height) for line in data.photos}
    with ThreadPoolExecutor(max_workers=min(_MAX_WORKERS, len(wanted))) as pool:
        futures: dict[Future[PhotoImage], str] = {
            pool.submit(_report_image, store, sha, fallback[sha]): sha for sha in wanted
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


def _report_image(store: PhotoStore, sha256: str, fallback: tuple[int, int]) -> PhotoImage:
    try:
        path = store.report_copy(sha256)
        with Image.open(path) as im:  # the header only: the size, for the layout
            width, height = im.size
    except (FileNotFoundError, PhotoError):  # original not in the store, or damaged
        return PhotoImage(None, *fallback)
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
    )


def _document_id(data: ReportData, draft: bool) -> bytes:
    """The file identifier, from the visit rather than the clock or a random source."""
    key = f"{data.visit_id}/r{data.revision}/{data.lang}/{'draft' if draft else 'final'}"
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
