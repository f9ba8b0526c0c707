"""全行看板 / Bank dashboard: the supervisor's charts over the whole bank, for an
administrator, from the figures headquarters counts on its database (GET /api/v1/dashboard,
through sync.dashboard_reader), read online and kept nowhere on the laptop.

The rows are officers (with their team), teams or branches; the figures may be narrowed to a
branch or a team. Every bar and matrix cell opens the borrowers, signals or visits behind it,
a page at a time. While headquarters is asked a busy bar shows; when it cannot be reached the
window says so and why, and the charts keep the last figures read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.dashboard.sources import HeadquartersDashboard
from inspector_app.gui.dashboard.team_view import TeamDashboardView
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import GroupBy, LocalStore, Scope, ScopeChoice

_ERROR_STYLE = "color: #b71c1c;"
GROUPS = (GroupBy.OFFICER, GroupBy.TEAM, GroupBy.BRANCH)


class BankDashboardWindow(QWidget):
    """The bank's dashboard; ``view`` is the charts (their loaded/failed signals)."""

    def __init__(self, store: LocalStore, parent: QWidget | None = None, *,
                 transport: httpx.BaseTransport | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("bankDashboardWindow")
        self.view = TeamDashboardView(HeadquartersDashboard(store, transport), today, self)
        self.group_label, self.scope_label = QLabel(self), QLabel(self)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        for group in GROUPS:
            self.group_combo.addItem("", group.value)
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("scopeCombo")
        self.scope_combo.addItem("", None)  # the whole bank
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_label.setBuddy(self.group_combo)
        self.scope_label.setBuddy(self.scope_combo)
        for n, widget in enumerate((self.group_label, self.group_combo, self.scope_label,
                                    self.scope_combo)):
            self.view.top.insertWidget(2 + n, widget)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: headquarters says nothing of how long
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("bankStatus")
        self.status.setWordWrap(True)
        line = QHBoxLayout()
        line.addWidget(self.progress)
        line.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.view, 1)
        self._choices: tuple[ScopeChoice, ...] = ()
        self.group_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.view.asking.connect(self._asking)
        self.view.loaded.connect(self._loaded)
        self.view.failed.connect(self._failed)
        self._retranslate()
        fit_window(self, "bank_dashboard", QSize(1200, 720))

    def reload(self) -> None:
        """Ask headquarters for the figures as the choices say."""
        choice = self.scope_combo.currentData()  # "branch:B01", "team:sup1" or None
        kind, _colon, key = choice.partition(":") if choice else (None, "", None)
        self.view.scope = Scope(GroupBy(self.group_combo.currentData()),
                                branch=key if kind == "branch" else None,
                                team=key if kind == "team" else None)
        self.view.reload()

    # -- what comes back ---------------------------------------------------------------------

    def _asking(self) -> None:
        self.progress.show()
        self._say(self.tr("Asking headquarters…"))

    def _loaded(self) -> None:
        self.progress.hide()
        board = self.view.board
        if board is None:
            return
        if board.scope.branch is None and board.scope.team is None:
            self._offer(board.choices)  # a narrower answer offers less: keep the bank's list
        due = board.due
        self._say(self.tr("{scope}: {borrowers} borrowers; {overdue} inspections overdue, "
                          "{within_7} due within 7 days, {within_30} in 8–30 days.").format(
            scope=self.scope_combo.currentText(),
            borrowers=sum(w.borrowers for w in board.workload),
            overdue=sum(d.overdue for d in due), within_7=sum(d.within_7 for d in due),
            within_30=sum(d.within_30 for d in due)))

    def _failed(self, why: str) -> None:
        self.progress.hide()
        shown = self.tr(" The charts show the last figures read.") if self.view.board else ""
        self._say(why + shown, error=True)

    def _offer(self, choices: tuple[ScopeChoice, ...]) -> None:
        """The branches and teams headquarters named, after the whole bank."""
        if choices == self._choices:
            return
        self._choices = choices
        current = self.scope_combo.currentData()
        self.scope_combo.blockSignals(True)
        while self.scope_combo.count() > 1:
            self.scope_combo.removeItem(1)
        for c in choices:
            self.scope_combo.addItem(self._choice_text(c), f"{c.kind}:{c.key}")
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(current)))
        self.scope_combo.blockSignals(False)

    def _choice_text(self, choice: ScopeChoice) -> str:
        if choice.kind == "branch":
            return self.tr("Branch: {name}").format(name=choice.name)
        return self.tr("Team of {name}").format(name=choice.name)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(_ERROR_STYLE if error else "")
        self.status.setText(text)

    # -- texts -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Bank dashboard"))
        self.group_label.setText(self.tr("R&ows:"))
        for i, text in enumerate((self.tr("Officers"), self.tr("Teams"), self.tr("Branches"))):
            self.group_combo.setItemText(i, text)
        self.scope_label.setText(self.tr("Par&t of the bank:"))
        self.scope_combo.setItemText(0, self.tr("Whole bank"))
        for i, choice in enumerate(self._choices, 1):
            self.scope_combo.setItemText(i, self._choice_text(choice))
