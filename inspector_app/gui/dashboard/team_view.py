"""The dashboard: four pages of charts, over the supervisor's team on this laptop (works
offline, as of the last sync) or, for an administrator, over the bank at headquarters (online;
gui.dashboard.bank_window). Every figure comes from one off-thread call to its DashboardSource
(gui.dashboard.sources); every bar and matrix cell opens the list behind it (DrillDialog).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Classification, Severity, SignalCategory
from inspector_app.domain.listings import migration_matrix_table
from inspector_app.gui import i18n
from inspector_app.gui.dashboard.bar_chart import BarChart, Series
from inspector_app.gui.dashboard.drill_dialog import DrillDialog
from inspector_app.gui.dashboard.migration_matrix import MigrationMatrix
from inspector_app.gui.dashboard.periods import Period
from inspector_app.gui.dashboard.sources import DashboardSource, LaptopDashboard
from inspector_app.gui.export_action import ExportAction, MakeTable
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import (
    UNASSIGNED,
    Drill,
    DueBucket,
    GroupBy,
    LocalStore,
    Scope,
    SignalAge,
    TeamDashboard,
    Workload,
)

SEVERITY_COLORS = {Severity.RED: "#c62828", Severity.ORANGE: "#ef6c00",
                   Severity.YELLOW: "#f9a825"}
DUE_COLORS = {DueBucket.OVERDUE: "#c62828", DueBucket.WITHIN_7: "#ef6c00",
              DueBucket.WITHIN_30: "#1e88e5"}
CLASS_COLORS = {Classification.NORMAL: "#2e7d32", Classification.SPECIAL_MENTION: "#f9a825",
                Classification.SUBSTANDARD: "#ef6c00", Classification.DOUBTFUL: "#c62828",
                Classification.LOSS: "#6a1b9a"}
WORK_COLORS = {Workload.BORROWERS: "#1e88e5", Workload.VISITS_THIS_MONTH: "#1e88e5",
               Workload.SUBMITTED: "#00897b", Workload.RETURNS: "#c62828"}
SEVERITIES = [Severity.RED, Severity.ORANGE, Severity.YELLOW]  # the gravest at the left


class TeamDashboardView(QWidget):
    """The dashboard's period, pages and charts; loaded after each figure set shows, failed
    (with why) when they could not be had."""

    asking = Signal()  # figures are being worked out (or asked of headquarters)
    loaded = Signal()
    failed = Signal(str)
    drill_opened = Signal(object)  # the DrillDialog
    borrower_requested = Signal(str)
    visit_requested = Signal(str)

    def __init__(self, source: DashboardSource | LocalStore,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamDashboard")
        self._source = LaptopDashboard(source) if isinstance(source, LocalStore) else source
        self._today = today
        self.scope = Scope()  # what is asked for (headquarters: the grouping and the part)
        self._runner = TaskRunner(self)
        self._generation = 0
        self.board: TeamDashboard | None = None
        self.drill_dialog: DrillDialog | None = None

        self.period_label = QLabel(self)
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        for period in Period:
            self.period_combo.addItem("", period.value)
        self.period_combo.setCurrentIndex(list(Period).index(Period.THIS_QUARTER))
        self.period_label.setBuddy(self.period_combo)
        self.as_of = QLabel(self)
        self.as_of.setObjectName("dashboardAsOf")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.setAutoDefault(False)
        top = self.top = QHBoxLayout()  # an administrator's window adds its choices here
        top.addWidget(self.period_label)
        top.addWidget(self.period_combo)
        top.addWidget(self.as_of, 1)
        top.addWidget(self.refresh_button)

        self.due_chart = BarChart("dueChart", stacked=True)
        self.category_chart = BarChart("signalCategoryChart", stacked=True)
        self.age_chart = BarChart("signalAgeChart", stacked=True)
        self.class_chart = BarChart("classificationChart", stacked=True)
        self.matrix = MigrationMatrix()
        self.matrix_title = QLabel(self)
        self.matrix_title.setWordWrap(True)
        # The matrix on screen, as xlsx or CSV: the figures its cells show, of its period.
        self.matrix_export = ExportAction(self, self._matrix_table,
                                          lambda: self.tr("migration-matrix"))
        self.matrix_export_button = QPushButton(self)
        self.matrix_export_button.setObjectName("matrixExport")
        self.matrix_export_button.setAutoDefault(False)
        self.matrix_export_button.setEnabled(False)  # until a matrix is on screen
        self.matrix_export_button.clicked.connect(self.matrix_export.start)
        self.borrowers_chart = BarChart("borrowersChart", stacked=True)
        self.visits_chart = BarChart("visitsChart", stacked=False)
        self.days_chart = BarChart("submitDaysChart", stacked=True)

        self.pages = QTabWidget(self)
        self.pages.setObjectName("dashboardPages")
        self.pages.addTab(self._scrolled(self.due_chart), "")
        self.pages.addTab(self._side_by_side(self.category_chart, self.age_chart), "")
        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_head = QHBoxLayout()
        matrix_head.addWidget(self.matrix_title, 1)
        matrix_head.addWidget(self.matrix_export_button)
        matrix_layout.addLayout(matrix_head)
        matrix_layout.addWidget(self.matrix, 1)
        self.pages.addTab(self._side_by_side(self.class_chart, matrix_box, 2, 3), "")
        workload = QWidget()
        grid = QGridLayout(workload)
        grid.addWidget(self.borrowers_chart, 0, 0)
        grid.addWidget(self.days_chart, 0, 1)
        grid.addWidget(self.visits_chart, 1, 0, 1, 2)
        self.pages.addTab(self._scrolled(workload), "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

        self.period_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.due_chart.bar_clicked.connect(self._due_clicked)
        self.category_chart.bar_clicked.connect(
            lambda c, s: self._open(Drill("signal_category", self._day(), category=c,
                                          severity=s), c.label(self._lang()), s))
        self.age_chart.bar_clicked.connect(
            lambda a, s: self._open(Drill("signal_age", self._day(), age=a, severity=s),
                                    self._age_label(a), s))
        self.class_chart.bar_clicked.connect(self._class_clicked)
        self.matrix.cell_clicked.connect(self._cell_clicked)
        for chart in (self.borrowers_chart, self.visits_chart, self.days_chart):
            chart.bar_clicked.connect(self._workload_clicked)
        self._retranslate()

    # -- public --------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    def period(self) -> tuple[date, date]:
        return Period(self.period_combo.currentData()).span(self._day())

    def reload(self) -> None:
        """Work the figures out again (off the UI thread); an older answer is dropped."""
        self._generation += 1
        generation, today, scope, source = self._generation, self._day(), self.scope, \
            self._source
        start, end = self.period()
        emit(self.asking)
        self._runner.submit(lambda: source.figures(today, start, end, scope),
                            lambda board: self._show(generation, board),
                            lambda error: self._failed(generation, error))

    # -- drawing -------------------------------------------------------------------------------

    def _show(self, generation: int, board: TeamDashboard) -> None:
        if generation != self._generation:
            return
        self.board = board
        self._retitle()
        self._draw()
        emit(self.loaded)

    def _draw(self) -> None:
        board = self.board
        if board is None:
            return
        lang = self._lang()
        nothing = self.tr("Nothing to show")
        self.as_of.setText(self.tr("As of {today} · period {start} – {end}").format(
            today=board.today.isoformat(), start=board.start.isoformat(),
            end=board.end.isoformat()))
        officers = [(d.officer_id, self._officer(d.officer_id, d.officer, d.team))
                    for d in board.due]
        self.due_chart.set_data(
            officers, [Series(b, self._due_label(b), DUE_COLORS[b]) for b in DueBucket],
            {(d.officer_id, b): d.count(b) for d in board.due for b in DueBucket},
            empty_text=nothing)
        severities = [Series(s, s.label(lang), SEVERITY_COLORS[s]) for s in SEVERITIES]
        self.category_chart.set_data(
            [(c, c.label(lang)) for c in SignalCategory], severities,
            dict(board.signals_by_category), empty_text=nothing)
        self.age_chart.set_data([(a, self._age_label(a)) for a in SignalAge], severities,
                                dict(board.signals_by_age), empty_text=nothing)
        self.class_chart.set_data(
            [(c, c.label(lang)) for c in Classification],
            [Series(c, c.label(lang), CLASS_COLORS[c]) for c in Classification],
            {(c, c): n for c, n in board.classifications.items()}, legend=False)
        self.matrix.set_labels({c: c.label(lang) for c in Classification},
                               start=self.tr("from {label}"), end=self.tr("to\n{label}"))
        self.matrix.set_counts(board.migration)
        self.matrix_export_button.setEnabled(True)
        people = [(w.officer_id, self._officer(w.officer_id, w.officer, w.team))
                  for w in board.workload]
        self.borrowers_chart.set_data(
            people, [Series(Workload.BORROWERS, self.tr("Borrowers"),
                            WORK_COLORS[Workload.BORROWERS])],
            {(w.officer_id, Workload.BORROWERS): w.borrowers for w in board.workload})
        visits = (Workload.VISITS_THIS_MONTH, Workload.SUBMITTED, Workload.RETURNS)
        self.visits_chart.set_data(
            people, [Series(m, self._workload_label(m), WORK_COLORS[m]) for m in visits],
            {(w.officer_id, m): getattr(w, {Workload.VISITS_THIS_MONTH: "visits_this_month",
                                            Workload.SUBMITTED: "submitted",
                                            Workload.RETURNS: "returns"}[m])
             for w in board.workload for m in visits})
        self.days_chart.set_data(
            [p for p, w in zip(people, board.workload, strict=True) if w.submitted],
            [Series(Workload.SUBMITTED, self.tr("Days"), WORK_COLORS[Workload.SUBMITTED])],
            {(w.officer_id, Workload.SUBMITTED): w.average_days_to_submit or 0.0
             for w in board.workload if w.submitted},
            value_format="{:.1f}", empty_text=nothing, least=0.05)

    def _matrix_table(self) -> MakeTable:
        """The matrix on screen as a table: its counts and period, read now (on the UI
        thread), whichever source they came from (this laptop, or headquarters)."""
        assert self.board is not None  # the button waits for one
        counts, start, end = dict(self.board.migration), self.board.start, self.board.end
        return lambda lang, _progress: migration_matrix_table(counts, start, end, lang)

    # -- clicks --------------------------------------------------------------------------------

    def _due_clicked(self, officer_id: str, bucket: DueBucket) -> None:
        self._open(Drill("due", self._day(), officer_id=officer_id, due=bucket),
                   self._officer_name(officer_id), self._due_label(bucket),
                   self.tr("Next inspection"))

    def _class_clicked(self, classification: Classification, _series: Any) -> None:
        self._open(Drill("classification", self._day(), classification=classification),
                   self.tr("Classification now"), classification.label(self._lang()),
                   self.tr("Next inspection"))

    def _cell_clicked(self, start_class: Classification, end_class: Classification) -> None:
        start, end = self.period()
        lang = self._lang()
        self._open(Drill("migration", self._day(), start, end, classification=start_class,
                         to_classification=end_class),
                   f"{start.isoformat()} – {end.isoformat()}",
                   f"{start_class.label(lang)} → {end_class.label(lang)}",
                   self.tr("Next inspection"))

    def _workload_clicked(self, officer_id: str, measure: Workload) -> None:
        start, end = self.period()
        self._open(Drill("workload", self._day(), start, end, officer_id=officer_id,
                         workload=measure),
                   self._officer_name(officer_id), self._workload_label(measure),
                   self.tr("Next inspection") if measure is Workload.BORROWERS
                   else self.tr("Visit date"))

    def _open(self, drill: Drill, what: str, which: Any, date_header: str = "") -> None:
        label = which.label(self._lang()) if isinstance(which, Severity) else str(which)
        if self.drill_dialog is not None:
            self.drill_dialog.close()
            self.drill_dialog.deleteLater()
        # As the figures were asked for: their part of the bank and period (headquarters
        # needs the period for every bar).
        start, end = self.period()
        scope = self.board.scope if self.board is not None else self.scope
        drill = dataclasses.replace(drill, scope=scope, start=drill.start or start,
                                    end=drill.end or end)
        dialog = self.drill_dialog = DrillDialog(
            self._source, drill, f"{what} · {label}", date_header or self.tr("Raised on"), self)
        dialog.borrower_requested.connect(self.borrower_requested)
        dialog.visit_requested.connect(self.visit_requested)
        dialog.show()
        emit(self.drill_opened, dialog)

    # -- texts ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.period_label.setText(self.tr("&Period:"))
        for i, text in enumerate((self.tr("This month"), self.tr("This quarter"),
                                  self.tr("Last quarter"), self.tr("This year"))):
            self.period_combo.setItemText(i, text)
        self.refresh_button.setText(self.tr("&Refresh"))
        for i, text in enumerate((self.tr("Inspections due"), self.tr("Risk signals"),
                                  self.tr("Classification"), self.tr("Workload"))):
            self.pages.setTabText(i, text)
        self._retitle()
        titles = (
            (self.category_chart, self.tr("Open risk signals by category and severity")),
            (self.age_chart, self.tr("Open risk signals by age (days since raised)")),
            (self.class_chart, self.tr("Borrowers by classification now")),
            (self.days_chart, self.tr("Average days from visit to submission (period)")),
            (self.visits_chart, self.tr("Visits this month, submitted and returned in the "
                                        "period")),
        )
        for chart, title in titles:
            chart.title.setText(title)
        self.matrix_title.setText(self.tr(
            "<b>Migration matrix</b>: borrowers by classification at the start of the period "
            "(rows) and at its end (columns); click a cell for its borrowers"))
        self.matrix_export_button.setText(self.tr("&Export…"))
        self.matrix_export_button.setToolTip(self.tr(
            "Save the migration matrix of the period shown, with totals, as an Excel workbook "
            "or CSV"))
        self._draw()

    def _due_label(self, bucket: DueBucket) -> str:
        return {DueBucket.OVERDUE: self.tr("Overdue"),
                DueBucket.WITHIN_7: self.tr("Due within 7 days"),
                DueBucket.WITHIN_30: self.tr("Due in 8–30 days")}[bucket]

    def _age_label(self, age: SignalAge) -> str:
        return {SignalAge.UP_TO_30: self.tr("0–30 days"), SignalAge.UP_TO_90: self.tr(
            "31–90 days"), SignalAge.UP_TO_180: self.tr("91–180 days"),
            SignalAge.OLDER: self.tr("over 180 days")}[age]

    def _workload_label(self, measure: Workload) -> str:
        return {Workload.BORROWERS: self.tr("Borrowers"),
                Workload.VISITS_THIS_MONTH: self.tr("Visits this month"),
                Workload.SUBMITTED: self.tr("Submitted in the period"),
                Workload.RETURNS: self.tr("Returned in the period")}[measure]

    def _group(self) -> GroupBy:
        return (self.board.scope if self.board is not None else self.scope).group

    def _retitle(self) -> None:
        """The titles that name what a row is: an officer, a team or a branch."""
        group = self._group()
        self.due_chart.title.setText({
            GroupBy.OFFICER: self.tr("Inspections overdue and due soon, per officer"),
            GroupBy.TEAM: self.tr("Inspections overdue and due soon, per team"),
            GroupBy.BRANCH: self.tr("Inspections overdue and due soon, per branch")}[group])
        self.borrowers_chart.title.setText({
            GroupBy.OFFICER: self.tr("Borrowers per officer"),
            GroupBy.TEAM: self.tr("Borrowers per team"),
            GroupBy.BRANCH: self.tr("Borrowers per branch")}[group])

    def _officer(self, officer_id: str, name: str, team: str = "") -> str:
        """A row's label: the officer (with their team, at headquarters), team or branch."""
        if officer_id == UNASSIGNED:
            return {GroupBy.OFFICER: self.tr("(unassigned)"), GroupBy.TEAM: self.tr("(no team)"),
                    GroupBy.BRANCH: self.tr("(no branch)")}[self._group()]
        return f"{name} · {team}" if team else name

    def _officer_name(self, officer_id: str) -> str:
        rows = self.board.workload if self.board is not None else []
        return next((self._officer(w.officer_id, w.officer, w.team) for w in rows
                     if w.officer_id == officer_id), officer_id)

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        why = i18n.error_text(error)
        self.as_of.setText(self.tr("The figures could not be read: {error}").format(error=why))
        emit(self.failed, why)

    def _day(self) -> date:
        return self._today()

    @staticmethod
    def _lang() -> str:
        return i18n.domain_language(i18n.current())

    @staticmethod
    def _scrolled(page: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(page)
        return area

    @staticmethod
    def _side_by_side(left: QWidget, right: QWidget, left_share: int = 1,
                      right_share: int = 1) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.addWidget(left, left_share)
        row.addWidget(right, right_share)
        return box
