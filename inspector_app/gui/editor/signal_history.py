"""One risk signal as the signals page shows it once selected: its severity and title, where
it came from, and every step of its life in a table (who, when, why), the supervisor's
follow-ups (escalated, handed over, cleared) among them."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.page_parts import SEVERITY_COLOURS, label_language
from inspector_app.gui.editor.signals_dialogs import FollowUpAction
from inspector_app.gui.i18n import in_language
from inspector_app.gui.tables import make_roomy
from inspector_app.store.facade import SignalRow, SignalStepRow


class SignalHistory(QWidget):
    """The selected signal's heading, origin and steps; show(None) asks for a selection."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row: SignalRow | None = None
        self.title = QLabel(self)
        self.title.setObjectName("signalDetailTitle")
        self.title.setWordWrap(True)
        self.text = QLabel(self)
        self.text.setObjectName("signalDetailText")
        self.text.setWordWrap(True)
        self.steps_table = QTableWidget(0, 4, self)
        self.steps_table.setObjectName("signalStepsTable")
        make_roomy(self.steps_table)
        self.steps_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.steps_table.verticalHeader().hide()
        self.steps_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.steps_table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.steps_table, 1)
        self._retranslate()

    def show_signal(self, row: SignalRow | None) -> None:
        self._row = row
        lang = label_language()
        self.steps_table.setRowCount(0)
        if row is None:
            self.title.setText(self.tr("Select a signal to see its history."))
            self.text.clear()
            return
        colour = SEVERITY_COLOURS[row.severity].name()
        self.title.setText(
            f"<span style='color:{colour}; font-weight:bold'>● {row.severity.label(lang)}</span>"
            f" <b>{row.title_in(lang)}</b>"
        )
        lines = [self.tr("Where it came from: {origin}").format(origin=row.origin.in_(lang))]
        handed = [st for st in row.steps if st.follow_up == FollowUpAction.REASSIGN]
        if handed:
            lines.append(self.tr("Handed over to {officer} by the supervisor.").format(
                officer=handed[-1].officer_name or self.tr("another officer")))
        if row.event:
            lines.append(self.tr("An event: a special inspection is proposed until one is done."))
        if row.description:
            lines.append(row.description)
        self.text.setText("\n".join(lines))
        self.steps_table.setRowCount(len(row.steps))
        for r, step in enumerate(row.steps):
            texts = (step.at.astimezone().strftime("%Y-%m-%d %H:%M"), self._step_text(step),
                     step.user_name, in_language(step.reason, i18n.current()))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if step.follow_up:
                    item.setToolTip(self.tr("A follow-up by the supervisor"))
                self.steps_table.setItem(r, c, item)

    def _step_text(self, step: SignalStepRow) -> str:
        lang = label_language()
        if step.follow_up == FollowUpAction.ESCALATE and step.severity is not None:
            return self.tr("Supervisor escalated to {severity}").format(
                severity=step.severity.label(lang))
        if step.follow_up == FollowUpAction.REASSIGN:
            return self.tr("Supervisor handed over to {officer}").format(
                officer=step.officer_name or self.tr("another officer"))
        if step.follow_up == FollowUpAction.CLEAR:
            return self.tr("Supervisor cleared")
        return step.step.label(lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.steps_table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("Step"), self.tr("Who"), self.tr("Why"),
        ])
        self.show_signal(self._row)
