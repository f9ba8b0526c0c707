"""The main window: the signed-in user's portfolio, most overdue inspection first."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QWidget,
)

from inspector_app.domain.enums import Role
from inspector_app.gui import i18n
from inspector_app.gui.export_action import ExportAction, MakeTable
from inspector_app.gui.forms.ui_main_window import Ui_MainWindow
from inspector_app.gui.handover.notice import HandoverNotice
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner
from inspector_app.gui.worklist.list_query import WorkListQuery
from inspector_app.gui.worklist.portfolio_model import Column, PortfolioModel
from inspector_app.gui.worklist.revise import ReviseReturned
from inspector_app.gui.worklist.window_parts import (
    StatusLine,
    SupervisorHome,
    fit_columns,
    widen_names,
)
from inspector_app.gui.worklist.window_tools import WindowTools
from inspector_app.gui.worklist.work_list import Chip, CountsBar, NoMatchNote, WorkFilterBar
from inspector_app.store.facade import (
    DueRow,
    DueWindow,
    LocalStore,
    OfficerCounts,
    UserRow,
    WorkFilter,
)

if TYPE_CHECKING:
    import httpx

    from inspector_app.gui.dashboard.team_view import TeamDashboardView
    from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog
    from inspector_app.gui.review.queue_window import ReviewQueue
    from inspector_app.gui.settings.certificates import CertificateSettingsDialog
    from inspector_app.gui.sync.sync_dialog import SyncDialog
    from inspector_app.gui.worklist.brief_dialog import BriefDialog

# The dialogs the window opens are imported when first opened, not at start-up: between them
# they pull in reportlab, pyHanko, aiohttp and httpx, which took over a second to import
# before the portfolio could show (bench/startup.py).

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The officer's numbers, search box and filters over the due list, the list itself, and
    counts of the shown list in the status bar. A supervisor's window opens on the review
    queue, the borrower list a tab beside it."""

    borrower_activated = Signal(str)  # borrower id; opens the borrower's pre-visit brief
    # A visit was started (or a draft chosen to continue) from a brief; open_visit shows it.
    visit_started = Signal(str)
    portfolio_loaded = Signal()
    closed = Signal()

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        settings: LaptopSettings,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._store = store
        self._user = user
        # Officers work their own borrowers; supervisors and administrators oversee everyone's.
        self._officer_filter = user.id if user.role is Role.OFFICER else None
        self._runner = TaskRunner(self)  # the numbers at a glance
        self._today = today
        self.list_query = WorkListQuery(store, self._officer_filter, today, self._work_filter,
                                        self._show_rows, self._query_failed, self,
                                        more_rows=self._more_rows, counted=self._counted)

        self.model = PortfolioModel(i18n.current(), today, self)
        # Scrolled to the end of a page: the view asks the model, the model asks the query.
        self.model.fetch_more_from(self.list_query.more)
        view = self.ui.portfolioView
        make_roomy(view)
        view.setModel(self.model)
        header = view.horizontalHeader()
        # Sized to the labels once (and again on a language change), not on every search:
        # columns that jump while one types are hard to read, and re-measuring is slow.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._columns_fitted = False
        view.activated.connect(self._activated)
        # Right-click (or the menu key) on a borrower: its brief, or Revise when a visit of
        # theirs came back from the supervisor.
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._row_menu)
        self.row_menu: QMenu | None = None
        self.revise = ReviseReturned(store, user, self)
        self.revise.revised.connect(self.open_revision)
        self.borrower_activated.connect(self.open_brief)
        self.visit_editors: dict[str, QWidget] = {}  # open visit editors by visit id
        self._shut = False
        self.visit_started.connect(self.open_visit)

        # Filters beside the search box; the officer's numbers above it.
        self.filters = WorkFilterBar(self.ui.centralWidget)
        self.ui.searchLayout.addWidget(self.filters)
        # After the pause, not at once: ticking "awaiting review" also presses its chip, which
        # the query must see.
        self.filters.changed.connect(self.list_query.soon)
        self.filters.review_check.toggled.connect(self._review_filter_toggled)
        self.counts_bar = CountsBar(self.ui.centralWidget)
        self.ui.centralLayout.insertWidget(0, self.counts_bar)
        self.counts_bar.chosen.connect(self._chip_chosen)
        self.counts_bar.sync_requested.connect(lambda: self.open_sync())
        # Export…: the list as filtered now, every borrower of it, to xlsx or CSV. At the end
        # of the numbers' row, where there is room (beside the search box it cut the hint).
        self.export_button = QPushButton(self.counts_bar)
        self.export_button.setObjectName("exportButton")
        self.export_button.setAutoDefault(False)
        self.counts_bar.layout().addWidget(self.export_button)
        self.export = ExportAction(self, self._due_list_export, lambda: self.tr("due-list"))
        self.export_button.clicked.connect(self.export.start)
        # Over the empty table: why it is empty, and the way back to the whole list.
        self.no_match = NoMatchNote(view.viewport())
        self.no_match.clear_requested.connect(self.show_all)
        view.viewport().installEventFilter(self)
        # An officer's own name on every row says nothing; a supervisor's list needs it.
        view.setColumnHidden(Column.OFFICER, user.role is Role.OFFICER)
        self.home: SupervisorHome | None = None
        self.home_tabs: QTabWidget | None = None
        self.review_queue: ReviewQueue | None = None
        if user.role is Role.SUPERVISOR:
            self.home = SupervisorHome(self, store, user, today, self.open_visit, self.open_brief)
            self.home_tabs = self.home.tabs
            self.review_queue = self.home.review_queue
        # Over it all: a pending handover of the user's or their team's borrowers.
        self.handover_notice = HandoverNotice.above(self, store, user, settings)
        self.handover_notice.handing_over.connect(self.model.set_handing_over)

        # Tools (certificate, handovers, language, audit trail) and the sync button.
        self.tools = WindowTools(self, store, user, settings, self.handover_notice, self.reload)
        self._handover_action = self.tools.handover_action
        self.language_menu = self.tools.language_menu

        self.ui.searchEdit.textChanged.connect(self.list_query.soon)

        self.status = StatusLine(self, self.ui.statusBar, user)
        self._total_label, self._user_label = self.status.total_label, self.status.user_label
        self.unsynced_label = self.status.unsynced_label
        queue_export = [] if self.review_queue is None else [self.review_queue.export]
        if self.dashboard is not None:
            queue_export.append(self.dashboard.matrix_export)
        for export in [self.export, *queue_export]:
            export.exported.connect(self.status.exported)
            export.cancelled.connect(self.status.export_cancelled)

        self._retranslate()
        fit_window(self, "main_window")
        self.reload()

    @property
    def dashboard(self) -> TeamDashboardView | None:
        """The team's charts: a supervisor's, once their tab has been opened."""
        return None if self.home is None else self.home.dashboard

    @property
    def loading(self) -> bool:
        """True while a portfolio query is running (or typing waits for it)."""
        return self._runner.pending > 0 or self.list_query.busy

    def reload(self) -> None:
        """Query the due list for the current search and filters, and the officer's numbers,
        off the UI thread."""
        self.list_query.now()
        self.handover_notice.reload()
        if self.home is not None:
            self.home.reload()
        officer, today = self._officer_filter, self._today()
        # One query for the numbers at a glance, the unsynced count among them.
        self._runner.submit(lambda: self._store.officer_counts(officer, today),
                            self._show_officer_counts, self._query_failed)

    def show_all(self) -> None:
        """Clear the search, the filters and the chips: the whole list again."""
        self.counts_bar.choose(None)
        self.filters.clear()
        self.ui.searchEdit.clear()
        self.list_query.now()

    def _work_filter(self) -> WorkFilter:
        """The search text, the filters beside it and the chip pressed."""
        where = self.filters.current(self.ui.searchEdit.text())
        chip = self.counts_bar.current
        if chip is Chip.OVERDUE:
            return replace(where, due=DueWindow.OVERDUE)
        if chip is Chip.DUE_THIS_WEEK:
            return replace(where, due=DueWindow.THIS_WEEK)
        if chip is Chip.UNSIGNED:
            return replace(where, unsigned=True)
        return where  # awaiting review is the filter bar's check box, which the chip presses

    def open_brief(self, borrower_id: str) -> BriefDialog:
        """Show the borrower's pre-visit brief, from which a visit starts."""
        from inspector_app.gui.worklist.brief_dialog import BriefDialog

        dialog = BriefDialog(self._store, self._user, borrower_id, today=self._today,
                             parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Bound methods of the window, never closures over the dialog.
        dialog.visit_started.connect(self._brief_started_visit)
        dialog.visits_changed.connect(self.reload)
        dialog.visits_opened.connect(self._visits_opened)
        dialog.visit_revised.connect(self.open_revision)
        dialog.show()
        return dialog

    def _visits_opened(self, dialog: BorrowerVisitsDialog) -> None:
        dialog.visit_revised.connect(self.open_revision)

    def open_revision(self, visit_id: str) -> QWidget:
        """A returned visit was revised: open the new draft on the supervisor's comments."""
        self.reload()  # the returned visit is being dealt with; a draft is open
        return self.open_visit(visit_id, page="comments")

    def open_visit(self, visit_id: str, page: str | None = None) -> QWidget:
        """Show the visit in its editor: one window per visit, raised if already open."""
        from inspector_app.gui.editor.window import open_visit_editor

        editor = self.visit_editors.get(visit_id)
        if editor is None:
            editor = open_visit_editor(self._store, self._user, visit_id, page=page,
                                       parent=self, today=self._today)
            if self.review_queue is not None:  # a supervisor: the reviewer's pages and decisions
                from inspector_app.gui.review.extras import ReviewExtras

                extras = ReviewExtras(editor)
                extras.decided.connect(self._visit_decided)
            self.visit_editors[visit_id] = editor
            # A closed editor may have completed the visit: the officer's numbers move.
            editor.destroyed.connect(lambda _obj=None, v=visit_id: self._visit_closed(v))
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def _visit_decided(self, _decision: str) -> None:
        self.reload()  # the visit leaves the waiting tab

    def _visit_closed(self, visit_id: str) -> None:
        self.visit_editors.pop(visit_id, None)
        # Editors are this window's children: when the window itself goes, they go with it
        # and there is no list left to refresh.
        if not self._shut and shiboken6.isValid(self.list_query):
            self.reload()

    def open_borrower(self, borrower_id: str) -> BorrowerVisitsDialog:
        """Show the borrower's visits and their reports in a window of their own."""
        from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog

        dialog = BorrowerVisitsDialog(self._store, self._user, borrower_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.visits_changed.connect(self.reload)  # signing moves the next due date
        dialog.visit_revised.connect(self.open_revision)
        dialog.show()
        return dialog

    def open_certificate_settings(self) -> CertificateSettingsDialog:
        """Let the signed-in user import their signing certificate and the trusted root."""
        return self.tools.open_certificate_settings()

    def open_sync(
        self, transport: httpx.BaseTransport | None = None, **client_options: Any
    ) -> SyncDialog:
        """Show the sync dialog (one per window); see WindowTools.open_sync."""
        return self.tools.open_sync(transport, **client_options)

    def open_audit_trail(self) -> QWidget:
        """The audit trail window (one; raised if open), showing the newest entries."""
        return self.tools.open_audit_trail()

    @property
    def sync_dialog(self) -> SyncDialog | None:
        return self.tools.sync_dialog

    @property
    def audit_window(self) -> QWidget | None:
        return self.tools.audit_window

    # -- Qt events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.ui.portfolioView.viewport():
            self._place_no_match()
            widen_names(self.ui.portfolioView)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.model.set_language(i18n.current())
            self._retranslate()
            self._fit_columns()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._shut = True
        self.tools.cancel_sync()  # a sync stops at its next safe point
        emit(self.closed)
        super().closeEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _show_rows(self, where: WorkFilter, rows: list[DueRow], more: bool) -> None:
        self.ui.statusBar.clearMessage()  # an earlier failure is over
        self.model.set_rows(rows, more=more)
        if not self._columns_fitted and rows:
            self._fit_columns()
        if rows:
            self.no_match.hide()
        else:
            self.no_match.show_for(where.text.strip(), where.narrowed)
            self._place_no_match()
        emit(self.portfolio_loaded)

    def _due_list_export(self) -> MakeTable:
        """The work list's filters now (UI thread), for the export's worker."""
        store, where, officer, today = (self._store, self._work_filter(), self._officer_filter,
                                        self._today())
        return lambda lang, progress: store.due_list_export(
            where, officer_id=officer, today=today, lang=lang, progress=progress)

    def _chip_chosen(self, chip: Chip | None) -> None:
        review = self.filters.review_check
        blocked = review.blockSignals(True)  # one query below, not one per widget changed
        review.setChecked(chip is Chip.AWAITING_REVIEW)
        review.blockSignals(blocked)
        self.list_query.now()

    def _review_filter_toggled(self, on: bool) -> None:
        # The check box and the "awaiting review" chip are one filter: keep them together.
        current = self.counts_bar.current
        if on:
            self.counts_bar.choose(Chip.AWAITING_REVIEW)
        elif current is Chip.AWAITING_REVIEW:
            self.counts_bar.choose(None)

    def _more_rows(self, rows: list[DueRow], more: bool) -> None:
        self.model.append_rows(rows, more=more)

    def _counted(self, total: int) -> None:
        self.status.show_total(total)

    def _query_failed(self, error: Exception) -> None:
        log.error("portfolio query failed", exc_info=error)
        self.ui.statusBar.showMessage(
            self.tr("Could not load the portfolio: {error}").format(error=error)
        )

    def _brief_started_visit(self, visit_id: str) -> None:
        emit(self.visit_started, visit_id)
        self.reload()  # a new draft changes the officer's numbers

    def _show_officer_counts(self, counts: OfficerCounts) -> None:
        self.counts_bar.show_counts(counts)
        self.status.show_unsynced(counts.unsynced)

    def _activated(self, index: QModelIndex) -> None:
        emit(self.borrower_activated, self.model.data(index, Qt.ItemDataRole.UserRole))

    def _row_menu(self, pos: QPoint) -> None:
        view = self.ui.portfolioView
        index = view.indexAt(pos)
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        if self.row_menu is not None:
            self.row_menu.deleteLater()  # the last one, long closed
        menu = self.row_menu = QMenu(self)
        menu.setObjectName("rowMenu")
        menu.addAction(self.tr("Open &brief…"), lambda b=row.borrower_id: self.open_brief(b))
        returned = row.returned_visit_id
        if returned is not None and self._user.role is Role.OFFICER:
            revise = menu.addAction(self.tr("&Revise the returned visit…"),
                                    lambda v=returned: self.revise.ask(v))
            revise.setObjectName("reviseAction")
        menu.popup(view.viewport().mapToGlobal(pos))

    # -- helpers -------------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        self._columns_fitted = fit_columns(self.ui.portfolioView, self.model)

    def _retranslate(self) -> None:
        if self.home is not None:
            self.home.retranslate()
        self.tools.retranslate()
        self.export_button.setText(self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Save the list as it is filtered now, every "
                                              "borrower of it, as an Excel workbook or CSV"))
        self.ui.searchEdit.setPlaceholderText(self.tr(
            "Name, pinyin (zjdy), customer no., ID no. or industry"))
        self.status.retranslate()

    def _place_no_match(self) -> None:
        self.no_match.setGeometry(self.ui.portfolioView.viewport().rect())
