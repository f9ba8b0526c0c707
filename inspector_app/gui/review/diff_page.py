"""The reviewer's "what changed" page: the differences between the revision the supervisor
returned and its resubmission, item by item, the commented ones marked."""

from __future__ import annotations

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHeaderView,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.review.queue_model import CONFLICT_FILL
from inspector_app.gui.review.review_pages import (
    ReviewPage,
    cell,
    editor_target,
    read_only_table,
)
from inspector_app.store.facade import (
    RevisionDiff,
)

ITEM_COLUMN_MAX = 420  # px: the item column of the diff wraps beyond this


class DiffPage(ReviewPage):
    """The differences between the revision the supervisor returned and this one, item by
    item; those the supervisor had commented on are marked."""

    def __init__(self, ctx: VisitContext, diff: RevisionDiff,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("reviewDiffPage")
        self.diff = diff
        self.table = read_only_table(self, 5, "diffTable")
        # The item's question can be long (in English above all): it wraps in a column of
        # its own width, and "after" takes what is left, so "your comment" is never pushed
        # off the right edge.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(lambda row, _col: self._jump_from(self.table, row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self._jump_from(self.table, row))
        self.body.addWidget(self.table, 1)
        self._retranslate()

    def page_key(self) -> str:
        return "review:diff"

    def page_title(self) -> str:
        return self.tr("What changed")

    def refresh(self) -> None:
        self._generation += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id

        self.ctx.reads.submit(lambda: store.revision_diff(visit_id),
                              lambda diff: self._loaded(generation, diff), self._load_failed)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    def _loaded(self, generation: int, diff: RevisionDiff | None) -> None:
        if generation != self._generation or diff is None:
            return
        self.failure.hide()
        self.diff = diff
        self._fill()

    def _change_text(self, change: str) -> str:
        return {"added": self.tr("added"), "removed": self.tr("removed"),
                "changed": self.tr("changed")}.get(change, change)

    def _fill(self) -> None:
        rows = self.diff.rows
        lang = i18n.domain_language(i18n.current())
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            target = editor_target(row.area, row.ref)
            items = [cell(row.label.in_(lang) or row.ref, target),
                     cell(self._change_text(row.change)),
                     cell(row.before.in_(lang)), cell(row.after.in_(lang)),
                     cell(self.tr("★ commented") if row.commented else "")]
            for column, item in enumerate(items):
                if row.commented:
                    item.setBackground(QBrush(CONFLICT_FILL))
                self.table.setItem(n, column, item)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), ITEM_COLUMN_MAX))
        self.table.resizeRowsToContents()
        self.note.setText(
            self.tr("Revision {before} was returned; this is revision {after}. Double-click a "
                    "line to see it in the visit.").format(
                before=self.diff.previous_revision, after=self.diff.revision)
            if rows else self.tr("Nothing changed between revision {before} and revision "
                                 "{after}.").format(before=self.diff.previous_revision,
                                                    after=self.diff.revision))

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("What changed since the returned revision"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Item"), self.tr("Change"), self.tr("Before"), self.tr("After"),
            self.tr("Your comment")])
        self._fill()
