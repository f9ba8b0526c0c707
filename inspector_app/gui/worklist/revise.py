"""Revise a borrower's returned visit straight from the work list or the pre-visit brief.

The same step as the visits window's Revise: a required reason, then store.new_revision off
the UI thread; whoever listens to ``revised`` opens the new draft (the main window opens it on
the supervisor's comments, as after the visits window's Revise).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.common.text import UserError
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LocalStore, UserRow, VisitRecord

log = logging.getLogger(__name__)


class ReviseReturned(QObject):
    """Asks why, then makes the new draft revision of a returned visit; one at a time."""

    revised = Signal(str)  # the new draft's id
    failed = Signal(str)  # what went wrong, in the current language (also shown in a box)

    def __init__(self, store: LocalStore, user: UserRow, parent: QWidget) -> None:
        super().__init__(parent)
        self._store = store
        self._user = user
        self._owner = parent
        self._runner = TaskRunner(self)
        self._visit_id: str | None = None
        self.dialog: ReasonDialog | None = None  # made when first needed, then kept
        self.message_box: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self._runner.pending > 0

    def ask(self, visit_id: str) -> ReasonDialog | None:
        """Open the reason dialog for the returned visit (nothing while a revision is made)."""
        if self.busy:
            return None
        self._visit_id = visit_id
        if self.dialog is None:
            self.dialog = ReasonDialog(self._owner)
            self.dialog.setObjectName("reviseDialog")
            self.dialog.accepted.connect(self._reason_given)
        self.dialog.ask(
            lambda: self.tr("Revise the returned visit"),
            lambda: self.tr("A new draft revision of the returned visit is made, with the "
                            "supervisor's comments at their items. Why? (e.g. corrected as "
                            "the supervisor asked)"),
        )
        return self.dialog

    def _reason_given(self) -> None:
        visit_id, dialog = self._visit_id, self.dialog
        if visit_id is None or dialog is None:
            return
        store, user, reason = self._store, self._user, dialog.reason()
        self._runner.submit(lambda: store.new_revision(visit_id, user, reason),
                            self._revised, self._failed)

    def _revised(self, record: VisitRecord) -> None:
        emit(self.revised, record.id)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, UserError):  # a refusal the user can act on is no bug
            log.error("revising a returned visit failed", exc_info=error)
        text = i18n.error_text(error)
        emit(self.failed, text)
        if self.message_box is None:
            self.message_box = QMessageBox(self._owner)
            self.message_box.setIcon(QMessageBox.Icon.Warning)
        self.message_box.setWindowTitle(self.tr("Revise the returned visit"))
        self.message_box.setText(text)
        self.message_box.open()
