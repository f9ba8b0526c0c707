"""The risk signals page: automatic signals with their origin, signals added and withdrawn by
hand, and earlier open signals handled, monitored or cleared with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit
from visit_pages_support import DemoVisit, start_demo_visit, type_into, wait_for_saves

from inspector_app.domain.enums import (
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalStatus,
)
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.signals_page import SignalsPage
from inspector_app.gui.editor.signals_tree import Col
from inspector_app.store.models import RiskSignal


@pytest.fixture
def visit(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoVisit]:
    """A borrower whose earlier visits left a signal open."""
    yield from start_demo_visit(tmp_path, tmp_path_factory, with_open_signal=True)


@pytest.fixture
def ctx(visit: DemoVisit) -> Iterator[VisitContext]:
    context = visit.context()
    yield context
    context.wait_for_saves()


@pytest.fixture
def page(qtbot: QtBot, ctx: VisitContext) -> SignalsPage:
    widget = SignalsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 680)
    widget.show()
    qtbot.waitUntil(lambda: not widget.busy and widget.rows != [])
    return widget


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    combo.setFocus()
    target = [combo.itemText(i) for i in range(combo.count())].index(text)
    while combo.currentIndex() != target:
        down = target > combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)


def reload(qtbot: QtBot, page: SignalsPage) -> None:
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy)


def select_row(qtbot: QtBot, page: SignalsPage, this_visit: bool, index: int = 0) -> None:
    group = page.this_visit_group if this_visit else page.earlier_group
    item = group.child(index)
    rect = page.tree.visualItemRect(item)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = page.selected()
    assert selected is not None and selected.id == item.data(0, Qt.ItemDataRole.UserRole)


def test_earlier_open_signals_are_listed_apart_with_severity_in_words(
    page: SignalsPage, visit: DemoVisit
) -> None:
    assert page.group_texts(this_visit=True) == []
    earlier = page.group_texts(this_visit=False)
    assert earlier, "the borrower has a signal open from an earlier visit"
    assert earlier[0][Col.SEVERITY] in {s.en for s in Severity}
    assert "earlier visit" in earlier[0][Col.ORIGIN]
    assert page.earlier_group.text(0) == f"Still open from earlier visits ({len(earlier)})"
    # Severity is a colour and a word: the word is in the cell, the colour on its text.
    item = page.earlier_group.child(0)
    assert item.foreground(Col.SEVERITY).color().name() != "#000000"


def test_an_automatic_signal_says_where_it_came_from(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    # Recorded on the collateral page: the editor's writer announces it, the page reloads.
    ctx.save(lambda: visit.store.observe_collateral(
        visit.visit_id, visit.officer, visit.stock_id, status=CollateralStatus.SEIZED))
    wait_for_saves(qtbot, ctx)
    reload(qtbot, page)
    [line] = page.group_texts(this_visit=True)
    assert visit.stock_description in line[Col.ORIGIN]
    select_row(qtbot, page, this_visit=True)
    assert not page.remove_button.isEnabled()  # an automatic signal follows its cause
    assert not any(b.isEnabled() for b in page.step_buttons.values())
    assert page.steps_table.rowCount() == 1
    assert page.steps_table.item(0, 3).text() == "raised automatically"


def test_a_signal_added_by_hand_appears_and_can_be_withdrawn_and_restored(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.add_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no title yet
    assert dialog.isVisible() and dialog.error_label.text() == "Give the signal a title."

    choose(qtbot, dialog.category_combo, SignalCategory.EXTERNAL.en)
    choose(qtbot, dialog.severity_combo, Severity.ORANGE.en)
    type_into(qtbot, dialog.title_edit, "主要客户停产")
    type_into(qtbot, dialog.description_edit, "下游最大客户已停产两个月")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    wait_for_saves(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.busy and page.group_texts(this_visit=True) != [])

    [line] = page.group_texts(this_visit=True)
    assert (line[Col.SEVERITY], line[Col.TITLE], line[Col.CATEGORY], line[Col.ORIGIN]) == (
        "Orange", "主要客户停产", SignalCategory.EXTERNAL.en, "added by hand")
    select_row(qtbot, page, this_visit=True)
    assert "下游最大客户已停产两个月" in page.detail_text.text()
    assert page.remove_button.isEnabled()

    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.busy and page.group_texts(this_visit=True) == [])
    assert [s for s in visit.store.signals_of(visit.visit_id) if s.this_visit] == []

    ctx.undo_stack.undo()  # the withdrawal
    wait_for_saves(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.busy and page.group_texts(this_visit=True) != [])
    [restored] = [s for s in visit.store.signals_of(visit.visit_id) if s.this_visit]
    assert (restored.title, restored.severity) == ("主要客户停产", Severity.ORANGE)
    ctx.undo_stack.undo()  # the adding
    wait_for_saves(qtbot, ctx)
    assert [s for s in visit.store.signals_of(visit.visit_id) if s.this_visit] == []


def test_an_earlier_signal_is_handled_only_with_a_reason_and_the_step_is_listed(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    select_row(qtbot, page, this_visit=False)
    signal = page.selected()
    assert signal is not None and signal.status is not SignalStatus.CLEARED
    steps_before = page.steps_table.rowCount()
    assert steps_before == len(signal.steps) >= 1
    button = page.step_buttons[SignalStatus.CLEARED]
    assert button.isEnabled()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.reason_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.ok_button.isEnabled()  # a reason is required
    assert signal.title in dialog._prompt.text()
    type_into(qtbot, dialog.reason_edit, "已结清民间借贷，提供了还款凭证")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx)

    with visit.store.read() as s:
        stored = s.get_one(RiskSignal, signal.id)
        assert stored.status is SignalStatus.CLEARED
        assert (stored.steps[-1].reason, stored.steps[-1].user_id) == (
            "已结清民间借贷，提供了还款凭证", visit.officer.id)
    # A cleared signal is no longer open, so it leaves the list of earlier open signals.
    qtbot.waitUntil(lambda: not page.busy)
    assert all(r.id != signal.id for r in page.rows)


def test_monitoring_an_earlier_signal_records_who_when_why(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    select_row(qtbot, page, this_visit=False)
    signal = page.selected()
    step = SignalStatus.HANDLED if signal.status is SignalStatus.MONITORED \
        else SignalStatus.MONITORED
    qtbot.mouseClick(page.step_buttons[step], Qt.MouseButton.LeftButton)
    type_into(qtbot, page.reason_dialog.reason_edit, "每周电话跟进")
    qtbot.mouseClick(page.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.busy and page.selected() is not None
                    and page.selected().status is step)
    last = page.steps_table.rowCount() - 1
    assert page.steps_table.item(last, 1).text() == step.en
    assert page.steps_table.item(last, 2).text() == visit.officer.display_name
    assert page.steps_table.item(last, 3).text() == "每周电话跟进"


def test_cancelling_the_reason_changes_nothing(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    select_row(qtbot, page, this_visit=False)
    signal = page.selected()
    qtbot.mouseClick(page.step_buttons[SignalStatus.CLEARED], Qt.MouseButton.LeftButton)
    type_into(qtbot, page.reason_dialog.reason_edit, "不该提交")
    qtbot.keyClick(page.reason_dialog, Qt.Key.Key_Escape)
    assert not page.reason_dialog.isVisible()
    wait_for_saves(qtbot, ctx)
    [same] = [s for s in visit.store.signals_of(visit.visit_id) if s.id == signal.id]
    assert same.status is signal.status and len(same.steps) == len(signal.steps)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshots(
    qtbot: QtBot, page: SignalsPage, ctx: VisitContext, visit: DemoVisit, lang: str
) -> None:
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    ctx.save(lambda: visit.store.observe_collateral(
        visit.visit_id, visit.officer, visit.stock_id, status=CollateralStatus.NOT_FOUND))
    wait_for_saves(qtbot, ctx)
    reload(qtbot, page)
    select_row(qtbot, page, this_visit=False)
    zh = lang == "zh_CN"
    # Built in English, switched: headers, buttons and domain labels follow.
    assert page.tree.headerItem().text(Col.SEVERITY) == ("级别" if zh else "Severity")
    assert page.add_button.text() == ("添加预警信号(&A)…" if zh else "&Add signal…")
    assert page.group_texts(this_visit=True)[0][Col.SEVERITY] == ("红色" if zh else "Red")
    assert texts_fit(page) == []
    save(page, f"visit_signals_{lang}")
    page.add_dialog.ask()
    qtbot.waitExposed(page.add_dialog)
    assert texts_fit(page.add_dialog) == []
    save(page.add_dialog, f"visit_signals_add_{lang}")
    page.add_dialog.reject()
