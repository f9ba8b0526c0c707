"""The visit's photo page driven as the officer does: Add…, drop files and folders, paste,
bad files, a big folder cancelled half-way, caption, links, removal, the old-photo warning."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from photo_support import VISIT_DATE, PhotoVisit, make_jpeg, photo_visit_fixture  # noqa: F401
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.editor.photos import photo_import
from inspector_app.gui.editor.photos import photos_page as visit_photos
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.store.models import Visit


@pytest.fixture
def page(qtbot: QtBot, photo_visit: PhotoVisit) -> VisitPhotosPage:
    i18n.install("en")
    widget = VisitPhotosPage(photo_visit.ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    return widget


def wait_import(qtbot: QtBot, page: VisitPhotosPage) -> None:
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=20_000)
    qtbot.waitUntil(lambda: not page.loading)


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop(page: VisitPhotosPage, mime: QMimeData) -> bool:
    """Drag over the grid and drop, as the window system delivers it; True if accepted."""
    target = page.grid.viewport()
    point = target.rect().center()
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def test_add_imports_the_chosen_files_and_shows_their_thumbnails(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = [make_jpeg(tmp_path / "gate.jpg", 1), make_jpeg(tmp_path / "yard.jpg", 2)]
    monkeypatch.setattr(visit_photos, "choose_photo_files", lambda parent: chosen)

    with qtbot.waitSignal(page.edited):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    wait_import(qtbot, page)

    assert page.model.rowCount() == 2
    assert page.count_label.text() == "2 photos"
    assert page.summary.text() == "2 photos added."
    qtbot.waitUntil(lambda: page.model.thumbnails_loaded == 2)
    names = [page.model.index(n).data() for n in range(2)]
    assert names == ["gate.jpg", "yard.jpg"]
    assert [r.original_name for r in photo_visit.store.visit_photos(photo_visit.visit_id)] == [
        "gate.jpg", "yard.jpg"]


def test_dropping_a_folder_imports_its_photos_recursively(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    folder = tmp_path / "DCIM"
    make_jpeg(folder / "100CANON" / "IMG_0001.JPG", 1, taken="2025:03:10 10:15:00",
              gps=(31.5, 121.25))
    make_jpeg(folder / "100CANON" / "IMG_0002.JPG", 2)
    make_jpeg(folder / "IMG_0003.JPG", 3)
    (folder / "readme.txt").write_text("camera notes")

    assert drop(page, file_mime(folder))
    wait_import(qtbot, page)

    assert page.model.rowCount() == 3
    assert page.summary.text() == (
        "3 photos added.\n1 other file in the folders is not a photo and was skipped.")
    names = [page.model.index(n).data() for n in range(3)]
    assert names == ["IMG_0003.JPG", "IMG_0001.JPG", "IMG_0002.JPG"]  # a folder's own first
    page.grid.setCurrentIndex(page.model.index(1))
    assert "IMG_0001.JPG" in page.facts.text()
    assert "2025-03-10" in page.facts.text() and "31.50000° N, 121.25000° E" in page.facts.text()


def test_a_drop_of_plain_text_is_not_accepted(page: VisitPhotosPage) -> None:
    mime = QMimeData()
    mime.setText("just words")
    assert not drop(page, mime)
    assert page.job is None


def test_bad_files_are_named_with_their_reason_and_nothing_is_kept(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    whole = make_jpeg(tmp_path / "whole.jpg", 4, size=(600, 400)).read_bytes()
    (tmp_path / "broken.jpg").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "a.txt").write_text("minutes of the meeting")
    (tmp_path / "empty.jpg").write_bytes(b"")

    drop(page, file_mime(tmp_path / "broken.jpg", tmp_path / "a.txt", tmp_path / "empty.jpg"))
    wait_import(qtbot, page)

    box = page.job.message_box if page.job else None
    assert box is not None and box.isVisible()
    text = box.text()
    assert text.startswith("No new photos were added.\n3 could not be used:")
    assert "broken.jpg: the photo file is incomplete" in text
    assert "a.txt: not a photo" in text
    assert "empty.jpg: the photo file is empty" in text
    box.button(QMessageBox.StandardButton.Ok).click()
    assert photo_visit.store.visit_photos(photo_visit.visit_id) == []
    assert page.model.rowCount() == 0


def test_paste_adds_copied_files_and_a_copied_picture(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(file_mime(make_jpeg(tmp_path / "copied.jpg", 6)))
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_import(qtbot, page)
    assert page.model.rowCount() == 1

    screenshot = QImage(200, 120, QImage.Format.Format_RGB32)
    screenshot.fill(QColor("#3366aa"))
    clipboard.setImage(screenshot)
    page.job = None
    qtbot.keyClick(page.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_import(qtbot, page)

    rows = photo_visit.store.visit_photos(photo_visit.visit_id)
    assert rows[0].original_name == "copied.jpg"
    pasted = rows[1]
    assert pasted.original_name.startswith("clipboard-") and pasted.original_name.endswith(".png")
    assert (pasted.width, pasted.height) == (200, 120)
    assert page.summary.text() == "1 photo added."


def test_a_500_file_folder_shows_progress_and_cancel_keeps_only_whole_photos(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for i in range(500):
        if i % 10 == 0:
            make_jpeg(folder / f"f{i:03d}.jpg", i, size=(16, 12))
        else:
            (folder / f"f{i:03d}.jpg").write_bytes(b"not really %d" % i)
    store = photo_visit.store
    # The worker waits at the 120th file until the officer has pressed Cancel, so the click
    # lands mid-import however fast the machine is.
    reached, clicked = threading.Event(), threading.Event()
    calls = 0
    real_add = store.add_photo

    def add_photo(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 120:
            reached.set()
            assert clicked.wait(10)
        return real_add(*args, **kwargs)

    monkeypatch.setattr(store, "add_photo", add_photo)
    page.import_paths([folder])
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    dialog = page.job.progress if page.job else None
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() >= 100)
    assert dialog.maximum() == 500
    qtbot.waitUntil(dialog.isVisible)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    clicked.set()
    wait_import(qtbot, page)

    result = page.job.result if page.job else None
    assert result is not None and result.cancelled
    assert calls == 120  # stopped right after the photo being stored when Cancel came
    assert len(result.added) == 12 and len(result.failed) == 108
    assert page.summary.text().startswith("Stopped. The photos added before you cancelled")
    rows = store.visit_photos(photo_visit.visit_id)
    assert len(rows) == 12 and all(store.photos.verify(r.sha256) for r in rows)
    assert page.model.rowCount() == 12


def test_caption_links_and_removal_are_saved(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    page.import_paths([make_jpeg(tmp_path / "a.jpg", 1), make_jpeg(tmp_path / "b.jpg", 2)])
    wait_import(qtbot, page)
    store, visit_id = photo_visit.store, photo_visit.visit_id
    rect = page.grid.visualRect(page.model.index(0))
    qtbot.mouseClick(page.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_row() is not None and page.selected_row().original_name == "a.jpg"

    page.caption.clear()
    qtbot.keyClicks(page.caption, "Crack in east wall")
    with qtbot.waitSignal(page.edited):
        qtbot.keyClick(page.caption, Qt.Key.Key_Return)
    page.item_combo.setFocus()
    with qtbot.waitSignal(page.edited):
        qtbot.keyClick(page.item_combo, Qt.Key.Key_Down)
    page.collateral_combo.setFocus()
    with qtbot.waitSignal(page.edited):
        qtbot.keyClick(page.collateral_combo, Qt.Key.Key_Down)

    first = store.visit_photos(visit_id)[0]
    assert first.caption == "Crack in east wall"
    assert first.item_code == page.item_combo.itemData(1) and first.item_code is not None
    assert first.collateral_item_id == photo_visit.collateral_id
    assert page.model.index(0).data() == "Crack in east wall"

    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and "Crack in east wall" in box.text()
    with qtbot.waitSignal(page.edited):
        box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert [r.original_name for r in store.visit_photos(visit_id)] == ["b.jpg"]


def test_removal_can_be_declined(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    page.import_paths([make_jpeg(tmp_path / "a.jpg", 1)])
    wait_import(qtbot, page)
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_Delete)
    box = page.confirm_box
    assert box is not None
    box.button(QMessageBox.StandardButton.No).click()
    assert photo_visit.ctx.wait_for_saves()
    assert len(photo_visit.store.visit_photos(photo_visit.visit_id)) == 1


def test_a_photo_taken_long_before_the_visit_is_flagged(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    page.import_paths([
        make_jpeg(tmp_path / "last-year.jpg", 1, taken="2024:03:01 09:00:00"),
        make_jpeg(tmp_path / "today.jpg", 2, taken=f"{VISIT_DATE:%Y:%m:%d} 09:00:00"),
    ])
    wait_import(qtbot, page)

    old, fresh = page.model.index(0), page.model.index(1)
    assert old.data() == "⚠ last-year.jpg" and fresh.data() == "today.jpg"
    assert "more than 3 days before the visit date" in old.data(Qt.ItemDataRole.ToolTipRole)
    assert "before the visit" not in fresh.data(Qt.ItemDataRole.ToolTipRole)
    page.grid.setCurrentIndex(old)
    assert page.warning.isVisible() and "before the visit date" in page.warning.text()
    page.grid.setCurrentIndex(fresh)
    assert not page.warning.isVisible()


def test_a_signed_visit_shows_its_photos_read_only(
    qtbot: QtBot, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    store = photo_visit.store
    store.import_photos(photo_visit.visit_id, photo_visit.officer, [make_jpeg(tmp_path / "a.jpg")])
    with store.write() as s:
        s.get_one(Visit, photo_visit.visit_id).status = VisitStatus.SIGNED
    i18n.install("en")
    page = VisitPhotosPage(photo_visit.ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)

    assert page.model.rowCount() == 1
    assert not page.add_button.isEnabled() and not page.remove_button.isEnabled()
    assert not page.caption.isEnabled()
    assert not drop(page, file_mime(make_jpeg(tmp_path / "b.jpg", 2)))


def test_the_checklist_page_can_attach_photos_to_one_item(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = page.item_combo.itemData(2)
    assert code is not None
    chosen = [make_jpeg(tmp_path / "evidence.jpg", 7)]
    monkeypatch.setattr(photo_import, "choose_photo_files", lambda parent: chosen)

    job = photo_import.attach_photos_to_item(photo_visit.ctx, code, page)

    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    (row,) = photo_visit.store.visit_photos(photo_visit.visit_id)
    assert (row.original_name, row.item_code) == ("evidence.jpg", code)
    assert job.summary == "1 photo added."


def test_the_page_follows_the_page_protocol_and_language(page: VisitPhotosPage) -> None:
    assert page.page_key() == "photos" and page.page_title() == "Photos"
    assert page.focus_target("photos") and not page.focus_target("header:place")
    i18n.install("zh_CN")
    assert page.page_title() == "照片" and page.add_button.text() == "添加照片…"


def test_photos_show_in_the_grid_while_a_long_import_is_still_running(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = [make_jpeg(tmp_path / f"p{n}.jpg", n) for n in range(8)]
    store = photo_visit.store
    # The worker holds the 6th photo until the grid has shown the first five.
    seen_five = threading.Event()
    calls = 0
    real_add = store.add_photo

    def add_photo(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 6:
            assert seen_five.wait(10)
        return real_add(*args, **kwargs)

    monkeypatch.setattr(store, "add_photo", add_photo)
    page.import_paths(paths)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    assert page.job is not None and page.job.running
    seen_five.set()
    wait_import(qtbot, page)
    assert page.model.rowCount() == 8


def test_photos_attached_on_another_page_show_when_this_page_is_shown_again(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page.hide()
    other = QWidget()
    qtbot.addWidget(other)
    chosen = [make_jpeg(tmp_path / "stock.jpg", 3)]
    monkeypatch.setattr(photo_import, "choose_photo_files", lambda parent: chosen)

    job = photo_import.attach_photos(photo_visit.ctx, other,
                                     collateral_item_id=photo_visit.collateral_id)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert page.model.rowCount() == 0  # hidden pages do not reload

    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.rows()[0].collateral_item_id == photo_visit.collateral_id


def test_flush_stores_a_caption_still_being_typed(
    qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit, tmp_path: Path
) -> None:
    page.import_paths([make_jpeg(tmp_path / "a.jpg", 1)])
    wait_import(qtbot, page)
    page.caption.setFocus()
    qtbot.keyClicks(page.caption, "Boiler room")

    page.flush()

    assert photo_visit.ctx.wait_for_saves()
    assert photo_visit.store.visit_photos(photo_visit.visit_id)[0].caption == "Boiler room"


def test_read_only_page_keeps_the_photos_browsable(
    qtbot: QtBot, page: VisitPhotosPage, tmp_path: Path
) -> None:
    page.import_paths([make_jpeg(tmp_path / "a.jpg", 1)])
    wait_import(qtbot, page)

    page.set_read_only(True)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)

    assert not page.add_button.isEnabled() and not page.caption.isEnabled()
    assert page.open_button.isEnabled()
    assert not drop(page, file_mime(make_jpeg(tmp_path / "b.jpg", 2)))
    viewer = page.open_viewer(page.model.rows()[0])
    assert not viewer.actions_by_name["circle"].isEnabled()
