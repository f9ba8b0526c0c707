"""The photo viewer opened from the photo page: Previous, Next (buttons and Page Up/Down) and
Close; a marking drawn goes to the photo shown and appears on its thumbnail in the grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from photo_support import PhotoVisit, photo_visit_fixture  # noqa: F401
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.photos.viewer import PhotoViewer

NAMES = ("a-gate.jpg", "b-yard.jpg", "c-wall.jpg")


def _grey(path: Path, shade: int) -> Path:
    Image.new("RGB", (1200, 900), (shade, shade, shade)).save(path, "JPEG", quality=90)
    return path


@pytest.fixture
def page(qtbot: QtBot, photo_visit: PhotoVisit, tmp_path: Path) -> VisitPhotosPage:
    i18n.install("en")
    paths = [_grey(tmp_path / name, 90 + 30 * n) for n, name in enumerate(NAMES)]
    photo_visit.store.import_photos(photo_visit.visit_id, photo_visit.officer, paths)
    widget = VisitPhotosPage(photo_visit.ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading and widget.model.rowCount() == 3)
    return widget


def open_second(qtbot: QtBot, page: VisitPhotosPage) -> PhotoViewer:
    page.grid.setCurrentIndex(page.model.index(1))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    viewer = page.viewer
    assert viewer is not None
    viewer.resize(900, 700)
    qtbot.waitUntil(lambda: viewer.image_loaded)
    return viewer


def button(viewer: PhotoViewer, name: str) -> QToolButton:
    widget = viewer.toolbar.widgetForAction(viewer.actions_by_name[name])
    assert isinstance(widget, QToolButton)
    return widget


def red_pixels(icon: QIcon) -> int:
    image = icon.pixmap(150, 150).toImage().convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            count += colour.red() - colour.green() > 60 and colour.red() - colour.blue() > 60
    return count


def test_previous_next_and_close_step_through_the_visits_photos(
        qtbot: QtBot, page: VisitPhotosPage) -> None:
    viewer = open_second(qtbot, page)
    assert "b-yard.jpg" in viewer.windowTitle()
    assert viewer.position.text().strip() == "2 / 3"

    qtbot.mouseClick(button(viewer, "previous"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.image_loaded)
    assert "a-gate.jpg" in viewer.windowTitle()
    assert viewer.position.text().strip() == "1 / 3"
    assert not button(viewer, "previous").isEnabled() and button(viewer, "next").isEnabled()
    assert page.selected_row().original_name == "a-gate.jpg"  # the grid follows

    qtbot.keyClick(viewer.canvas, Qt.Key.Key_PageDown)
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: viewer.image_loaded)
    assert "c-wall.jpg" in viewer.windowTitle()
    assert not button(viewer, "next").isEnabled() and button(viewer, "previous").isEnabled()
    # The photo's own picture: its grey, not the first photo's left over.
    assert viewer.canvas.photo.pixmap().toImage().pixelColor(10, 10).red() == pytest.approx(
        150, abs=3)

    qtbot.mouseClick(viewer.close_button, Qt.MouseButton.LeftButton)
    assert not viewer.isVisible()
    assert page.selected_row().original_name == "c-wall.jpg"


def test_a_marking_goes_to_the_photo_shown_and_onto_its_thumbnail(
        qtbot: QtBot, page: VisitPhotosPage, photo_visit: PhotoVisit) -> None:
    viewer = open_second(qtbot, page)
    qtbot.mouseClick(button(viewer, "next"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.image_loaded)
    assert red_pixels(page.model.index(2).data(Qt.ItemDataRole.DecorationRole)) == 0

    viewer.actions_by_name["arrow"].trigger()
    port = viewer.canvas.viewport()
    start, end = (viewer.canvas.mapFromScene(QPointF(x, 450)) for x in (150, 1050))
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(port, QPoint((start.x() + end.x()) // 2, start.y()))
    qtbot.mouseMove(port, end)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)
    assert photo_visit.ctx.wait_for_saves()

    rows = {r.original_name: r for r in photo_visit.store.visit_photos(photo_visit.visit_id)}
    assert [s["kind"] for s in rows["c-wall.jpg"].annotations] == ["arrow"]
    assert rows["b-yard.jpg"].annotations == ()
    qtbot.waitUntil(lambda: red_pixels(
        page.model.index(2).data(Qt.ItemDataRole.DecorationRole)) > 40, timeout=10_000)
    assert red_pixels(page.model.index(1).data(Qt.ItemDataRole.DecorationRole)) == 0
    viewer.close()  # no window left open for the next test to lose the focus to
