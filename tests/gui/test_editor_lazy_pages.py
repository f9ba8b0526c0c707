"""The visit editor makes a page's widgets when first needed: opening shows the first page
and the whole page list (titles and counts from what was read), and the other pages are made
when chosen, asked for or once the editor is idle — with everything the editor did before.
"""

from __future__ import annotations

import pytest
from editor_support import (  # noqa: F401  (fixtures)
    OpenEditor,
    Visit,
    focused,
    open_editor_fixture,
    section,
    visit_fixture,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.editor import window
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.checklist_row import ABNORMAL_RED
from inspector_app.gui.editor.pages import LATER_PAGES, PendingPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.store.models import Visit as VisitRecord


@pytest.fixture(autouse=True)
def _not_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """No page is made in idle time unless a test asks: what opening made stays visible."""
    monkeypatch.setattr(window, "IDLE_BUILD_DELAY_MS", 600_000)


def sections(editor: VisitEditor) -> list[ChecklistPage]:
    return [page for page in editor.pages if isinstance(page, ChecklistPage)]


def listed(editor: VisitEditor) -> list[tuple[str, str, str, bool]]:
    """Each list entry: text, tooltip, colour, and whether it has the warning icon."""
    warning = editor.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    warning_image = warning.pixmap(16, 16).toImage()
    entries = []
    for row in range(editor.page_list.count()):
        item = editor.page_list.item(row)
        entries.append((item.text(), item.toolTip(), item.foreground().color().name(),
                        item.icon().pixmap(16, 16).toImage() == warning_image))
    return entries


def test_opening_makes_the_first_page_and_lists_every_page_with_its_count(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("en")
    store, officer = visit.store, visit.officer
    store.set_answer(visit.visit_id, officer, "R-WIL-01", "no")  # abnormal, no note yet
    store.set_answer(visit.visit_id, officer, "R-WIL-02", "yes")
    store.set_answer(visit.visit_id, officer, "R-ABL-06", "1250000.50")
    editor = open_editor()
    qtbot.waitUntil(lambda: all(page.ready for page in sections(editor)))

    assert editor.current_page() is editor.header_page
    assert not any(page.built for page in sections(editor))
    assert [page.page_key() for page in editor.pages if isinstance(page, PendingPage)] == [
        "photos", "collateral", "signals", "conclusion", "completion"]
    before = listed(editor)
    assert before[1] == ("Willingness to repay  2/7",
                         "An abnormal answer still needs its note or photo",
                         QColor(ABNORMAL_RED).name(), True)
    assert before[2][0] == "Ability to repay  1/12"

    # Made, the pages show the same list: counts from their rows, titles from themselves.
    for key in [page.page_key() for page in editor.pages]:
        editor.page(key)
    assert all(page.built for page in sections(editor))
    assert not any(isinstance(page, PendingPage) for page in editor.pages)
    editor.retitle_pages()
    assert listed(editor) == before


def test_a_page_is_made_when_shown_and_a_target_makes_only_its_page(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    visit.store.set_answer(visit.visit_id, visit.officer, "R-WIL-01", "yes")
    editor = open_editor()
    willingness = section(editor, "willingness")
    editor.page_list.setCurrentRow(editor.pages.index(willingness))
    assert editor.current_page() is willingness and willingness.built
    qtbot.waitUntil(lambda: willingness.rows["R-WIL-01"].input.buttons["yes"].isChecked())

    assert editor.show_target("item:R-GUA-03")
    guarantee = section(editor, "guarantee")
    assert editor.current_page() is guarantee
    assert focused() is guarantee.rows["R-GUA-03"].input
    assert [page.page_key() for page in sections(editor) if page.built] == [
        "section:willingness", "section:guarantee"]

    assert editor.show_target("conclusion:measures")
    assert editor.current_page().page_key() == "conclusion"
    assert [page.page_key() for page in editor.pages if isinstance(page, PendingPage)] == [
        "photos", "collateral", "signals", "completion"]
    assert not editor.show_target("item:NO-SUCH-ITEM")
    assert sum(page.built for page in sections(editor)) == 2


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_pending_page_has_the_key_and_title_of_the_page_made_in_its_place(
    qtbot: QtBot, open_editor: OpenEditor, lang: str
) -> None:
    i18n.install(lang)
    editor = open_editor()
    for spec in LATER_PAGES:
        pending = PendingPage(spec)
        made = spec.make(editor.ctx)
        assert (pending.page_key(), pending.page_title()) == (made.page_key(),
                                                              made.page_title())
        assert spec.owns(spec.key)
        made.deleteLater()
        pending.deleteLater()


def test_pages_made_later_are_read_only_and_in_the_language_shown(
    qtbot: QtBot, open_editor: OpenEditor, visit: Visit
) -> None:
    i18n.install("zh_CN")
    visit.store.set_answer(visit.visit_id, visit.officer, "R-WIL-01", "yes")
    with visit.store.write() as s:
        s.get_one(VisitRecord, visit.visit_id).status = VisitStatus.SIGNED
    editor = open_editor()
    assert editor.read_only
    i18n.install("en")  # before the pages are made
    page = section(editor, "willingness")
    qtbot.waitUntil(lambda: page.ready)
    row = page.rows["R-WIL-01"]
    assert "Does the borrower pay us on time" in row.question.text()
    assert row.input.buttons["yes"].isChecked()
    assert not row.input.buttons["no"].isEnabled()
    assert row.note_edit.isReadOnly()
    for key in ("photos", "conclusion"):
        made = editor.page(key)
        assert made is not None and not made.editable  # type: ignore[attr-defined]
    assert editor.page_list.item(editor.pages.index(editor.page("photos"))).text() == "Photos"


def test_idle_time_makes_every_page(
    qtbot: QtBot, open_editor: OpenEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "IDLE_BUILD_DELAY_MS", 0)
    editor = open_editor()
    qtbot.waitUntil(lambda: all(page.built and not isinstance(page, PendingPage)
                                for page in editor.pages), timeout=10_000)
    assert editor.current_page() is editor.header_page  # made, not shown
    assert editor.page_list.count() == len(editor.pages)


def test_no_page_is_made_while_the_user_types(
    qtbot: QtBot, open_editor: OpenEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making a page holds the UI thread, and a note's save waits on that thread for its
    typing pause: so idle building waits until the keyboard has been quiet a while."""
    monkeypatch.setattr(window, "IDLE_BUILD_DELAY_MS", 0)
    monkeypatch.setattr(window, "INPUT_QUIET_MS", 700, raising=False)
    editor = open_editor()
    qtbot.waitUntil(lambda: editor.loaded)
    editor.show_page("header")

    def pending() -> int:
        return sum(isinstance(page, PendingPage) or not page.built for page in editor.pages)

    waiting = pending()
    assert waiting > 0
    for _ in range(8):  # 1.6 s of typing, a key every 200 ms (one that changes nothing)
        qtbot.keyClick(editor.header_page, Qt.Key.Key_Shift)
        qtbot.wait(200)
        assert pending() == waiting
    qtbot.waitUntil(lambda: pending() == 0, timeout=10_000)  # quiet: they are made
