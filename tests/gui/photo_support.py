"""A draft visit for the photo page and viewer tests, and generated photos to put in it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational
from PySide6.QtCore import QThreadPool
from sqlalchemy import select

from inspector_app.domain.enums import CollateralKind, VisitKind
from inspector_app.gui.editor.context import VisitContext
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, CollateralItem, User

VISIT_DATE = date(2025, 3, 10)


@dataclass(frozen=True)
class PhotoVisit:
    store: LocalStore
    officer: User
    visit_id: str
    collateral_id: str
    ctx: VisitContext


@pytest.fixture(name="photo_visit")
def photo_visit_fixture(portfolio) -> Iterator[PhotoVisit]:
    """A new routine visit of 华东精密机械 (a pledged machine in its register)."""
    store: LocalStore = portfolio.store
    with store.write() as s:
        borrower = s.scalar(select(Borrower).where(Borrower.code == "C1002"))
        assert borrower is not None
        machine = CollateralItem(borrower_id=borrower.id, kind=CollateralKind.EQUIPMENT,
                                 description="数控车床 CK6150", location="二号车间",
                                 appraised_value_fen=80_000_000, pledged_value_fen=50_000_000)
        s.add(machine)
        s.flush()
        borrower_id, machine_id = borrower.id, machine.id
    visit = store.start_visit(borrower_id, portfolio.officer, VisitKind.ROUTINE,
                              visit_date=VISIT_DATE)
    ctx = VisitContext(store, portfolio.officer, visit.id, today=lambda: VISIT_DATE)
    yield PhotoVisit(store, portfolio.officer, visit.id, machine_id, ctx)
    assert ctx.wait_for_saves(10_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)


def make_jpeg(
    path: Path,
    shade: int = 0,
    *,
    taken: str | None = None,
    gps: tuple[float, float] | None = None,
    size: tuple[int, int] = (320, 240),
    label: str = "",
) -> Path:
    """A JPEG distinct per shade, optionally with EXIF time (+08:00) and GPS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size, ((40 + shade * 37) % 256, (90 + shade * 53) % 256,
                                 (140 + shade * 71) % 256))
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rectangle((w // 6, h // 3, w // 2, h - h // 6), fill=(230, 230, 225))
    draw.polygon([(w // 6, h // 3), (w // 3, h // 8), (w // 2, h // 3)], fill=(150, 60, 40))
    if label:
        draw.text((8, 8), label, fill=(255, 255, 255))
    exif = Image.Exif()
    if taken is not None:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken,
                                   ExifTags.Base.OffsetTimeOriginal: "+08:00"}
    if gps is not None:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (int(lat), 0, IFDRational(round(lat % 1 * 360000), 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (int(lon), 0, IFDRational(round(lon % 1 * 360000), 100)),
        }
    im.save(path, "JPEG", quality=88, exif=exif)
    return path
