"""One checklist item on screen: its question, its answer, what an abnormal answer still needs,
and the officer's note on it.

The row only shows and reports; the page turns reports into undoable, stored edits.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import AnswerError, Item, is_abnormal, parse_answer
from inspector_app.domain.enums import AnswerType
from inspector_app.gui import i18n
from inspector_app.gui.editor.answer_widgets import (
    TYPING_PAUSE_MS,
    FlushingTextEdit,
    TextInput,
    answer_input,
)
from inspector_app.gui.editor.comment_box import CommentBox
from inspector_app.gui.editor.recipient_input import RecipientInput
from inspector_app.gui.qt_compat import emit

ABNORMAL_RED = "#c62828"
ABNORMAL_BACKGROUND = "#fdecea"
EVIDENCE_GIVEN = "#9a6700"  # abnormal, but its note/photo are there: amber, not alarm red
_ticks = itertools.count(1)


def tick() -> int:
    """A moment on the page's clock: orders local edits against reloads from the store."""
    return next(_ticks)


def raw_is_abnormal(item: Item, raw: str) -> bool:
    """Whether the answer raw (as the input shows it) is an abnormal one."""
    if not raw.strip():
        return False
    try:
        return is_abnormal(item, parse_answer(item, raw))
    except AnswerError:
        return False


def evidence_missing(item: Item, raw: str, note: str, photo_count: int) -> tuple[bool, bool]:
    """(note missing, photo missing) for an abnormal answer; (False, False) otherwise."""
    if not raw_is_abnormal(item, raw):
        return False, False
    rule = item.when_abnormal
    return rule.note and not note.strip(), rule.photo and photo_count < 1


def restyle(widget: QWidget, sheet: str) -> None:
    """Set a widget's style sheet only if it changes: each setStyleSheet re-polishes the
    widget, and a row's state is updated several times while a page is filled."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class ItemRow(QFrame):
    """Question, answer input, abnormal warning, photo button and note of one item."""

    answer_changed = Signal(str, str)  # item code, new raw answer
    note_changed = Signal(str, str)  # item code, new note
    advance = Signal()  # Enter or a one-key answer: go to the next question
    attach_photo = Signal(str)  # item code

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("itemRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.raw = ""  # the stored answer, or the one on its way to the store
        self.note = ""
        self.photo_count = 0
        self.touched = 0  # tick() of the last local edit or of its save finishing
        self.in_flight = 0  # saves of this row queued or running
        self._read_only = False
        self.comment_box: CommentBox | None = None  # the supervisor's comment (page adds it)

        self.question = QLabel(self)
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The recipient's three fields live in a module of their own (answer_widgets is full).
        self.input = (RecipientInput(item, self) if item.type is AnswerType.RECIPIENT
                      else answer_input(item, self))
        self.input.changed.connect(lambda raw: emit(self.answer_changed, item.code, raw))
        self.input.answered_by_key.connect(self._answered_by_key)
        self.input.invalid.connect(self._show_error)
        focus = self.input.focusProxy() or self.input
        focus.installEventFilter(self)
        self.error = QLabel(self)
        self.error.setObjectName("answerError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ABNORMAL_RED};")
        self.error.hide()

        self.warning_icon = QLabel(self)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.warning_icon.setPixmap(icon.pixmap(18, 18))
        self.warning = QLabel(self)
        self.warning.setObjectName("abnormalWarning")
        self.photos = QLabel(self)
        self.photos.setObjectName("photoCount")
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("attachPhoto")
        self.attach_button.clicked.connect(lambda: emit(self.attach_photo, item.code))
        status = QHBoxLayout()
        status.addWidget(self.warning_icon)
        status.addWidget(self.warning, 1)
        status.addWidget(self.photos)
        status.addWidget(self.attach_button)
        self._status = status

        self.note_label = QLabel(self)
        self.note_edit = FlushingTextEdit(self)
        self.note_edit.setObjectName("note")
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 2 + 14)
        self.note_label.setBuddy(self.note_edit)
        self._note_pause = QTimer(self)
        self._note_pause.setSingleShot(True)
        self._note_pause.setInterval(TYPING_PAUSE_MS)
        self._note_pause.timeout.connect(self.flush_note)
        self.note_edit.textChanged.connect(self._note_pause.start)
        self.note_edit.focus_left.connect(self.flush_note)
        self.note_edit.installEventFilter(self)
        note = QHBoxLayout()
        note.addWidget(self.note_label, 0, Qt.AlignmentFlag.AlignTop)
        note.addWidget(self.note_edit, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.question)
        layout.addWidget(self.input)
        layout.addWidget(self.error)
        layout.addLayout(status)
        layout.addLayout(note)
        self.retranslate()
        self._update_state()

    # -- what the row shows --------------------------------------------------------------------

    @property
    def answered(self) -> bool:
        return bool(self.raw.strip())

    @property
    def typing(self) -> bool:
        return self.input.typing or self._note_pause.isActive()

    def abnormal(self) -> bool:
        return raw_is_abnormal(self.item, self.raw)

    def missing_evidence(self) -> tuple[bool, bool]:
        """(note missing, photo missing) for an abnormal answer; (False, False) otherwise."""
        return evidence_missing(self.item, self.raw, self.note, self.photo_count)

    def show_answer(self, raw: str, *, on_screen: bool = False) -> None:
        """Record raw as the answer; on_screen when the input already shows it."""
        self.raw = raw
        if self.comment_box is not None:  # a comment is on an answer: none on a blank item
            self.comment_box.set_may_write(self.answered)
        if not on_screen:
            self.input.set_raw(raw)
            self.error.hide()
        self._update_state()

    def show_note(self, note: str, *, on_screen: bool = False) -> None:
        self.note = note
        if not on_screen and self.note_edit.toPlainText() != note:
            self._note_pause.stop()
            blocked = self.note_edit.blockSignals(True)
            self.note_edit.setPlainText(note)
            self.note_edit.blockSignals(blocked)
        self._update_state()

    def add_comment_box(self, box: CommentBox) -> None:
        """Show the supervisor's comment on this item under the note, its Comment… button
        (while reviewing) beside the item's other buttons."""
        self.comment_box = box
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(box)
        self._status.addWidget(box.take_button(), 0, Qt.AlignmentFlag.AlignRight)
        box.set_may_write(self.answered)

    def set_photo_count(self, count: int) -> None:
        self.photo_count = count
        self._update_state()

    def show_problem(self, message: str) -> None:
        """A save that was refused, in the row where it happened."""
        self._show_error(message)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.input.set_read_only(read_only)
        self.note_edit.setReadOnly(read_only)
        self._update_state()

    # -- keyboard ------------------------------------------------------------------------------

    def focus_answer(self) -> None:
        (self.input.focusProxy() or self.input).setFocus(Qt.FocusReason.TabFocusReason)

    def focus_note(self) -> None:
        self.note_edit.setFocus(Qt.FocusReason.TabFocusReason)

    def flush(self) -> None:
        """Hand over anything typed and still waiting for its pause."""
        self.input.flush()
        self.flush_note()

    def flush_note(self) -> None:
        self._note_pause.stop()
        text = self.note_edit.toPlainText()
        if text != self.note and not self._read_only:
            emit(self.note_changed, self.item.code, text)  # the page's edit sets self.note

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter: next question. Ctrl+Enter: from the answer to its note, from the note on to
        # the next question (notes are off the Tab chain unless the answer needs one).
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # A refused answer keeps the keyboard: what is typed next must not land on (and
            # answer) the question after it.
            return watched is not self.note_edit and not self.input.flush()
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        control = modifiers == Qt.KeyboardModifier.ControlModifier
        if watched is self.note_edit:
            if not control:
                return False  # a new line in the note
            self.flush_note()
            emit(self.advance)
            return True
        if control:
            if self.input.flush():
                self.focus_note()
            return True
        if modifiers or isinstance(self.input, TextInput):
            return False  # Enter in a text answer starts a new line
        if self.input.flush():  # refused: the error shows and the keyboard stays here
            emit(self.advance)
        return True

    def _answered_by_key(self) -> None:
        if self.missing_evidence()[0]:
            self.focus_note()  # the note this answer needs comes next
        else:
            emit(self.advance)

    # -- state ---------------------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _update_state(self) -> None:
        abnormal = self.abnormal()
        note_missing, photo_missing = self.missing_evidence()
        self.setProperty("abnormal", abnormal)
        colour = ABNORMAL_RED if note_missing or photo_missing else EVIDENCE_GIVEN
        frame = (f"QFrame#itemRow {{ background: {ABNORMAL_BACKGROUND}; "
                 f"border: 1px solid {colour}; border-left: 5px solid {colour}; }}")
        restyle(self, frame if abnormal else "")
        self.warning_icon.setVisible(abnormal)
        self.warning.setVisible(abnormal)
        self.warning.setText(self._warning_text(note_missing, photo_missing))
        restyle(self.warning, f"color: {colour}; font-weight: bold;")
        wants_photo = abnormal and self.item.when_abnormal.photo
        self.attach_button.setVisible(wants_photo and not self._read_only)
        self.photos.setVisible(wants_photo or self.photo_count > 0)
        self.photos.setText(self.tr("Photos: {count}").format(count=self.photo_count))
        # The note joins the Tab chain when the answer asks for one; otherwise Tab goes from
        # answer to answer.
        wants_note = abnormal and self.item.when_abnormal.note
        self.note_edit.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if wants_note else Qt.FocusPolicy.ClickFocus
        )
        restyle(self.note_edit,
                f"QPlainTextEdit {{ border: 2px solid {ABNORMAL_RED}; }}" if note_missing else "")
        restyle(self.note_label,
                f"color: {ABNORMAL_RED}; font-weight: bold;" if note_missing else "")
        self.note_label.setText(self.tr("Note (required):") if wants_note else self.tr("Note:"))
        self.note_edit.setPlaceholderText(
            self.tr("Explain the abnormal finding") if note_missing else ""
        )

    def _warning_text(self, note_missing: bool, photo_missing: bool) -> str:
        if note_missing and photo_missing:
            return self.tr("Abnormal — note and photo required")
        if note_missing:
            return self.tr("Abnormal — note required")
        if photo_missing:
            return self.tr("Abnormal — photo required")
        return self.tr("Abnormal")

    def retranslate(self) -> None:
        lang = i18n.domain_language(i18n.current())
        optional = "" if self.item.required else self.tr(" (optional)")
        # The question alone: its code (R-WIL-01) files it, officers do not go by it.
        self.question.setText(f"{self.item.question.in_(lang)}{optional}")
        self.attach_button.setText(self.tr("Attach photo…"))
        self.input.setToolTip(self.tr("Enter: next question · Ctrl+Enter: note"))
        self.input.retranslate()
        self._update_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
