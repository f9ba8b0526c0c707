"""Breathing room for table views sized to their contents.

Qt sizes a ResizeToContents column to the exact text width, so Chinese headers and cells touch
their neighbours; these add a little space without a style sheet (which would replace the
platform's look of the header).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTableView

HEADER_PADDING = 16  # pixels added to each header section's width
CELL_PADDING = 16  # pixels added to each cell's width
ROW_PADDING = 10  # pixels added to each row's height


class RoomyHeader(QHeaderView):
    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        return super().sectionSizeFromContents(logicalIndex) + QSize(HEADER_PADDING, 0)


class RoomyDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index) + QSize(CELL_PADDING, ROW_PADDING)


def make_roomy(view: QTableView) -> None:
    """Give view a padded horizontal header and padded cells."""
    old = view.horizontalHeader()
    header = RoomyHeader(Qt.Orientation.Horizontal, view)
    header.setHighlightSections(old.highlightSections())
    header.setDefaultAlignment(old.defaultAlignment())
    view.setHorizontalHeader(header)
    view.setItemDelegate(RoomyDelegate(view))
    # One fixed row height from the font, not ResizeToContents: measuring every row of a
    # 20,000-borrower portfolio would freeze the window for seconds on each search.
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + ROW_PADDING)
