"""责任移交: the handovers this laptop has pulled, each with who hands over to whom, how many
borrowers, when it started and the step it waits for; the officer handing over signs the
record from here, the officer taking over countersigns it, and their supervisor confirms it
(which completes it).

What the list shows is what the last sync brought: a step taken elsewhere (the other
officer's signature, the supervisor's confirmation) shows after the next sync. A signature
made here that waits for the next sync says so, and one headquarters refused says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Role
from inspector_app.gui import i18n
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import HandoverRow, HandoverState, LocalStore, UserRow

if TYPE_CHECKING:
    from inspector_app.gui.handover.start_dialog import StartHandoverDialog
    from inspector_app.sync.handover_desk import SignatureOutcome

log = logging.getLogger(__name__)

COLUMNS = 5  # handing over, taking over, borrowers, started, state


class HandoversDialog(QDialog):
    """The list, and Sign…/Countersign…/Confirm… for the chosen handover when it is the
    user's turn."""

    changed = Signal()  # a signature was made (kept at headquarters, or waiting here)

    def __init__(self, store: LocalStore, user: UserRow, settings: LaptopSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoversDialog")
        self._store = store
        self._user = user
        self._settings = settings
        self._runner = TaskRunner(self)
        self.rows: list[HandoverRow] = []
        # Imported here: the signing brings reportlab, pyHanko and httpx, which the main
        # window (and its notice) must not load at start-up.
        from inspector_app.gui.handover.signing import HandoverSigning

        self.signing = HandoverSigning(self, store, user, settings)
        self.signing.signed.connect(self._signed)

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("handoverTable")
        make_roomy(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("handoversEmpty")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.sign_button = QPushButton(self)
        self.sign_button.setObjectName("handoverSignRecordButton")
        self.countersign_button = QPushButton(self)
        self.countersign_button.setObjectName("handoverCountersignRecordButton")
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("handoverConfirmButton")
        # A supervisor (or an administrator) starts handovers; officers only sign them.
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("startHandoverListButton")
        self.start_button.setVisible(user.role in (Role.SUPERVISOR, Role.ADMIN))
        self.start_dialog: StartHandoverDialog | None = None
        self._outcome: Callable[[], str] | None = None  # the last signature's, said again
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.sign_button)
        actions.addWidget(self.countersign_button)
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.start_button)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.message)
        layout.addLayout(actions)

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.sign_button.clicked.connect(self.sign_chosen)
        self.countersign_button.clicked.connect(self.sign_chosen)
        self.confirm_button.clicked.connect(self.sign_chosen)
        self.start_button.clicked.connect(self.start_handover)
        self._retranslate()
        self.resize(900, 420)
        fit_window(self, "handovers")
        self._update_buttons()

    # -- public --------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    def reload(self) -> None:
        """Read the pulled handovers again, off the UI thread."""
        self._runner.submit(self._store.handovers, self.set_rows, self._failed)

    def set_rows(self, rows: list[HandoverRow]) -> None:
        chosen = self.chosen()
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            self._fill(r, row)
        self.table.resizeColumnsToContents()
        self.empty_label.setVisible(not self.rows)
        # The handover chosen before stays chosen; else the first one the user must sign.
        again = [i for i, row in enumerate(self.rows) if chosen and row.id == chosen.id]
        mine = [i for i, row in enumerate(self.rows) if self._turn(row)]
        pick = (again or mine or [0])[0]
        if self.rows:
            self.table.selectRow(pick)
        self._update_buttons()

    def chosen(self) -> HandoverRow | None:
        selected = self.table.selectionModel().selectedRows()
        if not selected or selected[0].row() >= len(self.rows):
            return None
        return self.rows[selected[0].row()]

    def sign_chosen(self) -> None:
        """Sign, countersign or confirm the chosen handover's record, if it is the user's
        turn."""
        row = self.chosen()
        if row is not None and self._turn(row):
            self.signing.start(row)

    def start_handover(self) -> StartHandoverDialog:
        """The supervisor's window to start a handover (made anew each time: the team and
        the borrowers as they are now)."""
        from inspector_app.gui.handover.start_dialog import StartHandoverDialog

        if self.start_dialog is not None:
            self.start_dialog.deleteLater()
        busy = frozenset(b for row in self.rows if row.pending for b in row.borrower_ids)
        dialog = self.start_dialog = StartHandoverDialog(self._store, self._user,
                                                         self._settings, busy, self)
        dialog.started.connect(self._started)
        dialog.open()
        return dialog

    def state_text(self, row: HandoverRow) -> str:
        """The step the handover waits for, in words; with this laptop's signature waiting
        for the next sync, or headquarters' reason for refusing it."""
        if row.queued:
            return self.tr("Signed on this laptop, waiting for sync")
        text = self._step_text(row)
        if row.refusal:
            reason = i18n.in_language(row.refusal, i18n.current())
            text = self.tr("{state} — headquarters refused the signature made here: "
                           "{reason}").format(state=text, reason=reason)
        return text

    def _step_text(self, row: HandoverRow) -> str:
        match row.state:
            case HandoverState.RELEASE:
                return self.tr("Waiting for {giver}'s laptop to upload everything and let go"
                               ).format(giver=row.from_name)
            case HandoverState.GIVER_SIGNATURE:
                return self.tr("Waiting for {giver}'s signature").format(giver=row.from_name)
            case HandoverState.TAKER_SIGNATURE:
                return self.tr("Waiting for {taker}'s countersignature").format(
                    taker=row.to_name)
            case HandoverState.CONFIRMATION:
                return self.tr("Signed by both; waiting for the supervisor's confirmation")
        if row.override_reason is not None:
            return self.tr("Complete, without the supervisor's confirmation (an "
                           "administrator's decision: {reason})").format(
                               reason=row.override_reason)
        return self.tr("Complete")

    # -- helpers -------------------------------------------------------------------------------

    def _turn(self, row: HandoverRow) -> bool:
        return row.turn(self._user.id)

    def _fill(self, r: int, row: HandoverRow) -> None:
        started = row.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        state = self.state_text(row)
        if (row.may_sign(self._user.id) and row.state is not HandoverState.GIVER_SIGNATURE
                and not row.refusal):
            state = self.tr("{state}; your signature is still needed").format(state=state)
        cells = [row.from_name, row.to_name, str(len(row.borrower_ids)), started, state]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c == 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, c, item)

    def _update_buttons(self) -> None:
        row = self.chosen()
        me = self._user.id
        self.sign_button.setVisible(row is not None and row.from_officer_id == me)
        self.sign_button.setEnabled(row is not None and row.may_sign(me))
        self.countersign_button.setVisible(row is not None and row.to_officer_id == me)
        self.countersign_button.setEnabled(row is not None and row.may_countersign(me))
        self.confirm_button.setVisible(row is not None and row.supervisor_id == me)
        self.confirm_button.setEnabled(row is not None and row.may_confirm(me))

    def _started(self, _record: object) -> None:
        self._outcome = None
        self.message.setText(self.tr("Headquarters has started the handover. Each officer "
                                     "sees it after their next sync."))
        self.reload()
        emit(self.changed)

    def _signed(self, outcome: SignatureOutcome) -> None:
        taker = self.chosen().to_name if self.chosen() else ""  # type: ignore[union-attr]
        self._outcome = lambda: self._outcome_text(outcome, taker)
        self.message.setText(self._outcome())
        self.reload()
        emit(self.changed)

    def _outcome_text(self, outcome: SignatureOutcome, taker: str) -> str:
        """What became of the signature, in the language the window speaks now."""
        if outcome.record is None:
            why = outcome.waiting.in_(i18n.current()) if outcome.waiting else ""
            return self.tr("Signed. It is kept on this laptop and goes to headquarters with "
                           "the next sync ({why}).").format(why=why)
        if outcome.record.status == "completed":
            return self.tr("Headquarters has checked the three signatures and completed the "
                           "handover: the borrowers move to {taker} with their next sync."
                           ).format(taker=taker)
        return self.tr("Headquarters has kept your signature.")

    def _failed(self, error: Exception) -> None:
        log.error("the handovers could not be read", exc_info=error)
        self._outcome = None
        self.message.setText(self.tr("The handovers could not be read: {error}").format(
            error=i18n.error_text(error)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Handovers"))
        self.intro.setText(self.tr(
            "Borrowers handed over from one officer to another: hand over first, "
            "leave after. The borrowers move once the officer handing over has signed the "
            "record, the officer taking over has countersigned it and their supervisor has "
            "confirmed it with a third signature. A signature can be made without the "
            "network: it goes with the next sync. Steps taken on other laptops show after "
            "the next sync."))
        self.table.setHorizontalHeaderLabels([
            self.tr("Handing over"), self.tr("Taking over"), self.tr("Borrowers"),
            self.tr("Started"), self.tr("Waiting for")])
        self.empty_label.setText(self.tr("No handover concerns you."))
        self.sign_button.setText(self.tr("&Sign the record…"))
        self.countersign_button.setText(self.tr("&Countersign the record…"))
        self.confirm_button.setText(self.tr("C&onfirm the handover…"))
        self.start_button.setText(self.tr("S&tart a handover…"))
        if self._outcome is not None and self.message.text():
            self.message.setText(self._outcome())  # in the language switched to
        for r, row in enumerate(self.rows):
            self._fill(r, row)
