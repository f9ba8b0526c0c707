"""The main window's work-list controls: the filters beside the search box, and the officer's
numbers at a glance above the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from inspector_app.domain.enums import Classification, VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.worklist.portfolio_model import DUE_SOON_TEXT, OVERDUE_TEXT
from inspector_app.store.facade import OfficerCounts, WorkFilter


class WorkFilterBar(QWidget):
    """Kind of inspection due, classification, "with open signals" and "awaiting review";
    changed on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind_label = QLabel(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindFilter")
        self.kind_label.setBuddy(self.kind_combo)
        self.class_label = QLabel(self)
        self.class_combo = QComboBox(self)
        self.class_combo.setObjectName("classificationFilter")
        self.class_label.setBuddy(self.class_combo)
        self.signals_check = QCheckBox(self)
        self.signals_check.setObjectName("signalsFilter")
        self.review_check = QCheckBox(self)
        self.review_check.setObjectName("reviewFilter")
        # Items are (re)labelled in _retranslate; their data is the enum (None = any).
        self.kind_combo.addItem("", None)
        for kind in VisitKind:
            self.kind_combo.addItem("", kind)
        self.class_combo.addItem("", None)
        for classification in Classification:
            self.class_combo.addItem("", classification)
        for combo in (self.kind_combo, self.class_combo):
            # Wide enough for its labels again after a language switch (Tools → Language);
            # the default measures only at first show and cut "Any inspection" off.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for widget in (self.kind_label, self.kind_combo, self.class_label, self.class_combo,
                       self.signals_check, self.review_check):
            layout.addWidget(widget)
        self.kind_combo.currentIndexChanged.connect(self._changed)
        self.class_combo.currentIndexChanged.connect(self._changed)
        self.signals_check.toggled.connect(self._changed)
        self.review_check.toggled.connect(self._changed)
        self._retranslate()

    def current(self, text: str = "") -> WorkFilter:
        """The filter now chosen, with the search text."""
        return WorkFilter(
            text=text, kind=self.kind_combo.currentData(),
            classification=self.class_combo.currentData(),
            with_signals=self.signals_check.isChecked(),
            awaiting_review=self.review_check.isChecked(),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _changed(self, *_args: object) -> None:
        emit(self.changed)

    def _retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.kind_label.setText(self.tr("&Due:"))
        self.kind_combo.setItemText(0, self.tr("Any inspection"))
        for n, kind in enumerate(VisitKind, start=1):
            self.kind_combo.setItemText(n, kind.label(lang))
        self.class_label.setText(self.tr("C&lassification:"))
        self.class_combo.setItemText(0, self.tr("Any classification"))
        for n, classification in enumerate(Classification, start=1):
            self.class_combo.setItemText(n, classification.label(lang))
        self.signals_check.setText(self.tr("With open &signals"))
        self.kind_combo.setToolTip(self.tr("Only borrowers whose next inspection is of this kind"))
        self.signals_check.setToolTip(self.tr("Only borrowers with risk warning signals not "
                                              "yet cleared"))
        self.review_check.setText(self.tr("Awaiting &review"))
        self.review_check.setToolTip(self.tr("Only borrowers with a submitted visit no "
                                             "supervisor has approved or returned yet"))


class CountsBar(QWidget):
    """The officer's numbers at a glance, over their whole portfolio (a supervisor's: the
    team's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        self.counts: OfficerCounts | None = None
        self.overdue = self._label("overdueCount", OVERDUE_TEXT.name())
        self.due_week = self._label("dueWeekCount", DUE_SOON_TEXT.name())
        self.unsigned = self._label("unsignedCount", None)
        self.unsynced = self._label("unsyncedCount", None)
        self.awaiting = self._label("awaitingReviewCount", None)
        for label in (self.overdue, self.due_week, self.unsigned, self.awaiting, self.unsynced):
            layout.addWidget(label)
        layout.addStretch(1)
        self._retranslate()

    def show_counts(self, counts: OfficerCounts) -> None:
        self.counts = counts
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _label(self, name: str, colour: str | None) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        ink = f"color: {colour};" if colour else ""
        # A framed chip each: four numbers that read as four, not one sentence.
        label.setStyleSheet(f"QLabel {{ {ink} border: 1px solid #c9d1d9; border-radius: 4px; "
                            "padding: 3px 10px; background: #f6f8fa; }")
        return label

    def _retranslate(self) -> None:
        c = self.counts
        dash = "…" if c is None else None

        def n(value: int | None) -> str:
            return dash or str(value)

        self.overdue.setText(self.tr("Overdue: {n}").format(n=n(c and c.overdue)))
        self.due_week.setText(self.tr("Due this week: {n}").format(n=n(c and c.due_this_week)))
        self.unsigned.setText(self.tr("Drafts not signed: {n}").format(
            n=n(c and c.unsigned_visits)))
        self.unsynced.setText(self.tr("Not synced: {n}").format(n=n(c and c.unsynced)))
        self.awaiting.setText(self.tr("Awaiting review: {n}").format(
            n=n(c and c.awaiting_review)))
        self.awaiting.setToolTip(self.tr("Submitted visits no supervisor has approved or "
                                         "returned yet"))
        self.unsigned.setToolTip(self.tr("Your visits in draft or completed, not yet signed"))
        self.unsynced.setToolTip(self.tr("Visits and photos headquarters has not received yet"))
