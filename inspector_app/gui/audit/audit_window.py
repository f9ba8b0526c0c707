"""审计日志 / Audit trail: headquarters' audit trail, for an administrator, online.

The trail is headquarters' (hq.audit_trail), read page by page through GET /api/v1/audit as
this laptop's registered device (sync.audit_reader); nothing of it is kept here, so the
window needs the network and says so plainly when headquarters cannot be reached. Filters:
user, borrower code, visit, action (or a family of them) and a period of local days, both
included. Export… writes every entry that matches (gui.export_action).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import httpx
from PySide6.QtCore import QDate, QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.common.progress import Progress
from inspector_app.gui import i18n
from inspector_app.gui.export_action import ExportAction, MakeTable
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner
from inspector_app.sync.audit_reader import AuditQuery, AuditReader
from inspector_app.wire import AUDIT_ACTIONS, AUDIT_FAMILIES, AuditPage, audit_table, detail_text

if TYPE_CHECKING:
    from inspector_app.common.export_table import ExportTable
    from inspector_app.store.facade import LocalStore

PAGE = 50
NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown blank: no bound
_ERROR_STYLE = "color: #b71c1c;"


class AuditWindow(QWidget):
    """The trail, newest first, a page at a time."""

    shown = Signal()  # a page is on screen, or why not is said (tests wait for it)

    def __init__(self, store: LocalStore, parent: QWidget | None = None, *,
                 transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("auditWindow")
        self._store, self._transport = store, transport
        self._runner = TaskRunner(self)
        self._pages: list[int | None] = [None]  # the cursor of each page so far: Newer goes back
        self._next: int | None = None
        self._query = AuditQuery()
        self.user_edit, self.borrower_edit, self.visit_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.action_combo = QComboBox()
        self.action_combo.setEditable(True)
        self.action_combo.addItems(["", *AUDIT_FAMILIES, *AUDIT_ACTIONS])
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText(" ")
            edit.setDate(NO_DATE)
        self.search_button, self.clear_button = QPushButton(), QPushButton()
        self.newer_button, self.older_button = QPushButton(), QPushButton()
        self.export_button = QPushButton()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)  # the detail takes the rest
        self.export = ExportAction(self, self._prepare_export, lambda: self.tr("audit-trail"))
        self._layout()
        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear_filters)
        self.older_button.clicked.connect(self.older)
        self.newer_button.clicked.connect(self.newer)
        self.export_button.clicked.connect(self.export.start)
        for edit in (self.user_edit, self.borrower_edit, self.visit_edit):
            edit.returnPressed.connect(self.search)
        self._retranslate()
        self._set_paging()
        fit_window(self, "audit_trail", QSize(1100, 650))

    def _layout(self) -> None:
        self._form = QFormLayout()
        self._labels = [QLabel() for _ in range(6)]
        for label, field in zip(self._labels, (self.user_edit, self.borrower_edit,
                                               self.visit_edit, self.action_combo,
                                               self.from_edit, self.to_edit), strict=True):
            label.setBuddy(field)
            self._form.addRow(label, field)
        buttons = QHBoxLayout()
        for b in (self.search_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        paging = QHBoxLayout()
        for b in (self.newer_button, self.older_button):
            paging.addWidget(b)
        paging.addStretch(1)
        paging.addWidget(self.export_button)
        top = QVBoxLayout(self)
        top.addLayout(self._form)
        top.addLayout(buttons)
        top.addWidget(self.status_label)
        top.addWidget(self.table, 1)
        top.addLayout(paging)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Audit trail"))
        for label, text in zip(self._labels, (
                self.tr("&User:"), self.tr("&Borrower code:"), self.tr("&Visit ID:"),
                self.tr("&Action:"), self.tr("&From:"), self.tr("&To:")), strict=True):
            label.setText(text)
        self.search_button.setText(self.tr("&Search"))
        self.clear_button.setText(self.tr("&Reset filters"))
        self.newer_button.setText(self.tr("◂ &Newer"))
        self.older_button.setText(self.tr("&Older ▸"))
        self.export_button.setText(self.tr("&Export…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Borrower"),
            self.tr("Visit"), self.tr("Detail")])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- what is asked ---------------------------------------------------------------------

    def _read_query(self) -> AuditQuery | None:
        """The filters as typed; None (and the reason shown) if the period is backwards."""
        first, last = self._day(self.from_edit), self._day(self.to_edit)
        if first is not None and last is not None and first > last:
            self._say(self.tr("The start date is after the end date."), error=True)
            return None
        return AuditQuery(
            user=self.user_edit.text().strip() or None,
            borrower=self.borrower_edit.text().strip() or None,
            visit=self.visit_edit.text().strip() or None,
            action=self.action_combo.currentText().strip() or None,
            since=None if first is None else datetime.combine(first, time()).astimezone(),
            until=None if last is None else
            datetime.combine(last + timedelta(days=1), time()).astimezone())

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        return None if edit.date() == NO_DATE else edit.date().toPython()  # type: ignore[return-value]

    def search(self) -> None:
        """The newest page of what the filters ask for."""
        query = self._read_query()
        if query is None:
            emit(self.shown)
            return
        self._query, self._pages = query, [None]
        self._load()

    def clear_filters(self) -> None:
        for edit in (self.user_edit, self.borrower_edit, self.visit_edit):
            edit.clear()
        self.action_combo.setCurrentIndex(0)
        self.from_edit.setDate(NO_DATE)
        self.to_edit.setDate(NO_DATE)
        self.search()

    def older(self) -> None:
        if self._next is not None:
            self._pages.append(self._next)
            self._load()

    def newer(self) -> None:
        if len(self._pages) > 1:
            self._pages.pop()
            self._load()

    def _load(self) -> None:
        query, cursor, store, transport = self._query, self._pages[-1], self._store, \
            self._transport
        self._say(self.tr("Asking headquarters…"))
        for b in (self.search_button, self.older_button, self.newer_button):
            b.setEnabled(False)

        def ask() -> AuditPage:  # worker thread
            with AuditReader(store, transport=transport) as reader:
                return reader.page(query, cursor, PAGE)

        self._runner.submit(ask, self._show, self._failed)

    # -- what comes back -------------------------------------------------------------------

    def _show(self, page: AuditPage) -> None:
        self._next = page.next_cursor
        self.table.setRowCount(len(page.entries))
        for n, e in enumerate(page.entries):
            cells = (e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action,
                     e.borrower_code or "", e.visit_id or "", detail_text(e.detail))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(n, c, item)
        for c in range(self.table.columnCount() - 1):  # the last, the detail, stretches
            self.table.resizeColumnToContents(c)
        if page.entries:
            self._say(self.tr("Page {n}: {count} entries, newest first.").format(
                n=len(self._pages), count=len(page.entries)))
        else:
            self._say(self.tr("No entries match."))
        self._set_paging()
        emit(self.shown)

    def _failed(self, error: Exception) -> None:
        # Headquarters unreachable, a filter it does not know, not an administrator: said
        # above the table, which keeps what it showed.
        self._say(i18n.error_text(error), error=True)
        if len(self._pages) > 1 and self._pages[-1] is not None:
            self._pages.pop()  # the page asked for is not the one shown
        self._set_paging()
        emit(self.shown)

    def _set_paging(self) -> None:
        self.search_button.setEnabled(True)
        self.older_button.setEnabled(self._next is not None)
        self.newer_button.setEnabled(len(self._pages) > 1)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setStyleSheet(_ERROR_STYLE if error else "")
        self.status_label.setText(text)

    # -- export ----------------------------------------------------------------------------

    def _prepare_export(self) -> MakeTable:
        """Every entry the shown filters match, asked for again in the worker."""
        query, store, transport = self._query, self._store, self._transport

        def make(_lang: str, progress: Progress) -> ExportTable:
            with AuditReader(store, transport=transport) as reader:
                entries = []
                for entry in reader.every_entry(query):
                    entries.append(entry)
                    if len(entries) % 1000 == 0:
                        progress.check()
                return audit_table(entries)

        return make
