"""One input per checklist answer type, all speaking the same small language to the row.

Each input shows a raw answer (the text the store's set_answer accepts, "" = unanswered),
reports a finished change with `changed(raw)` and an unacceptable one with `invalid(message)`
(nothing is saved then). Typed answers wait for a pause (TYPING_PAUSE_MS) or for the officer
to leave the field, so a figure is not saved digit by digit; clicked answers are sent at once.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from inspector_app.domain.checklist import AnswerError, Item, parse_answer
from inspector_app.domain.enums import AnswerType
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import show_whole_placeholder

# A typist's pause; well inside the one second within which every edit must be stored.
TYPING_PAUSE_MS = 400
# The chosen answer must stand out at a glance, also for a colour-blind officer (bold, filled).
CHOSEN_STYLE = (
    "QToolButton { padding: 3px 10px; }"
    "QToolButton:checked { background: #1565c0; color: white; font-weight: bold;"
    " border: 1px solid #0d47a1; border-radius: 3px; }"
)
YES_NO_KEYS = {
    Qt.Key.Key_Y: "yes", Qt.Key.Key_1: "yes",
    Qt.Key.Key_N: "no", Qt.Key.Key_2: "no",
    Qt.Key.Key_A: "na", Qt.Key.Key_3: "na",
}  # fmt: skip


class FlushingTextEdit(QPlainTextEdit):
    """A multi-line field where Tab moves on and leaving the field hands its text over."""

    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        emit(self.focus_left)
        super().focusOutEvent(event)


class AnswerInput(QWidget):
    """Base of the inputs: the pause timer and the last raw answer handed over."""

    changed = Signal(str)  # a valid raw answer to store ("" clears)
    invalid = Signal(str)  # why the typed text cannot be stored; nothing was saved
    answered_by_key = Signal()  # a one-key answer (Y/N/A): the page moves focus on

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._shown = ""  # the raw answer stored (or on its way to the store)
        self.read_only = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.flush)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def typing(self) -> bool:
        """True while typed text waits for its pause; a reload must not overwrite it."""
        return self._pause.isActive()

    def set_raw(self, raw: str) -> None:
        """Show a stored answer without announcing it as an edit."""
        self._pause.stop()
        self._shown = raw
        self._display(raw)

    def flush(self) -> bool:
        """Hand over what is typed now (leaving the field, closing the window); False if it
        cannot be stored (the input has said why, and nothing was handed over)."""
        self._pause.stop()
        raw = self._current()
        if raw is None:
            return False
        if not self._same(raw, self._shown):
            self._shown = raw
            emit(self.changed, raw)
        return True

    def retranslate(self) -> None:
        """Labels of the input itself; the row calls it on a language change."""

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for child in self.findChildren(QWidget):
            child.setEnabled(not read_only)

    # -- for subclasses ----------------------------------------------------------------------

    def _display(self, raw: str) -> None:
        raise NotImplementedError

    def _current(self) -> str | None:
        """The raw answer on screen, or None (after saying why) if it cannot be stored."""
        raise NotImplementedError

    def _same(self, a: str, b: str) -> bool:
        if not a.strip() or not b.strip():
            return a.strip() == b.strip()
        try:
            return parse_answer(self.item, a) == parse_answer(self.item, b)
        except AnswerError:
            return a == b

    def _typed(self) -> None:
        self._pause.start()


class YesNoInput(AnswerInput):
    """是 / 否 / 不适用 as three toggle buttons; Y, N, A (or 1, 2, 3) answer from the keyboard.

    The buttons take no focus themselves: the input is one stop in the Tab chain, so Tab goes
    from question to question and a key answers the question that has the focus.
    """

    LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        "yes": ("是", "Yes"), "no": ("否", "No"), "na": ("不适用", "N/A"),
    }

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.layout().setContentsMargins(4, 4, 4, 4)
        self.buttons: dict[str, QToolButton] = {}
        for code in ("yes", "no", "na"):
            button = QToolButton(self)
            button.setObjectName(f"answer_{code}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumWidth(64)
            button.setStyleSheet(CHOSEN_STYLE)
            button.clicked.connect(lambda _checked=False, c=code: self._choose(c))
            self.layout().addWidget(button)
            self.buttons[code] = button
        self.layout().addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        keys = {"yes": "Y", "no": "N", "na": "A"}
        for code, button in self.buttons.items():
            zh, en = self.LABELS[code]
            button.setText(en if lang == "en" else zh)
            button.setToolTip(f"{button.text()} ({keys[code]})")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        code = YES_NO_KEYS.get(Qt.Key(event.key()))
        no_modifier = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if code is not None and no_modifier and not self.read_only:
            self._choose(code, by_key=True)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # The buttons take no focus, so the input draws where the keyboard is.
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRoundedRect(self.rect().adjusted(1, 1, -2, -2), 4, 4)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def _choose(self, code: str, by_key: bool = False) -> None:
        # A key always sets the answer; clicking the chosen button again takes it back.
        raw = code if by_key or self._shown != code else ""
        self._display(raw)
        self.flush()
        if by_key:
            emit(self.answered_by_key)

    def _display(self, raw: str) -> None:
        for code, button in self.buttons.items():
            button.setChecked(code == raw)

    def _current(self) -> str:
        return next((code for code, b in self.buttons.items() if b.isChecked()), "")

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)


class ChoiceInput(AnswerInput):
    """The item's choices in a drop-down, with a first entry meaning "not answered"."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("answer_choice")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layout().addWidget(self.combo)
        self.layout().addStretch(1)
        self.setFocusProxy(self.combo)
        self.retranslate()
        self.combo.currentIndexChanged.connect(lambda _i: self.flush())

    def retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        blocked = self.combo.blockSignals(True)
        index = self.combo.currentIndex()
        self.combo.clear()
        self.combo.addItem("—", "")
        for choice in self.item.choices:
            self.combo.addItem(choice.text.in_(lang), choice.code)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(blocked)

    def _display(self, raw: str) -> None:
        blocked = self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(self.combo.findData(raw), 0))
        self.combo.blockSignals(blocked)

    def _current(self) -> str:
        return str(self.combo.currentData() or "")


class TypedInput(AnswerInput):
    """An answer typed into self.edit (a QLineEdit), checked with parse_answer on its way out."""

    edit: QLineEdit

    def _display(self, raw: str) -> None:
        self.edit.setText(raw)
        emit(self.invalid, "")

    def _checked(self, text: str) -> object | None:
        """The parsed value, "" for an empty field, or None after saying why it is refused."""
        if not text.strip():
            emit(self.invalid, "")
            return ""
        try:
            value = parse_answer(self.item, text)
        except AnswerError as error:
            emit(self.invalid, i18n.error_text(error))
            return None
        emit(self.invalid, "")
        return value


class FigureInput(TypedInput):
    """A number or an amount in yuan, checked as typed; a bad one is explained, not saved."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answer_figure")
        self.edit.setMaximumWidth(260)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout().addWidget(self.edit)
        self.layout().addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self._typed())
        self.edit.editingFinished.connect(self.flush)
        self.retranslate()

    def retranslate(self) -> None:
        if self.item.type is AnswerType.MONEY:
            # (Chinese adds "or 125万": an English hint shows no Chinese, though 万 is read.)
            self.edit.setPlaceholderText(self.tr("Amount in yuan, e.g. 1,250,000"))
        else:
            self.edit.setPlaceholderText(self.tr("Number"))
        show_whole_placeholder(self.edit)  # the hint is wider than most figures

    def _current(self) -> str | None:
        text = self.edit.text()
        return None if self._checked(text) is None else text.strip()


class DateInput(TypedInput):
    """A date typed as officers write it (2026-11-20, 2026/11/20, 2026年11月20日, 20261120) or
    picked from a calendar; empty means not answered.

    A plain text field, not QDateEdit: QDateEdit cannot be typed into while empty, and a dash
    typed after a full year skips a section there, silently storing the wrong date.
    """

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answer_date")
        self.edit.setMaximumWidth(160)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName("pickDate")
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.calendar_button)
        self.calendar = QCalendarWidget(menu)
        picker = QWidgetAction(menu)
        picker.setDefaultWidget(self.calendar)
        menu.addAction(picker)
        menu.aboutToShow.connect(self._calendar_opens)
        self.calendar.clicked.connect(lambda day: self._picked(day, menu))
        self.calendar_button.setMenu(menu)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clearDate")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(self._clear)
        for widget in (self.edit, self.calendar_button, self.clear_button):
            self.layout().addWidget(widget)
        self.layout().addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self._typed())
        self.edit.editingFinished.connect(self.flush)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("e.g. 2026-11-20"))
        self.calendar_button.setText(self.tr("Calendar"))
        self.clear_button.setText(self.tr("Clear"))

    def date(self) -> date | None:
        """The date on screen, if it is one."""
        try:
            value = parse_answer(self.item, self.edit.text())
        except AnswerError:
            return None
        return value if isinstance(value, date) else None

    def _calendar_opens(self) -> None:
        shown = self.date() or date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    def _picked(self, day: QDate, menu: QMenu) -> None:
        menu.close()
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self.flush()

    def _clear(self) -> None:
        self.edit.clear()
        self.flush()

    def _current(self) -> str | None:
        value = self._checked(self.edit.text())
        if value is None:
            return None
        if value == "":
            return ""
        # Shown as stored, so "2026年11月20日" reads back as the date it was taken to be.
        self.edit.setText(str(value))
        return str(value)


class TextInput(AnswerInput):
    """The officer's own words, several lines."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = FlushingTextEdit(self)
        self.edit.setObjectName("answer_text")
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        self.layout().addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._typed)
        self.edit.focus_left.connect(self.flush)

    def _display(self, raw: str) -> None:
        blocked = self.edit.blockSignals(True)
        if self.edit.toPlainText() != raw:
            self.edit.setPlainText(raw)
        self.edit.blockSignals(blocked)

    def _current(self) -> str:
        return self.edit.toPlainText()

    def _same(self, a: str, b: str) -> bool:
        return a == b


INPUTS: dict[AnswerType, type[AnswerInput]] = {
    AnswerType.YES_NO: YesNoInput,
    AnswerType.CHOICE: ChoiceInput,
    AnswerType.NUMBER: FigureInput,
    AnswerType.MONEY: FigureInput,
    AnswerType.DATE: DateInput,
    AnswerType.TEXT: TextInput,
}


def answer_input(item: Item, parent: QWidget | None = None) -> AnswerInput:
    """The input for the item's answer type (a fund recipient's: recipient_input)."""
    return INPUTS[item.type](item, parent)
