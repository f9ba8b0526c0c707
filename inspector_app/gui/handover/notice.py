"""The handover notice over the main window's content: while a handover of the user's (or
their team's) borrowers is pending, a band says so, and whether the user's signature is
needed (the officers' on the record, the supervisor's confirmation), with a button to the
handovers window. It reads the pulled handovers with every reload of the main window (after
a sync, say) and tells the work list which borrowers are being handed over (handing_over),
so their rows say so.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import HandoverRow, LocalStore, UserRow

if TYPE_CHECKING:
    from inspector_app.gui.handover.list_dialog import HandoversDialog

log = logging.getLogger(__name__)

BAND_STYLE = ("#handoverNotice { background: #fff4d6; border: 1px solid #e0c46c; "
              "border-radius: 3px; }")


class HandoverNotice(QFrame):
    """The band (hidden while nothing is pending) and the handovers window it opens."""

    handing_over = Signal(object)  # frozenset of the borrower ids in pending handovers

    def __init__(self, store: LocalStore, user: UserRow, settings: LaptopSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverNotice")
        self.setStyleSheet(BAND_STYLE)
        self._store = store
        self._user = user
        self._settings = settings
        self._runner = TaskRunner(self)
        self.rows: list[HandoverRow] = []
        self.dialog: HandoversDialog | None = None
        self.label = QLabel(self)
        self.label.setObjectName("handoverNoticeText")
        self.label.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("handoverNoticeButton")
        self.open_button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        self.open_button.clicked.connect(self.open_list)
        self.hide()
        self._retranslate()

    @classmethod
    def above(cls, window: QMainWindow, store: LocalStore, user: UserRow,
              settings: LaptopSettings) -> HandoverNotice:
        """A notice over whatever the window shows (the work list, or a supervisor's tabs)."""
        content = window.takeCentralWidget()
        holder = QWidget(window)
        holder.setObjectName("handoverHolder")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        notice = cls(store, user, settings, holder)
        column.addWidget(notice)
        column.addWidget(content, 1)
        window.setCentralWidget(holder)
        return notice

    @property
    def loading(self) -> bool:
        return self._runner.pending > 0

    def reload(self) -> None:
        self._runner.submit(self._store.handovers, self.show_rows, self._failed)

    def show_rows(self, rows: list[HandoverRow]) -> None:
        self.rows = list(rows)
        self._retranslate()
        self.setVisible(any(r.pending for r in self.rows))
        emit(self.handing_over, frozenset(
            b for r in self.rows if r.pending for b in r.borrower_ids))
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.set_rows(self.rows)

    def open_list(self) -> HandoversDialog:
        """The handovers window (one, raised if open)."""
        if self.dialog is None:
            from inspector_app.gui.handover.list_dialog import HandoversDialog

            self.dialog = HandoversDialog(self._store, self._user, self._settings,
                                          self.window())
            self.dialog.changed.connect(self.reload)
        self.dialog.set_rows(self.rows)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _failed(self, error: Exception) -> None:
        log.error("the handovers could not be read", exc_info=error)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        me = self._user.id
        pending = [r for r in self.rows if r.pending]
        turn = sum(1 for r in pending if r.turn(me))
        borrowers = sum(len(r.borrower_ids) for r in pending)
        text = self.tr("Handover pending: %n borrower(s) being handed over", "", borrowers)
        if turn:
            text += self.tr(" — your signature is needed on %n handover record(s)", "", turn)
        self.label.setText(text)
        self.open_button.setText(self.tr("&Handovers…"))
