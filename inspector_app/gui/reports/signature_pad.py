"""A handwritten signature: drawn with a mouse, a pen or a finger, saved as strokes or a PNG.

Strokes are kept in coordinates of a fixed-shape signing area (x and y from 0 to 1, the area
ASPECT times wider than high), not in pixels: the area is fitted into the widget whatever its
size, so resizing the window scales a signature without stretching it, and the strokes can be
stored and drawn again at any resolution.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window

Point = tuple[float, float, float]  # x, y (0..1 of the signing area), pen pressure (0..1)
Stroke = list[Point]

ASPECT = 3.0  # width / height of the signing area; matches the default 600 x 200 PNG
INK = QColor(13, 42, 107)  # dark blue: reads as handwriting on a printed page, not as print
# Ink width as a share of the area height at nominal pressure: about 3 px on a 200 px pad.
INK_WIDTH = 0.016
# A mouse or a finger has no pressure; they draw as a pen pressed half-way does.
NOMINAL_PRESSURE = 0.5
# Points closer than this (in area units) to the last one add nothing but size.
MIN_STEP = 0.0015
BASELINE_Y = 0.72  # where the guide line sits, as a share of the area height
PNG_MARGIN = 0.06  # blank border around the cropped signature, as a share of the image height

_PAPER = QColor(255, 255, 255)
_GUIDE = QColor(176, 186, 204)  # light enough not to be mistaken for ink
_HINT = QColor(140, 150, 168)


def ink_width(pressure: float, area_height: float) -> float:
    """Pen width in pixels for pressure on an area area_height pixels high."""
    # 0.4-1.6 times the nominal width: visible at a light touch, not a blot at full pressure.
    return area_height * INK_WIDTH * (0.4 + 1.2 * min(max(pressure, 0.0), 1.0))


def paint_strokes(
    painter: QPainter, strokes: Sequence[Stroke], to_pixels: Callable[[float, float], QPointF],
    area_height: float,
) -> None:
    """Draw strokes smoothed: quadratic curves through the midpoints of successive points."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for stroke in strokes:
        if not stroke:
            continue
        points = [to_pixels(x, y) for x, y, _ in stroke]
        widths = [ink_width(p, area_height) for _, _, p in stroke]
        if len(points) == 1:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            radius = widths[0] / 2
            painter.drawEllipse(points[0], radius, radius)
            continue
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Drawn piece by piece so the width can follow the pressure; round caps hide the joins.
        start = points[0]
        for i in range(1, len(points)):
            end = (points[i] + points[i + 1]) / 2 if i < len(points) - 1 else points[i]
            path = QPainterPath(start)
            path.quadTo(points[i], end)
            pen = QPen(INK, (widths[i - 1] + widths[i]) / 2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(path)
            start = end


def strokes_to_png(
    strokes: Sequence[Stroke], width_px: int = 600, height_px: int = 200, scale: float = 1.0
) -> bytes:
    """PNG bytes of strokes on a transparent image, cropped to the ink and centred with a margin.

    The image is width_px x height_px times scale: scale 2 doubles the resolution for print.
    """
    if not any(strokes):
        raise ValueError("there is no signature to save")
    if width_px <= 0 or height_px <= 0 or scale <= 0:
        raise ValueError("the image size and scale must be positive")
    width, height = round(width_px * scale), round(height_px * scale)
    # Bounding box of the ink in area units (y as a share of the area height, x of its width),
    # widened by half the widest pen so round ends are not clipped.
    xs = [x * ASPECT for stroke in strokes for x, _, _ in stroke]
    ys = [y for stroke in strokes for _, y, _ in stroke]
    pad = ink_width(1.0, 1.0) / 2
    left, right = min(xs) - pad, max(xs) + pad
    top, bottom = min(ys) - pad, max(ys) + pad
    margin = PNG_MARGIN * height
    fit = min((width - 2 * margin) / (right - left), (height - 2 * margin) / (bottom - top))
    offset_x = (width - fit * (right - left)) / 2 - fit * left
    offset_y = (height - fit * (bottom - top)) / 2 - fit * top

    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        paint_strokes(
            painter, strokes,
            lambda x, y: QPointF(offset_x + fit * x * ASPECT, offset_y + fit * y),
            # The pen of a pad as high as the image: a small signature blown up to fill the
            # image keeps a pen's weight instead of turning into thick bars.
            area_height=min(fit, float(height)),
        )
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode the signature as PNG")
    buffer.close()
    return bytes(data.data())


class SignaturePad(QWidget):
    """The signing area: press and drag to write; strokes(), to_png(), undo(), clear()."""

    changed = Signal()  # a stroke was started, finished, undone, cleared or replaced

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        # Which input draws the stroke in progress ("mouse", "tablet", "touch"), so one
        # device's events, or Qt's synthesised copies of them, cannot join another's stroke.
        self._drawing: str | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 100)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))

    # -- public --------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(self._strokes)

    def strokes(self) -> list[Stroke]:
        """A copy of the strokes, as lists of (x, y, pressure) in signing-area units (0..1)."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: Sequence[Sequence[Sequence[float]]]) -> None:
        """Replace the drawing with saved strokes (points as (x, y) or (x, y, pressure))."""
        loaded: list[Stroke] = []
        for stroke in strokes:
            points: Stroke = []
            for point in stroke:
                if len(point) not in (2, 3):
                    raise ValueError(f"a signature point has 2 or 3 numbers, not {point!r}")
                x, y = float(point[0]), float(point[1])
                pressure = float(point[2]) if len(point) == 3 else NOMINAL_PRESSURE
                if not all(math.isfinite(v) for v in (x, y, pressure)):
                    raise ValueError(f"a signature point must be finite, not {point!r}")
                points.append((_clamp(x), _clamp(y), _clamp(pressure)))
            if points:
                loaded.append(points)
        self._drawing = None
        self._strokes = loaded
        self._changed()

    def undo(self) -> None:
        """Remove the last stroke."""
        if self._strokes:
            self._strokes.pop()
            self._drawing = None
            self._changed()

    def clear(self) -> None:
        """Remove every stroke."""
        if self._strokes:
            self._strokes.clear()
            self._drawing = None
            self._changed()

    def to_png(self, width_px: int = 600, height_px: int = 200, scale: float = 1.0) -> bytes:
        """The signature as PNG bytes: transparent background, cropped and fitted with a margin.

        The image is (width_px x height_px) x scale pixels; scale 2 or more suits print.
        ValueError when nothing is drawn.
        """
        return strokes_to_png(self._strokes, width_px, height_px, scale)

    def area(self) -> QRectF:
        """The signing area in widget pixels: the largest ASPECT-shaped box that fits, centred."""
        inner = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        width = min(inner.width(), inner.height() * ASPECT)
        height = width / ASPECT
        return QRectF(
            inner.center().x() - width / 2, inner.center().y() - height / 2, width, height
        )

    def sizeHint(self) -> QSize:
        return QSize(600, 200)

    # -- Qt events -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            area = self.area()
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
            painter.setBrush(_PAPER)
            painter.drawRoundedRect(area, 6, 6)

            baseline = area.top() + area.height() * BASELINE_Y
            guide = QPen(_GUIDE, 1.2)
            painter.setPen(guide)
            inset = area.width() * 0.06
            painter.drawLine(
                QPointF(area.left() + inset, baseline), QPointF(area.right() - inset, baseline)
            )
            # "x" at the start of the line, as on a paper form.
            painter.drawText(
                QRectF(area.left() + inset - 4, baseline - 22, 20, 20),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, "×",
            )
            if self.is_empty():
                font = painter.font()
                font.setPointSizeF(font.pointSizeF() * 1.3)
                painter.setFont(font)
                painter.setPen(_HINT)
                painter.drawText(
                    QRectF(area.left(), area.top(), area.width(), baseline - area.top() - 6),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    self.tr("Sign here"),
                )
            paint_strokes(painter, self._strokes, self._to_pixels, area.height())
        finally:
            painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drawing is None:
            self._begin("mouse", event.position(), NOMINAL_PRESSURE)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing == "mouse" and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), NOMINAL_PRESSURE)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing == "mouse" and event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position(), NOMINAL_PRESSURE)
            self._end()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, so Qt does not also send the same motion as mouse events.
        kind = event.type()
        if kind == QEvent.Type.TabletPress and self._drawing is None:
            self._begin("tablet", event.position(), event.pressure())
        elif kind == QEvent.Type.TabletMove and self._drawing == "tablet":
            self._extend(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease and self._drawing == "tablet":
            self._end()
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            return True
        if kind == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Signature pad"))
            self.update()
        return super().event(event)

    # -- helpers -------------------------------------------------------------------------------

    def _touch(self, event: QTouchEvent) -> None:
        # One finger signs; a second finger touching by accident is ignored.
        kind = event.type()
        points = event.points()
        event.accept()  # accepting TouchBegin also stops Qt synthesising mouse events
        if kind == QEvent.Type.TouchBegin and points and self._drawing is None:
            self._begin("touch", points[0].position(), NOMINAL_PRESSURE)
        elif kind == QEvent.Type.TouchUpdate and points and self._drawing == "touch":
            self._extend(points[0].position(), NOMINAL_PRESSURE)
        elif kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel) and self._drawing == "touch":
            if points and kind == QEvent.Type.TouchEnd:
                self._extend(points[0].position(), NOMINAL_PRESSURE)
            self._end()

    def _begin(self, device: str, position: QPointF, pressure: float) -> None:
        self._drawing = device
        self._strokes.append([self._to_area(position, pressure)])
        self._changed()

    def _extend(self, position: QPointF, pressure: float) -> None:
        if not self._strokes:
            return
        stroke = self._strokes[-1]
        point = self._to_area(position, pressure)
        last = stroke[-1]
        if math.hypot((point[0] - last[0]) * ASPECT, point[1] - last[1]) < MIN_STEP:
            return
        stroke.append(point)
        self.update()

    def _end(self) -> None:
        self._drawing = None
        self._changed()

    def _changed(self) -> None:
        self.update()
        emit(self.changed)

    def _to_area(self, position: QPointF, pressure: float) -> Point:
        area = self.area()
        return (
            _clamp((position.x() - area.left()) / area.width()),
            _clamp((position.y() - area.top()) / area.height()),
            _clamp(pressure),
        )

    def _to_pixels(self, x: float, y: float) -> QPointF:
        area = self.area()
        return QPointF(area.left() + x * area.width(), area.top() + y * area.height())


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


class SignatureDialog(QDialog):
    """The pad with Undo and Clear, and OK (enabled once something is drawn) and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pad = SignaturePad(self)
        self._instruction = QLabel(self)
        self._instruction.setWordWrap(True)
        self.undo_button = QPushButton(self)
        self.clear_button = QPushButton(self)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.undo_button, self.clear_button):
            button.setAutoDefault(False)  # Enter accepts the dialog, never erases

        edits = QHBoxLayout()
        edits.addWidget(self.undo_button)
        edits.addWidget(self.clear_button)
        edits.addStretch(1)
        edits.addWidget(self._buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self._instruction)
        layout.addWidget(self.pad, 1)
        layout.addLayout(edits)

        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.pad.undo)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._update_buttons)

        self._retranslate()
        self._update_buttons()
        self.resize(640, 340)
        fit_window(self, "signature")

    def accept(self) -> None:
        if self.pad.is_empty():  # Enter on an empty pad: there is nothing to accept
            return
        super().accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Signature"))
        self._instruction.setText(
            self.tr("Sign in the box with the mouse, a pen or a finger.")
        )
        self.undo_button.setText(self.tr("&Undo"))
        self.undo_button.setToolTip(self.tr("Remove the last stroke"))
        self.clear_button.setText(self.tr("&Clear"))
        self.clear_button.setToolTip(self.tr("Remove the whole signature"))

    def _update_buttons(self) -> None:
        empty = self.pad.is_empty()
        self.ok_button.setEnabled(not empty)
        self.undo_button.setEnabled(not empty)
        self.clear_button.setEnabled(not empty)
