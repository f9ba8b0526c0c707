"""The supervisor's review queue: what waits for a decision, and what was decided.

Two tabs (waiting, decided), filters for officer, kind, classification change and signals, a
search box, and the list (queue_model.py). Every query runs off the UI thread
(LocalStore.review_queue); an answer overtaken by newer typing is dropped. Double-click, Enter
or "Open" asks for the visit (open_requested); the main window opens it in the visit editor.
A decision headquarters refused is never silently dropped: its row is tinted and a banner
above the list says how many there are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.export_action import ExportAction, MakeTable
from inspector_app.gui.palette import QUIET
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.review.queue_model import (
    CONFLICT_FILL,
    CONFLICT_TEXT,
    Column,
    QueueModel,
    conflicted,
)
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import (
    ClassificationChange,
    LocalStore,
    QueueFilter,
    QueueRow,
    QueueTab,
    UserRow,
)

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150  # as the borrower list: no query per keystroke, still feels live
QUEUE_LIMIT = 500  # the queue shows at most this many visits; filters narrow it

BANNER_STYLE = (f"QLabel {{ background: {CONFLICT_FILL.name()}; color: {CONFLICT_TEXT.name()}; "
                "border: 1px solid #e0c36c; border-radius: 4px; padding: 6px 10px; }")


class ReviewQueue(QWidget):
    """The queue's tabs, filters and list; open_requested(visit_id) when one is opened."""

    open_requested = Signal(str)
    loaded = Signal()  # a query's rows are showing

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self._store = store
        self._user = user
        self._today = today
        self._runner = TaskRunner(self)
        self._generation = 0
        self._columns_fitted = False
        self._officers: list[UserRow] = []

        self.tabs = QTabBar(self)
        self.tabs.setObjectName("queueTabs")
        self.tabs.addTab("")
        self.tabs.addTab("")
        self.tabs.setTabData(0, QueueTab.WAITING.value)
        self.tabs.setTabData(1, QueueTab.DECIDED.value)
        self.tabs.setExpanding(False)

        self.search_label = QLabel(self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("queueSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.officer_combo = self._combo("officerFilter")
        self.officer_combo.addItem("", None)
        self.kind_combo = self._combo("kindFilter")
        self.kind_combo.addItem("", None)
        for kind in VisitKind:  # data: the value (Qt keeps a str, no enum)
            self.kind_combo.addItem("", kind.value)
        self.change_combo = self._combo("changeFilter")
        for change in ClassificationChange:
            self.change_combo.addItem("", change.value)
        self.signals_check = QCheckBox(self)
        self.signals_check.setObjectName("signalsFilter")

        self.banner = QLabel(self)
        self.banner.setObjectName("conflictBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()

        self.model = QueueModel(i18n.current(), self)
        self.view = QTableView(self)
        self.view.setObjectName("queueView")
        make_roomy(self.view)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.BORROWER, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(self)
        self.empty_label.setStyleSheet(f"color: {QUIET.name()};")
        self.empty_label.hide()

        self.count_label = QLabel(self)
        self.count_label.setObjectName("queueCount")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openButton")
        self.open_button.setAutoDefault(False)
        self.open_button.setEnabled(False)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setAutoDefault(False)
        # Export…: the tab as filtered now, every visit of it (not the first QUEUE_LIMIT).
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setAutoDefault(False)
        self.export = ExportAction(self, self._visits_export, lambda: self.tr("visits"))

        filters = QHBoxLayout()
        filters.addWidget(self.search_label)
        filters.addWidget(self.search_edit, 1)
        for widget in (self.officer_combo, self.kind_combo, self.change_combo,
                       self.signals_check):
            filters.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.tabs.currentChanged.connect(self._tab_changed)
        for combo in (self.officer_combo, self.kind_combo, self.change_combo):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.signals_check.toggled.connect(self._filter_changed)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.export.start)

        self._retranslate()
        self._show_decision_column()
        # The list itself is queried by reload(), which the owner calls once it is set up.
        self._runner.submit(lambda: store.team_officers(user), self._officers_loaded,
                            self._query_failed)

    # -- public --------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    def current_filter(self) -> QueueFilter:
        # The combos hold the enums' values: made enums again here.
        kind = self.kind_combo.currentData()
        return QueueFilter(
            tab=QueueTab(self.tabs.tabData(self.tabs.currentIndex()) or QueueTab.WAITING),
            officer_id=self.officer_combo.currentData() or None,
            kind=VisitKind(kind) if kind else None,
            change=ClassificationChange(self.change_combo.currentData()
                                        or ClassificationChange.ANY),
            with_signals=self.signals_check.isChecked(),
            search=self.search_edit.text().strip(),
        )

    def reload(self) -> None:
        """Query the queue for the tab and filters now chosen, off the UI thread."""
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        store, user, flt, today = self._store, self._user, self.current_filter(), self._today()
        self._runner.submit(
            lambda: store.review_queue(user, flt, today, limit=QUEUE_LIMIT),
            lambda rows: self._show_rows(generation, rows),
            self._query_failed,
        )

    def selected(self) -> QueueRow | None:
        index = self.view.currentIndex()
        selected = self.view.selectionModel().selectedRows()
        if not selected or not index.isValid():
            return None
        return self.model.row_at(index.row())

    def select_visit(self, visit_id: str) -> bool:
        row = self.model.row_of(visit_id)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.setCurrentIndex(self.model.index(row, Column.BORROWER))
        return True

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            emit(self.open_requested, row.visit_id)

    def _visits_export(self) -> MakeTable:
        """The tab and filters now (UI thread), for the export's worker."""
        store, user, flt, today = self._store, self._user, self.current_filter(), self._today()
        return lambda lang, progress: store.visits_export(user, flt, today, lang, progress)

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.set_language(i18n.current())
            self._retranslate()
            self._fit_columns()
        super().changeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _officers_loaded(self, officers: list[UserRow]) -> None:
        self._officers = list(officers)
        chosen = self.officer_combo.currentData()
        self.officer_combo.blockSignals(True)
        while self.officer_combo.count() > 1:
            self.officer_combo.removeItem(1)
        for officer in self._officers:
            self.officer_combo.addItem(officer.display_name, officer.id)
        found = self.officer_combo.findData(chosen)
        self.officer_combo.setCurrentIndex(max(found, 0))
        self.officer_combo.blockSignals(False)

    def _show_rows(self, generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        keep = self.selected()
        self.model.set_rows(rows)
        if not self._columns_fitted and rows:
            self._fit_columns()
        if keep is not None:
            self.select_visit(keep.visit_id)
        self._show_counts()
        self._selection_changed()
        emit(self.loaded)

    def _query_failed(self, error: Exception) -> None:
        log.error("the review queue could not be loaded", exc_info=error)
        self.count_label.setText(self.tr("The queue could not be loaded: {error}").format(
            error=i18n.error_text(error)))

    def _tab_changed(self, _index: int) -> None:
        self._show_decision_column()
        self.reload()

    def _filter_changed(self, *_args: object) -> None:
        self.reload()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            emit(self.open_requested, self.model.row_at(index.row()).visit_id)

    def _selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    # -- helpers -------------------------------------------------------------------------------

    def _show_decision_column(self) -> None:
        decided = self.current_filter().tab is QueueTab.DECIDED
        self.view.setColumnHidden(Column.DECISION, not decided)
        self.view.setColumnHidden(Column.WAITING, decided)

    def _fit_columns(self) -> None:
        self.view.resizeColumnsToContents()
        # That sized the borrower column to its text too: stretch it over the rest again.
        self.view.horizontalHeader().setSectionResizeMode(
            Column.BORROWER, QHeaderView.ResizeMode.Stretch)
        self._columns_fitted = self.model.rowCount() > 0

    def _show_counts(self) -> None:
        rows = self.model.rows()
        waiting = self.current_filter().tab is QueueTab.WAITING
        if waiting:
            text = self.tr("%n visit(s) waiting for your decision", "", len(rows))
        else:
            text = self.tr("%n decided visit(s)", "", len(rows))
        if len(rows) >= QUEUE_LIMIT:
            text = self.tr("The first {count} shown; filter to narrow the list").format(
                count=QUEUE_LIMIT)
        self.count_label.setText(text)
        self.empty_label.setText(
            self.tr("Nothing waits for your decision.") if waiting
            else self.tr("No decided visits match."))
        self.empty_label.setHidden(bool(rows))
        conflicts = [row for row in rows if conflicted(row)]
        if conflicts:
            self.banner.setText(self.tr(
                "⚠ Headquarters did not accept %n of your decisions: another decision stands "
                "there. The rows are marked; open one to see what headquarters holds.", "",
                len(conflicts)))
        self.banner.setHidden(not conflicts)

    def _retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.tabs.setTabText(0, self.tr("Waiting for review"))
        self.tabs.setTabText(1, self.tr("Decided"))
        self.search_label.setText(self.tr("&Search:"))
        self.search_edit.setPlaceholderText(self.tr("Borrower name or no., officer"))
        self.officer_combo.setItemText(0, self.tr("All officers"))
        self.kind_combo.setItemText(0, self.tr("Any inspection"))
        for n, kind in enumerate(VisitKind, start=1):
            self.kind_combo.setItemText(n, kind.label(lang))
        change_texts = {
            ClassificationChange.ANY: self.tr("Any classification"),
            ClassificationChange.DOWNGRADE: self.tr("Downgrades"),
            ClassificationChange.SAME: self.tr("Unchanged"),
            ClassificationChange.UPGRADE: self.tr("Upgrades"),
        }
        for n in range(self.change_combo.count()):
            self.change_combo.setItemText(
                n, change_texts[ClassificationChange(self.change_combo.itemData(n))])
        self.signals_check.setText(self.tr("With red or orange &signals"))
        self.open_button.setText(self.tr("&Open"))
        self.open_button.setToolTip(self.tr("Open the visit read-only, with its report, "
                                            "history and your decision"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.export_button.setText(self.tr("E&xport…"))
        self.export_button.setToolTip(self.tr("Save the visits of this tab as filtered now, "
                                              "with review status, signals and "
                                              "classification, as an Excel workbook or CSV"))
        self._show_counts()
