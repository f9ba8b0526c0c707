"""The visits window's quick status steps: submit a signed visit (after a Yes), return a
submitted one (with the supervisor's reason), revise a returned one (with the officer's
reason) into a new draft. Each is one store call on the window's runner; no progress dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.domain.enums import VisitStatus
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.gui.reports.messages import WindowMessages
from inspector_app.gui.reports.report_dialogs import ReturnReasonDialog
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LocalStore, UserRow, VisitRecord, VisitSummary


class StepsWindow(Protocol):
    """What the steps need of the window they act for."""

    def set_busy(self, busy: bool) -> None: ...
    def step_done(self) -> None: ...
    def step_failed(self, error: Exception) -> None: ...


class StatusSteps(QObject):
    """Asks what each step needs, then runs it; the window hears of the outcome."""

    def __init__(self, window: QWidget, owner: StepsWindow, store: LocalStore, user: UserRow,
                 runner: TaskRunner, messages: WindowMessages,
                 revised: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window, self._owner = window, owner
        self._store, self._user, self._runner = store, user, runner
        self._messages = messages
        self._revised_to = revised
        # The visit a submit, a return or a revision asked about, for when the answer comes.
        self._acting_on: VisitSummary | None = None
        self.reason_dialog: ReturnReasonDialog | None = None  # made when first needed
        self.revise_dialog: ReasonDialog | None = None  # made when first needed

    def submit(self, row: VisitSummary) -> None:
        self._acting_on = row
        self._messages.tell(
            QMessageBox.Icon.Question, self.tr("Submit"),
            self.tr("Mark the visit of {date} as submitted for review? It can no longer be "
                    "signed again.").format(date=row.visit_date.isoformat()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            on_yes=self._submit_confirmed,
        )

    def revise(self, row: VisitSummary) -> None:
        """A returned visit of the officer's: ask why, then copy it into a new draft."""
        self._acting_on = row
        if self.revise_dialog is None:
            self.revise_dialog = ReasonDialog(self._window)
            self.revise_dialog.setObjectName("reviseDialog")
            self.revise_dialog.accepted.connect(self._revise_reason_given)
        self.revise_dialog.ask(
            lambda: self.tr("Revise the visit"),
            lambda: self.tr("A new draft revision of the visit of {date} is made, with the "
                            "supervisor's comments at their items. Why? (e.g. corrected as "
                            "the supervisor asked)").format(date=row.visit_date.isoformat()),
        )

    def return_(self, row: VisitSummary) -> None:
        self._acting_on = row
        if self.reason_dialog is None:
            self.reason_dialog = ReturnReasonDialog(self._window)
            self.reason_dialog.accepted.connect(self._reason_given)
        self.reason_dialog.ask()

    def _submit_confirmed(self) -> None:
        if self._acting_on is not None:
            self._transition(self._acting_on, VisitStatus.SUBMITTED, "")

    def _reason_given(self) -> None:
        if self._acting_on is not None and self.reason_dialog is not None:
            self._transition(self._acting_on, VisitStatus.RETURNED, self.reason_dialog.reason())

    def _revise_reason_given(self) -> None:
        row, dialog = self._acting_on, self.revise_dialog
        if row is None or dialog is None:
            return
        store, user, reason = self._store, self._user, dialog.reason()
        self._owner.set_busy(True)
        self._runner.submit(lambda: store.new_revision(row.id, user, reason), self._revised,
                            self._owner.step_failed)

    def _revised(self, record: VisitRecord) -> None:
        self._owner.step_done()
        self._revised_to(record.id)

    def _transition(self, row: VisitSummary, target: VisitStatus, reason: str) -> None:
        store, user = self._store, self._user
        self._owner.set_busy(True)
        self._runner.submit(lambda: store.transition(row.id, user, target, reason),
                            lambda _changes: self._owner.step_done(), self._owner.step_failed)
