"""发起责任移交: a supervisor hands some or all of one officer's borrowers to another officer of
the team. The officers and the borrowers come from this laptop (the team's, as last synced);
the handover itself is started at headquarters, which needs the network: out of reach, it
says so and nothing is started. Borrowers already in a pending handover cannot be chosen.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app import wire
from inspector_app.common.text import UserError
from inspector_app.gui import i18n
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.palette import BAD
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import DueRow, LocalStore, UserRow

log = logging.getLogger(__name__)

CODE = Qt.ItemDataRole.UserRole


class StartHandoverDialog(QDialog):
    """Officer handing over, officer taking over, the borrowers (checkable, searchable);
    Start asks to confirm, then asks headquarters. started(HandoverRecord) once it has."""

    started = Signal(object)

    def __init__(self, store: LocalStore, user: UserRow, settings: LaptopSettings,
                 busy_borrowers: frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startHandoverDialog")
        self._store = store
        self._user = user
        self._settings = settings
        self._busy_borrowers = busy_borrowers  # in a pending handover already
        self._runner = TaskRunner(self)
        self.officers: list[UserRow] = []
        self.borrowers: list[DueRow] = []
        self.job: Job | None = None
        self.client_options: dict[str, object] = {}  # SyncClient's; tests shorten the waits
        self.confirm_box: QMessageBox | None = None

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        self.from_combo, self.to_combo = QComboBox(self), QComboBox(self)
        self.from_combo.setObjectName("handoverFromOfficer")
        self.to_combo.setObjectName("handoverToOfficer")
        self.from_label.setBuddy(self.from_combo)
        self.to_label.setBuddy(self.to_combo)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("handoverBorrowerSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.borrower_list = QListWidget(self)
        self.borrower_list.setObjectName("handoverBorrowers")
        self.all_button, self.none_button = QPushButton(self), QPushButton(self)
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)
        self.count_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setObjectName("startHandoverMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {BAD.name()}; font-weight: bold;")
        self.message.hide()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startHandoverButton")
        self.start_button.setDefault(True)
        self.cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)

        form = QFormLayout()
        form.addRow(self.from_label, self.from_combo)
        form.addRow(self.to_label, self.to_combo)
        choose = QHBoxLayout()
        choose.addWidget(self.search_edit, 1)
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addLayout(choose)
        layout.addWidget(self.borrower_list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self.from_combo.currentIndexChanged.connect(self._giver_chosen)
        self.search_edit.textChanged.connect(self._filter)
        self.all_button.clicked.connect(lambda: self._check_shown(True))
        self.none_button.clicked.connect(lambda: self._check_shown(False))
        self.borrower_list.itemChanged.connect(self._show_count)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)
        self._retranslate()
        self.resize(640, 560)
        fit_window(self, "start_handover")
        self._runner.submit(lambda: self._store.team_officers(self._user), self._show_officers,
                            self._read_failed)

    # -- public --------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def giver(self) -> UserRow | None:
        data = self.from_combo.currentData()
        return data if isinstance(data, UserRow) else None

    def taker(self) -> UserRow | None:
        data = self.to_combo.currentData()
        return data if isinstance(data, UserRow) else None

    def chosen_codes(self) -> list[str]:
        items = (self.borrower_list.item(i) for i in range(self.borrower_list.count()))
        return [str(item.data(CODE)) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def submit(self) -> None:
        """Start: check what is chosen, then ask to confirm."""
        if self.busy:
            return
        problem = self._problem()
        if problem is not None:
            self._say(problem)
            return
        giver, taker = self.giver(), self.taker()
        assert giver is not None and taker is not None
        box = self.confirm_box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Start the handover"),
            self.tr("Hand over %n borrower(s) of {giver} to {taker}? Headquarters records the "
                    "handover as pending: the borrowers move once {giver} has signed the "
                    "handover record, {taker} has countersigned it and you have completed it.",
                    "", len(self.chosen_codes())).format(giver=giver.display_name,
                                                          taker=taker.display_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(self._start)
        box.open()

    # -- helpers -------------------------------------------------------------------------------

    def _problem(self) -> str | None:
        giver, taker = self.giver(), self.taker()
        if giver is None:
            return self.tr("Choose the officer handing over.")
        if taker is None:
            return self.tr("Choose the officer taking over.")
        if taker.id == giver.id:
            return self.tr("The officer taking over must be another officer.")
        if not self.chosen_codes():
            return self.tr("Choose at least one borrower to hand over.")
        return None

    def _start(self) -> None:
        from inspector_app.gui.handover.signing import server_address
        from inspector_app.sync import handover_desk

        giver, taker = self.giver(), self.taker()
        assert giver is not None and taker is not None
        codes = self.chosen_codes()
        everything = len(codes) == len(self.borrowers) and not self._busy_borrowers
        request = wire.HandoverStart(from_officer=giver.username, to_officer=taker.username,
                                     borrower_codes=[] if everything else codes,
                                     all_borrowers=everything)
        store, address, options = self._store, server_address(self._settings), self.client_options
        self._set_busy(True)
        self.message.hide()
        self.job = run_job(
            lambda _p: handover_desk.start_handover(store, address, request, **options),
            self, self.tr("Starting the handover at headquarters…"),
            title=self.windowTitle(), on_done=self._started, on_error=self._failed,
            cancellable=False)

    def _started(self, record: object) -> None:
        self._set_busy(False)
        emit(self.started, record)
        self.accept()

    def _failed(self, error: Exception) -> None:
        from inspector_app.sync.handover_desk import HandoverUnreachable

        self._set_busy(False)
        if not isinstance(error, UserError):
            log.error("starting a handover failed", exc_info=error)
        text = self.tr("The handover was not started: {error}").format(
            error=i18n.error_text(error))
        if isinstance(error, HandoverUnreachable):
            text += "\n" + self.tr("Nothing has changed. Start it again once this laptop can "
                                   "reach headquarters.")
        self._say(text)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.from_combo, self.to_combo, self.search_edit, self.borrower_list,
                       self.all_button, self.none_button, self.start_button,
                       self.cancel_button):
            widget.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_officers(self, officers: list[UserRow]) -> None:
        self.officers = officers
        for combo in (self.from_combo, self.to_combo):
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(choose)"), None)
            for officer in officers:
                combo.addItem(officer.display_name, officer)
            combo.blockSignals(blocked)
        if not officers:
            self._say(self.tr("No officer of your team is on this laptop: sync first."))

    def _giver_chosen(self) -> None:
        giver = self.giver()
        self.borrower_list.clear()
        self.borrowers = []
        self._show_count()
        if giver is not None:
            store, officer_id = self._store, giver.id
            self._runner.submit(lambda: (officer_id, store.work_list(officer_id=officer_id)),
                                self._show_borrowers, self._read_failed)

    def _show_borrowers(self, found: tuple[str, list[DueRow]]) -> None:
        officer_id, rows = found
        giver = self.giver()
        if giver is None or giver.id != officer_id:
            return  # another officer was chosen meanwhile
        self.borrowers = sorted(rows, key=lambda r: r.code)
        blocked = self.borrower_list.blockSignals(True)
        self.borrower_list.clear()
        for row in self.borrowers:
            busy = row.borrower_id in self._busy_borrowers
            text = f"{row.code}  {row.name}"
            if busy:
                text += "  " + self.tr("(being handed over already)")
            item = QListWidgetItem(text, self.borrower_list)
            item.setData(CODE, row.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            if busy:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked if busy else Qt.CheckState.Checked)
        self.borrower_list.blockSignals(blocked)
        self._filter(self.search_edit.text())
        self._show_count()

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.borrower_list.count()):
            item = self.borrower_list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _check_shown(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        blocked = self.borrower_list.blockSignals(True)
        for i in range(self.borrower_list.count()):
            item = self.borrower_list.item(i)
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(state)
        self.borrower_list.blockSignals(blocked)
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.tr("{chosen} of %n borrower(s) chosen", "",
                                         len(self.borrowers)).format(
                                             chosen=len(self.chosen_codes())))

    def _read_failed(self, error: Exception) -> None:
        log.error("reading the team for a handover failed", exc_info=error)
        self._say(i18n.error_text(error))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Start a handover"))
        self.intro.setText(self.tr(
            "Hand some or all of an officer's borrowers over to another officer of your team: "
            "their loans, open warning signals, pending inspections and unsigned visits go "
            "with them. Headquarters starts the handover now; this needs a connection."))
        self.from_label.setText(self.tr("&Handing over:"))
        self.to_label.setText(self.tr("&Taking over:"))
        self.search_edit.setPlaceholderText(self.tr("Search by customer no. or name"))
        self.all_button.setText(self.tr("Choose &all shown"))
        self.none_button.setText(self.tr("C&lear shown"))
        self.start_button.setText(self.tr("&Start handover…"))
        self._show_count()
