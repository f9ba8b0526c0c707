"""Starting a visit: kind, the templates chosen automatically and changed by the officer,
place, people met, date and time; or continuing the borrower's draft."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from brief_support import ADDRESS, fill_borrower_file
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit

from inspector_app.domain.enums import VisitKind
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.worklist.start_visit_dialog import StartVisitDialog
from inspector_app.store.models import Visit

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio


def open_dialog(qtbot: QtBot, portfolio: Portfolio, borrower_id: str) -> StartVisitDialog:
    dialog = StartVisitDialog(portfolio.store, portfolio.officer, borrower_id,
                              today=portfolio.today)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.choices is not None)
    return dialog


def choose(qtbot: QtBot, combo: QComboBox, text_part: str) -> None:
    """Pick the entry containing text_part with the keyboard, as an officer would."""
    combo.setFocus()
    target = next(n for n in range(combo.count()) if text_part in combo.itemText(n))
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def ime_commit(widget: QWidget, text: str) -> None:
    """Type text as a Chinese input method does (QTest.keyClicks handles ASCII only)."""
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


def supplements(dialog: StartVisitDialog) -> dict[str, bool]:
    """Each supplement's label and whether it is ticked, as the list shows them."""
    items = [dialog.supplement_list.item(n) for n in range(dialog.supplement_list.count())]
    return {i.text(): i.checkState() == Qt.CheckState.Checked for i in items}


def ticked(dialog: StartVisitDialog) -> list[str]:
    return [text for text, on in supplements(dialog).items() if on]


def toggle(qtbot: QtBot, dialog: StartVisitDialog, text_part: str) -> None:
    """Select the supplement and press Space, which ticks or unticks it."""
    view = dialog.supplement_list
    row = next(n for n in range(view.count()) if text_part in view.item(n).text())
    view.setFocus()
    view.setCurrentRow(row)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Space)


def test_kind_changes_the_templates_and_the_officer_can_change_them(
    qtbot: QtBot, portfolio: Portfolio
) -> None:
    borrower_id = fill_borrower_file(portfolio.store, portfolio.officer)  # manufacturing
    i18n.install("zh_CN")
    dialog = open_dialog(qtbot, portfolio, borrower_id)

    # The borrower's next inspection is a special one: its base is the routine checklist,
    # plus the fixed-asset loan's and the industry's supplements.
    assert dialog.kind_combo.currentText() == "专项检查"
    assert dialog.base_combo.currentText() == "常规贷后检查"
    assert ticked(dialog) == ["固定资产贷款补充检查",
                              "制造业补充检查"]
    assert dialog.choice_note.text() == "已根据贷款种类和行业自动选择。"
    assert dialog.place_edit.text() == ADDRESS
    assert dialog.date_edit.date() == QDate(portfolio.today())

    choose(qtbot, dialog.kind_combo, "首次检查")
    assert dialog.base_combo.currentText() == "首次贷后检查"
    assert dialog.template_refs() == ["first@2", "fixed_asset@1", "fund_flow@1",
                                       "industry.manufacturing@1"]

    toggle(qtbot, dialog, "制造业补充检查")
    toggle(qtbot, dialog, "房地产业补充检查")
    assert dialog.template_refs() == ["first@2", "fixed_asset@1", "fund_flow@1",
                                       "industry.real_estate@1"]
    assert dialog.choice_note.text() == "已由您调整。"
    assert dialog.automatic_button.isEnabled()

    qtbot.mouseClick(dialog.automatic_button, Qt.MouseButton.LeftButton)
    assert dialog.template_refs() == ["first@2", "fixed_asset@1", "fund_flow@1",
                                       "industry.manufacturing@1"]
    assert not dialog.automatic_button.isEnabled()

    choose(qtbot, dialog.base_combo, "常规贷后检查")  # a different base, on purpose
    toggle(qtbot, dialog, "固定资产贷款补充检查")
    dialog.people_edit.setFocus()
    ime_commit(dialog.people_edit, "法定代表人赵刚、财务经理李梅")
    dialog.time_edit.setFocus()
    dialog.time_edit.setTime(QTime(9, 30))

    with qtbot.waitSignal(dialog.visit_started, timeout=10_000) as started:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    with portfolio.store.read() as s:
        visit = s.get_one(Visit, started.args[0])
        assert visit.kind is VisitKind.FIRST
        # A first visit keeps its fund-flow supplement whatever base the officer chose.
        assert visit.template_refs == ["routine@3", "fund_flow@1", "industry.manufacturing@1"]
        assert visit.place == ADDRESS
        assert visit.people_met == "法定代表人赵刚、财务经理李梅"
        assert visit.visit_date == portfolio.today()
        local = datetime.combine(portfolio.today(), datetime.min.time().replace(hour=9, minute=30))
        assert visit.started_at == local.astimezone().astimezone(UTC)
    assert dialog.result() == StartVisitDialog.DialogCode.Accepted


def test_a_draft_is_offered_and_continued(qtbot: QtBot, portfolio: Portfolio) -> None:
    borrower_id = fill_borrower_file(portfolio.store, portfolio.officer)
    draft = portfolio.store.start_visit(borrower_id, portfolio.officer, VisitKind.ROUTINE,
                                        visit_date=date(2025, 3, 8))
    i18n.install("zh_CN")
    dialog = open_dialog(qtbot, portfolio, borrower_id)

    assert dialog.draft_frame.isVisible()
    assert dialog.draft_label.text() == (
        "2025-03-08 的常规检查尚未完成（已填 0 项）。是否继续该草稿，而不是另行开始？")
    with qtbot.waitSignal(dialog.visit_started) as started:
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert started.args == [draft.id]
    with portfolio.store.read() as s:
        assert s.query(Visit).filter_by(borrower_id=borrower_id).count() == 2  # none added


def test_no_draft_no_offer_and_english_labels(qtbot: QtBot, portfolio: Portfolio) -> None:
    borrower_id = fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("en")
    dialog = open_dialog(qtbot, portfolio, borrower_id)
    assert not dialog.draft_frame.isVisible()
    assert dialog.kind_combo.currentText() == "Special inspection"
    assert dialog.base_combo.currentText() == "Routine post-loan inspection"
    assert dialog.windowTitle() == "Start a visit — 华东精密机械有限公司"
    i18n.install("zh_CN")
    assert dialog.kind_combo.currentText() == "专项检查"
    assert dialog.start_button.text() == "开始检查(&S)"


def test_a_refused_start_shows_the_message_and_saves_nothing(
    qtbot: QtBot, portfolio: Portfolio, monkeypatch
) -> None:
    borrower_id = fill_borrower_file(portfolio.store, portfolio.officer)
    i18n.install("en")
    dialog = open_dialog(qtbot, portfolio, borrower_id)
    real = portfolio.store.start_visit

    def refusing(*args, **kwargs):
        return real(*args, **{**kwargs, "template_refs": ["routine@3", "first@2"]})

    monkeypatch.setattr(portfolio.store, "start_visit", refusing)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible())
    assert dialog.error_label.text().startswith("choose one base template and any supplements")
    assert dialog.start_button.isEnabled() and dialog.isVisible()
    with portfolio.store.read() as s:
        assert s.query(Visit).filter_by(borrower_id=borrower_id).count() == 1  # the old one


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_dialogs_show_every_text_whole(
    qtbot: QtBot, qapp, sign_in, portfolio: Portfolio, lang: str
) -> None:
    """The main window with its filters, the brief and the start dialog: nothing cut off,
    every character in the shipped font (screenshots with INSPECTOR_SCREENSHOTS set)."""
    use_bundled_font(qapp)
    borrower_id = fill_borrower_file(portfolio.store, portfolio.officer)
    portfolio.store.start_visit(borrower_id, portfolio.officer, VisitKind.ROUTINE,
                                visit_date=portfolio.today())  # the draft offer shows too
    i18n.install(lang)
    window = sign_in("wang")
    assert texts_fit(window) == []
    save(window, f"work_list_{lang}")
    brief = window.open_brief(borrower_id)
    qtbot.waitExposed(brief)
    qtbot.waitUntil(lambda: brief.brief is not None)
    assert texts_fit(brief) == []
    save(brief, f"brief_dialog_{lang}")
    start = brief.start_visit()
    qtbot.waitExposed(start)
    qtbot.waitUntil(lambda: start.choices is not None)
    assert start.draft_frame.isVisible()
    assert texts_fit(start) == []
    save(start, f"start_visit_{lang}")
    start.close()
    brief.close()
