"""A photo in full: zoom (buttons, keys, mouse wheel), pan, caption, EXIF time and GPS, and
markings drawn over it — arrows, circles, text — kept as a layer of QGraphicsItems.

Scene coordinates are the photo's own pixels (upright), the unit the store validates and
keeps; what is shown is the 1600-px report copy scaled up to that size, loaded by a worker.
The original file is never opened for writing: markings are saved with set_photo_annotations.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.photos.grid import WARNING_COLOUR, gps_text, taken_text, warning_text
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import DEFAULT_COLOR, PhotoRow

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 8.0
TOOLS = ("pan", "arrow", "circle", "text")


def line_width(row: PhotoRow) -> float:
    """Markings stay visible at "fit" on a 12 MP photo and on a small screenshot alike."""
    return max(3.0, max(row.width, row.height) / 250)


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
        head = max(4 * width, 12.0)
        angle = math.atan2(start.y() - end.y(), start.x() - end.x())
        for side in (-0.45, 0.45):
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
        background.setBrush(QBrush(QColor(255, 255, 255, 200)))
        text = QGraphicsSimpleTextItem(shape["text"], background)
        font = QFont(text.font())
        font.setPixelSize(max(int(width * 7), 14))
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
        self.scene().setSceneRect(QRectF(0, 0, row.width, row.height))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#303030"))
        self.photo = QGraphicsPixmapItem()
        self.photo.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.photo)
        self._start: QPointF | None = None
        self._preview: QGraphicsItem | None = None
        self.set_tool("pan")

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


class PhotoViewer(QDialog):
    """One photo with its markings; every change is saved at once, Ctrl+Z takes one back."""

    edited = Signal()

    def __init__(self, ctx: VisitContext, row: PhotoRow, *, editable: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.editable = editable
        self.shapes: list[dict[str, Any]] = [dict(s) for s in row.annotations]
        self.history: list[list[dict[str, Any]]] = []  # earlier layers, for undo
        self.text_dialog: QInputDialog | None = None
        self.image_loaded = False
        self._text_at: QPointF | None = None
        self._items: list[QGraphicsItem] = []
        self.resize(1000, 760)

        self.canvas = PhotoCanvas(row, self)
        self.canvas.shape_drawn.connect(self.add_shape)
        self.canvas.text_requested.connect(self._ask_text)
        self.toolbar = QToolBar(self)
        self.actions_by_name: dict[str, QAction] = {}
        for name, slot, keys in (
            ("zoom_in", lambda: self.canvas.zoom_by(ZOOM_STEP), QKeySequence.StandardKey.ZoomIn),
            ("zoom_out", lambda: self.canvas.zoom_by(1 / ZOOM_STEP),
             QKeySequence.StandardKey.ZoomOut),
            ("fit", self.canvas.fit, QKeySequence("Ctrl+0")),
            ("actual", self.canvas.actual_size, QKeySequence("Ctrl+1")),
        ):
            self._action(name, keys).triggered.connect(slot)
        self.toolbar.addSeparator()
        self.tools = QActionGroup(self)
        for name, key in zip(TOOLS, ("H", "A", "C", "T"), strict=True):
            action = self._action(name, QKeySequence(key))
            action.setCheckable(True)
            action.setEnabled(editable or name == "pan")
            action.triggered.connect(lambda _=False, tool=name: self.canvas.set_tool(tool))
            self.tools.addAction(action)
        self.actions_by_name["pan"].setChecked(True)
        self.toolbar.addSeparator()
        self._action("undo", QKeySequence.StandardKey.Undo).triggered.connect(self.undo)

        self.caption = QLineEdit(row.caption, self)
        self.caption.setReadOnly(not editable)
        self.caption.editingFinished.connect(self._caption_finished)
        self.facts = QLabel(self)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        self.caption_label, self.facts_label = QLabel(self), QLabel(self)
        form.addRow(self.caption_label, self.caption)
        form.addRow(self.facts_label, self.facts)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.status)
        self._draw_layer()
        self._retranslate()
        self._update_undo()
        store, sha = ctx.store, row.sha256
        ctx.reads.submit(lambda: QImage(str(store.photos.report_copy(sha))), self._image_ready,
                         self._image_failed)

    def _action(self, name: str, keys: QKeySequence | QKeySequence.StandardKey) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.toolbar.addAction(action)
        self.actions_by_name[name] = action
        return action

    # -- the photo --------------------------------------------------------------------------

    def _image_ready(self, image: QImage) -> None:
        if image.isNull():
            self._image_failed(OSError("unreadable"))
            return
        self.canvas.set_image(image)
        self.image_loaded = True
        self.canvas.fit()

    def _image_failed(self, _error: Exception) -> None:
        self.status.setText(self.tr("The photo could not be shown."))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.canvas.fit()

    # -- markings ---------------------------------------------------------------------------

    def _draw_layer(self) -> None:
        scene = self.canvas.scene()
        for item in self._items:
            scene.removeItem(item)
        width = line_width(self.row)
        self._items = [shape_item(shape, width) for shape in self.shapes]
        for item in self._items:
            scene.addItem(item)

    def marking_items(self) -> list[QGraphicsItem]:
        return list(self._items)

    def add_shape(self, shape: dict[str, Any]) -> None:
        if not self.editable:
            return
        self._change([*self.shapes, shape])

    def undo(self) -> None:
        """Take back the last change made in this viewer (a shape drawn or undone)."""
        if self.history and self.editable:
            self.shapes = self.history.pop()
            self._draw_layer()
            self._save()
            self._update_undo()

    def _change(self, shapes: list[dict[str, Any]]) -> None:
        self.history.append(self.shapes)
        self.shapes = shapes
        self._draw_layer()
        self._save()
        self._update_undo()

    def _update_undo(self) -> None:
        self.actions_by_name["undo"].setEnabled(bool(self.history) and self.editable)

    def _save(self) -> None:
        store, user, photo_id, shapes = self.ctx.store, self.ctx.user, self.row.id, self.shapes
        self.ctx.save(lambda: store.set_photo_annotations(photo_id, user, list(shapes)),
                      self._saved, what="photos", on_error=self._save_failed)

    def _saved(self, row: PhotoRow) -> None:
        self.row = row
        self.status.clear()
        emit(self.edited)

    def _save_failed(self, error: Exception) -> None:
        if isinstance(error, ValueError):  # a refusal (UserError), also a locked visit
            self.status.setText(i18n.error_text(error))
        else:
            self.status.setText(self.tr("The markings could not be saved."))
        self.shapes = [dict(s) for s in self.row.annotations]  # back to what is stored
        self.history.clear()
        self._draw_layer()
        self._update_undo()

    def _ask_text(self, point: QPointF) -> None:
        if not self.editable:
            return
        self._text_at = point
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Text marking"))
        dialog.setLabelText(self.tr("Text to place on the photo:"))
        dialog.textValueSelected.connect(self._text_chosen)
        self.text_dialog = dialog
        dialog.open()

    def _text_chosen(self, text: str) -> None:
        point, self._text_at = self._text_at, None
        dialog, self.text_dialog = self.text_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if point is not None and text.strip():
            self.add_shape({"kind": "text", "x": point.x(), "y": point.y(),
                            "text": text.strip()[:200], "color": DEFAULT_COLOR})

    # -- caption ----------------------------------------------------------------------------

    def _caption_finished(self) -> None:
        text = self.caption.text().strip()
        if not self.editable or text == self.row.caption:
            return
        store, user, photo_id = self.ctx.store, self.ctx.user, self.row.id
        self.ctx.save(lambda: store.set_photo_caption(photo_id, user, text), self._saved,
                      what="photos", on_error=self._caption_failed)

    def _caption_failed(self, error: Exception) -> None:
        self.caption.setText(self.row.caption)
        self.status.setText(i18n.error_text(error))

    # -- words ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Photo — %1").replace("%1", self.row.original_name))
        labels = {
            "zoom_in": self.tr("Zoom in"), "zoom_out": self.tr("Zoom out"),
            "fit": self.tr("Fit"), "actual": self.tr("100%"), "pan": self.tr("Move"),
            "arrow": self.tr("Arrow"), "circle": self.tr("Circle"), "text": self.tr("Text"),
            "undo": self.tr("Undo"),
        }
        for name, text in labels.items():
            action = self.actions_by_name[name]
            action.setText(text)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        self.caption_label.setText(self.tr("Caption"))
        self.caption.setPlaceholderText(self.tr("What the photo shows"))
        self.facts_label.setText(self.tr("Taken"))
        self.facts.setText(f"{taken_text(self.row)}   ·   GPS {gps_text(self.row)}"
                           f"   ·   {self.row.width} × {self.row.height}")
        warning = warning_text(self.row)
        self.warning.setText("⚠ " + warning)
        self.warning.setVisible(bool(warning))
