"""The visit editor window: its pages, the header, saving, undo, closing, read-only signed
visits, templates, and coming back to the same visit and page."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING

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
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit

from inspector_app.domain.enums import VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.answer_widgets import TYPING_PAUSE_MS
from inspector_app.gui.editor.templates_dialog import TemplatesDialog
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.qt_compat import emit
from inspector_app.store.models import Visit as VisitRecord

if TYPE_CHECKING:
    from conftest import SignIn



def key(qtbot: QtBot, k: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, k, modifier)


def page_keys(editor: VisitEditor) -> list[str]:
    """The pages the page list shows (the supervisor's comments only when there are some)."""
    return [page.page_key() for row, page in enumerate(editor.pages)
            if not editor.page_list.item(row).isHidden()]


def test_opens_on_the_header_with_every_page_listed(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    editor = open_editor()
    assert editor.windowTitle() == f"{visit.borrower_name} — Routine inspection"
    assert editor.current_page() is editor.header_page
    assert page_keys(editor) == [
        "header", "section:willingness", "section:ability", "section:guarantee",
        "section:character", "section:legal", "section:re_sales", "section:re_development",
        "photos", "collateral", "signals", "conclusion", "completion",
    ]
    texts = [editor.page_list.item(i).text() for i in range(editor.page_list.count())]
    assert texts[:3] == ["Visit information", "Willingness to repay  0/7", "Ability to repay  0/12"]
    assert editor.header_page.place.text() == "杭州市西湖区文三路 90 号"
    assert editor.header_page.kind.text() == "Routine inspection"
    # Opening stores the page on screen (the place to come back to): saved within a moment.
    qtbot.waitUntil(lambda: editor.save_status.text() == "All changes saved", timeout=3000)


def test_language_switch_retitles_the_pages(qtbot: QtBot, open_editor: OpenEditor) -> None:
    i18n.install("zh_CN")
    editor = open_editor()
    assert editor.page_list.item(1).text() == "还款意愿  0/7"
    i18n.install("en")
    assert editor.page_list.item(1).text() == "Willingness to repay  0/7"
    assert editor.page_list.item(0).text() == "Visit information"
    row = section(editor, "willingness").rows["R-WIL-01"]
    assert "Does the borrower pay us on time" in row.question.text()
    assert row.input.buttons["na"].text() == "N/A"


def test_header_fields_are_stored_and_undone(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor()
    page = editor.header_page
    page.place.setFocus()
    page.place.selectAll()
    type_text(qtbot, "仓库二号门")
    key(qtbot, Qt.Key.Key_Tab)  # on to "people met"
    assert focused() is page.people_met
    type_text(qtbot, "赵海伟（法定代表人）")
    header = lambda: visit.store.visit_header(visit.visit_id)  # noqa: E731
    qtbot.waitUntil(lambda: (header().place, header().people_met)
                    == ("仓库二号门", "赵海伟（法定代表人）"),
                    timeout=SAVED_WITHIN_MS + TYPING_PAUSE_MS)

    editor.page_list.setFocus()
    editor.undo_action.trigger()  # people met
    editor.undo_action.trigger()  # place
    assert page.place.text() == "杭州市西湖区文三路 90 号"
    assert page.people_met.toPlainText() == ""
    qtbot.waitUntil(lambda: (header().place, header().people_met)
                    == ("杭州市西湖区文三路 90 号", ""), timeout=SAVED_WITHIN_MS)
    editor.redo_action.trigger()
    qtbot.waitUntil(lambda: header().place == "仓库二号门", timeout=SAVED_WITHIN_MS)


def test_status_line_says_saving_until_the_edit_is_stored(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.install("en")
    editor = open_editor("section:willingness")
    disk = threading.Event()  # a slow disk: the write waits until the test lets it go
    set_answer = visit.store.set_answer

    def slow_set_answer(*args: object, **kwargs: object) -> object:
        assert disk.wait(5)
        return set_answer(*args, **kwargs)

    monkeypatch.setattr(visit.store, "set_answer", slow_set_answer)
    section(editor, "willingness").rows["R-WIL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: editor.save_status.text() == "Saving…")
    disk.set()
    qtbot.waitUntil(lambda: editor.save_status.text() == "All changes saved")
    assert visit.value("R-WIL-01") == "yes"


def test_a_refused_save_is_shown_and_the_stored_answer_comes_back(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.install("en")
    editor = open_editor("section:willingness")
    row = section(editor, "willingness").rows["R-WIL-01"]

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ValueError("检查已锁定 / the visit is locked")

    monkeypatch.setattr(visit.store, "set_answer", refuse)
    row.focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: editor.save_status.text() == "the visit is locked")
    assert row.error.text() == "the visit is locked"
    qtbot.waitUntil(lambda: not row.input.buttons["yes"].isChecked())  # what the store kept
    assert visit.value("R-WIL-01") is None


def test_reopening_the_editor_shows_every_answer(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    rows = section(editor, "willingness").rows
    rows["R-WIL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_N)  # abnormal: the note field is next
    type_text(qtbot, "逾期两个月")
    rows["R-WIL-02"].focus_answer()
    key(qtbot, Qt.Key.Key_N)
    editor.show_page("section:ability")
    wait_ready(qtbot, editor)
    section(editor, "ability").rows["R-ABL-06"].focus_answer()
    type_text(qtbot, "1,250,000.50")
    editor.close()  # stores what is still waiting for a typing pause

    again = open_editor("section:willingness")
    rows = section(again, "willingness").rows
    assert rows["R-WIL-01"].input.buttons["no"].isChecked()
    assert rows["R-WIL-01"].note_edit.toPlainText() == "逾期两个月"
    assert rows["R-WIL-01"].warning.isVisible()
    assert rows["R-WIL-02"].input.buttons["no"].isChecked()
    ability = section(again, "ability")
    qtbot.waitUntil(lambda: ability.ready)  # loaded with the others, though not shown yet
    assert Decimal(ability.rows["R-ABL-06"].input.edit.text()) == Decimal("1250000.50")
    assert again.page_list.item(2).text().endswith("1/12")


def test_closing_waits_for_what_is_being_typed(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor("section:willingness")
    section(editor, "willingness").rows["R-WIL-07"].note_edit.setFocus()
    type_text(qtbot, "临时记录")
    editor.close()  # before the typing pause is over, and without waiting afterwards
    assert visit.note("R-WIL-07") == "临时记录"


def test_the_page_shown_is_remembered_and_reopened(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor()
    editor.page_list.setFocus()
    key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next page
    assert editor.current_page() is section(editor, "willingness")
    key(qtbot, Qt.Key.Key_PageDown)
    assert editor.current_page() is section(editor, "ability")
    qtbot.waitUntil(
        lambda: visit.store.last_place(visit.officer.id) == (visit.visit_id, "section:ability"),
        timeout=SAVED_WITHIN_MS,
    )
    editor.close()
    assert open_editor("section:ability").current_page().page_key() == "section:ability"


def test_opening_on_a_target_focuses_that_item(qtbot: QtBot, open_editor: OpenEditor) -> None:
    editor = open_editor("item:R-ABL-06")
    page = section(editor, "ability")
    assert editor.current_page() is page
    assert focused() is page.rows["R-ABL-06"].input.edit


def test_completion_list_jumps_to_the_item(qtbot: QtBot, open_editor: OpenEditor) -> None:
    editor = open_editor()
    completion = editor.page("completion")
    assert completion is not None and hasattr(completion, "jump_requested")
    emit(completion.jump_requested, "item:R-GUA-03")
    page = section(editor, "guarantee")
    assert editor.current_page() is page
    assert focused() is page.rows["R-GUA-03"].input
    emit(completion.jump_requested, "header:people_met")
    assert editor.current_page() is editor.header_page
    assert focused() is editor.header_page.people_met


def test_a_signed_visit_opens_read_only(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    visit.store.set_answer(visit.visit_id, visit.officer, "R-WIL-01", "yes")
    with visit.store.write() as s:
        s.get_one(VisitRecord, visit.visit_id).status = VisitStatus.SIGNED
    editor = open_editor("section:willingness")
    assert editor.read_only
    assert editor.windowTitle().endswith("(read only)")
    assert editor.save_status.text() == "Signed visit: read only"
    row = section(editor, "willingness").rows["R-WIL-01"]
    assert row.input.buttons["yes"].isChecked()
    assert not row.input.buttons["no"].isEnabled()
    assert row.note_edit.isReadOnly()
    qtbot.keyClick(row.input, Qt.Key.Key_N)
    assert row.input.buttons["yes"].isChecked()
    assert not editor.undo_action.isEnabled()
    editor.show_page("header")
    wait_ready(qtbot, editor)
    assert editor.header_page.place.isReadOnly()
    assert not editor.header_page.change_templates.isVisible()
    editor.close()
    assert visit.value("R-WIL-01") == "yes"
    assert visit.store.last_place(visit.officer.id) is None


def test_templates_can_change_before_the_first_answer_only(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    editor = open_editor()
    page = editor.header_page
    qtbot.waitUntil(page.change_templates.isEnabled)
    # By title ("routine@1" is how the app files a template, not an officer's word).
    assert page.templates_label.text() == "• Routine post-loan inspection\n• Real estate supplement"
    qtbot.mouseClick(page.change_templates, Qt.MouseButton.LeftButton)
    dialog = page.findChild(TemplatesDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.boxes["industry.real_estate@1"].setChecked(False)
    dialog.boxes["industry.manufacturing@1"].setChecked(True)
    dialog.accept()

    qtbot.waitUntil(lambda: "section:mfg_sales" in page_keys(editor))
    assert "section:re_sales" not in page_keys(editor)
    assert visit.store.visit_header(visit.visit_id).template_refs == [
        "routine@3", "industry.manufacturing@1",
    ]
    qtbot.waitUntil(lambda: "Manufacturing supplement" in page.templates_label.text())

    editor.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.show_page("section:mfg_sales")
    wait_ready(qtbot, editor)
    first = next(iter(editor.current_page().rows.values()))
    first.focus_answer()
    type_text(qtbot, "5")
    key(qtbot, Qt.Key.Key_Return)
    editor.show_page("header")
    qtbot.waitUntil(lambda: not page.change_templates.isEnabled())
    assert page.templates_hint.isVisible()


def test_templates_dialog_needs_exactly_one_base(qtbot: QtBot, open_editor: OpenEditor) -> None:
    i18n.install("en")
    editor = open_editor()
    page = editor.header_page
    qtbot.waitUntil(page.change_templates.isEnabled)
    page.choose_templates()
    dialog = page.findChild(TemplatesDialog)
    ok = dialog._buttons.button(dialog._buttons.StandardButton.Ok)
    dialog.boxes["first@2"].setChecked(True)
    assert not ok.isEnabled()
    assert dialog._problem.text() == "Choose exactly one base template."
    dialog.boxes["routine@3"].setChecked(False)
    assert ok.isEnabled()
    dialog.reject()


def test_sign_in_reopens_the_visit_and_page_of_last_time(
    qtbot: QtBot, sign_in: SignIn, visit: Visit, launcher
) -> None:
    visit.store.remember_place(visit.officer.id, visit.visit_id, "section:guarantee")
    window = sign_in("wang")
    qtbot.waitUntil(lambda: launcher.visit_editor is not None and launcher.visit_editor.loaded,
                    timeout=5000)
    editor = launcher.visit_editor
    assert editor.parent() is window and editor.isVisible()
    assert editor.current_page().page_key() == "section:guarantee"
    editor.close()


def test_sign_in_without_a_draft_to_resume_opens_no_editor(
    qtbot: QtBot, sign_in: SignIn, visit: Visit, launcher
) -> None:
    sign_in("wang")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: launcher._runner.pending == 0)
    assert launcher.visit_editor is None  # the fixture's draft was never opened


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screens_fit_in_both_languages(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit, lang: str
) -> None:
    """Header and a section with an abnormal answer: nothing cut off, every glyph there.
    INSPECTOR_SCREENSHOTS=folder saves them to look at."""
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    suffix = "zh" if lang == "zh_CN" else "en"
    visit.store.update_visit(visit.visit_id, visit.officer, people_met="赵海伟（法定代表人）\n"
                             "陶俊丽（出纳）")
    editor = open_editor()
    editor.resize(1100, 760)
    assert texts_fit(editor) == []
    save(editor, f"visit_editor_header_{suffix}")

    editor.show_page("section:ability")
    wait_ready(qtbot, editor)
    rows = section(editor, "ability").rows
    rows["R-ABL-01"].focus_answer()
    key(qtbot, Qt.Key.Key_Down)
    rows["R-ABL-04"].focus_answer()
    key(qtbot, Qt.Key.Key_Y)
    rows["R-ABL-10"].focus_answer()
    key(qtbot, Qt.Key.Key_N)  # abnormal: needs a note and a photo
    rows["R-ABL-06"].input.edit.setText("abc")
    rows["R-ABL-06"].input.flush()  # letters in a money field: the message under it
    section(editor, "ability").focus_target("item:R-ABL-10")
    QApplication.processEvents()
    assert rows["R-ABL-10"].warning.isVisible()
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0
                    and editor.save_status.text() in ("All changes saved", "所有修改均已保存"))
    assert texts_fit(editor) == []
    save(editor, f"visit_editor_section_{suffix}")
