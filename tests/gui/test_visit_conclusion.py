"""The conclusion page: recommendation with its reasons, an override only with a written
reason, measures, and a next inspection date the policy bounds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit
from visit_pages_support import DemoVisit, start_demo_visit, type_into, wait_for_saves

from inspector_app.domain.enums import Classification, CollateralStatus, Severity, SignalCategory
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.conclusion_page import ConclusionPage
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
def page(qtbot: QtBot, ctx: VisitContext) -> ConclusionPage:
    widget = ConclusionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 680)
    widget.show()
    qtbot.waitUntil(lambda: widget.state is not None and not widget.busy)
    return widget


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick with the keyboard: arrow keys to the item, which is 'activated' as the user picks."""
    combo.setFocus()
    target = [combo.itemText(i) for i in range(combo.count())].index(text)
    while combo.currentIndex() != target:
        down = target > combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)


def test_the_recommendation_shows_with_its_reasons_and_is_the_default(
    page: ConclusionPage
) -> None:
    assert page.current_label.text() == Classification.NORMAL.en
    assert page.recommended_label.text() == f"<b>{Classification.NORMAL.en}</b>"
    assert "No classification rule applies" in page.reasons_label.text()
    assert page.final_combo.currentText() == Classification.NORMAL.en
    assert not page.reason_edit.isVisible()


def test_an_override_without_a_reason_is_refused_and_with_one_is_stored(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    choose(qtbot, page.final_combo, Classification.SUBSTANDARD.en)
    assert page.reason_edit.isVisible()  # the reason appears, and is now required
    assert "required" in page._captions["reason"].text()
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: page.message.isVisible())
    assert "needs a written reason" in page.message.text()
    assert visit.store.conclusion_of(visit.visit_id).final is None
    # The choice stays on screen, waiting for its reason, even after the page reloads.
    qtbot.waitUntil(lambda: not page.busy)
    assert page.final_combo.currentText() == Classification.SUBSTANDARD.en

    type_into(qtbot, page.reason_edit, "主要客户停产，现金流明显不足")
    wait_for_saves(qtbot, ctx, page)
    state = visit.store.conclusion_of(visit.visit_id)
    assert state.final is Classification.SUBSTANDARD
    assert state.override_reason == "主要客户停产，现金流明显不足"
    qtbot.waitUntil(lambda: not page.busy and not page.message.isVisible())


def test_choosing_the_recommendation_needs_no_reason(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    choose(qtbot, page.final_combo, Classification.SPECIAL_MENTION.en)
    choose(qtbot, page.final_combo, Classification.NORMAL.en)
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).final is Classification.NORMAL
    qtbot.waitUntil(lambda: not page.busy)
    assert not page.reason_edit.isVisible()


def test_measures_typed_are_stored_and_undone_as_one_step(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    type_into(qtbot, page.measures_edit, "加强贷后监控")
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).measures == "加强贷后监控"
    type_into(qtbot, page.measures_edit, "，每月检查")
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).measures == "加强贷后监控，每月检查"

    # Typing in one field, with no other edit between, is one step of undo.
    ctx.undo_stack.undo()
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).measures == ""
    qtbot.waitUntil(lambda: not page.busy)
    assert page.measures_edit.toPlainText() == ""
    ctx.undo_stack.redo()
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).measures == "加强贷后监控，每月检查"
    qtbot.waitUntil(lambda: not page.busy)
    assert page.measures_edit.toPlainText() == "加强贷后监控，每月检查"


def test_the_next_date_can_only_be_set_within_the_policy_range(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    low, high = page.state.next_due_range
    assert f"{low.isoformat()} to {high.isoformat()}" in page.range_label.text()
    assert page.date_edit.date().toPython() == high  # the policy's suggestion
    assert page.use_suggested_button.isVisible()

    # Type a date a year beyond what the policy allows: the field does not take it.
    page.date_edit.setFocus()
    page.date_edit.setSelectedSection(page.date_edit.Section.YearSection)
    qtbot.keyClicks(page.date_edit, str(high.year + 1))
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Return)
    assert low <= page.date_edit.date().toPython() <= high
    page.date_edit.setDate(QDate(high + timedelta(days=30)))  # even set directly, it clamps
    assert page.date_edit.date().toPython() == high

    # Step one day back with the keyboard: stored.
    page.date_edit.setSelectedSection(page.date_edit.Section.DaySection)
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Return)
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).next_due_on == high - timedelta(days=1)
    qtbot.waitUntil(lambda: not page.busy and not page.use_suggested_button.isVisible())


def test_the_suggested_date_is_taken_with_one_click(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    qtbot.mouseClick(page.use_suggested_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx, page)
    state = visit.store.conclusion_of(visit.visit_id)
    assert state.next_due_on == state.next_due_range[1]


def test_the_recommendation_follows_findings_saved_on_other_pages(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    ctx.save(lambda: visit.store.observe_collateral(
        visit.visit_id, visit.officer, visit.stock_id, status=CollateralStatus.NOT_FOUND),
        what=f"collateral:{visit.stock_id}")
    worse = {f"<b>{c.en}</b>" for c in Classification
             if c.rank >= Classification.SPECIAL_MENTION.rank}
    qtbot.waitUntil(lambda: page.recommended_label.text() in worse)
    assert "not found" in page.rules_view.rules_label.text()
    assert page.reasons_label.text() == "Recommended downgrade from Normal to Substandard"
    # With no choice of their own, the officer's classification follows the recommendation.
    assert f"<b>{page.final_combo.currentText()}</b>" == page.recommended_label.text()
    # The policy's range follows the worse classification (a shorter interval).
    state = visit.store.conclusion_of(visit.visit_id)
    assert page.date_edit.maximumDate().toPython() == state.next_due_range[1]


def test_the_rules_that_fired_are_listed_with_source_and_the_deciding_one(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    """Issue #14 item 3: every rule that fired, with its source; the one that decided marked."""
    assert page.rules_view.heading.text() == "No classification rule fired."
    assert not page.rules_view.rules_label.isVisible()
    # The legal representative sentenced (the 硕发 case), typed on the checklist page.
    ctx.save(lambda: visit.store.set_answer(visit.visit_id, visit.officer, "R-CHR-02",
                                            "detained", note="法定代表人被判刑"),
             what="item:R-CHR-02")
    qtbot.waitUntil(lambda: page.recommended_label.text() == "<b>Substandard</b>")
    view = page.rules_view
    assert view.heading.text() == "Rules that fired (★ decided the recommendation):"
    html = view.rules_label.text()
    deciding, other = html.split("</p>")[:2]
    assert "<b>★ Item R-CHR-02" in deciding and "Detained or sentenced" in deciding
    assert "⇒ at least Substandard</b>" in deciding
    assert "Source: Bank policy: The legal representative jailed" in deciding
    assert "Shuofa" in deciding
    # The red signal the answer raised fired the signal rule too: listed, not deciding.
    assert "1 orange-or-worse warning signal ⇒ at least Special mention" in other
    assert "★" not in other and "Source: Bank policy:" in other
    assert not view.override_label.isVisible()


def test_an_override_names_the_rule_it_sets_aside(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    ctx.save(lambda: visit.store.set_answer(visit.visit_id, visit.officer, "R-CHR-02",
                                            "deceased", note="法定代表人意外身亡"),
             what="item:R-CHR-02")
    qtbot.waitUntil(lambda: page.recommended_label.text() == "<b>Substandard</b>")
    choose(qtbot, page.final_combo, Classification.SPECIAL_MENTION.en)
    view = page.rules_view
    assert view.override_label.isVisible()
    assert view.override_label.text().startswith("Sets aside: Item R-CHR-02")
    assert view.override_label.text().endswith("answered: Deceased ⇒ at least Substandard")
    assert "(set aside)" in view.rules_label.text().split("</p>")[0]
    type_into(qtbot, page.reason_edit, "新任法定代表人已到任，经营正常")
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).final is Classification.SPECIAL_MENTION
    qtbot.waitUntil(lambda: not page.busy)
    assert view.override_label.isVisible()  # still named once stored
    # Stricter than the recommendation sets nothing aside.
    choose(qtbot, page.final_combo, Classification.DOUBTFUL.en)
    assert not view.override_label.isVisible()
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: not page.busy)


def test_a_date_the_policy_no_longer_allows_is_pointed_out(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    latest = page.state.next_due_range[1]  # allowed while the loan is normal
    visit.store.set_conclusion(visit.visit_id, visit.officer, next_due_on=latest)
    # Then the stock is not found: a worse classification, a shorter interval.
    ctx.save(lambda: visit.store.observe_collateral(
        visit.visit_id, visit.officer, visit.stock_id, status=CollateralStatus.NOT_FOUND),
        what="collateral")
    qtbot.waitUntil(lambda: page.state.next_due_range[1] < latest and not page.busy)
    assert f"The date set, {latest.isoformat()}, is outside this range now" \
        in page.range_label.text()
    assert page.date_edit.date().toPython() == page.state.next_due_range[1]


def test_focus_targets(page: ConclusionPage) -> None:
    assert page.focus_target("conclusion:override_reason")
    assert page.reason_edit.isVisible()
    assert page.focus_target("conclusion:next_due_on")
    assert page.focus_target("conclusion:measures")
    assert not page.focus_target("collateral:x")


def test_read_only_shows_and_changes_nothing(page: ConclusionPage) -> None:
    page.set_read_only(True)
    for widget in (page.final_combo, page.reason_edit, page.measures_edit, page.date_edit):
        assert not widget.isEnabled()
    assert page.recommended_label.text()  # still shown


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshots(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit, lang: str
) -> None:
    use_bundled_font(QApplication.instance())
    i18n.install(lang)
    ctx.save(lambda: visit.store.observe_collateral(
        visit.visit_id, visit.officer, visit.stock_id, status=CollateralStatus.NOT_FOUND),
        what="collateral")
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: not page.busy)
    choose(qtbot, page.final_combo, Classification.LOSS.label("en" if lang == "en" else "zh"))
    wait_for_saves(qtbot, ctx, page)
    qtbot.waitUntil(lambda: not page.busy and page.message.isVisible())
    zh = lang == "zh_CN"
    assert page.use_suggested_button.text() == ("采用建议日期(&U)" if zh
                                                else "&Use the suggested date")
    assert ("须填写书面理由" if zh else "needs a written reason") in page.message.text()
    assert texts_fit(page) == []
    save(page, f"visit_conclusion_{lang}")


def test_a_red_signal_brings_the_latest_date_in_and_says_why(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    visit_date = visit.store.visit_header(visit.visit_id).visit_date
    routine = page.date_edit.maximumDate().toPython()
    assert routine == visit_date + timedelta(days=90)  # a normal loan: the routine interval

    ctx.save(lambda: visit.store.create_manual_signal(
        visit.visit_id, visit.officer, category=SignalCategory.BEHAVIOUR,
        severity=Severity.RED, title="借款人转移资产"), what="signals")
    latest = visit_date + timedelta(days=7)
    # Not the 30 days of the special mention a red signal recommends: its 7-day pull-in.
    qtbot.waitUntil(lambda: not page.busy and page.state.recommendation.classification
                    is Classification.SPECIAL_MENTION)
    assert page.date_edit.maximumDate().toPython() == latest
    assert f"to {latest.isoformat()}" in page.range_label.text()
    assert "Red warning signal raised" in page.due_reason_label.text()
    assert "within 7 days" in page.due_reason_label.text()

    # A later date cannot be typed; the suggested one is the signal's date.
    page.date_edit.setFocus()
    page.date_edit.setSelectedSection(page.date_edit.Section.MonthSection)
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Up)
    assert page.date_edit.date().toPython() <= latest
    qtbot.mouseClick(page.use_suggested_button, Qt.MouseButton.LeftButton)
    wait_for_saves(qtbot, ctx, page)
    assert visit.store.conclusion_of(visit.visit_id).next_due_on == latest


def test_an_event_signal_proposes_a_special_inspection_on_the_page(
    qtbot: QtBot, page: ConclusionPage, ctx: VisitContext, visit: DemoVisit
) -> None:
    ctx.save(lambda: visit.store.create_manual_signal(
        visit.visit_id, visit.officer, category=SignalCategory.GOVERNANCE,
        severity=Severity.ORANGE, title="法定代表人被刑事拘留", event=True), what="signals")
    qtbot.waitUntil(lambda: "Special inspection" in page.due_reason_label.text())
    assert "special inspection proposed within 15 days" in page.due_reason_label.text()
    assert "法定代表人被刑事拘留" in page.due_reason_label.text()
