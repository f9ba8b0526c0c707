"""The completion page: everything missing in one list, a line jumps to where it is filled
in, and the visit can be marked completed only once the list is empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit
from visit_pages_support import (
    DemoVisit,
    answer_everything_normally,
    start_demo_visit,
    wait_for_saves,
)

from inspector_app.domain.enums import CollateralStatus, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.context import VisitContext


@pytest.fixture
def visit(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoVisit]:
    yield from start_demo_visit(tmp_path, tmp_path_factory)


@pytest.fixture
def ctx(visit: DemoVisit) -> Iterator[VisitContext]:
    context = visit.context()
    yield context
    context.wait_for_saves()


@pytest.fixture
def page(qtbot: QtBot, ctx: VisitContext) -> CompletionPage:
    widget = CompletionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.view is not None and not widget.busy)
    return widget


def reload(qtbot: QtBot, page: CompletionPage) -> None:
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy)


def everything_but_the_date(visit: DemoVisit) -> None:
    """Answer the checklist, record each collateral item as present, leave the date unset."""
    answer_everything_normally(visit)
    for row in visit.store.collateral_of(visit.visit_id):
        visit.store.observe_collateral(visit.visit_id, visit.officer, row.item_id,
                                       status=CollateralStatus.PRESENT, location_checked=True)


def test_a_new_visit_lists_what_is_missing_and_cannot_be_completed(
    page: CompletionPage, visit: DemoVisit
) -> None:
    texts = page.missing_texts()
    assert texts[:2] == ["The place is not filled in", "The people met are not filled in"]
    assert f"Collateral “{visit.stock_description}” has no observation yet" in texts
    assert "The next inspection date is not set" in texts
    assert page.summary.text() == f"{len(texts)} thing(s) still missing"
    assert not page.complete_button.isEnabled()


def test_clicking_a_line_or_pressing_enter_asks_to_jump_to_its_target(
    qtbot: QtBot, page: CompletionPage, visit: DemoVisit
) -> None:
    texts = page.missing_texts()
    row = texts.index(f"Collateral “{visit.stock_description}” has no observation yet")
    item = page.list.item(row)
    with qtbot.waitSignal(page.jump_requested) as jumped:
        qtbot.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.list.visualItemRect(item).center())
    assert jumped.args == [f"collateral:{visit.stock_id}"]

    page.list.setFocus()
    page.list.setCurrentRow(0)
    with qtbot.waitSignal(page.jump_requested) as jumped:
        qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert jumped.args == ["header:place"]


def test_the_list_follows_edits_saved_on_other_pages(
    qtbot: QtBot, page: CompletionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    before = len(page.missing_texts())
    ctx.save(lambda: visit.store.update_visit(visit.visit_id, visit.officer, place="仓库"),
             what="header:place")
    qtbot.waitUntil(lambda: len(page.missing_texts()) == before - 1)
    assert "The place is not filled in" not in page.missing_texts()


def test_once_nothing_is_missing_the_visit_is_marked_completed(
    qtbot: QtBot, page: CompletionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    everything_but_the_date(visit)
    reload(qtbot, page)
    assert page.missing_texts() == ["The next inspection date is not set"]
    assert not page.complete_button.isEnabled()

    state = visit.store.conclusion_of(visit.visit_id)
    ctx.save(lambda: visit.store.set_conclusion(
        visit.visit_id, visit.officer, next_due_on=state.next_due_range[1]),
        what="conclusion:next_due_on")
    qtbot.waitUntil(lambda: not page.busy and page.missing_texts() == [])
    assert page.summary.text() == "Nothing is missing: the visit can be completed."
    assert page.complete_button.isEnabled()

    qtbot.mouseClick(page.complete_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx)
    assert visit.store.visit_header(visit.visit_id).status is VisitStatus.COMPLETED
    assert page.message.isVisible() and "marked as completed" in page.message.text()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.summary.text() == "Status of this visit: Completed."
    assert not page.complete_button.isEnabled()


def test_a_refusal_by_the_store_is_shown_not_raised(
    qtbot: QtBot, page: CompletionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    everything_but_the_date(visit)
    state = visit.store.conclusion_of(visit.visit_id)
    visit.store.set_conclusion(visit.visit_id, visit.officer,
                               next_due_on=state.next_due_range[1])
    reload(qtbot, page)
    assert page.complete_button.isEnabled()
    # Something goes missing after the list was read: the store has the last word.
    visit.store.update_visit(visit.visit_id, visit.officer, place=" ")
    qtbot.mouseClick(page.complete_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx)
    assert visit.store.visit_header(visit.visit_id).status is VisitStatus.DRAFT
    assert "still missing" in page.message.text()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.missing_texts() == ["The place is not filled in"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshots(qtbot: QtBot, page: CompletionPage, visit: DemoVisit, lang: str) -> None:
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    assert page.missing_texts()[0] == (
        "The place is not filled in" if lang == "en" else "未填写检查地点")
    assert page.complete_button.text() == (
        "&Mark as completed" if lang == "en" else "标记为已完成(&M)")
    assert texts_fit(page) == []
    save(page, f"visit_completion_{lang}")
