"""The visit editor's photo page: a thumbnail grid the officer fills by Add…, by dropping
files and folders, or by pasting; each photo's caption, its checklist item or collateral
item, its EXIF time and GPS, the "taken long before the visit" warning, the viewer, removal.

Every read and write goes through the visit context (reads on the pool, edits on the
ordered writer); the page only shows what came back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QMimeData, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.photo_grid import (
    THUMB_PX,
    WARNING_COLOUR,
    PhotoListModel,
    facts_text,
    warning_text,
)
from inspector_app.gui.photo_import import PhotoImport, choose_photo_files
from inspector_app.gui.photo_viewer import PhotoViewer
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.visit_context import VisitContext
from inspector_app.store.photo_editing import PhotoRow


@dataclass(frozen=True)
class _Loaded:
    rows: list[PhotoRow]
    items: list[Any]  # checklist Items
    collateral: list[Any]  # CollateralRows
    editable: bool


def _load(ctx: VisitContext) -> _Loaded:
    """Worker: the photos and what they can be linked to."""
    store: Any = ctx.store
    rows = store.visit_photos(ctx.visit_id)
    items = list(store.visit_checklist(ctx.visit_id).items()) if hasattr(
        store, "visit_checklist") else []
    collateral = store.collateral_of(ctx.visit_id) if hasattr(store, "collateral_of") else []
    editable = store.visit_header(ctx.visit_id).editable if hasattr(
        store, "visit_header") else True
    return _Loaded(rows, items, collateral, editable)


def local_paths(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class VisitPhotosPage(QWidget):
    """Page "photos" of the visit editor (see core_api.md, Page protocol)."""

    edited = Signal()

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.editable = True
        self.job: PhotoImport | None = None
        self.viewer: PhotoViewer | None = None
        self.confirm_box: QMessageBox | None = None
        self._removing: str | None = None
        self._generation = 0
        self._items: list[Any] = []
        self._collateral: list[Any] = []
        self.setAcceptDrops(True)

        self.model = PhotoListModel(ctx.store, self)
        self.grid = QListView(self)
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        # Icon mode turns on internal moves and drops; the page handles drops itself.
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.grid.setAcceptDrops(False)
        self.grid.viewport().setAcceptDrops(False)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.grid.setGridSize(QSize(THUMB_PX + 30, THUMB_PX + 44))
        self.grid.setWordWrap(True)
        self.grid.setUniformItemSizes(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setModel(self.model)
        self.grid.selectionModel().selectionChanged.connect(self._selection_changed)
        self.grid.activated.connect(self._open_index)

        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_photos)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.count_label = QLabel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;")
        self.caption = QLineEdit(self)
        self.caption.editingFinished.connect(self._caption_finished)
        self.item_combo = QComboBox(self)
        self.item_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item_combo.setMinimumContentsLength(18)
        self.item_combo.activated.connect(self._link_chosen)
        self.collateral_combo = QComboBox(self)
        self.collateral_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.collateral_combo.setMinimumContentsLength(18)
        self.collateral_combo.activated.connect(self._link_chosen)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_selected)

        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.hint, 1)
        top.addWidget(self.count_label)
        self.form = QFormLayout()
        self.caption_label, self.item_label, self.collateral_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.caption_label, self.caption)
        self.form.addRow(self.item_label, self.item_combo)
        self.form.addRow(self.collateral_label, self.collateral_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.details = QWidget(self)
        side = QVBoxLayout(self.details)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.facts)
        side.addWidget(self.warning)
        side.addLayout(self.form)
        side.addLayout(buttons)
        side.addStretch(1)
        self.details.setFixedWidth(340)  # steady: the grid must not jump as selections change
        body = QHBoxLayout()
        body.addWidget(self.grid, 1)
        body.addWidget(self.details)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)

        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.grid, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.summary.hide()
        self._retranslate()
        self._show_selected()
        self.refresh()

    # -- page protocol ----------------------------------------------------------------------

    def page_key(self) -> str:
        return "photos"

    def page_title(self) -> str:
        return self.tr("Photos")

    def refresh(self) -> None:
        """Reload the photos and the link choices off the UI thread."""
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        self.loading = True
        self.ctx.reads.submit(lambda: _load(ctx), lambda loaded: self._loaded(generation, loaded),
                              self._load_failed)

    def focus_target(self, target: str) -> bool:
        if target == "photos":
            self.grid.setFocus()
            return True
        if target.startswith("photo:"):
            index = self.model.index_of(target.removeprefix("photo:"))
            if index.isValid():
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                self.grid.setFocus()
                return True
        return False

    # -- loading ----------------------------------------------------------------------------

    def _loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # an older answer overtaken by a newer refresh
        self.loading = False
        selected = self.selected_row()
        self.editable = loaded.editable
        self._items, self._collateral = loaded.items, loaded.collateral
        self.model.set_rows(loaded.rows)
        self._fill_combos()
        if selected is not None:
            self.grid.setCurrentIndex(self.model.index_of(selected.id))
        elif loaded.rows:
            self.grid.setCurrentIndex(self.model.index(0))
        self._update_counts()
        self._show_selected()

    def _load_failed(self, error: Exception) -> None:
        self.loading = False
        self._say(self.tr("The photos could not be loaded: %1").replace("%1", str(error)))

    def _fill_combos(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.item_combo.clear()
        self.item_combo.addItem(self.tr("(no checklist item)"), None)
        for item in self._items:
            self.item_combo.addItem(f"{item.code}  {item.question.get(lang)}", item.code)
        self.collateral_combo.clear()
        self.collateral_combo.addItem(self.tr("(no collateral item)"), None)
        for row in self._collateral:
            self.collateral_combo.addItem(f"{row.kind.label(lang)} · {row.description}",
                                          row.item_id)

    def _update_counts(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("%n photo(s)", "", count))

    # -- selection and details --------------------------------------------------------------

    def selected_row(self) -> PhotoRow | None:
        return self.model.row_at(self.grid.currentIndex())

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_row()
        has = row is not None
        for widget in (self.caption, self.item_combo, self.collateral_combo, self.remove_button):
            widget.setEnabled(has and self.editable)
        self.open_button.setEnabled(has)
        self.add_button.setEnabled(self.editable)
        if row is None:
            self.facts.setText(self.tr("Select a photo to see its details."))
            self.warning.hide()
            self.caption.clear()
            return
        self.facts.setText(facts_text(row, with_warning=False))  # the warning has its own line
        warning = warning_text(row)
        self.warning.setText("⚠ " + warning)
        self.warning.setVisible(bool(warning))
        self.caption.setText(row.caption)
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(row.item_code)))
        self.collateral_combo.setCurrentIndex(
            max(0, self.collateral_combo.findData(row.collateral_item_id)))

    # -- edits ------------------------------------------------------------------------------

    def _caption_finished(self) -> None:
        row = self.selected_row()
        text = self.caption.text().strip()
        if row is None or text == row.caption:
            return
        store, user = self.ctx.store, self.ctx.user
        self.ctx.save(lambda: store.set_photo_caption(row.id, user, text), self._row_saved,
                      what="photos", on_error=self._edit_failed)

    def _link_chosen(self, _index: int) -> None:
        row = self.selected_row()
        item_code = self.item_combo.currentData()
        collateral = self.collateral_combo.currentData()
        if row is None or (row.item_code, row.collateral_item_id) == (item_code, collateral):
            return
        store, user = self.ctx.store, self.ctx.user
        self.ctx.save(lambda: store.link_photo(row.id, user, item_code=item_code,
                                               collateral_item_id=collateral),
                      self._row_saved, what="photos", on_error=self._edit_failed)

    def _row_saved(self, row: PhotoRow) -> None:
        current = self.selected_row()
        rows = [row if r.id == row.id else r for r in self.model.rows()]
        self.model.set_rows(rows)
        if current is not None:
            self.grid.setCurrentIndex(self.model.index_of(current.id))
        self._show_selected()
        emit(self.edited)

    def _edit_failed(self, error: Exception) -> None:
        self._say(_refusal(error, self.tr("The change could not be saved.")))
        self.refresh()  # show what is really stored

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None or not self.editable:
            return
        self._removing = row.id
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove photo"),
                          self.tr("Remove “%1” from this visit?").replace(
                              "%1", row.caption or row.original_name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(self._remove_answered)
        self.confirm_box = box
        box.open()

    def _remove_answered(self, answer: int) -> None:
        photo_id, self._removing = self._removing, None
        box, self.confirm_box = self.confirm_box, None
        if box is not None:
            box.deleteLater()
        if photo_id is None or answer != QMessageBox.StandardButton.Yes:
            return
        store, user = self.ctx.store, self.ctx.user
        self.ctx.save(lambda: store.remove_photo(photo_id, user), self._removed, what="photos",
                      on_error=self._edit_failed)

    def _removed(self, _result: object) -> None:
        emit(self.edited)
        self.refresh()

    # -- adding -----------------------------------------------------------------------------

    def add_photos(self) -> None:
        paths = choose_photo_files(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        self._start_job().start(paths)

    def import_image(self, image: QImage) -> None:
        self._start_job().start_image(image)

    def _start_job(self) -> PhotoImport:
        job = PhotoImport(self.ctx, self)
        job.finished.connect(self._imported)
        self.job = job
        return job

    def _imported(self, result: object) -> None:
        job = self.job
        if job is not None:
            self._say(job.summary)
        if result is not None:
            emit(self.edited)
        self.refresh()

    def paste(self) -> None:
        """Ctrl+V: files copied in a file manager, or a picture (a screenshot)."""
        if not self.editable:
            return
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return
        paths = local_paths(mime)
        if paths:
            self.import_paths(paths)
        elif mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.import_image(image)
        else:
            self._say(self.tr("The clipboard holds no photo or file to add."))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and (local_paths(event.mimeData()) or event.mimeData().hasImage()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.editable and (local_paths(event.mimeData()) or event.mimeData().hasImage()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = local_paths(mime)
        if not self.editable or not (paths or mime.hasImage()):
            return
        event.acceptProposedAction()
        if paths:
            self.import_paths(paths)
        else:
            self.import_image(QImage(mime.imageData()))

    # -- viewer -----------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_viewer(row)

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.open_viewer(row)

    def open_viewer(self, row: PhotoRow) -> PhotoViewer:
        if self.viewer is not None:
            self.viewer.close()
        viewer = PhotoViewer(self.ctx, row, editable=self.editable, parent=self)
        viewer.edited.connect(self._viewer_edited)
        self.viewer = viewer
        viewer.show()
        return viewer

    def _viewer_edited(self) -> None:
        emit(self.edited)
        self.refresh()

    # -- words ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.add_button.setText(self.tr("Add photos…"))
        self.hint.setText(self.tr("Drop photos or folders here, or paste with Ctrl+V."))
        self.caption_label.setText(self.tr("Caption"))
        self.caption.setPlaceholderText(self.tr("What the photo shows"))
        self.item_label.setText(self.tr("Checklist item"))
        self.collateral_label.setText(self.tr("Collateral"))
        self.open_button.setText(self.tr("Open and mark…"))
        self.remove_button.setText(self.tr("Remove…"))
        self._fill_combos()
        self._update_counts()
        self.model.retranslate()
        self._show_selected()


def _refusal(error: Exception, fallback: str) -> str:
    from inspector_app.gui.report_verdict import in_language
    from inspector_app.store.local import VisitLockedError

    if isinstance(error, ValueError | VisitLockedError):
        return in_language(str(error), i18n.current())
    return fallback
