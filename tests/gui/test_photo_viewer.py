"""The photo viewer driven with mouse and keys: zoom, pan, drawing arrows, circles and text,
undo, caption; markings saved beside an original whose bytes never change."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from photo_support import PhotoVisit, make_jpeg, photo_visit_fixture  # noqa: F401
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.editor.photos.viewer import PhotoViewer
from inspector_app.store.photo_editing import PhotoRow


@pytest.fixture
def photo(photo_visit: PhotoVisit, tmp_path: Path) -> PhotoRow:
    path = make_jpeg(tmp_path / "warehouse.jpg", 3, size=(1200, 900),
                     taken="2025:03:10 14:05:00", gps=(30.25, 120.5))
    (row,) = photo_visit.store.import_photos(photo_visit.visit_id, photo_visit.officer,
                                             [path]).added
    return row


@pytest.fixture
def viewer(qtbot: QtBot, photo_visit: PhotoVisit, photo: PhotoRow) -> Iterator[PhotoViewer]:
    i18n.install("en")
    dialog = PhotoViewer(photo_visit.ctx, photo)
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.image_loaded)
    dialog.canvas.fit()
    yield dialog
    assert photo_visit.ctx.wait_for_saves()


def at(viewer: PhotoViewer, x: float, y: float) -> QPoint:
    """The viewport point showing photo pixel (x, y)."""
    return viewer.canvas.mapFromScene(QPointF(x, y))


def drag(qtbot: QtBot, viewer: PhotoViewer, start: QPoint, end: QPoint) -> None:
    port = viewer.canvas.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(port, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(port, end)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)


def stored(photo_visit: PhotoVisit, photo: PhotoRow) -> tuple[dict, ...]:
    assert photo_visit.ctx.wait_for_saves()
    return photo_visit.store.photo_row(photo.id).annotations


def test_shows_the_photo_with_its_exif_time_and_gps(viewer: PhotoViewer) -> None:
    assert "warehouse.jpg" in viewer.windowTitle()
    assert "2025-03-10" in viewer.facts.text()
    assert "30.25000° N, 120.50000° E" in viewer.facts.text()
    assert "1200 × 900" in viewer.facts.text()
    # The 1200 x 900 photo fills the scene at its own pixel size.
    bounds = viewer.canvas.photo.sceneBoundingRect()
    assert (round(bounds.width()), round(bounds.height())) == (1200, 900)


def test_zoom_with_buttons_keys_and_wheel_and_fit(qtbot: QtBot, viewer: PhotoViewer) -> None:
    fitted = viewer.canvas.zoom
    viewer.actions_by_name["zoom_in"].trigger()
    assert viewer.canvas.zoom == pytest.approx(fitted * 1.25)
    viewer.actions_by_name["zoom_out"].trigger()
    viewer.actions_by_name["zoom_out"].trigger()
    assert viewer.canvas.zoom == pytest.approx(fitted / 1.25)
    port = viewer.canvas.viewport()
    centre = QPointF(port.rect().center())
    wheel = QWheelEvent(centre, port.mapToGlobal(centre), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(port, wheel)
    assert viewer.canvas.zoom == pytest.approx(fitted * 1.25)  # two notches in: 1/1.25 * 1.25²
    qtbot.keyClick(viewer, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert viewer.canvas.zoom == pytest.approx(1.0)
    qtbot.keyClick(viewer, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.canvas.zoom == pytest.approx(fitted)


def test_dragging_in_move_mode_pans_the_zoomed_photo(qtbot: QtBot, viewer: PhotoViewer) -> None:
    viewer.canvas.actual_size()  # 1200 px wide in a narrower window: scrollable
    bar = viewer.canvas.horizontalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    assert viewer.canvas.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
    port = viewer.canvas.viewport()
    centre = port.rect().center()
    drag(qtbot, viewer, centre, centre + QPoint(120, 0))
    assert bar.value() < before
    assert viewer.shapes == []


def test_an_arrow_and_a_circle_drawn_with_the_mouse_are_saved_and_the_original_kept(
    qtbot: QtBot, viewer: PhotoViewer, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    original = photo_visit.store.photos.original_path(photo.sha256)
    before = hashlib.sha256(original.read_bytes()).hexdigest()

    viewer.actions_by_name["arrow"].trigger()
    with qtbot.waitSignal(viewer.edited):
        drag(qtbot, viewer, at(viewer, 100, 100), at(viewer, 500, 400))
    qtbot.keyClick(viewer, Qt.Key.Key_C)  # the circle tool's key
    with qtbot.waitSignal(viewer.edited):
        drag(qtbot, viewer, at(viewer, 800, 450), at(viewer, 900, 450))

    arrow, circle = stored(photo_visit, photo)
    assert arrow["kind"] == "arrow"
    assert (arrow["x1"], arrow["y1"]) == pytest.approx((100, 100), abs=3)
    assert (arrow["x2"], arrow["y2"]) == pytest.approx((500, 400), abs=3)
    assert circle["kind"] == "circle"
    assert (circle["cx"], circle["cy"], circle["r"]) == pytest.approx((800, 450, 100), abs=3)
    assert len(viewer.marking_items()) == 2
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before == photo.sha256


def test_a_click_without_a_drag_draws_nothing(qtbot: QtBot, viewer: PhotoViewer) -> None:
    viewer.actions_by_name["arrow"].trigger()
    point = at(viewer, 300, 300)
    drag(qtbot, viewer, point, point)
    assert viewer.shapes == [] and viewer.marking_items() == []


def test_a_text_marking_is_typed_into_a_dialog(
    qtbot: QtBot, viewer: PhotoViewer, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    viewer.actions_by_name["text"].trigger()
    qtbot.mouseClick(viewer.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=at(viewer, 200, 700))
    dialog = viewer.text_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("Rust on the pipes")
    with qtbot.waitSignal(viewer.edited):
        dialog.accept()

    (text,) = stored(photo_visit, photo)
    assert text["kind"] == "text" and text["text"] == "Rust on the pipes"
    assert (text["x"], text["y"]) == pytest.approx((200, 700), abs=3)


def test_undo_takes_back_the_last_shape(
    qtbot: QtBot, viewer: PhotoViewer, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    assert not viewer.actions_by_name["undo"].isEnabled()
    viewer.actions_by_name["circle"].trigger()
    drag(qtbot, viewer, at(viewer, 300, 300), at(viewer, 360, 300))
    drag(qtbot, viewer, at(viewer, 700, 300), at(viewer, 760, 300))
    assert len(stored(photo_visit, photo)) == 2

    with qtbot.waitSignal(viewer.edited):
        qtbot.keyClick(viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    (left,) = stored(photo_visit, photo)
    assert left["cx"] == pytest.approx(300, abs=3)
    assert len(viewer.marking_items()) == 1


def test_the_caption_is_edited_in_the_viewer(
    qtbot: QtBot, viewer: PhotoViewer, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    viewer.caption.setFocus()
    qtbot.keyClicks(viewer.caption, "North gate")
    with qtbot.waitSignal(viewer.edited):
        qtbot.keyClick(viewer.caption, Qt.Key.Key_Return)
    assert photo_visit.store.photo_row(photo.id).caption == "North gate"


def test_markings_already_stored_are_drawn_when_opened(
    qtbot: QtBot, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    shapes = [{"kind": "circle", "cx": 600, "cy": 450, "r": 80},
              {"kind": "text", "x": 10, "y": 10, "text": "裂缝"}]
    row = photo_visit.store.set_photo_annotations(photo.id, photo_visit.officer, shapes)
    dialog = PhotoViewer(photo_visit.ctx, row)
    qtbot.addWidget(dialog)
    assert [item.data(0) for item in dialog.marking_items()] == ["circle", "text"]


def test_a_read_only_viewer_offers_no_drawing_tools(
    qtbot: QtBot, photo_visit: PhotoVisit, photo: PhotoRow
) -> None:
    dialog = PhotoViewer(photo_visit.ctx, photo, editable=False)
    qtbot.addWidget(dialog)
    assert not dialog.actions_by_name["arrow"].isEnabled()
    assert dialog.actions_by_name["zoom_in"].isEnabled()
    assert dialog.caption.isReadOnly()
