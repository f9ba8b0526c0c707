"""A checklist section page as the officer uses it: keys answer, the screen warns, the
database follows within a second, and nothing invalid is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from editor_support import (  # noqa: F401  (fixtures)
    SAVED_WITHIN_MS,
    OpenEditor,
    Visit,
    focused,
    open_editor_fixture,
    section,
    type_text,
    visit_fixture,
    wait_ready,
)
from photo_support import make_jpeg
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.editor.answer_widgets import TYPING_PAUSE_MS, YesNoInput
from inspector_app.gui.editor.photos import photo_import


def key(qtbot: QtBot, k: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a user types."""
    widget = focused()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, k, modifier)


def test_yes_no_answered_with_y_n_a_and_focus_moves_on(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    page = section(editor, "willingness")
    rows = page.rows
    rows["R-WIL-01"].focus_answer()
    assert focused() is rows["R-WIL-01"].input

    key(qtbot, Qt.Key.Key_Y)
    assert rows["R-WIL-01"].input.buttons["yes"].isChecked()
    assert focused() is rows["R-WIL-02"].input  # one key, next question
    key(qtbot, Qt.Key.Key_N)
    # R-WIL-03 is a choice; Tab from it reaches the next yes/no question.
    assert focused() is rows["R-WIL-03"].input.combo
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["R-WIL-04"].input
    key(qtbot, Qt.Key.Key_3)  # 1/2/3 work as Y/N/A too
    assert rows["R-WIL-04"].input.buttons["na"].isChecked()

    qtbot.waitUntil(
        lambda: (visit.value("R-WIL-01"), visit.value("R-WIL-02"), visit.value("R-WIL-04"))
        == ("yes", "no", "na"),
        timeout=SAVED_WITHIN_MS,
    )


def test_enter_moves_to_the_next_answer_and_ctrl_enter_to_the_note(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:ability")
    rows = section(editor, "ability").rows
    rows["R-ABL-02"].focus_answer()
    type_text(qtbot, "5")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is rows["R-ABL-03"].input.edit
    key(qtbot, Qt.Key.Key_Tab)  # a normal answer's note is skipped by Tab
    assert focused() is rows["R-ABL-04"].input

    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert focused() is rows["R-ABL-04"].note_edit
    type_text(qtbot, "line one")
    key(qtbot, Qt.Key.Key_Return)  # a new line inside the note
    type_text(qtbot, "line two")
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert focused() is rows["R-ABL-05"].input.edit
    qtbot.waitUntil(lambda: visit.note("R-ABL-04") == "line one\nline two",
                    timeout=SAVED_WITHIN_MS)
    assert visit.value("R-ABL-02") == Decimal(5)


def test_abnormal_answer_is_highlighted_and_asks_for_its_note(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    editor = open_editor("section:willingness")
    row = section(editor, "willingness").rows["R-WIL-01"]  # "no" is abnormal here
    assert not row.warning.isVisible()
    row.focus_answer()

    key(qtbot, Qt.Key.Key_N)
    assert row.warning.isVisible()
    assert row.warning.text() == "Abnormal — note required"
    assert row.note_label.text() == "Note (required):"
    assert row.property("abnormal") is True
    assert focused() is row.note_edit  # the note is asked for at once
    list_item = editor.page_list.item(1)
    assert list_item.text() == "Willingness to repay  1/7"
    assert list_item.foreground().color().name() == "#c62828"

    type_text(qtbot, "Two months late; agreed a plan")
    qtbot.waitUntil(lambda: visit.note("R-WIL-01") == "Two months late; agreed a plan",
                    timeout=SAVED_WITHIN_MS + TYPING_PAUSE_MS)
    assert row.warning.text() == "Abnormal"  # still abnormal, but nothing is missing
    assert list_item.foreground().color().name() != "#c62828"


def test_abnormal_answer_needing_a_photo_offers_to_attach_one(
    qtbot: QtBot, open_editor: OpenEditor
) -> None:
    i18n.install("en")
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-10"]  # "no" needs a note and a photo
    assert not row.attach_button.isVisible()
    row.focus_answer()
    key(qtbot, Qt.Key.Key_N)
    assert row.warning.text() == "Abnormal — note and photo required"
    assert row.attach_button.isVisible() and row.attach_button.text() == "Attach photo…"
    assert row.photos.text() == "Photos: 0"


def test_letters_in_a_money_field_are_explained_and_nothing_is_stored(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-06"]  # money
    row.focus_answer()
    type_text(qtbot, "abc")
    key(qtbot, Qt.Key.Key_Tab)  # leaving the field hands the text over at once

    assert row.error.isVisible()
    assert row.error.text() == "amount must be a number"
    qtbot.wait(TYPING_PAUSE_MS + 100)
    assert editor.ctx.wait_for_saves()
    assert visit.value("R-ABL-06") is None
    assert editor.save_status.text() == "All changes saved"

    row.input.edit.clear()
    row.focus_answer()
    type_text(qtbot, "125万")
    qtbot.waitUntil(lambda: visit.value("R-ABL-06") == Decimal(1_250_000),
                    timeout=SAVED_WITHIN_MS)
    assert not row.error.isVisible()


def test_money_message_in_chinese(qtbot: QtBot, open_editor: OpenEditor) -> None:
    i18n.install("zh_CN")
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-06"]
    row.focus_answer()
    type_text(qtbot, "一百")
    key(qtbot, Qt.Key.Key_Return)
    assert row.error.text() == "金额必须是数字"


def test_number_choice_date_and_text_answers_reach_the_database(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:ability")
    rows = section(editor, "ability").rows
    rows["R-ABL-02"].focus_answer()
    type_text(qtbot, "-25.5")  # typed, then a pause: stored without leaving
    rows["R-ABL-01"].input.combo.setFocus()
    key(qtbot, Qt.Key.Key_Down)  # first choice after "not answered"
    rows["R-ABL-12"].focus_answer()
    type_text(qtbot, "2026/10/31")  # as officers write it; stored as the date

    first_choice = rows["R-ABL-01"].item.choices[0].code
    qtbot.waitUntil(
        lambda: (visit.value("R-ABL-02"), visit.value("R-ABL-01"), visit.value("R-ABL-12"))
        == (Decimal("-25.5"), first_choice, date(2026, 10, 31)),
        timeout=SAVED_WITHIN_MS,
    )
    assert rows["R-ABL-02"].warning.isVisible()  # below -20: abnormal

    editor.show_page("section:character")
    wait_ready(qtbot, editor)
    text = section(editor, "character").rows["R-CHR-04"]
    text.focus_answer()
    type_text(qtbot, "法定代表人配合检查")
    qtbot.waitUntil(lambda: visit.value("R-CHR-04") == "法定代表人配合检查",
                    timeout=SAVED_WITHIN_MS)


def test_clearing_a_date_clears_the_answer(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    visit.store.set_answer(visit.visit_id, visit.officer, "R-ABL-12", "2026-10-31")
    editor = open_editor("section:ability")
    date_input = section(editor, "ability").rows["R-ABL-12"].input
    assert date_input.edit.text() == "2026-10-31"
    qtbot.mouseClick(date_input.clear_button, Qt.MouseButton.LeftButton)
    assert date_input.edit.text() == ""
    qtbot.waitUntil(lambda: visit.value("R-ABL-12") is None, timeout=SAVED_WITHIN_MS)


def test_section_count_follows_the_answers(
    qtbot: QtBot, open_editor: OpenEditor
) -> None:
    i18n.install("zh_CN")
    editor = open_editor("section:willingness")
    rows = section(editor, "willingness").rows
    item = editor.page_list.item(1)
    assert item.text() == "还款意愿  0/7"
    rows["R-WIL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    key(qtbot, Qt.Key.Key_N)
    assert item.text() == "还款意愿  2/7"
    qtbot.mouseClick(rows["R-WIL-01"].input.buttons["yes"], Qt.MouseButton.LeftButton)
    assert item.text() == "还款意愿  1/7"  # clicking the chosen answer takes it back


def test_undo_and_redo_change_the_stored_answer(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    row = section(editor, "willingness").rows["R-WIL-05"]
    row.focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") == "yes", timeout=SAVED_WITHIN_MS)
    row.focus_answer()
    key(qtbot, Qt.Key.Key_A)  # normal, so the focus stays out of a note field
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") == "na", timeout=SAVED_WITHIN_MS)

    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert row.input.buttons["yes"].isChecked()
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") == "yes", timeout=SAVED_WITHIN_MS)
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not any(b.isChecked() for b in row.input.buttons.values())
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") is None, timeout=SAVED_WITHIN_MS)

    key(qtbot, Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") == "yes", timeout=SAVED_WITHIN_MS)
    key(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert row.input.buttons["na"].isChecked()
    qtbot.waitUntil(lambda: visit.value("R-WIL-05") == "na", timeout=SAVED_WITHIN_MS)


def test_undo_of_a_note(qtbot: QtBot, open_editor: OpenEditor, visit: Visit) -> None:
    editor = open_editor("section:willingness")
    row = section(editor, "willingness").rows["R-WIL-06"]
    row.note_edit.setFocus()
    type_text(qtbot, "身体状况良好")
    qtbot.waitUntil(lambda: visit.note("R-WIL-06") == "身体状况良好",
                    timeout=SAVED_WITHIN_MS + TYPING_PAUSE_MS)
    editor.page_list.setFocus()  # the window's undo, not the text field's own
    editor.undo_action.trigger()
    assert row.note_edit.toPlainText() == ""
    qtbot.waitUntil(lambda: visit.note("R-WIL-06") == "", timeout=SAVED_WITHIN_MS)


def test_undo_takes_back_typing_still_inside_its_pause(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    rows = section(editor, "willingness").rows
    rows["R-WIL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    rows["R-WIL-07"].note_edit.setFocus()
    type_text(qtbot, "typed just now")
    editor.undo_action.trigger()  # at once, before the typing pause is over
    assert rows["R-WIL-07"].note_edit.toPlainText() == ""
    assert rows["R-WIL-01"].input.buttons["yes"].isChecked()  # the earlier edit stays
    assert editor.ctx.wait_for_saves()
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0)
    assert (visit.value("R-WIL-01"), visit.note("R-WIL-07")) == ("yes", "")


def test_undo_on_another_page_shows_that_page(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    section(editor, "willingness").rows["R-WIL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    editor.show_page("header")
    editor.undo_action.trigger()
    assert editor.current_page() is section(editor, "willingness")
    qtbot.waitUntil(lambda: visit.value("R-WIL-01") is None, timeout=SAVED_WITHIN_MS)


def test_long_section_scrolls_to_the_focused_question(
    qtbot: QtBot, open_editor: OpenEditor
) -> None:
    editor = open_editor("section:ability")
    page = section(editor, "ability")
    last = list(page.rows.values())[-1]
    assert page.scroll.verticalScrollBar().maximum() > 0  # 12 items do not fit
    page.focus_target(f"item:{last.item.code}")
    QApplication.processEvents()
    top = last.mapTo(page.scroll.viewport(), last.rect().topLeft()).y()
    assert 0 <= top < page.scroll.viewport().height()
    assert not page.focus_target("item:NOPE-01")


def test_yes_no_input_ignores_keys_with_modifiers(qtbot: QtBot, open_editor: OpenEditor) -> None:
    editor = open_editor("section:willingness")
    row = section(editor, "willingness").rows["R-WIL-01"]
    assert isinstance(row.input, YesNoInput)
    row.focus_answer()
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert not any(b.isChecked() for b in row.input.buttons.values())


def test_attach_photo_links_it_to_the_item_and_the_warning_follows(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    i18n.install("en")
    picture = make_jpeg(tmp_path / "meter.jpg", 3)
    monkeypatch.setattr(photo_import, "choose_photo_files", lambda _parent: [picture])
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-10"]
    row.focus_answer()
    key(qtbot, Qt.Key.Key_N)
    type_text(qtbot, "water use far below the accounts")
    qtbot.mouseClick(row.attach_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: row.photos.text() == "Photos: 1", timeout=5000)
    assert row.warning.text() == "Abnormal"  # note and photo both there now
    assert visit.answers()["R-ABL-10"].photo_count == 1
    assert editor.page_list.item(2).foreground().color().name() != "#c62828"


@pytest.mark.parametrize("typed", ["2026年10月31日", "20261031", "2026-10-31"])
def test_a_date_is_typed_into_an_empty_field_as_officers_write_it(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit, typed: str
) -> None:
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-12"]
    row.focus_answer()
    type_text(qtbot, typed)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visit.value("R-ABL-12") == date(2026, 10, 31),
                    timeout=SAVED_WITHIN_MS)
    assert row.input.edit.text() == "2026-10-31"


def test_an_impossible_date_is_explained_and_nothing_is_stored(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    editor = open_editor("section:ability")
    row = section(editor, "ability").rows["R-ABL-12"]
    row.focus_answer()
    type_text(qtbot, "2026-02-30")
    key(qtbot, Qt.Key.Key_Return)
    assert row.error.text() == "no such date"
    assert visit.value("R-ABL-12") is None


def test_a_date_is_picked_from_the_calendar(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:ability")
    date_input = section(editor, "ability").rows["R-ABL-12"].input
    date_input.calendar_button.menu().aboutToShow.emit()  # what opening the popup does
    calendar = date_input.calendar
    calendar.setSelectedDate(QDate(2026, 9, 15))
    calendar.clicked.emit(QDate(2026, 9, 15))  # the officer clicks the day
    qtbot.waitUntil(lambda: visit.value("R-ABL-12") == date(2026, 9, 15),
                    timeout=SAVED_WITHIN_MS)
