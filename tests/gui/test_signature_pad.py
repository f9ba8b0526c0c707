"""The signature pad: drawing with the mouse, undo and clear, the PNG, and the dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit

from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.reports.signature_pad import SignatureDialog, SignaturePad, strokes_to_png

ZIGZAG = [QPoint(120 + 22 * i, 100 + (30 if i % 2 else -30)) for i in range(12)]


def send_mouse(widget: SignaturePad, kind: QEvent.Type, pos: QPoint, held: bool) -> None:
    """A mouse event with the left button held (or just released), sent straight to widget.

    QTest.mouseMove does not say which buttons are held on every Qt version, so moves are
    built by hand: what a real drag delivers.
    """
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def draw(pad: SignaturePad, points: list[QPoint]) -> None:
    send_mouse(pad, QEvent.Type.MouseButtonPress, points[0], held=True)
    for point in points[1:]:
        send_mouse(pad, QEvent.Type.MouseMove, point, held=True)
    send_mouse(pad, QEvent.Type.MouseButtonRelease, points[-1], held=False)


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_dragging_the_mouse_draws_a_stroke(qtbot: QtBot, pad: SignaturePad) -> None:
    assert pad.is_empty()
    with qtbot.waitSignal(pad.changed):
        draw(pad, ZIGZAG)

    assert not pad.is_empty()
    [stroke] = pad.strokes()
    assert len(stroke) == len(ZIGZAG)
    # Stored in signing-area units, not pixels.
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y, _ in stroke)
    area = pad.area()
    x, y, _ = stroke[0]
    assert area.left() + x * area.width() == pytest.approx(ZIGZAG[0].x(), abs=0.5)
    assert area.top() + y * area.height() == pytest.approx(ZIGZAG[0].y(), abs=0.5)


def test_moving_without_a_button_draws_nothing(pad: SignaturePad) -> None:
    for point in ZIGZAG:
        send_mouse(pad, QEvent.Type.MouseMove, point, held=False)
    assert pad.is_empty()


def test_qtest_mouse_helpers_draw_too(qtbot: QtBot, pad: SignaturePad) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=ZIGZAG[0])
    for point in ZIGZAG[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=ZIGZAG[-1])
    [stroke] = pad.strokes()
    assert len(stroke) >= 2


def test_a_finger_draws_a_stroke(pad: SignaturePad) -> None:
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, ZIGZAG[0]).commit()
    for point in ZIGZAG[1:]:
        QTest.touchEvent(pad, device).move(0, point).commit()
    QTest.touchEvent(pad, device).release(0, ZIGZAG[-1]).commit()
    [stroke] = pad.strokes()
    assert len(stroke) >= len(ZIGZAG)


def test_a_pen_draws_with_its_pressure(pad: SignaturePad) -> None:
    stylus = QPointingDevice(
        "test stylus", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3,
    )

    def pen(kind: QEvent.Type, pos: QPoint, pressure: float, down: bool) -> None:
        held = Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton
        event = QTabletEvent(
            kind, stylus, QPointF(pos), QPointF(pad.mapToGlobal(pos)), pressure,
            0.0, 0.0, 0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton, held,
        )
        QApplication.sendEvent(pad, event)

    pen(QEvent.Type.TabletPress, QPoint(100, 100), 0.2, down=True)
    for i in range(1, 5):
        pen(QEvent.Type.TabletMove, QPoint(100 + 50 * i, 100), 0.2 + 0.2 * i, down=True)
    pen(QEvent.Type.TabletRelease, QPoint(300, 100), 0.0, down=False)

    [stroke] = pad.strokes()
    assert [round(p, 2) for _, _, p in stroke] == [0.2, 0.4, 0.6, 0.8, 1.0]


def test_pressing_harder_draws_a_thicker_line() -> None:
    def ink(pressure: float) -> int:
        # Two strokes, so the crop is the same; only the first one's pressure changes.
        line = [(0.1, 0.3, pressure), (0.9, 0.3, pressure)]
        image = QImage.fromData(strokes_to_png([line, [(0.1, 0.7, 0.5), (0.9, 0.7, 0.5)]]))
        return sum(image.pixelColor(300, y).alpha() > 128 for y in range(image.height() // 2))

    assert ink(1.0) > 2 * ink(0.1) > 0


def test_undo_removes_the_last_stroke_and_clear_removes_all(pad: SignaturePad) -> None:
    draw(pad, ZIGZAG)
    draw(pad, [QPoint(150, 160), QPoint(400, 165)])
    assert len(pad.strokes()) == 2

    pad.undo()
    [kept] = pad.strokes()
    assert len(kept) == len(ZIGZAG)  # the first stroke is the one kept

    draw(pad, [QPoint(150, 160), QPoint(400, 165)])
    pad.clear()
    assert pad.is_empty()
    pad.undo()  # nothing left: harmless
    assert pad.is_empty()


def test_strokes_survive_a_resize_without_stretching(pad: SignaturePad) -> None:
    draw(pad, ZIGZAG)
    before = pad.strokes()
    first = pad.area()
    pad.resize(900, 500)  # a different shape: the signing area keeps its own
    second = pad.area()
    assert second.width() / second.height() == pytest.approx(first.width() / first.height())
    assert pad.strokes() == before


def test_strokes_round_trip_and_bad_points_are_refused(pad: SignaturePad, qtbot: QtBot) -> None:
    saved = [[[0.1, 0.5], [0.5, 0.4, 0.9], [0.9, 0.6, 0.2]]]
    with qtbot.waitSignal(pad.changed):
        pad.set_strokes(saved)
    assert pad.strokes() == [[(0.1, 0.5, 0.5), (0.5, 0.4, 0.9), (0.9, 0.6, 0.2)]]
    with pytest.raises(ValueError):
        pad.set_strokes([[[0.1]]])
    with pytest.raises(ValueError):
        pad.set_strokes([[[0.1, float("nan")]]])


def test_png_is_transparent_with_dark_ink_where_drawn(pad: SignaturePad) -> None:
    with pytest.raises(ValueError):
        pad.to_png()
    draw(pad, ZIGZAG)

    png = pad.to_png()
    assert png.startswith(b"\x89PNG")
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (600, 200)
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # corners are background
    assert image.pixelColor(599, 199).alpha() == 0
    ink = [
        image.pixelColor(x, y)
        for y in range(0, 200, 2) for x in range(0, 600, 2)
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert len(ink) > 200
    # Dark blue: blue dominates, and it is dark.
    assert all(c.blue() > c.red() and c.lightness() < 100 for c in ink)
    # Cropped to the ink and fitted: the zigzag spans nearly the whole width.
    columns = {x for x in range(600) if any(image.pixelColor(x, y).alpha() for y in range(200))}
    assert min(columns) < 60 and max(columns) > 540


def test_png_scale_raises_the_resolution(pad: SignaturePad) -> None:
    draw(pad, ZIGZAG)
    image = QImage.fromData(pad.to_png(width_px=300, height_px=100, scale=3))
    assert (image.width(), image.height()) == (900, 300)


def test_a_single_tap_is_a_dot() -> None:
    image = QImage.fromData(strokes_to_png([[(0.5, 0.5, 0.5)]]))
    assert image.pixelColor(300, 100).alpha() > 200


def test_dialog_ok_only_once_something_is_drawn(qtbot: QtBot) -> None:
    dialog = SignatureDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.ok_button.isEnabled()
    assert not dialog.undo_button.isEnabled()
    dialog.accept()  # Enter on an empty pad does not close it
    assert dialog.isVisible()

    draw(dialog.pad, [QPoint(p.x() - 20, p.y() - 20) for p in ZIGZAG])
    assert dialog.ok_button.isEnabled()

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.pad.is_empty()
    assert not dialog.ok_button.isEnabled()

    draw(dialog.pad, [QPoint(p.x() - 20, p.y() - 20) for p in ZIGZAG])
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.pad.is_empty() and not dialog.ok_button.isEnabled()

    draw(dialog.pad, [QPoint(p.x() - 20, p.y() - 20) for p in ZIGZAG])
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("lang", "title", "undo", "hint"),
    [("zh_CN", "签名", "撤销(&U)", "请在此签名"), ("en", "Signature", "&Undo", "Sign here")],
)
def test_dialog_speaks_the_language(
    qtbot: QtBot, qapp: QApplication, lang: str, title: str, undo: str, hint: str
) -> None:
    use_bundled_font(qapp)
    i18n.install(lang)
    dialog = SignatureDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == title
    assert dialog.undo_button.text() == undo
    assert dialog.pad.tr("Sign here") == hint
    assert texts_fit(dialog) == []
    save(dialog, f"signature_dialog_empty_{lang}")

    points = [
        QPoint(90, 150), QPoint(110, 110), QPoint(130, 170), QPoint(160, 100), QPoint(190, 160),
        QPoint(230, 120), QPoint(260, 150), QPoint(300, 115), QPoint(340, 160), QPoint(380, 125),
        QPoint(430, 150), QPoint(480, 130), QPoint(530, 145),
    ]
    draw(dialog.pad, points)
    draw(dialog.pad, [QPoint(140, 185), QPoint(300, 178), QPoint(470, 183)])
    assert texts_fit(dialog) == []
    save(dialog, f"signature_dialog_{lang}")
