"""The visit editor's store operations: automatic signals, collateral, conclusion, completion."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from visit_helpers import abnormal_answer, normal_answer

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitStatus,
)
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.domain.money import change_percent, format_fen, parse_yuan
from inspector_app.store.local import LocalStore, VisitLockedError
from inspector_app.store.models import CollateralItem, OutboxEntry, RiskSignal, Visit
from inspector_app.store.visit_editing import EditError


@pytest.fixture
def stock(store: LocalStore, portfolio: Any) -> str:
    """A pledge of warehouse stock (the 巨源油业 case: stock that was not there)."""
    with store.write() as s:
        item = CollateralItem(
            borrower_id=portfolio.borrower_id, kind=CollateralKind.WAREHOUSE_STOCK,
            description="仓库库存大豆油 500 吨", location="3号仓库",
            appraised_value_fen=4_000_000_00, pledged_value_fen=2_800_000_00,
        )
        s.add(item)
    return item.id


def _signalled_item(store: LocalStore, visit_id: str):
    return next(
        i for i in store.visit_checklist(visit_id).items()
        if i.signal is not None and abnormal_answer(i) is not None
    )


def _answer_all_normally(store: LocalStore, p: Any) -> None:
    for item in store.visit_checklist(p.visit_id).items():
        store.set_answer(p.visit_id, p.officer, item.code, normal_answer(item))


def test_an_abnormal_answer_raises_its_signal_and_correcting_it_withdraws_it(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    item = _signalled_item(store, p.visit_id)
    store.set_answer(p.visit_id, p.officer, item.code, abnormal_answer(item))

    [signal] = [r for r in store.signals_of(p.visit_id) if r.this_visit]
    assert signal.automatic and signal.source is SignalSource.CHECKLIST
    assert signal.source_ref == item.code and signal.title == item.signal.title.zh
    assert signal.title_in("en") == item.signal.title.en
    assert item.question.zh in signal.origin_zh and item.code not in signal.origin_zh
    assert signal.steps[0].step is SignalStatus.RAISED

    store.set_answer(p.visit_id, p.officer, item.code, normal_answer(item))
    assert [r for r in store.signals_of(p.visit_id) if r.this_visit] == []


def test_stock_not_found_raises_a_red_signal_and_a_worse_recommendation(
    store: LocalStore, portfolio: Any, stock: str
) -> None:
    p = portfolio
    assert store.conclusion_of(p.visit_id).recommendation.classification is Classification.NORMAL
    store.observe_collateral(p.visit_id, p.officer, stock, status=CollateralStatus.NOT_FOUND,
                             location_checked=True)

    [signal] = [r for r in store.signals_of(p.visit_id) if r.this_visit]
    assert signal.severity is Severity.RED and signal.category is SignalCategory.COLLATERAL
    assert "仓库库存大豆油" in signal.origin_zh
    rec = store.conclusion_of(p.visit_id).recommendation
    assert rec.classification.rank >= Classification.SPECIAL_MENTION.rank
    assert any("未找到" in r or "not found" in e.lower() for r, e in zip(rec.reasons,
                                                                       rec.reasons_en,
                                                                       strict=True))
    with store.read() as s:
        assert s.get_one(Visit, p.visit_id).recommended_classification is rec.classification
        # The edit queued the visit for sync in the same transaction.
        assert s.scalar(select(OutboxEntry).where(OutboxEntry.ref == p.visit_id)) is not None


def test_a_fall_in_value_beyond_the_threshold_raises_a_signal(
    store: LocalStore, portfolio: Any, stock: str
) -> None:
    p = portfolio
    store.observe_collateral(p.visit_id, p.officer, stock, status=CollateralStatus.PRESENT,
                             estimated_value_fen=3_400_000_00)  # -15%: within the threshold
    [row] = store.collateral_of(p.visit_id)
    assert row.observation is not None and str(row.observation.change_percent) == "-15.0"
    assert [r for r in store.signals_of(p.visit_id) if r.this_visit] == []

    store.observe_collateral(p.visit_id, p.officer, stock, status=CollateralStatus.PRESENT,
                             estimated_value_fen=2_800_000_00)  # -30%
    [signal] = [r for r in store.signals_of(p.visit_id) if r.this_visit]
    assert signal.source_ref == stock and signal.severity is Severity.ORANGE
    assert "30" in signal.title


def test_an_item_found_on_site_joins_the_register_as_observed(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    with pytest.raises(EditError):
        store.add_found_collateral(p.visit_id, p.officer, kind=CollateralKind.EQUIPMENT,
                                   description="  ", estimated_value_fen=1)
    item_id = store.add_found_collateral(
        p.visit_id, p.officer, kind=CollateralKind.EQUIPMENT, description="数控机床 2 台",
        estimated_value_fen=300_000_00,
    )
    [row] = store.collateral_of(p.visit_id)
    assert row.item_id == item_id and row.found_on_site
    assert row.observation is not None and row.observation.status is CollateralStatus.PRESENT


def test_manual_signals_and_earlier_open_signals(store: LocalStore, portfolio: Any) -> None:
    p = portfolio
    with store.write() as s:
        s.add(RiskSignal(borrower_id=p.borrower_id, visit_id=None,
                         category=SignalCategory.FINANCIAL, severity=Severity.YELLOW,
                         source=SignalSource.OFFICER, title="应收账款增加",
                         raised_on=date(2026, 6, 1)))
    with pytest.raises(EditError):
        store.add_manual_signal(p.visit_id, p.officer, category=SignalCategory.EXTERNAL,
                                severity=Severity.RED, title="")
    mine = store.add_manual_signal(p.visit_id, p.officer, category=SignalCategory.EXTERNAL,
                                   severity=Severity.RED, title="法定代表人涉诉",
                                   description="法院公告")
    rows = store.signals_of(p.visit_id)
    assert [(r.title, r.this_visit, r.automatic) for r in rows] == [
        ("法定代表人涉诉", True, False), ("应收账款增加", False, False),
    ]
    rec = store.conclusion_of(p.visit_id).recommendation
    assert rec.classification is Classification.SPECIAL_MENTION  # one red signal
    earlier = rows[1].id
    with pytest.raises(EditError):
        store.remove_manual_signal(earlier, p.officer)
    store.advance_signal(earlier, p.officer, SignalStatus.MONITORED, "继续监测回款")
    store.remove_manual_signal(mine, p.officer)
    rows = store.signals_of(p.visit_id)
    assert [(r.title, r.status) for r in rows] == [("应收账款增加", SignalStatus.MONITORED)]
    assert rows[0].steps[-1].reason == "继续监测回款" and rows[0].steps[-1].user_name == "李明"
    assert store.conclusion_of(p.visit_id).recommendation.classification is (
        Classification.NORMAL
    )


def test_an_override_needs_a_reason_and_the_next_date_stays_within_policy(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    with pytest.raises(EditError, match="理由"):
        store.set_conclusion(p.visit_id, p.officer, final=Classification.SUBSTANDARD)
    store.set_conclusion(p.visit_id, p.officer, final=Classification.SUBSTANDARD,
                         override_reason="主要客户破产，回款无保障")
    state = store.conclusion_of(p.visit_id)
    assert state.final is Classification.SUBSTANDARD and state.effective is state.final
    _low, high = state.next_due_range
    assert (high - date(2026, 11, 20)).days == 30  # substandard: every 30 days
    with pytest.raises(EditError):
        store.set_conclusion(p.visit_id, p.officer, next_due_on=high + timedelta(days=1))
    store.set_conclusion(p.visit_id, p.officer, next_due_on=high)
    assert store.conclusion_of(p.visit_id).next_due_on == high


def test_the_completion_list_names_everything_missing_and_gates_completion(
    store: LocalStore, portfolio: Any, stock: str
) -> None:
    p = portfolio
    targets = [m.target for m in store.completion_list(p.visit_id)]
    assert targets[:2] == ["header:place", "header:people_met"]
    assert f"collateral:{stock}" in targets and "conclusion:next_due_on" in targets
    assert sum(t.startswith("item:") for t in targets) > 5
    with pytest.raises(TransitionError):
        store.complete_visit(p.visit_id, p.officer)

    store.update_visit(p.visit_id, p.officer, place="借款人厂区", people_met="王总（法定代表人）")
    _answer_all_normally(store, p)
    store.observe_collateral(p.visit_id, p.officer, stock, status=CollateralStatus.NOT_FOUND)
    targets = [m.target for m in store.completion_list(p.visit_id)]
    assert targets == ["conclusion:measures", "conclusion:next_due_on"]
    store.set_conclusion(p.visit_id, p.officer, measures="要求补足押品，暂停用信",
                         next_due_on=store.conclusion_of(p.visit_id).next_due_range[1])
    assert store.completion_list(p.visit_id) == []

    store.complete_visit(p.visit_id, p.officer)
    header = store.visit_header(p.visit_id)
    assert header.status is VisitStatus.COMPLETED
    with store.read() as s:
        visit = s.get_one(Visit, p.visit_id)
        assert visit.final_classification is Classification.SUBSTANDARD  # not found ⇒ 次级
        assert visit.ended_at is not None


def test_templates_change_only_before_the_first_answer(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    store.set_visit_templates(p.visit_id, p.officer, ["routine@1", "industry.manufacturing@1"])
    assert store.visit_header(p.visit_id).template_refs == [
        "routine@1", "industry.manufacturing@1"
    ]
    with pytest.raises(EditError):
        store.set_visit_templates(p.visit_id, p.officer, ["no-such@9"])
    item = next(store.visit_checklist(p.visit_id).items())
    store.set_answer(p.visit_id, p.officer, item.code, normal_answer(item))
    with pytest.raises(EditError, match="answered"):
        store.set_visit_templates(p.visit_id, p.officer, ["routine@1"])


def test_a_note_alone_is_kept_and_an_item_note_satisfies_the_abnormal_requirement(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    item = next(i for i in store.visit_checklist(p.visit_id).items()
                if i.when_abnormal.note and abnormal_answer(i) is not None)
    store.set_item_note(p.visit_id, p.officer, item.code, "先记下的情况")
    assert store.answers_of(p.visit_id)[item.code].note == "先记下的情况"
    store.set_answer(p.visit_id, p.officer, item.code, abnormal_answer(item))
    assert store.answers_of(p.visit_id)[item.code].note == "先记下的情况"  # kept
    kinds = [m.message_en for m in store.completion_list(p.visit_id)
             if m.target == f"item:{item.code}"]
    assert not any("note" in k for k in kinds)


def test_the_last_place_returns_only_an_editable_visit_of_that_officer(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    assert store.last_place(p.officer.id) is None
    store.remember_place(p.officer.id, p.visit_id, "section:willingness")
    assert store.last_place(p.officer.id) == (p.visit_id, "section:willingness")
    assert store.last_place(p.supervisor.id) is None
    with store.write() as s:
        s.get_one(Visit, p.visit_id).status = VisitStatus.SIGNED
    assert store.last_place(p.officer.id) is None
    with pytest.raises(VisitLockedError):
        store.update_visit(p.visit_id, p.officer, place="改")


def test_money_as_officers_type_it() -> None:
    assert parse_yuan("12万") == 12_000_000
    assert parse_yuan("¥1,234.5") == 123_450
    assert parse_yuan("１２３") == 12_300  # full-width digits from a Chinese input method
    for bad in ("abc", "", "12.345", "-5"):
        with pytest.raises(AnswerError):
            parse_yuan(bad)
    assert format_fen(123_450) == "1,234.50 元" and format_fen(123_450, "en") == "CNY 1,234.50"
    assert str(change_percent(1000, 700)) == "-30.0" and change_percent(0, 5) is None
