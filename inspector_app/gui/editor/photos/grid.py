"""The thumbnail grid's model: one entry per photo of the visit, its thumbnail loaded by a
worker as soon as it is made (a grey placeholder until then), and how a photo's facts read.
A thumbnail shows the officer's markings: it is the store's copy with them drawn in, one per
set of markings, so a changed marking brings a new thumbnail.

Workers produce QImages (safe off the UI thread); the UI thread turns each into a small
QPixmap once, so scrolling a grid of hundreds of photos never touches the disk.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from inspector_app.gui.qt_compat import emit
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import OLD_PHOTO_DAYS, LocalStore, PhotoRow, markings_key

THUMB_PX = 150  # the grid's icon size: a 256-px stored thumbnail scaled once, in the worker
WARNING_COLOUR = QColor("#ef6c00")
PLACEHOLDER_COLOUR = QColor("#e0e0e0")
COMMENT_FILL = QColor("#fff4d6")  # a tile the supervisor commented on (comment_box.py's fill)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def load_thumbnail(store: LocalStore, row: PhotoRow, size: int = THUMB_PX) -> QImage:
    """Worker: the photo's thumbnail with its markings (made now if missing), scaled to fit
    size x size."""
    path = store.photos.thumbnail(row.sha256, markings=row.annotations)
    image = QImage(str(path))
    if image.isNull():
        raise OSError(f"thumbnail unreadable: {path}")
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def taken_text(row: PhotoRow) -> str:
    """When the camera says it was taken, in this laptop's time zone."""
    if row.taken_at is None:
        return QCoreApplication.translate("PhotoFacts", "no time recorded by the camera")
    return row.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")


def gps_text(row: PhotoRow) -> str:
    if row.gps_lat is None or row.gps_lon is None:
        return QCoreApplication.translate("PhotoFacts", "no GPS position")
    lat = f"{abs(row.gps_lat):.5f}° {'N' if row.gps_lat >= 0 else 'S'}"
    lon = f"{abs(row.gps_lon):.5f}° {'E' if row.gps_lon >= 0 else 'W'}"
    return f"{lat}, {lon}"


def warning_text(row: PhotoRow) -> str:
    """The officer's warning for a photo probably not taken on this visit, or ""."""
    if not row.taken_long_before:
        return ""
    text = QCoreApplication.translate(
        "PhotoFacts",
        "Taken more than %1 days before the visit date: check it belongs to this visit.")
    return text.replace("%1", str(OLD_PHOTO_DAYS))


def facts_text(row: PhotoRow, *, with_warning: bool = True) -> str:
    """File, size in pixels, time and place, one per line (tooltips and the details panel)."""
    lines = [
        row.original_name,
        f"{row.width} × {row.height}",
        QCoreApplication.translate("PhotoFacts", "Taken: %1").replace("%1", taken_text(row)),
        QCoreApplication.translate("PhotoFacts", "GPS: %1").replace("%1", gps_text(row)),
    ]
    if row.annotations:
        drawn = QCoreApplication.translate("PhotoFacts", "Markings drawn: %1")
        lines.append(drawn.replace("%1", str(len(row.annotations))))
    warning = warning_text(row)
    if warning and with_warning:
        lines.append("⚠ " + warning)
    return "\n".join(lines)


class PhotoListModel(QAbstractListModel):
    """The visit's photos for a QListView in icon mode."""

    def __init__(self, store: LocalStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[PhotoRow] = []
        self._images: dict[str, QPixmap] = {}  # thumbnail key (_key) -> scaled thumbnail
        self._icons: dict[tuple[str, bool], QIcon] = {}
        self._asked: set[str] = set()
        self._latest: dict[str, str] = {}  # sha256 -> the key of its newest thumbnail
        self._thumbs = TaskRunner(self)
        self._placeholder = _placeholder()
        self._comments: dict[str, str] = {}  # sha256 -> the supervisor's comment on it

    # -- contents ---------------------------------------------------------------------------

    def set_rows(self, rows: list[PhotoRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        for row in self._rows:
            key = _key(row)
            if key not in self._images and key not in self._asked:
                self._ask(row)

    def rows(self) -> list[PhotoRow]:
        return list(self._rows)

    def set_comments(self, comments: dict[str, str]) -> None:
        """The supervisor's comments by photo SHA-256: those tiles are marked."""
        if comments == self._comments:
            return
        self._comments = dict(comments)
        if self._rows:
            emit(self.dataChanged, self.index(0), self.index(len(self._rows) - 1))

    def index_of_sha(self, sha256: str) -> QModelIndex:
        for n, row in enumerate(self._rows):
            if row.sha256 == sha256:
                return self.index(n)
        return QModelIndex()

    def row_at(self, index: QModelIndex) -> PhotoRow | None:
        return self._rows[index.row()] if index.isValid() else None

    def index_of(self, photo_id: str) -> QModelIndex:
        for n, row in enumerate(self._rows):
            if row.id == photo_id:
                return self.index(n)
        return QModelIndex()

    @property
    def thumbnails_loaded(self) -> int:
        """Photos shown with their thumbnail (not the placeholder)."""
        return sum(1 for row in self._rows if _key(row) in self._images)

    @property
    def thumbnails_pending(self) -> int:
        return self._thumbs.pending

    def retranslate(self) -> None:
        if self._rows:
            emit(self.dataChanged, self.index(0), self.index(len(self._rows) - 1))

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        comment = self._comments.get(row.sha256)
        if role == Qt.ItemDataRole.DisplayRole:
            text = row.caption or row.original_name
            return ("⚠ " if row.taken_long_before else "") + ("✎ " if comment else "") + text
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = facts_text(row) + (f"\n{row.caption}" if row.caption else "")
            if comment:
                said = QCoreApplication.translate("PhotoFacts", "Supervisor's comment: %1")
                tip += "\n" + said.replace("%1", comment)
            return tip
        if role == Qt.ItemDataRole.BackgroundRole and comment:
            return COMMENT_FILL
        if role == Qt.ItemDataRole.ForegroundRole and row.taken_long_before:
            return WARNING_COLOUR
        if role == ROW_ROLE:
            return row
        return None

    # -- thumbnails -------------------------------------------------------------------------

    def _ask(self, row: PhotoRow) -> None:
        key = _key(row)
        self._asked.add(key)
        store = self._store
        self._thumbs.submit(lambda: load_thumbnail(store, row),
                            lambda image: self._arrived(key, image),
                            lambda _error: self._arrived(key, None))

    def _arrived(self, key: str, image: QImage | None) -> None:
        self._images[key] = _broken() if image is None else QPixmap.fromImage(image)
        self._latest[key.split(":")[0]] = key
        for n, row in enumerate(self._rows):
            if _key(row) == key:
                index = self.index(n)
                emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])

    def _icon(self, row: PhotoRow) -> QIcon:
        key = _key(row)
        image = self._images.get(key)
        if image is None:
            # While a new marking's thumbnail is made, the photo keeps the one it had.
            key = self._latest.get(row.sha256, "")
            image = self._images.get(key)
            if image is None:
                return self._placeholder
        icon_key = (key, row.taken_long_before)
        icon = self._icons.get(icon_key)
        if icon is None:
            icon = QIcon(_framed(image, row.taken_long_before))
            self._icons[icon_key] = icon
        return icon


def _key(row: PhotoRow) -> str:
    """Which thumbnail a photo shows: its original and the markings drawn on it."""
    return f"{row.sha256}:{markings_key(row.annotations)}" if row.annotations else row.sha256


def thumbnail_grid(model: PhotoListModel, parent: QWidget) -> QListView:
    """A QListView in icon mode over model, one fixed cell per photo."""
    grid = QListView(parent)
    grid.setViewMode(QListView.ViewMode.IconMode)
    # Icon mode turns on internal moves and drops; the page handles drops itself.
    grid.setMovement(QListView.Movement.Static)
    grid.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
    grid.setAcceptDrops(False)
    grid.viewport().setAcceptDrops(False)
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setIconSize(QSize(THUMB_PX, THUMB_PX))
    grid.setGridSize(QSize(THUMB_PX + 30, THUMB_PX + 44))
    grid.setWordWrap(True)
    grid.setUniformItemSizes(True)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.setModel(model)
    return grid


def _framed(image: QPixmap, warn: bool) -> QPixmap:
    """The thumbnail centred on a square, with a warning badge when it is an old photo."""
    canvas = QPixmap(THUMB_PX, THUMB_PX)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawPixmap((THUMB_PX - image.width()) // 2, (THUMB_PX - image.height()) // 2, image)
    if warn:
        badge = QRect(THUMB_PX - 34, 4, 30, 30)
        painter.setBrush(WARNING_COLOUR)
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawEllipse(badge)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(20)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return canvas


def _placeholder() -> QIcon:
    canvas = QPixmap(THUMB_PX, THUMB_PX)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.fillRect(QRect(10, 25, THUMB_PX - 20, THUMB_PX - 50), PLACEHOLDER_COLOUR)
    painter.end()
    return QIcon(canvas)


def _broken() -> QPixmap:
    canvas = QPixmap(THUMB_PX - 20, THUMB_PX - 50)
    canvas.fill(QColor("#f5f5f5"))
    painter = QPainter(canvas)
    painter.setPen(QPen(QColor("#9e9e9e"), 3))
    painter.drawLine(10, 10, canvas.width() - 10, canvas.height() - 10)
    painter.drawLine(canvas.width() - 10, 10, 10, canvas.height() - 10)
    painter.end()
    return canvas
