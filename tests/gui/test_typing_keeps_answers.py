"""Typing never records an answer the officer did not give (issue #13, item 1).

An invalid figure and Enter used to show the error and move on: the digits typed next were
taken as the one-key answers of the following yes/no items (1 = 是, 2 = 否) and the rest went
into a note. The keyboard now stays in the field that was refused.
"""

from __future__ import annotations

from editor_support import (  # noqa: F401  (fixtures)
    OpenEditor,
    Visit,
    focused,
    open_editor_fixture,
    section,
    visit_fixture,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.editor.answer_widgets import TYPING_PAUSE_MS


def keep_typing(qtbot: QtBot, text: str) -> None:
    """Each character to whatever has the keyboard when it is typed, as a user's keystrokes
    go: digits as key clicks, 万 as an input method commits it (QTest has no key for it)."""
    for ch in text:
        widget = focused()
        assert widget is not None, "nothing has the keyboard focus"
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            commit = QInputMethodEvent()
            commit.setCommitString(ch)
            QApplication.sendEvent(widget, commit)


def settle(qtbot: QtBot, editor) -> None:
    """Past every typing pause, every save stored."""
    qtbot.wait(TYPING_PAUSE_MS + 100)
    editor.flush_pages()
    assert editor.ctx.wait_for_saves()


def test_digits_typed_after_a_refused_amount_answer_nothing_else(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    editor = open_editor("section:ability")
    rows = section(editor, "ability").rows
    money = rows["R-ABL-06"]
    before = visit.answers()
    money.focus_answer()

    qtbot.keyClicks(focused(), "12,5o")  # a letter o for a zero: not an amount
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert money.error.isVisible() and money.error.text() == "amount must be a number"

    keep_typing(qtbot, "125万")
    settle(qtbot, editor)
    assert visit.answers() == before  # no yes/no answered, no note written, nothing stored
    assert focused() is money.input.edit  # the refused field kept the keyboard
    for code in ("R-ABL-07", "R-ABL-08", "R-ABL-09"):
        assert not any(b.isChecked() for b in rows[code].input.buttons.values())
        assert rows[code].note_edit.toPlainText() == ""
    assert money.input.edit.text() == "12,5o125万"  # what was typed is where it was typed
    assert money.error.isVisible()


def test_tab_from_a_refused_date_keeps_the_keyboard_and_a_fixed_one_moves_on(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:ability")
    rows = section(editor, "ability").rows
    date_row = rows["R-ABL-12"]  # a date
    date_row.focus_answer()
    qtbot.keyClicks(focused(), "2026-13-45")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert date_row.error.isVisible()
    assert focused() is date_row.input.edit

    date_row.input.edit.clear()
    qtbot.keyClicks(focused(), "2026-05-20")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert not date_row.error.isVisible()
    assert focused() is not date_row.input.edit
    settle(qtbot, editor)
    assert str(visit.value("R-ABL-12")) == "2026-05-20"


def test_a_one_key_answer_goes_to_the_focused_question_only(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:ability")
    rows = section(editor, "ability").rows
    rows["R-ABL-08"].focus_answer()
    qtbot.keyClick(focused(), Qt.Key.Key_2)  # 否: a normal answer here, the next comes up
    assert focused() is rows["R-ABL-09"].input
    settle(qtbot, editor)
    answered = {code for code, state in visit.answers().items() if state.value is not None}
    assert answered == {"R-ABL-08"}
    assert visit.value("R-ABL-08") == "no"
