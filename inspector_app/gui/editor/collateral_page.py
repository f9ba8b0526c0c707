"""The visit editor's collateral page: the borrower's register with what this visit found, the
form for the selected item, and items found on site that are not in the register.

Every change is stored at once (typed text a moment after typing pauses) through the visit's
one writer, and is a step on the editor's undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.classification import shortfall_percent
from inspector_app.domain.money import change_percent, format_fen
from inspector_app.domain.policy import Policy
from inspector_app.domain.quantity import quantity_shortfall
from inspector_app.gui.editor.collateral_editor import Finding, ObservationEditor, percent_text
from inspector_app.gui.editor.collateral_found import FoundCollateralDialog
from inspector_app.gui.editor.comment_box import COMMENT_FILL, CommentBox
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import (
    ERROR_COLOUR,
    StoreEdit,
    error_style,
    label_language,
    refusal_text,
)
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.tables import make_roomy
from inspector_app.store.facade import CollateralRow, Created, LocalStore

TARGET_PREFIX = "collateral:"


class Column(IntEnum):
    KIND, DESCRIPTION, LOCATION, APPRAISED, STATUS, ESTIMATE, CHANGE = range(7)


@dataclass(frozen=True)
class CollateralView:
    """What the page shows, read in one go off the UI thread."""

    rows: tuple[CollateralRow, ...]
    policy: Policy
    editable: bool


def load_collateral(store: LocalStore, visit_id: str) -> CollateralView:
    rows = tuple(store.collateral_of(visit_id))
    return CollateralView(rows, store.policy, store.visit_header(visit_id).editable)


class CollateralPage(EditorPage):
    """Page "collateral" of the visit editor; owns the targets "collateral:<item_id>"."""

    edited = Signal()
    loaded = Signal()  # the register was (re)read and is showing

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[CollateralRow] = []
        self.findings: dict[str, Finding | None] = {}
        self.editable = True  # as the store says (False once the visit is signed)
        self._read_only = False  # as the editor says
        self._generation = 0
        self._loading = 0
        self._wanted: str | None = None  # an item to select once the register is read

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("collateralMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(error_style())
        self.message.hide()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addFoundButton")
        self.table = QTableWidget(0, len(Column), self)
        self.table.setObjectName("collateralTable")
        make_roomy(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Descriptions and addresses are long: they share what the short columns leave.
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.LOCATION, QHeaderView.ResizeMode.Stretch)
        self.editor = ObservationEditor(self)
        self.editor.setObjectName("observationEditor")
        self.comment_box = CommentBox(ctx.item_comments, "observation", None,
                                      label=self._selected_label, parent=self.editor)
        self.editor.add_comment_box(self.comment_box)
        ctx.item_comments.changed.connect(self._fill_table)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        self.found_dialog = FoundCollateralDialog(self)

        top = QHBoxLayout()
        top.addWidget(self._intro, 1)
        top.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.editor.finding_edited.connect(self._finding_edited)
        self.add_button.clicked.connect(self.found_dialog.ask)
        self.found_dialog.accepted.connect(self._add_found)
        self._retranslate()
        self.refresh()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "collateral"

    def page_title(self) -> str:
        return self.tr("Collateral")

    @property
    def busy(self) -> bool:
        """True while the register is being read."""
        return self._loading > 0

    @property
    def typing(self) -> bool:
        """True while typed text waits (a moment) to be stored."""
        return self.editor.typing

    def flush(self) -> None:
        """Store what is typed now (the editor leaves the page or closes)."""
        self.editor.flush()

    def set_read_only(self, read_only: bool) -> None:
        """Show, never change (a signed visit); the register stays browsable."""
        self._read_only = read_only
        self._apply_editable()

    def _apply_editable(self) -> None:
        editable = self.editable and not self._read_only
        self.editor.set_editable(editable)
        self.add_button.setEnabled(editable)

    def refresh(self) -> None:
        """Read the register and this visit's findings again, off the UI thread."""
        self._generation += 1
        self._loading += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(
            lambda: load_collateral(store, visit_id),
            lambda view: self._loaded(generation, view),
            self._load_failed,
        )

    def focus_target(self, target: str) -> bool:
        if not target.startswith(TARGET_PREFIX):
            return False
        item_id = target.removeprefix(TARGET_PREFIX)
        if self.busy or not self.rows:
            self._wanted = item_id  # selected once the register has been read
            return True
        if not self._select_item(item_id):
            return False
        self.editor.status_combo.setFocus()
        return True

    # -- public helpers ------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), Column.KIND).data(Qt.ItemDataRole.UserRole)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    def row_of(self, item_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.item_id == item_id), -1)

    # -- loading -------------------------------------------------------------------------------

    def _loaded(self, generation: int, view: CollateralView) -> None:
        self._loading -= 1
        if generation != self._generation:
            return  # a newer read is on its way
        selected = self._wanted or self.selected_id()
        self._wanted = None
        self.rows = list(view.rows)
        self.editable = view.editable
        for row in self.rows:
            mine = row.item_id == self.editor.row.item_id if self.editor.row else False
            # Keep what the officer is typing (or just typed and is being written) on screen.
            if mine and (self.editor.typing or self.ctx.pending_saves):
                continue
            self.findings[row.item_id] = Finding.of(row.observation)
        self.editor.set_policy(view.policy)
        self._apply_editable()
        self._fill_table()
        if selected is None or not self._select_item(selected):
            if self.rows:
                self.table.selectRow(0)
            else:
                self.editor.show_item(None, None)
        else:
            self._show_selected()
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        self._loading -= 1
        self._show_message(refusal_text(error))

    def _fill_table(self) -> None:
        lang = label_language()
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self.rows))
            for r, row in enumerate(self.rows):
                finding = self.findings.get(row.item_id)
                estimate = None if finding is None else finding.estimated_value_fen
                texts = [
                    row.kind.label(lang), row.description, row.location,
                    format_fen(row.appraised_value_fen, lang),
                    self.tr("not yet recorded") if finding is None
                    else finding.status.label(lang),
                    "" if estimate is None else format_fen(estimate, lang),
                    "",
                ]
                change = change_percent(row.appraised_value_fen, estimate)
                if change is not None:
                    texts[Column.CHANGE] = percent_text(change)
                short = None if finding is None else quantity_shortfall(
                    finding.registered_quantity_milli, finding.found_quantity_milli)
                if short is not None and short > 0:  # a partial shortage, beside the value
                    texts[Column.CHANGE] = " · ".join(filter(None, (
                        texts[Column.CHANGE],
                        self.tr("short {percent}%").format(percent=shortfall_percent(short)))))
                for c, text in enumerate(texts):
                    item = QTableWidgetItem(text)
                    if c in (Column.APPRAISED, Column.ESTIMATE, Column.CHANGE):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if c in (Column.DESCRIPTION, Column.LOCATION):
                        item.setToolTip(text)  # long texts are elided in the column
                    self.table.setItem(r, c, item)
                self.table.item(r, Column.KIND).setData(Qt.ItemDataRole.UserRole, row.item_id)
                if (change is not None and change < 0) or (short is not None and short > 0):
                    self.table.item(r, Column.CHANGE).setForeground(QBrush(ERROR_COLOUR))
                if finding is None:
                    self.table.item(r, Column.STATUS).setForeground(QBrush(ERROR_COLOUR))
                comment = self.ctx.item_comments.comment_on("observation", row.item_id)
                if comment is not None:  # the supervisor commented: the row reads amber
                    for c in range(len(Column)):
                        self.table.item(r, c).setBackground(QBrush(QColor(COMMENT_FILL)))
                    kind = self.table.item(r, Column.KIND)
                    kind.setText("✎ " + kind.text())
                    kind.setToolTip(self.tr("Supervisor's comment: {text}").format(
                        text=comment.text))
        finally:
            self.table.blockSignals(False)

    def _select_item(self, item_id: str) -> bool:
        r = self.row_of(item_id)
        if r < 0:
            return False
        self.table.selectRow(r)
        self.table.scrollToItem(self.table.item(r, Column.KIND))
        self._show_selected()
        return True

    def _selection_changed(self) -> None:
        self.editor.flush()  # typed text belongs to the item it was typed for
        self._show_selected()

    def _selected_label(self) -> str:
        row = self.editor.row
        return "" if row is None else f"{row.kind.label(label_language())} · {row.description}"

    def _show_selected(self) -> None:
        item_id = self.selected_id()
        r = -1 if item_id is None else self.row_of(item_id)
        self.comment_box.set_ref(None if r < 0 else item_id)
        if r < 0:
            self.editor.show_item(None, None)
            return
        row = self.rows[r]
        if self.editor.row is not None and self.editor.row.item_id == row.item_id:
            self.editor.row = row
            self.editor.set_finding(self.findings.get(row.item_id))
        else:
            self.editor.show_item(row, self.findings.get(row.item_id))

    # -- saving --------------------------------------------------------------------------------

    def _finding_edited(self, finding: Finding, merge_key: str) -> None:
        row = self.editor.row
        if row is None:
            return
        item_id, old = row.item_id, self.findings.get(row.item_id)
        if old is None:
            # The first finding for an item cannot be taken back: the store has no way to
            # delete an observation, so this step is stored without an undo entry.
            self._store(item_id, finding)
            return
        text = self.tr("Collateral “{item}”").format(item=row.description)
        command = StoreEdit(
            text, lambda value, i=item_id: self._store(i, value), old, finding,
            merge_key=f"collateral:{merge_key}" if merge_key else "",
        )
        self.ctx.undo_stack.push(command)  # push runs redo(), which stores it

    def _store(self, item_id: str, finding: Finding) -> None:
        """Show and store a finding (an edit here, an undo or a redo from anywhere)."""
        self.findings[item_id] = finding
        if self.editor.row is not None and self.editor.row.item_id == item_id:
            self.editor.set_finding(finding)
        self._fill_table()
        self.message.hide()
        ctx = self.ctx
        ctx.save(
            lambda: ctx.store.observe_collateral(
                ctx.visit_id, ctx.user, item_id, **finding.kwargs()
            ),
            on_done=self._saved,
            what=f"{TARGET_PREFIX}{item_id}",
            on_error=self._save_failed,
        )

    def _saved(self, _result: object) -> None:
        emit(self.edited)
        self.refresh()  # the change in percent and the register as the store now has it

    def _save_failed(self, error: Exception) -> None:
        self._show_message(refusal_text(error))
        self.refresh()  # show what is really stored

    def _add_found(self) -> None:
        dialog, ctx = self.found_dialog, self.ctx
        kind, description = dialog.kind(), dialog.description_edit.text().strip()
        location, value = dialog.location_edit.text().strip(), dialog.estimated_value_fen

        def add() -> Created:
            return ctx.store.create_found_collateral(
                ctx.visit_id, ctx.user, kind=kind, description=description,
                location=location, estimated_value_fen=value,
            )

        ctx.save(add, on_done=self._found_added, what="collateral",
                 on_error=self._save_failed)

    def _found_added(self, created: Created) -> None:
        self._wanted = created.id
        emit(self.edited)
        self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- language ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self._intro.setText(
            self.tr("The borrower's collateral register. Select an item and record what you "
                    "found on site; every change is saved at once.")
        )
        self.add_button.setText(self.tr("&Add item found on site…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Description"), self.tr("Location"),
            self.tr("Appraised value"), self.tr("Status observed"), self.tr("Estimate"),
            self.tr("Change"),
        ])
        self._fill_table()
