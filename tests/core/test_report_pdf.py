"""The inspection report PDF: contents, fonts, reproducibility, watermark, photos, signatures.

One demo portfolio is built per module and one of its completed visits is given abnormal
answers, notes, a handwritten signature and a few small photos; each test renders from it.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, StreamObject
from reportlab import rl_config
from sqlalchemy import select

from inspector_app.common.paths import database_path
from inspector_app.demo.build import build_demo
from inspector_app.domain.enums import SignalSource, VisitStatus
from inspector_app.reports.data import PhotoLine, ReportData, load_report_data
from inspector_app.reports.pdf import RenderResult, ReportCancelled, render_report
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Note, User, Visit
from inspector_app.store.visit_checks import visit_checklist

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


@dataclass(frozen=True)
class Fixture:
    store: LocalStore
    visit_id: str
    abnormal_question: str
    borrower: str


def _photo(path: Path, n: int, *, orientation: int = 1) -> Path:
    """A small JPEG with a phone's EXIF: time taken, GPS, orientation."""
    im = Image.merge("RGB", [Image.effect_noise((320, 240), 40 + n) for _ in range(3)])
    ImageDraw.Draw(im).rectangle((0, 0, 60 + 10 * n, 40), fill=(200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: f"2026:11:18 10:0{9 - n}:00",
                               ExifTags.Base.OffsetTimeOriginal: "+08:00"}  # fmt: skip
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (31, 17, IFDRational(56)),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (120, 35, IFDRational(7)),
    }  # fmt: skip
    im.save(path, "JPEG", quality=85, exif=exif)
    return path


def _signature_png() -> bytes:
    im = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(im).line([(10, 80), (80, 20), (150, 85), (290, 15)], fill="navy", width=5)
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory, _migrated_db: Path) -> Iterator[Fixture]:
    root = tmp_path_factory.mktemp("report")
    (root / "data").mkdir()
    shutil.copyfile(_migrated_db, database_path(root / "data"))  # migrating takes a second
    build_demo(root / "data", today=date(2026, 11, 20), sign_reports=False)
    store = LocalStore.open(root / "data")
    visit_id = store.visits(VisitStatus.COMPLETED)[0].id
    with store.read() as s:
        officer = s.scalars(select(User).where(User.username == "officer")).one()
        visit = s.get_one(Visit, visit_id)
        borrower = visit.borrower.name
        item = next(i for i in visit_checklist(visit).items() if "no" in i.abnormal.values)
    store.set_answer(visit_id, officer, item.code, "no", note="仓库库存明显减少，已要求说明。")
    for n in range(3):
        path = _photo(root / f"IMG_{n}.JPG", n, orientation=6 if n == 1 else 1)
        store.add_photo(visit_id, officer, path, caption=f"厂区照片{n}", item_code=item.code)
    with store.write() as s:
        s.get_one(Visit, visit_id).officer_signature_png = _signature_png()
        s.add(Note(visit_id=visit_id, item_code=None, text="下次检查核对应收账款回款。"))
    yield Fixture(store, visit_id, item.question.zh, borrower)
    store.close()


@pytest.fixture(scope="module")
def zh_data(fx: Fixture) -> ReportData:
    return load_report_data(fx.store, fx.visit_id, "zh")


@pytest.fixture(scope="module")
def zh_report(fx: Fixture, zh_data: ReportData, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, RenderResult]:  # fmt: skip
    out = tmp_path_factory.mktemp("zh") / "report.pdf"
    return out, render_report(zh_data, fx.store.photos, out)


def _text(pdf: Path | bytes) -> str:
    """All text of the PDF with whitespace removed (lines wrap anywhere in Chinese)."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _objects(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary (and stream) reachable from the trailer."""
    seen: set[int] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)


def _is_jpeg(obj: DictionaryObject) -> bool:
    """An image stored as JPEG data (/DCTDecode), and nothing else: no ASCII85 layer."""
    filters = obj.get("/Filter")
    return filters is not None and list(filters if isinstance(filters, list) else [filters]) == [
        "/DCTDecode"
    ]


# -- fonts ------------------------------------------------------------------------------


def test_every_font_is_embedded_and_none_is_standard_14(zh_report: tuple[Path, RenderResult]):
    path, _ = zh_report
    reader = PdfReader(path)
    fonts = [o for o in _objects(reader) if o.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        base = str(font["/BaseFont"]).lstrip("/")
        assert base.split("+")[-1] not in STANDARD_14
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
    # No reference to a standard font anywhere, even in decompressed streams.
    for obj in _objects(reader):
        if isinstance(obj, StreamObject):
            assert b"Helvetica" not in obj.get_data()
    assert b"Helvetica" not in path.read_bytes()
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]  # fmt: skip
        assert rows
        for row in rows:
            assert "Helvetica" not in row
            assert row.split()[-5] == "yes", row  # the "emb" column


# -- contents ---------------------------------------------------------------------------


def test_chinese_report_text_extracts_with_sections_and_abnormal_mark(
    fx: Fixture, zh_report: tuple[Path, RenderResult]
):
    text = _text(zh_report[0])
    for expected in (
        "贷后检查报告", fx.borrower, fx.visit_id, "一、借款人及贷款情况", "三、检查内容及结果",
        "五、抵质押物检查", "六、现场照片", "七、风险预警信号", "八、风险分类", "十、签字确认",
        _squash(fx.abnormal_question), "异常", "仓库库存明显减少", "下次检查核对应收账款回款",
        "第1页/共", "厂区照片1", "常规贷后检查（第",
    ):  # fmt: skip
        assert _squash(expected) in text, expected
    # The templates by the names an officer knows, not the codes visits record them by.
    assert not re.search(r"[a-z_.]+@\d", text)


def test_english_report_has_english_labels(fx: Fixture, tmp_path: Path):
    data = load_report_data(fx.store, fx.visit_id, "en")
    out = tmp_path / "en.pdf"
    render_report(data, fx.store.photos, out)
    text = _text(out)
    for expected in ("Post-loan inspection report", "1. Borrower and loans",
                     "3. Checklist results", "Abnormal", "Page 1 of", "10. Signatures",
                     "Officer's digital signature", "Routinepost-loaninspection(version"):
        assert _squash(expected) in text, expected
    assert not re.search(r"[a-z_.]+@\d", text)
    assert "检查内容及结果" not in text
    assert fx.borrower in text  # the data stays as recorded


def test_an_english_report_names_the_signals_the_rules_raised_in_english(
    fx: Fixture, zh_data: ReportData
):
    """Automatic signals are stored with their Chinese title; English takes the rule's own."""
    officers = {SignalSource.OFFICER.label("zh"), SignalSource.OFFICER.label("en")}
    english = [s for s in load_report_data(fx.store, fx.visit_id, "en").signals
               if s.this_visit and s.source not in officers]
    chinese = [s for s in zh_data.signals if s.this_visit and s.source not in officers]
    assert english and len(english) == len(chinese)  # the abnormal answer raised one at least
    assert [s.title for s in english if re.search(r"[\u4e00-\u9fff]", s.title)] == []
    assert all(re.search(r"[\u4e00-\u9fff]", s.title) for s in chinese)


def test_photos_are_listed_with_time_place_and_hash_in_taken_order(zh_data: ReportData):
    taken = [p.taken_at for p in zh_data.photos]
    assert len(taken) == 3 and None not in taken
    assert taken == sorted(taken)  # _photo(n) was taken earlier for a larger n
    assert [p.caption for p in zh_data.photos] == ["厂区照片2", "厂区照片1", "厂区照片0"]
    assert all(p.gps_lat is not None for p in zh_data.photos)


def test_photo_captions_show_the_sha256_of_each_original(
    zh_data: ReportData, zh_report: tuple[Path, RenderResult]
):
    text = _text(zh_report[0])
    for photo in zh_data.photos:
        assert photo.sha256 in text
    assert "31.29889°N120.58528°E" in text  # 31°17'56" N, 120°35'7" E


# -- photos -------------------------------------------------------------------------------


def test_photos_are_embedded_as_the_report_copy_jpeg_unchanged(
    fx: Fixture, zh_data: ReportData, zh_report: tuple[Path, RenderResult]
):
    reader = PdfReader(zh_report[0])
    jpegs = [o for o in _objects(reader) if isinstance(o, StreamObject) and _is_jpeg(o)]
    embedded = {bytes(o._data) for o in jpegs}
    for photo in zh_data.photos:
        assert fx.store.photos.report_copy(photo.sha256).read_bytes() in embedded


def test_photos_keep_their_aspect_ratio(zh_report: tuple[Path, RenderResult]):
    reader = PdfReader(zh_report[0])
    drawn: list[float] = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        ops = ContentStream(page.get_contents(), reader).operations
        for (args, op), (next_args, next_op) in pairwise(ops):
            if op == b"cm" and next_op == b"Do":
                image = xobjects[next_args[0]].get_object()
                if not _is_jpeg(image):
                    continue
                ratio = float(args[0]) / float(args[3])  # the scale: drawn width / height
                assert ratio == pytest.approx(image["/Width"] / image["/Height"], rel=1e-3)
                drawn.append(round(ratio, 2))
    # Taken 320x240; the one with EXIF orientation 6 stands upright.
    assert sorted(drawn) == [0.75, 1.33, 1.33]


def test_a_photo_missing_from_the_store_gets_a_placeholder(
    fx: Fixture, zh_data: ReportData, tmp_path: Path
):
    ghost = PhotoLine(sha256="ab" * 32, original_name="IMG_9.JPG", caption="丢失的照片",
                      taken_at=None, gps_lat=None, gps_lon=None, item_code=None,
                      width=4000, height=3000)  # fmt: skip
    data = dataclasses.replace(zh_data, photos=(*zh_data.photos, ghost))
    result = render_report(data, fx.store.photos, tmp_path / "r.pdf")
    assert result.missing_photos == ("ab" * 32,)
    text = _text(tmp_path / "r.pdf")
    assert "照片原件缺失" in text
    assert "ab" * 32 in text
    assert "丢失的照片" in text


# -- reproducibility --------------------------------------------------------------------


def test_the_same_visit_renders_to_the_same_bytes(
    fx: Fixture, zh_data: ReportData, zh_report: tuple[Path, RenderResult], tmp_path: Path
):
    settings = (rl_config.invariant, rl_config.useA85)
    again = load_report_data(fx.store, fx.visit_id, "zh")
    assert again == zh_data
    render_report(again, fx.store.photos, tmp_path / "again.pdf")
    stream = io.BytesIO()
    render_report(again, fx.store.photos, stream)
    first = zh_report[0].read_bytes()
    assert (tmp_path / "again.pdf").read_bytes() == first
    assert stream.getvalue() == first
    assert b"/CreationDate (D:2026" in first  # the visit's time, not reportlab's 2000-01-01
    # Reproducible per document: reportlab's process-wide settings are left as they were.
    assert (rl_config.invariant, rl_config.useA85) == settings


def test_a_fresh_process_renders_the_same_bytes(
    fx: Fixture, zh_report: tuple[Path, RenderResult], tmp_path: Path
):
    out = tmp_path / "fresh.pdf"
    script = (
        "import sys; from pathlib import Path\n"
        "from inspector_app.store.local import LocalStore\n"
        "from inspector_app.reports.data import load_report_data\n"
        "from inspector_app.reports.pdf import render_report\n"
        "store = LocalStore.open(Path(sys.argv[1]))\n"
        "data = load_report_data(store, sys.argv[2], 'zh')\n"
        "render_report(data, store.photos, Path(sys.argv[3]))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(fx.store.data_dir), fx.visit_id,
                    str(out)], check=True, timeout=120)  # fmt: skip
    assert out.read_bytes() == zh_report[0].read_bytes()


# -- draft watermark ------------------------------------------------------------------------


def test_draft_watermark_until_signed(zh_data: ReportData, fx: Fixture, tmp_path: Path):
    assert zh_data.status is VisitStatus.COMPLETED
    render_report(zh_data, fx.store.photos, tmp_path / "draft.pdf")
    pages = PdfReader(tmp_path / "draft.pdf").pages
    assert all("DRAFT" in page.extract_text() for page in pages)

    render_report(zh_data, fx.store.photos, tmp_path / "final.pdf", draft=False)
    text = _text(tmp_path / "final.pdf")
    assert "DRAFT" not in text and "草稿" not in text

    # A signed visit rendered again is no draft, and no signed report either: a copy
    # (test_report_copies.py).
    signed = dataclasses.replace(zh_data, status=VisitStatus.SIGNED)
    render_report(signed, fx.store.photos, tmp_path / "signed.pdf")
    text = _text(tmp_path / "signed.pdf")
    assert "DRAFT" not in text and "草稿" not in text
    assert "副本·非签署件" in text


# -- cancel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("after", [0, 1, 4])
def test_cancel_raises_and_leaves_no_file(
    fx: Fixture, zh_data: ReportData, tmp_path: Path, after: int
):
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > after

    fx.store.photos.report_copy(zh_data.photos[0].sha256)  # cache warm or cold: both cancel
    progress: list[float] = []
    with pytest.raises(ReportCancelled):
        render_report(zh_data, fx.store.photos, tmp_path / "r.pdf", cancelled=cancelled,
                      progress=progress.append)  # fmt: skip
    assert list(tmp_path.iterdir()) == []
    assert all(0 <= f < 1 for f in progress)


def test_progress_rises_to_one(fx: Fixture, zh_data: ReportData, tmp_path: Path):
    progress: list[float] = []
    render_report(zh_data, fx.store.photos, tmp_path / "r.pdf", progress=progress.append)
    assert progress[-1] == 1.0
    assert progress == sorted(progress)


# -- signature block --------------------------------------------------------------------


def test_signature_boxes_are_on_the_last_page_inside_it(zh_report: tuple[Path, RenderResult]):
    path, result = zh_report
    layout = result.signature_layout
    reader = PdfReader(path)
    assert result.page_count == len(reader.pages)
    assert layout.page_index == len(reader.pages) - 1
    page = reader.pages[layout.page_index]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert layout.page_size == pytest.approx((width, height))
    boxes = [layout.officer_signature_box, layout.officer_seal_box, layout.supervisor_seal_box]
    for box in boxes:
        assert 0 <= box.x0 < box.x1 <= width and 0 <= box.y0 < box.y1 <= height
        assert box.x1 - box.x0 >= 150 and box.y1 - box.y0 >= 60  # room for a visible seal
    hand, seal, sup = boxes
    assert seal.x0 >= hand.x1 and seal.y0 == hand.y0  # the seal sits beside the handwriting
    assert sup.y1 < seal.y0  # the supervisor's box below the officer's, not overlapping
    # The handwritten signature is drawn on that page, inside its box.
    images = page["/Resources"]["/XObject"]
    assert any(images[name].get_object().get("/SMask") for name in images)


def test_supersedes_hash_is_printed_when_given(fx: Fixture, tmp_path: Path):
    data = load_report_data(fx.store, fx.visit_id, "zh", supersedes_sha256="cd" * 32)
    render_report(data, fx.store.photos, tmp_path / "r.pdf")
    assert "cd" * 32 in _text(tmp_path / "r.pdf")


def test_long_text_wraps_and_splits_across_pages(
    fx: Fixture, zh_data: ReportData, tmp_path: Path
):
    long_note = "借款人称近期订单减少，库存积压，正在与主要客户协商回款安排。" * 120
    # A checklist note taller than a page: its row must split rather than fail the layout.
    section = zh_data.checklist[0]
    first = dataclasses.replace(section.items[0], note=long_note + "核对完毕乙")
    checklist = (dataclasses.replace(section, items=(first, *section.items[1:])),
                 *zh_data.checklist[1:])  # fmt: skip
    data = dataclasses.replace(zh_data, general_note=long_note + "核对完毕甲",
                               measures=long_note[:900],
                               checklist=checklist)  # fmt: skip
    result = render_report(data, fx.store.photos, tmp_path / "r.pdf")
    base = render_report(zh_data, fx.store.photos, io.BytesIO())
    assert result.page_count > base.page_count
    text = _text(tmp_path / "r.pdf")
    assert "核对完毕甲" in text and "核对完毕乙" in text  # nothing lost at the end
