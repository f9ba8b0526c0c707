"""The main window's work-list controls: the filters beside the search box, the officer's
numbers at a glance above the list (each narrows the list when clicked), and the note an
empty list shows."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Classification, VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.worklist.portfolio_model import DUE_SOON_TEXT, OVERDUE_TEXT
from inspector_app.store.facade import DUE_SOON_DAYS, OfficerCounts, WorkFilter


class Chip(Enum):
    """What a pressed number at a glance narrows the list to."""

    OVERDUE = "overdue"
    DUE_THIS_WEEK = "due_this_week"
    UNSIGNED = "unsigned"
    AWAITING_REVIEW = "awaiting_review"


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

    def clear(self) -> None:
        """Back to "any", without telling anyone (the caller queries once)."""
        widgets = (self.kind_combo, self.class_combo, self.signals_check, self.review_check)
        blocked = [widget.blockSignals(True) for widget in widgets]
        self.kind_combo.setCurrentIndex(0)
        self.class_combo.setCurrentIndex(0)
        self.signals_check.setChecked(False)
        self.review_check.setChecked(False)
        for widget, was in zip(widgets, blocked, strict=True):
            widget.blockSignals(was)

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
    team's). Each is a chip that narrows the list to what it counts when clicked (once more:
    the whole list again); "not synced" opens the sync instead, as it counts files too."""

    chosen = Signal(object)  # the Chip now narrowing the list, or None
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        self.counts: OfficerCounts | None = None
        self._chips: dict[Chip, QToolButton] = {}
        self.overdue = self._chip("overdueCount", OVERDUE_TEXT.name(), Chip.OVERDUE)
        self.due_week = self._chip("dueWeekCount", DUE_SOON_TEXT.name(), Chip.DUE_THIS_WEEK)
        self.unsigned = self._chip("unsignedCount", None, Chip.UNSIGNED)
        self.awaiting = self._chip("awaitingReviewCount", None, Chip.AWAITING_REVIEW)
        self.unsynced = self._chip("unsyncedCount", None, None)
        self.unsynced.clicked.connect(self._sync_clicked)
        for chip in (self.overdue, self.due_week, self.unsigned, self.awaiting, self.unsynced):
            layout.addWidget(chip)
        layout.addStretch(1)
        self._retranslate()

    @property
    def current(self) -> Chip | None:
        """The chip narrowing the list, if any."""
        return next((chip for chip, button in self._chips.items() if button.isChecked()), None)

    def choose(self, chip: Chip | None) -> None:
        """Press chip (None: none), without telling anyone: the list already follows."""
        for each, button in self._chips.items():
            blocked = button.blockSignals(True)
            button.setChecked(each == chip)
            button.blockSignals(blocked)

    def show_counts(self, counts: OfficerCounts) -> None:
        self.counts = counts
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _chip(self, name: str, colour: str | None, chip: Chip | None) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        ink = f"color: {colour};" if colour else ""
        # A framed chip each: numbers that read as several, not one sentence; a pressed one
        # darker, so the officer sees why the list is short.
        button.setStyleSheet(
            f"QToolButton {{ {ink} border: 1px solid #c9d1d9; border-radius: 4px; "
            "padding: 3px 10px; background: #f6f8fa; }"
            "QToolButton:hover { border-color: #8c959f; }"
            "QToolButton:checked { border: 2px solid #1f4e79; background: #dde8f3; "
            "font-weight: bold; }")
        if chip is not None:
            button.setCheckable(True)
            self._chips[chip] = button
            button.toggled.connect(lambda on, c=chip: self._toggled(c, on))
        return button

    def _toggled(self, chip: Chip, on: bool) -> None:
        # One chip at a time: the list shows what the pressed one counts.
        self.choose(chip if on else None)
        emit(self.chosen, chip if on else None)

    def _sync_clicked(self) -> None:
        emit(self.sync_requested)

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
        self.overdue.setToolTip(self.tr("Show only the borrowers whose inspection is overdue"))
        self.due_week.setToolTip(self.tr("Show only the borrowers whose inspection is due in "
                                         "the coming {days} days").format(days=DUE_SOON_DAYS))
        self.awaiting.setToolTip(self.tr("Submitted visits no supervisor has approved or "
                                         "returned yet; click to show their borrowers"))
        self.unsigned.setToolTip(self.tr("Your visits in draft or completed, not yet signed; "
                                         "click to show their borrowers"))
        self.unsynced.setToolTip(self.tr("Visits and photos headquarters has not received "
                                         "yet; click to sync"))


class NoMatchNote(QWidget):
    """Says why the list is empty, over the empty table, with a way back to the whole list."""

    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noMatchNote")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setObjectName("noMatchLabel")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #57606a;")
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clearSearchButton")
        self.clear_button.clicked.connect(lambda: emit(self.clear_requested))
        layout.addWidget(self.label)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self._says: Callable[[], str] = str
        self.hide()
        self._retranslate()

    def show_for(self, text: str, narrowed: bool) -> None:
        """The empty list's reason: the search text, the filters, or an empty portfolio."""
        if text:
            self._says = lambda: self.tr(
                "No borrower matches “{text}”.\nSearch by name, pinyin or its initials "
                "(zjdy), customer no., ID number or industry.").format(text=text)
        elif narrowed:
            self._says = lambda: self.tr("No borrower matches the chosen filters.")
        else:
            self._says = lambda: self.tr("No borrowers are assigned to you yet; they arrive "
                                         "with the next sync.")
        self.clear_button.setVisible(bool(text) or narrowed)
        self._retranslate()
        self.show()
        self.raise_()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.label.setText(self._says())
        self.clear_button.setText(self.tr("Show &all borrowers"))
