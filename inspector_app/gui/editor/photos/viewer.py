"""A photo in full: zoom (buttons, keys, mouse wheel), pan, caption, EXIF time and GPS, and
markings drawn over it — arrows, circles, text — kept as a layer of QGraphicsItems
(canvas.py); Previous and Next step through the visit's photos, Close closes.

What is shown is the 1600-px report copy scaled up to the photo's own size, loaded by a
worker. The original file is never opened for writing: markings are saved with
set_photo_annotations, and the store draws them into the report's copy and the thumbnails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QImage, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsItem,
    QInputDialog,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.photos.canvas import (
    ZOOM_STEP,
    PhotoCanvas,
    line_width,
    shape_item,
)
from inspector_app.gui.editor.photos.grid import WARNING_COLOUR, gps_text, taken_text, warning_text
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import DEFAULT_COLOR, PhotoRow

TOOLS = ("pan", "arrow", "circle", "text")

class PhotoViewer(QDialog):
    """The visit's photos one at a time, with their markings; every change is saved at once,
    Ctrl+Z takes one back."""

    edited = Signal()
    photo_changed = Signal(str)  # the id of the photo now shown (after Previous or Next)

    def __init__(self, ctx: VisitContext, row: PhotoRow, *,
                 rows: Sequence[PhotoRow] | None = None, editable: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[PhotoRow] = list(rows) if rows else [row]
        self.index = next((n for n, r in enumerate(self.rows) if r.id == row.id), 0)
        self.row = self.rows[self.index]
        self.editable = editable
        self.shapes: list[dict[str, Any]] = []
        self.history: list[list[dict[str, Any]]] = []  # earlier layers, for undo
        self.text_dialog: QInputDialog | None = None
        self.image_loaded = False
        self._loading = 0  # which load of an image is the current one
        self._text_at: QPointF | None = None
        self._items: list[QGraphicsItem] = []
        self.resize(1000, 760)

        self.canvas = PhotoCanvas(self.row, self)
        self.canvas.shape_drawn.connect(self.add_shape)
        self.canvas.text_requested.connect(self._ask_text)
        self.toolbar = QToolBar(self)
        self.actions_by_name: dict[str, QAction] = {}
        self._action("previous", QKeySequence.StandardKey.MoveToPreviousPage).triggered.connect(
            self.previous_photo)
        self._action("next", QKeySequence.StandardKey.MoveToNextPage).triggered.connect(
            self.next_photo)
        self.position = QLabel(self)
        self.position.setObjectName("photoPosition")
        self.toolbar.addWidget(self.position)
        self.toolbar.addSeparator()
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

        self.caption = QLineEdit(self)
        self.caption.setReadOnly(not editable)
        self.caption.editingFinished.connect(self._caption_finished)
        self.facts = QLabel(self)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAutoDefault(False)  # Enter in the caption must not close
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
        layout.addWidget(self.buttons)
        self._retranslate()
        self._show_row()
        fit_window(self, "photo_viewer")

    def _action(self, name: str, keys: QKeySequence | QKeySequence.StandardKey) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.toolbar.addAction(action)
        self.actions_by_name[name] = action
        return action

    # -- stepping through the photos ----------------------------------------------------------

    def previous_photo(self) -> None:
        self.show_photo(self.index - 1)

    def next_photo(self) -> None:
        self.show_photo(self.index + 1)

    def show_photo(self, index: int) -> None:
        """Show the visit's photo at index (a caption being typed is kept first)."""
        if not 0 <= index < len(self.rows) or index == self.index:
            return
        self._caption_finished()
        self.index = index
        self.row = self.rows[index]
        self._show_row()
        emit(self.photo_changed, self.row.id)

    def update_rows(self, rows: Sequence[PhotoRow]) -> None:
        """The visit's photos as now stored (the page reloaded them); the one shown stays."""
        if not rows:
            self.close()
            return
        current = self.row.id
        self.rows = list(rows)
        found = next((n for n, r in enumerate(self.rows) if r.id == current), None)
        if found is None:  # removed meanwhile: the photo that took its place
            self.index = min(self.index, len(self.rows) - 1)
            self.row = self.rows[self.index]
            self._show_row()
            emit(self.photo_changed, self.row.id)
            return
        self.index = found
        self.row = self.rows[found]
        self._update_navigation()

    def _show_row(self) -> None:
        row = self.row
        self.shapes = [dict(s) for s in row.annotations]
        self.history.clear()
        self.status.clear()
        self.caption.setText(row.caption)
        self.image_loaded = False
        self.canvas.set_row(row)
        self._draw_layer()
        self._update_undo()
        self._update_navigation()
        self._retranslate_photo()
        self._loading += 1
        loading, store, sha = self._loading, self.ctx.store, row.sha256
        self.ctx.reads.submit(lambda: QImage(str(store.photos.report_copy(sha))),
                              lambda image: self._image_ready(loading, image),
                              lambda error: self._image_failed(loading, error))

    def _update_navigation(self) -> None:
        self.actions_by_name["previous"].setEnabled(self.index > 0)
        self.actions_by_name["next"].setEnabled(self.index < len(self.rows) - 1)
        self.position.setText(f" {self.index + 1} / {len(self.rows)} ")

    # -- the photo --------------------------------------------------------------------------

    def _image_ready(self, loading: int, image: QImage) -> None:
        if loading != self._loading:
            return  # a photo stepped past before its picture came
        if image.isNull():
            self._image_failed(loading, OSError("unreadable"))
            return
        self.canvas.set_image(image)
        self.image_loaded = True
        self.canvas.fit()

    def _image_failed(self, loading: int, _error: Exception) -> None:
        if loading == self._loading:
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
        """Take back the last change made to this photo in this viewer (a shape drawn or
        undone)."""
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
                      self._saved, what="photos",
                      on_error=lambda error: self._save_failed(photo_id, error))

    def _saved(self, row: PhotoRow) -> None:
        # The answer may come after Previous or Next: it updates that photo, not the one shown.
        self.rows = [row if r.id == row.id else r for r in self.rows]
        if row.id == self.row.id:
            self.row = row
            self.status.clear()
        emit(self.edited)

    def _save_failed(self, photo_id: str, error: Exception) -> None:
        if isinstance(error, ValueError):  # a refusal (UserError), also a locked visit
            self.status.setText(i18n.error_text(error))
        else:
            self.status.setText(self.tr("The markings could not be saved."))
        if photo_id == self.row.id:
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
                      what="photos",
                      on_error=lambda error: self._caption_failed(photo_id, error))

    def _caption_failed(self, photo_id: str, error: Exception) -> None:
        if photo_id == self.row.id:
            self.caption.setText(self.row.caption)
        self.status.setText(i18n.error_text(error))

    # -- words ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        labels = {
            "previous": self.tr("Previous"), "next": self.tr("Next"),
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
        self.close_button.setText(self.tr("Close"))
        self._retranslate_photo()

    def _retranslate_photo(self) -> None:
        self.setWindowTitle(self.tr("Photo — %1").replace("%1", self.row.original_name))
        self.facts.setText(f"{taken_text(self.row)}   ·   GPS {gps_text(self.row)}"
                           f"   ·   {self.row.width} × {self.row.height}")
        warning = warning_text(self.row)
        self.warning.setText("⚠ " + warning)
        self.warning.setVisible(bool(warning))
