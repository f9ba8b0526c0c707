"""The visit's photos: bulk import (folders, bad files, cancel), caption, link, remove,
annotations over an untouched original, the "taken long before" warning, the locked visit."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from sqlalchemy import select

from inspector_app import wire
from inspector_app.domain.enums import CollateralKind, VisitStatus
from inspector_app.store import migrate
from inspector_app.store.local import LocalStore, VisitLockedError
from inspector_app.store.models import AuditEntry, Borrower, CollateralItem, Photo, Visit
from inspector_app.store.photo_editing import OLD_PHOTO_DAYS, PhotoEditError
from inspector_app.sync import mapping


def make_jpeg(
    path: Path,
    shade: int = 0,
    *,
    taken: str | None = None,
    gps: tuple[float, float] | None = None,
    size: tuple[int, int] = (64, 48),
) -> Path:
    """A small JPEG, distinct per shade, optionally with EXIF time (+08:00) and GPS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size, (shade % 256, (shade * 7) % 256, (shade * 13) % 256))
    exif = Image.Exif()
    if taken is not None:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken,
                                   ExifTags.Base.OffsetTimeOriginal: "+08:00"}
    if gps is not None:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (int(lat), 0, IFDRational(round((lat % 1) * 3600 * 100),
                                                                 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (int(lon), 0, IFDRational(round((lon % 1) * 3600 * 100),
                                                                 100)),
        }
    im.save(path, "JPEG", quality=90, exif=exif)
    return path


def originals(store: LocalStore) -> list[Path]:
    root = store.photos.root / "originals"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_folder_is_imported_recursively_with_exif_time_and_gps(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "camera"
    make_jpeg(folder / "IMG_0001.JPG", 1, taken="2026:11:20 09:30:00", gps=(31.5, 121.25))
    make_jpeg(folder / "day2" / "IMG_0002.jpg", 2)
    make_jpeg(folder / "day2" / "deeper" / "scan.png.jpg", 3)
    (folder / "notes.txt").write_text("厂区东侧", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")

    calls: list[tuple[int, int]] = []
    result = store.import_photos(portfolio.visit_id, portfolio.officer, [folder],
                                 lambda done, total: calls.append((done, total)))

    assert [r.original_name for r in result.added] == [
        "IMG_0001.JPG", "IMG_0002.jpg", "scan.png.jpg"]
    assert result.skipped == ["notes.txt"] and result.failed == [] and not result.cancelled
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    rows = store.visit_photos(portfolio.visit_id)
    assert [r.id for r in rows] == [r.id for r in result.added]
    first = rows[0]
    assert first.taken_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    assert first.gps_lat == pytest.approx(31.5, abs=1e-4)
    assert first.gps_lon == pytest.approx(121.25, abs=1e-4)
    assert (first.width, first.height, first.annotations) == (64, 48, ())
    assert rows[1].taken_at is None and rows[1].gps_lat is None


def test_the_same_picture_twice_is_one_photo_and_reported_as_a_duplicate(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    a = make_jpeg(tmp_path / "a.jpg", 5)
    copy = tmp_path / "copy of a.jpg"
    copy.write_bytes(a.read_bytes())

    result = store.import_photos(portfolio.visit_id, portfolio.officer, [a, copy, a])

    assert len(result.added) == 1 and result.duplicates == ["copy of a.jpg"]
    assert len(store.visit_photos(portfolio.visit_id)) == 1


def test_bad_files_each_get_a_clear_reason_and_nothing_is_saved(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    whole = make_jpeg(tmp_path / "whole.jpg", 9, size=(400, 300)).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "a.txt").write_text("not a photo")
    (tmp_path / "empty.jpg").write_bytes(b"")
    missing = tmp_path / "gone.jpg"

    result = store.import_photos(
        portfolio.visit_id, portfolio.officer,
        [tmp_path / "cut.jpg", tmp_path / "a.txt", tmp_path / "empty.jpg", missing],
    )

    reasons = {f.name: (f.reason, f.en, f.zh) for f in result.failed}
    assert reasons["cut.jpg"][0] == "truncated" and "incomplete" in reasons["cut.jpg"][1]
    assert reasons["a.txt"][0] == "not_image" and "not a photo" in reasons["a.txt"][1]
    assert "不是照片" in reasons["a.txt"][2]
    assert reasons["empty.jpg"][0] == "empty" and "empty" in reasons["empty.jpg"][1]
    assert reasons["gone.jpg"][0] == "unreadable"
    assert result.added == [] and store.visit_photos(portfolio.visit_id) == []
    assert originals(store) == []  # no half-written original either


def test_a_file_over_the_size_limit_is_refused(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    big = make_jpeg(tmp_path / "big.jpg", 3, size=(800, 600))
    store.photos.max_bytes = big.stat().st_size - 1

    result = store.import_photos(portfolio.visit_id, portfolio.officer, [big])

    assert [(f.reason, "too large" in f.en) for f in result.failed] == [("too_large", True)]
    assert store.visit_photos(portfolio.visit_id) == []


def test_500_files_report_progress_and_a_cancel_leaves_only_whole_photos(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    for i in range(500):
        if i % 5 == 0:
            make_jpeg(folder / f"p{i:03d}.jpg", i, size=(8, 8))
        else:  # named like photos, so each is tried and refused: the slow path of a bad dump
            (folder / f"p{i:03d}.jpg").write_bytes(b"junk %d" % i)
    seen: list[int] = []

    result = store.import_photos(portfolio.visit_id, portfolio.officer, [folder],
                                 lambda done, total: seen.append(done),
                                 lambda: len(seen) > 250)

    assert result.cancelled and result.total == 500
    assert seen == list(range(0, 251))  # stopped between files, right after the 250th
    assert len(result.added) == 50 and len(result.failed) == 200
    rows = store.visit_photos(portfolio.visit_id)
    assert {r.id for r in rows} == {r.id for r in result.added}
    assert all(store.photos.verify(r.sha256) for r in rows)
    assert len(originals(store)) == 50


def test_caption_link_and_remove_are_stored_and_audited(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    with store.write() as s:
        item = CollateralItem(borrower_id=portfolio.borrower_id, kind=CollateralKind.EQUIPMENT,
                              description="数控机床", appraised_value_fen=1, pledged_value_fen=1)
        s.add(item)
    user = portfolio.officer
    added = store.import_photos(portfolio.visit_id, user, [make_jpeg(tmp_path / "a.jpg", 1),
                                                           make_jpeg(tmp_path / "b.jpg", 2)])
    a, b = (r.id for r in added.added)

    store.set_photo_caption(a, user, "  厂房外观  ")
    store.link_photo(a, user, item_code="R-WIL-01", collateral_item_id=item.id)
    store.remove_photo(b, user)

    (row,) = store.visit_photos(portfolio.visit_id)
    assert (row.id, row.caption, row.item_code, row.collateral_item_id) == (
        a, "厂房外观", "R-WIL-01", item.id)
    assert store.photos.has(added.added[1].sha256)  # the original stays in the store
    store.link_photo(a, user)  # unlink both
    assert store.photo_row(a).item_code is None and store.photo_row(a).collateral_item_id is None
    with store.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "photo")
                                 .order_by(AuditEntry.seq)))
    assert actions == ["photo.add", "photo.add", "photo.caption", "photo.link", "photo.remove",
                       "photo.link"]


def test_links_to_unknown_items_or_another_borrowers_collateral_are_refused(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    with store.write() as s:
        other = s.scalar(select(Borrower).where(Borrower.id == portfolio.borrower_id))
        assert other is not None
        foreign = Borrower(code="C0099", name="别家公司", kind=other.kind,
                           industry=other.industry, id_number="x")
        s.add(foreign)
        s.flush()
        theirs = CollateralItem(borrower_id=foreign.id, kind=CollateralKind.EQUIPMENT,
                                description="x", appraised_value_fen=1, pledged_value_fen=1)
        s.add(theirs)
    (row,) = store.import_photos(portfolio.visit_id, portfolio.officer,
                                 [make_jpeg(tmp_path / "a.jpg")]).added

    with pytest.raises(PhotoEditError, match="no item NOPE"):
        store.link_photo(row.id, portfolio.officer, item_code="NOPE")
    with pytest.raises(PhotoEditError, match="not this borrower's"):
        store.link_photo(row.id, portfolio.officer, collateral_item_id=theirs.id)
    with pytest.raises(PhotoEditError, match="at most 500"):
        store.set_photo_caption(row.id, portfolio.officer, "长" * 501)
    assert store.photo_row(row.id) == row


def test_annotations_are_validated_and_stored_and_the_original_is_untouched(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    (row,) = store.import_photos(portfolio.visit_id, portfolio.officer,
                                 [make_jpeg(tmp_path / "a.jpg", size=(640, 480))]).added
    stored = store.photos.original_path(row.sha256)
    before = hashlib.sha256(stored.read_bytes()).hexdigest()
    shapes = [
        {"kind": "arrow", "x1": 10, "y1": 20, "x2": 300.04, "y2": 200},
        {"kind": "circle", "cx": 320, "cy": 240, "r": 50, "color": "#00FF00"},
        {"kind": "text", "x": 5, "y": 470, "text": " 裂缝 "},
    ]

    saved = store.set_photo_annotations(row.id, portfolio.officer, shapes)

    assert saved.annotations == (
        {"kind": "arrow", "x1": 10.0, "y1": 20.0, "x2": 300.0, "y2": 200.0, "color": "#e53935"},
        {"kind": "circle", "cx": 320.0, "cy": 240.0, "r": 50.0, "color": "#00ff00"},
        {"kind": "text", "x": 5.0, "y": 470.0, "text": "裂缝", "color": "#e53935"},
    )
    assert store.visit_photos(portfolio.visit_id)[0].annotations == saved.annotations
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == before == row.sha256
    for bad, words in [
        ([{"kind": "arrow", "x1": 0, "y1": 0, "x2": 641, "y2": 0}], "outside the photo"),
        ([{"kind": "square", "x": 1}], "arrow, circle or text"),
        ([{"kind": "text", "x": 1, "y": 1, "text": "  "}], "1 to 200 characters"),
        ([{"kind": "circle", "cx": 1, "cy": 1, "r": "big"}], "r must be a number"),
        ([{"kind": "circle", "cx": 1, "cy": 1, "r": 0}], "radius"),
    ]:
        with pytest.raises(PhotoEditError, match=words):
            store.set_photo_annotations(row.id, portfolio.officer, bad)
    assert store.photo_row(row.id).annotations == saved.annotations
    store.set_photo_annotations(row.id, portfolio.officer, [])
    assert store.photo_row(row.id).annotations == ()


def test_a_photo_taken_days_before_the_visit_is_flagged(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    # The visit is dated 2026-11-20.
    result = store.import_photos(portfolio.visit_id, portfolio.officer, [
        make_jpeg(tmp_path / "old.jpg", 1, taken="2026:11:10 12:00:00"),
        make_jpeg(tmp_path / "edge.jpg", 2,
                  taken=f"2026:11:{20 - OLD_PHOTO_DAYS:02d} 12:00:00"),
        make_jpeg(tmp_path / "today.jpg", 3, taken="2026:11:20 12:00:00"),
        make_jpeg(tmp_path / "no-exif.jpg", 4),
    ])
    assert [(r.original_name, r.taken_long_before) for r in result.added] == [
        ("old.jpg", True), ("edge.jpg", False), ("today.jpg", False), ("no-exif.jpg", False)]


def test_a_signed_visit_refuses_every_photo_change(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    (row,) = store.import_photos(portfolio.visit_id, portfolio.officer,
                                 [make_jpeg(tmp_path / "a.jpg")]).added
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).status = VisitStatus.SIGNED
    user = portfolio.officer

    for change in (
        lambda: store.set_photo_caption(row.id, user, "x"),
        lambda: store.link_photo(row.id, user, item_code="R-WIL-01"),
        lambda: store.remove_photo(row.id, user),
        lambda: store.set_photo_annotations(row.id, user, [{"kind": "text", "x": 1, "y": 1,
                                                           "text": "x"}]),
        lambda: store.import_photos(portfolio.visit_id, user, [make_jpeg(tmp_path / "b.jpg", 8)]),
    ):
        with pytest.raises(VisitLockedError):
            change()
    assert store.visit_photos(portfolio.visit_id) == [row]


def test_annotations_travel_in_the_pushed_visit_and_plain_photos_keep_their_fingerprint(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    plain, drawn = store.import_photos(
        portfolio.visit_id, portfolio.officer,
        [make_jpeg(tmp_path / "a.jpg", 1), make_jpeg(tmp_path / "b.jpg", 2)]).added
    shape = {"kind": "circle", "cx": 5.0, "cy": 5.0, "r": 3.0, "color": "#e53935"}
    store.set_photo_annotations(drawn.id, portfolio.officer, [shape])

    with store.read() as s:
        record = mapping.visit_record(s, portfolio.visit_id)
    assert record is not None
    document = record.model_dump(mode="json")
    by_id = {p["id"]: p for p in document["photos"]}
    assert by_id[drawn.id]["annotations"] == [shape]
    # Photos without drawings are sent exactly as before the field existed.
    assert "annotations" not in by_id[plain.id]
    again = wire.VisitRecord.model_validate(document)
    assert wire.payload_sha256(again) == wire.payload_sha256(record)


def test_migration_0005_gives_existing_photos_an_empty_layer(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0004")
    con = sqlite3.connect(db)
    t = "2026-01-05 08:00:00.000000"
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(
        "INSERT INTO photos (visit_id, sha256, original_name, caption, taken_at, gps_lat, "
        "gps_lon, width, height, size_bytes, item_code, collateral_item_id, id, created_at, "
        "updated_at, version) VALUES ('v-1', ?, 'a.jpg', '', NULL, NULL, NULL, 4, 3, 10, "
        "NULL, NULL, 'p-1', ?, ?, 1)", ("ab" * 32, t, t),
    )
    con.commit()
    con.close()

    migrate.upgrade_database(db)

    con = sqlite3.connect(db)
    assert con.execute("SELECT annotations FROM photos WHERE id = 'p-1'").fetchone() == ("[]",)
    # The signed-visit guard on photos survived the column change.
    triggers = {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'photos'")}
    con.close()
    assert {"trg_photos_locked_insert", "trg_photos_locked_update",
            "trg_photos_locked_delete"} <= triggers
    assert Photo.__table__.c.annotations.nullable is False
