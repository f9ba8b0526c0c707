"""The collateral page, driven as the officer drives it: keyboard and mouse on real widgets."""

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
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalSource,
)
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.collateral_page import CollateralPage, Column
from inspector_app.gui.editor.conclusion_page import ConclusionPage
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.signals_page import SignalsPage


@pytest.fixture
def demo_visit(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoVisit]:
    yield from start_demo_visit(tmp_path, tmp_path_factory)


@pytest.fixture
def ctx(demo_visit: DemoVisit) -> Iterator[VisitContext]:
    context = demo_visit.context()
    yield context
    context.wait_for_saves()


@pytest.fixture
def page(qtbot: QtBot, ctx: VisitContext) -> CollateralPage:
    widget = CollateralPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitUntil(lambda: not widget.busy and widget.rows != [])
    return widget


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an item of a closed combo box with the arrow keys, as from the keyboard."""
    combo.setFocus()
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert text in texts, f"{text!r} not among {texts}"
    for _ in range(combo.count() + 1):
        if combo.currentText() == text:
            return
        down = texts.index(text) > combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    raise AssertionError(f"could not reach {text!r}")


def open_item(qtbot: QtBot, page: CollateralPage, item_id: str) -> None:
    assert page.focus_target(f"collateral:{item_id}")
    assert page.selected_id() == item_id
    assert page.editor.row is not None and page.editor.row.item_id == item_id


def observation(visit: DemoVisit, item_id: str):
    return next(r for r in visit.store.collateral_of(visit.visit_id) if r.item_id == item_id)


def test_the_register_lists_the_borrowers_collateral_not_yet_recorded(
    page: CollateralPage, demo_visit: DemoVisit
) -> None:
    r = page.row_of(demo_visit.stock_id)
    texts = page.row_texts(r)
    assert texts[Column.KIND] == CollateralKind.WAREHOUSE_STOCK.en
    assert texts[Column.DESCRIPTION] == demo_visit.stock_description
    assert texts[Column.STATUS] == "not yet recorded"
    assert texts[Column.APPRAISED].startswith("CNY ")
    assert not page.focus_target("conclusion:measures")


def test_stock_not_found_raises_a_red_signal_and_the_recommendation_worsens(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    conclusion = ConclusionPage(ctx)
    qtbot.addWidget(conclusion)
    qtbot.waitUntil(lambda: conclusion.state is not None)
    assert conclusion.recommended_label.text() == f"<b>{Classification.NORMAL.en}</b>"
    open_item(qtbot, page, demo_visit.stock_id)
    # Only the status can be set until something was found.
    assert not page.editor.estimate_edit.isEnabled()

    choose(qtbot, page.editor.status_combo, CollateralStatus.NOT_FOUND.en)
    wait_for_saves(qtbot, ctx, page)

    assert observation(demo_visit, demo_visit.stock_id).observation.status \
        is CollateralStatus.NOT_FOUND
    qtbot.waitUntil(lambda: not page.busy)
    assert page.row_texts(page.row_of(demo_visit.stock_id))[Column.STATUS] == "Not found"
    signals = SignalsPage(ctx)
    qtbot.addWidget(signals)
    qtbot.waitUntil(lambda: not signals.busy and signals.rows != [])
    [line] = signals.group_texts(this_visit=True)
    assert line[0] == Severity.RED.en
    assert demo_visit.stock_description in line[3]  # where it came from
    # The conclusion page reads itself again after the save on the collateral page.
    worse = {c.en for c in Classification if c.rank >= Classification.SPECIAL_MENTION.rank}
    qtbot.waitUntil(
        lambda: conclusion.recommended_label.text().removeprefix("<b>").removesuffix("</b>")
        in worse
    )
    assert "not found" in conclusion.rules_view.rules_label.text()


def test_letters_in_the_estimate_give_a_message_and_store_nothing(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    open_item(qtbot, page, demo_visit.stock_id)
    choose(qtbot, page.editor.status_combo, CollateralStatus.PRESENT.en)
    wait_for_saves(qtbot, ctx, page)
    qtbot.keyClicks(page.editor.estimate_edit, "about four million")
    qtbot.keyClick(page.editor.estimate_edit, Qt.Key.Key_Return)

    assert page.editor.estimate_error.isVisible()
    assert "must be a number" in page.editor.estimate_error.text()
    wait_for_saves(qtbot, ctx, page)
    stored = observation(demo_visit, demo_visit.stock_id).observation
    assert stored.status is CollateralStatus.PRESENT and stored.estimated_value_fen is None
    assert page.editor.estimate_edit.text() == "about four million"  # kept, to be corrected

    page.editor.estimate_edit.clear()
    type_into(qtbot, page.editor.estimate_edit, "400万")
    qtbot.keyClick(page.editor.estimate_edit, Qt.Key.Key_Return)
    assert not page.editor.estimate_error.isVisible()
    wait_for_saves(qtbot, ctx, page)
    assert observation(demo_visit, demo_visit.stock_id).observation.estimated_value_fen \
        == 4_000_000_00


def test_an_estimate_30_percent_below_appraisal_shows_the_fall_and_raises_a_signal(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    open_item(qtbot, page, demo_visit.stock_id)
    appraised = page.editor.row.appraised_value_fen
    choose(qtbot, page.editor.status_combo, CollateralStatus.PRESENT.en)
    estimate = appraised * 7 // 10
    qtbot.keyClicks(page.editor.estimate_edit, str(estimate // 100))

    # Shown while typing, before anything is stored.
    assert "−30.0%" in page.editor.change_label.text()
    assert "#b71c1c" in page.editor.change_label.text()  # the fall in red
    assert page.editor.threshold_warning.isVisible()
    assert "20%" in page.editor.threshold_warning.text()
    qtbot.keyClick(page.editor.estimate_edit, Qt.Key.Key_Tab)
    wait_for_saves(qtbot, ctx, page)

    row = observation(demo_visit, demo_visit.stock_id)
    assert row.observation.estimated_value_fen == estimate
    assert str(row.observation.change_percent) == "-30.0"
    [signal] = [s for s in demo_visit.store.signals_of(demo_visit.visit_id) if s.this_visit]
    assert signal.source is SignalSource.COLLATERAL and signal.source_ref == demo_visit.stock_id
    qtbot.waitUntil(lambda: not page.busy)
    assert page.row_texts(page.row_of(demo_visit.stock_id))[Column.CHANGE] == "−30.0%"


def test_a_fall_within_the_threshold_raises_nothing(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    open_item(qtbot, page, demo_visit.stock_id)
    appraised = page.editor.row.appraised_value_fen
    choose(qtbot, page.editor.status_combo, CollateralStatus.PRESENT.en)
    qtbot.keyClicks(page.editor.estimate_edit, str(appraised * 9 // 10 // 100))
    qtbot.keyClick(page.editor.estimate_edit, Qt.Key.Key_Return)
    assert "−10.0%" in page.editor.change_label.text()
    assert not page.editor.threshold_warning.isVisible()
    wait_for_saves(qtbot, ctx, page)
    assert [s for s in demo_visit.store.signals_of(demo_visit.visit_id) if s.this_visit] == []


def test_every_field_is_stored_and_undo_takes_an_edit_back(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    editor = page.editor
    open_item(qtbot, page, demo_visit.stock_id)
    choose(qtbot, editor.status_combo, CollateralStatus.DAMAGED.en)
    type_into(qtbot, editor.condition_edit, "部分受潮")
    qtbot.keyClick(editor.condition_edit, Qt.Key.Key_Tab)
    editor.location_check.setFocus()
    qtbot.keyClick(editor.location_check, Qt.Key.Key_Space)
    choose(qtbot, editor.insurance_combo, "No")
    choose(qtbot, editor.certificate_combo, "Yes")
    type_into(qtbot, editor.note_edit, "库管员在场")
    editor.flush()
    wait_for_saves(qtbot, ctx, page)

    stored = observation(demo_visit, demo_visit.stock_id).observation
    assert (stored.status, stored.condition, stored.location_checked, stored.insurance_valid,
            stored.certificate_held, stored.note) == (
        CollateralStatus.DAMAGED, "部分受潮", True, False, True, "库管员在场")

    ctx.undo_stack.undo()  # the note
    ctx.undo_stack.undo()  # the certificate
    wait_for_saves(qtbot, ctx, page)
    stored = observation(demo_visit, demo_visit.stock_id).observation
    assert stored.note == "" and stored.certificate_held is None
    assert editor.note_edit.toPlainText() == "" and editor.certificate_combo.currentText() \
        == "Not checked"
    ctx.undo_stack.redo()
    wait_for_saves(qtbot, ctx, page)
    assert observation(demo_visit, demo_visit.stock_id).observation.certificate_held is True


def test_an_item_found_on_site_is_added_with_its_estimate(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext
) -> None:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.found_dialog
    qtbot.waitUntil(dialog.isVisible)
    choose(qtbot, dialog.kind_combo, CollateralKind.EQUIPMENT.en)
    type_into(qtbot, dialog.description_edit, "叉车两台")
    type_into(qtbot, dialog.location_edit, "2号仓库")
    qtbot.keyClicks(dialog.value_edit, "twelve")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "must be a number" in dialog.error_label.text()

    dialog.value_edit.clear()
    type_into(qtbot, dialog.value_edit, "12万")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: not page.busy and any(r.found_on_site for r in page.rows))
    [found] = [r for r in page.rows if r.found_on_site]
    assert (found.kind, found.description, found.location) == (
        CollateralKind.EQUIPMENT, "叉车两台", "2号仓库")
    assert found.observation is not None and found.observation.estimated_value_fen == 12_000_000
    assert page.selected_id() == found.item_id  # the new item is selected
    assert "(found on site)" in page.editor.heading.text()


def test_read_only_keeps_the_register_browsable_and_unchangeable(
    qtbot: QtBot, page: CollateralPage, demo_visit: DemoVisit
) -> None:
    page.set_read_only(True)
    open_item(qtbot, page, demo_visit.stock_id)
    assert not page.editor.status_combo.isEnabled()
    assert not page.add_button.isEnabled()
    page.refresh()  # a reload does not make it editable again
    qtbot.waitUntil(lambda: not page.busy)
    assert not page.editor.status_combo.isEnabled()


def test_stock_found_short_records_the_quantities_and_raises_one_signal(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit
) -> None:
    open_item(qtbot, page, demo_visit.stock_id)
    choose(qtbot, page.editor.status_combo, CollateralStatus.MOVED.en)
    wait_for_saves(qtbot, ctx, page)
    fields = page.editor.quantity
    assert fields.isEnabled()
    # Letters where the count goes: a message under the fields, nothing stored.
    fields.found_edit.setFocus()
    qtbot.keyClicks(fields.found_edit, "8OO")
    qtbot.keyClick(fields.found_edit, Qt.Key.Key_Tab)
    assert fields.error_label.isVisible() and "Not saved" in fields.error_label.text()
    fields.found_edit.clear()

    fields.found_edit.setFocus()
    qtbot.keyClicks(fields.found_edit, "800")
    qtbot.keyClicks(fields.registered_edit, "2,459")
    qtbot.keyClicks(fields.unit_edit, "t")
    # Shown while typing, before anything is stored.
    assert "Short by 67.5% (800 / 2,459 t)" in fields.shortfall_label.text()
    assert fields.warning_label.isVisible()
    assert "50% threshold: this item's warning signal is red" in fields.warning_label.text()
    qtbot.keyClick(fields.unit_edit, Qt.Key.Key_Tab)
    wait_for_saves(qtbot, ctx, page)
    assert not fields.error_label.isVisible()

    row = observation(demo_visit, demo_visit.stock_id).observation
    assert (row.registered_quantity_milli, row.found_quantity_milli, row.quantity_unit) == (
        2_459_000, 800_000, "t")
    # Moved (orange) and 67.5% short (red): one item, one signal, red.
    [signal] = [s for s in demo_visit.store.signals_of(demo_visit.visit_id) if s.this_visit]
    assert signal.severity is Severity.RED and signal.source_ref == demo_visit.stock_id
    assert "67.5% short" in signal.title_en
    qtbot.waitUntil(lambda: not page.busy)
    assert "short 67.5%" in page.row_texts(page.row_of(demo_visit.stock_id))[Column.CHANGE]

    # Undo takes the quantities back as one step.
    ctx.undo_stack.undo()
    wait_for_saves(qtbot, ctx, page)
    row = observation(demo_visit, demo_visit.stock_id).observation
    assert (row.registered_quantity_milli, row.found_quantity_milli) == (None, None)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshots(
    qtbot: QtBot, page: CollateralPage, ctx: VisitContext, demo_visit: DemoVisit, lang: str
) -> None:
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    open_item(qtbot, page, demo_visit.stock_id)
    choose(qtbot, page.editor.status_combo, CollateralStatus.NOT_FOUND.label(
        "en" if lang == "en" else "zh"))
    qtbot.keyClicks(page.editor.estimate_edit, str(page.editor.row.appraised_value_fen // 200))
    qtbot.keyClick(page.editor.estimate_edit, Qt.Key.Key_Return)
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: not page.busy)
    zh = lang == "zh_CN"
    assert page.table.horizontalHeaderItem(Column.CHANGE).text() == ("变动" if zh else "Change")
    assert page.row_texts(page.row_of(demo_visit.stock_id))[Column.STATUS] == (
        "未找到" if zh else "Not found")
    assert page.editor.threshold_warning.isVisible()
    assert texts_fit(page) == []
    save(page, f"visit_collateral_{lang}")
    page.found_dialog.ask()
    qtbot.waitExposed(page.found_dialog)
    assert texts_fit(page.found_dialog) == []
    save(page.found_dialog, f"visit_collateral_found_{lang}")
    page.found_dialog.reject()
