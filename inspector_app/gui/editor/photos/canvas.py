"""The viewer's zoomable photo and its markings (arrows, circles, text) as QGraphicsItems.

Scene coordinates are the photo's own pixels (upright), the unit the store validates and
keeps. The sizes of a marking come from the store (store/photo_markings.py), which draws the
same shapes into the report's copy and the thumbnails, so a marking looks the same in all.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import (
    ARROW_HEAD_SPREAD,
    DEFAULT_COLOR,
    TEXT_BACKGROUND,
    PhotoRow,
    arrow_head,
    text_pixels,
)
from inspector_app.store.facade import line_width as stroke_for

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 8.0


def line_width(row: PhotoRow) -> float:
    """Markings stay visible at "fit" on a 12 MP photo and on a small screenshot alike."""
    return stroke_for(row.width, row.height)


def shape_item(shape: dict[str, Any], width: float) -> QGraphicsItem:
    """The scene item that draws one stored shape."""
    colour = QColor(shape.get("color", DEFAULT_COLOR))
    pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    kind = shape["kind"]
    item: QGraphicsItem
    if kind == "arrow":
        start, end = QPointF(shape["x1"], shape["y1"]), QPointF(shape["x2"], shape["y2"])
        path = QPainterPath(start)
        path.lineTo(end)
        head = arrow_head(width)
        angle = math.atan2(start.y() - end.y(), start.x() - end.x())
        for side in (-ARROW_HEAD_SPREAD, ARROW_HEAD_SPREAD):
            path.moveTo(end)
            path.lineTo(end.x() + head * math.cos(angle + side),
                        end.y() + head * math.sin(angle + side))
        arrow = QGraphicsPathItem(path)
        arrow.setPen(pen)
        item = arrow
    elif kind == "circle":
        r = shape["r"]
        circle = QGraphicsEllipseItem(QRectF(shape["cx"] - r, shape["cy"] - r, 2 * r, 2 * r))
        circle.setPen(pen)
        item = circle
    else:
        background = QGraphicsRectItem()
        background.setPen(QPen(Qt.PenStyle.NoPen))
        background.setBrush(QBrush(QColor(*TEXT_BACKGROUND)))
        text = QGraphicsSimpleTextItem(shape["text"], background)
        font = QFont(text.font())
        font.setPixelSize(text_pixels(width))
        font.setBold(True)
        text.setFont(font)
        text.setBrush(colour)
        bounds = text.boundingRect()
        background.setRect(QRectF(-width, -width, bounds.width() + 2 * width,
                                  bounds.height() + 2 * width))
        background.setPos(shape["x"], shape["y"])
        item = background
    item.setData(0, kind)
    return item


class PhotoCanvas(QGraphicsView):
    """The zoomable photo; draws a shape with the current tool and hands it to the viewer."""

    shape_drawn = Signal(dict)
    text_requested = Signal(QPointF)

    def __init__(self, row: PhotoRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.tool = "pan"
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#303030"))
        self.photo = QGraphicsPixmapItem()
        self.photo.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.photo)
        self._start: QPointF | None = None
        self._preview: QGraphicsItem | None = None
        self.set_row(row)
        self.set_tool("pan")

    def set_row(self, row: PhotoRow) -> None:
        """Show another photo: its size, no picture until set_image gives it one."""
        self.row = row
        self._start = None
        self.photo.setPixmap(QPixmap())
        self.scene().setSceneRect(QRectF(0, 0, row.width, row.height))

    def set_image(self, image: QImage) -> None:
        self.photo.setPixmap(QPixmap.fromImage(image))
        self.photo.setScale(self.row.width / max(image.width(), 1))

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        factor = min(max(self.zoom * factor, MIN_ZOOM), MAX_ZOOM) / self.zoom
        self.scale(factor, factor)

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def actual_size(self) -> None:
        self.resetTransform()

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        pan = tool == "pan"
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag if pan
                         else QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if pan
                                  else Qt.CursorShape.CrossCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    def _scene_point(self, event: QMouseEvent) -> QPointF:
        point = self.mapToScene(event.position().toPoint())
        return QPointF(min(max(point.x(), 0.0), self.row.width),
                       min(max(point.y(), 0.0), self.row.height))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.tool == "pan" or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = self._scene_point(event)
        if self.tool == "text":
            emit(self.text_requested, point)
        else:
            self._start = point
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            super().mouseMoveEvent(event)
            return
        shape = self._shape_to(self._scene_point(event))
        if self._preview is not None:
            self.scene().removeItem(self._preview)
            self._preview = None
        if shape is not None:
            self._preview = shape_item(shape, line_width(self.row))
            self.scene().addItem(self._preview)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            super().mouseReleaseEvent(event)
            return
        shape = self._shape_to(self._scene_point(event))
        self._start = None
        if self._preview is not None:
            self.scene().removeItem(self._preview)
            self._preview = None
        if shape is not None:
            emit(self.shape_drawn, shape)
        event.accept()

    def _shape_to(self, end: QPointF) -> dict[str, Any] | None:
        start = self._start
        assert start is not None
        length = QLineF(start, end).length()
        if length < max(line_width(self.row) * 2, 4):
            return None  # a click, not a drag
        if self.tool == "arrow":
            return {"kind": "arrow", "x1": start.x(), "y1": start.y(), "x2": end.x(),
                    "y2": end.y(), "color": DEFAULT_COLOR}
        return {"kind": "circle", "cx": start.x(), "cy": start.y(), "r": length,
                "color": DEFAULT_COLOR}
