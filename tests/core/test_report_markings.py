"""Markings drawn on a photo reach the report and the thumbnails; the original stays as it was.

The photo is a plain grey picture, so any strongly red pixel in a copy is a marking.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import StreamObject

from inspector_app.reports.data import load_report_data
from inspector_app.reports.pdf import render_report
from inspector_app.store.local import LocalStore

WIDTH, HEIGHT = 1200, 900
# An arrow across the middle, a circle at the upper left, a text label at the bottom.
SHAPES = [
    {"kind": "arrow", "x1": 200, "y1": 450, "x2": 1000, "y2": 450},
    {"kind": "circle", "cx": 300, "cy": 250, "r": 120},
    {"kind": "text", "x": 500, "y": 700, "text": "裂缝"},
]


def _grey_photo(path: Path) -> Path:
    Image.new("RGB", (WIDTH, HEIGHT), (128, 128, 128)).save(path, "JPEG", quality=92)
    return path


def _red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]  # the grey photo has r == g == b; the markings are #e53935
    return r - g > 50 and r - b > 50


def _red_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of strongly red pixels in box, given in the original photo's pixels."""
    rgb = image.convert("RGB")
    sx, sy = rgb.width / WIDTH, rgb.height / HEIGHT
    crop = rgb.crop((int(box[0] * sx), int(box[1] * sy), int(box[2] * sx), int(box[3] * sy)))
    pixels = list(crop.get_flattened_data())
    return sum(1 for p in pixels if _red(p)) / max(1, len(pixels))


def _embedded_jpegs(pdf: Path) -> list[Image.Image]:
    reader = PdfReader(pdf)
    found: list[Image.Image] = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            filters = obj.get("/Filter") if isinstance(obj, StreamObject) else None
            if filters is not None and "/DCTDecode" in (
                    filters if isinstance(filters, list) else [filters]):
                found.append(Image.open(io.BytesIO(obj._data)))
    return found


@pytest.fixture
def marked(store: LocalStore, portfolio, tmp_path: Path) -> str:
    """A photo of the portfolio's visit with the three markings; its SHA-256."""
    photo = store.add_photo(portfolio.visit_id, portfolio.officer,
                            _grey_photo(tmp_path / "wall.jpg"), caption="厂房外墙")
    store.set_photo_annotations(photo.id, portfolio.officer, SHAPES)
    return photo.sha256


def test_the_report_shows_the_markings_on_the_photo_and_says_so(
        store: LocalStore, portfolio, marked: str, tmp_path: Path) -> None:
    original = store.photos.original_path(marked)
    before = original.read_bytes()
    out = tmp_path / "report.pdf"
    render_report(load_report_data(store, portfolio.visit_id, "zh"), store.photos, out)

    [embedded] = _embedded_jpegs(out)
    assert _red_share(embedded, (400, 444, 800, 456)) > 0.3  # the arrow's shaft
    assert _red_share(embedded, (170, 240, 190, 260)) > 0.2  # the circle's left edge
    assert _red_share(embedded, (270, 220, 330, 280)) == 0  # inside the circle: the photo
    assert _red_share(embedded, (500, 700, 540, 740)) > 0.02  # the text's first stroke
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    assert "图上有检查人所加标注3处" in text
    assert marked in text  # still the original's SHA-256 ...
    assert original.read_bytes() == before  # ... and the original untouched
    assert hashlib.sha256(before).hexdigest() == marked

    render_report(load_report_data(store, portfolio.visit_id, "en"), store.photos,
                  tmp_path / "en.pdf")
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(tmp_path / "en.pdf")
                                       .pages))
    assert "Marked by the officer: 3 marking(s)" in text


def test_an_unmarked_photo_is_embedded_plain(
        store: LocalStore, portfolio, tmp_path: Path) -> None:
    photo = store.add_photo(portfolio.visit_id, portfolio.officer,
                            _grey_photo(tmp_path / "plain.jpg"))
    out = tmp_path / "plain.pdf"
    render_report(load_report_data(store, portfolio.visit_id, "zh"), store.photos, out)
    [embedded] = _embedded_jpegs(out)
    assert _red_share(embedded, (0, 0, WIDTH, HEIGHT)) == 0
    assert embedded.tobytes() == Image.open(store.photos.report_copy(photo.sha256)).tobytes()
    assert "标注" not in "".join(p.extract_text() for p in PdfReader(out).pages)


def test_thumbnails_show_the_markings_and_follow_their_changes(
        store: LocalStore, portfolio, marked: str) -> None:
    [row] = store.visit_photos(portfolio.visit_id)
    plain = Image.open(store.photos.thumbnail(marked))
    drawn = store.photos.thumbnail(marked, markings=row.annotations)
    assert _red_share(plain, (0, 0, WIDTH, HEIGHT)) == 0
    assert _red_share(Image.open(drawn), (400, 430, 800, 470)) > 0.1

    # Another set of markings is another copy; the first is not served for it.
    store.set_photo_annotations(row.id, portfolio.officer, SHAPES[1:])
    [row] = store.visit_photos(portfolio.visit_id)
    again = store.photos.thumbnail(marked, markings=row.annotations)
    assert again != drawn
    assert _red_share(Image.open(again), (400, 430, 800, 470)) == 0
