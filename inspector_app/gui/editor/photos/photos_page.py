"""The visit editor's photo page: a thumbnail grid the officer fills by Add…, by dropping
files and folders, or by pasting; each photo's caption, its checklist item or collateral
item, its EXIF time and GPS, the "taken long before the visit" warning, the viewer, removal.

Every read and write goes through the visit context (reads on the pool, edits on the
ordered writer); the page only shows what came back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QMimeData,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.comment_box import CommentBox
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.photos.details import PhotoDetails
from inspector_app.gui.editor.photos.grid import (
    PhotoListModel,
    thumbnail_grid,
)
from inspector_app.gui.editor.photos.photo_import import PhotoImport, choose_photo_files
from inspector_app.gui.editor.photos.viewer import PhotoViewer
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import Changes, PhotoRow

PHOTO_SHA_PREFIX = "photo-sha:"  # a target naming a photo by its SHA-256 (item_comments.py)
LIVE_REFRESH_MS = 700  # while an import runs, the grid shows new photos this often


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


class VisitPhotosPage(EditorPage):
    """Page "photos" of the visit editor (see gui/editor/page.py)."""

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
        self._wanted_sha: str | None = None  # a photo to select once the photos are read
        self._generation = 0
        self._read_only = False  # set by the editor for a signed visit
        self.setAcceptDrops(True)
        self._stale = False  # photos changed by another page while this one was hidden
        self._live_refresh = QTimer(self)
        self._live_refresh.setSingleShot(True)
        self._live_refresh.setInterval(LIVE_REFRESH_MS)
        self._live_refresh.timeout.connect(self.refresh)
        ctx.changed.connect(self._changed_elsewhere)

        self.model = PhotoListModel(ctx.store, self)
        self.grid = thumbnail_grid(self.model, self)
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

        self.details = PhotoDetails(self)
        # The panel's widgets, by the names the page's edits (and its tests) use.
        self.facts, self.warning = self.details.facts, self.details.warning
        self.caption = self.details.caption
        self.item_combo, self.collateral_combo = (self.details.item_combo,
                                                  self.details.collateral_combo)
        self.open_button, self.remove_button = (self.details.open_button,
                                                self.details.remove_button)
        self.comment_box = CommentBox(ctx.item_comments, "photo", None,
                                      label=self._selected_label, parent=self.details)
        self.details.add_comment_box(self.comment_box)
        ctx.item_comments.changed.connect(self._comments_changed)
        self._comments_changed()
        self.caption.editingFinished.connect(self._caption_finished)
        self.item_combo.activated.connect(self._link_chosen)
        self.collateral_combo.activated.connect(self._link_chosen)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)

        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.hint, 1)
        top.addWidget(self.count_label)
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
        if target.startswith(PHOTO_SHA_PREFIX):  # a comment's photo, by its SHA-256
            sha = target.removeprefix(PHOTO_SHA_PREFIX)
            if self.loading:
                self._wanted_sha = sha  # selected once the photos are read
                return True
            index = self.model.index_of_sha(sha)
            if index.isValid():
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                self.grid.setFocus()
                return True
            return False
        if target.startswith("photo:"):
            index = self.model.index_of(target.removeprefix("photo:"))
            if index.isValid():
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                self.grid.setFocus()
                return True
        return False

    def flush(self) -> None:
        """Store a caption still being typed (the editor leaves the page or closes)."""
        self._caption_finished()

    def set_read_only(self, read_only: bool) -> None:
        """Show the photos, change nothing (a signed visit); the viewer still opens."""
        self._read_only = read_only
        self.editable = self.editable and not read_only
        self._show_selected()

    def _changed_elsewhere(self, changes: Changes) -> None:
        if changes.photos and not self.isVisible():
            self._stale = True  # e.g. attached on the checklist page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    # -- loading ----------------------------------------------------------------------------

    def _loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # an older answer overtaken by a newer refresh
        self.loading = False
        selected = self.selected_row()
        self.editable = loaded.editable and not self._read_only
        self.model.set_rows(loaded.rows)
        if self.viewer is not None and self.viewer.isVisible():
            self.viewer.update_rows(loaded.rows)
        self.details.set_choices(loaded.items, loaded.collateral)
        wanted, self._wanted_sha = self._wanted_sha, None
        if wanted is not None and self.model.index_of_sha(wanted).isValid():
            self.grid.setCurrentIndex(self.model.index_of_sha(wanted))
            self.grid.scrollTo(self.model.index_of_sha(wanted))
        elif selected is not None:
            self.grid.setCurrentIndex(self.model.index_of(selected.id))
        elif loaded.rows:
            self.grid.setCurrentIndex(self.model.index(0))
        self._update_counts()
        self._show_selected()

    def _load_failed(self, error: Exception) -> None:
        self.loading = False
        self._say(self.tr("The photos could not be loaded: %1").replace("%1", str(error)))

    def _update_counts(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("%n photo(s)", "", count))

    # -- selection and details --------------------------------------------------------------

    def selected_row(self) -> PhotoRow | None:
        return self.model.row_at(self.grid.currentIndex())

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        self.add_button.setEnabled(self.editable)
        row = self.selected_row()
        self.details.show_row(row, self.editable)
        self.comment_box.set_ref(None if row is None else row.sha256)

    def _selected_label(self) -> str:
        row = self.selected_row()
        if row is None:
            return ""
        return self.tr("photo “{name}”").format(name=row.caption or row.original_name)

    def _comments_changed(self) -> None:
        comments = self.ctx.item_comments.comments()
        self.model.set_comments({c.ref: c.text for c in comments if c.target == "photo"})

    # -- edits ------------------------------------------------------------------------------

    def _caption_finished(self) -> None:
        row = self.selected_row()
        if not self.editable:
            return
        text = self.caption.text().strip()
        if row is None or text == row.caption:
            return
        store, user = self.ctx.store, self.ctx.user
        self.ctx.save(lambda: store.set_photo_caption(row.id, user, text), self._row_saved,
                      what="photos", on_error=self._edit_failed)

    def _link_chosen(self, _index: int) -> None:
        row = self.selected_row()
        item_code, collateral = self.details.chosen_links()
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
        job.finished.connect(partial(self._imported, job))
        job.progressed.connect(self._import_progressed)
        self.job = job
        return job

    def _import_progressed(self, _done: int, _total: int) -> None:
        # Show photos as they are stored, not all at the end of a long import; at most one
        # reload per interval however fast files go by.
        if not self._live_refresh.isActive():
            self._live_refresh.start()

    def _imported(self, job: PhotoImport, result: object) -> None:
        self._live_refresh.stop()
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
        """The viewer on row; Previous and Next step through the photos in the grid's order."""
        if self.viewer is not None:
            self.viewer.close()
        viewer = PhotoViewer(self.ctx, row, rows=self.model.rows(), editable=self.editable,
                             parent=self)
        viewer.edited.connect(self._viewer_edited)
        viewer.photo_changed.connect(self._viewer_stepped)
        self.viewer = viewer
        viewer.show()
        return viewer

    def _viewer_edited(self) -> None:
        emit(self.edited)
        self.refresh()

    def _viewer_stepped(self, photo_id: str) -> None:
        """The grid follows the viewer, so closing it leaves the officer at that photo."""
        index = self.model.index_of(photo_id)
        if index.isValid():
            self.grid.setCurrentIndex(index)
            self.grid.scrollTo(index)

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
        self._update_counts()
        self.model.retranslate()
        self._show_selected()


def _refusal(error: Exception, fallback: str) -> str:
    if isinstance(error, ValueError):  # a refusal (UserError), also a locked visit
        return i18n.error_text(error)
    return fallback
