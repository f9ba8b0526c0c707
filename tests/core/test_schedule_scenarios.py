"""The next inspection date agrees everywhere: what a visit's conclusion offers, what its report
prints, what the due list and the brief say afterwards. Scenarios through the store facade."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from test_visit_store import normal_answer

from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    CollateralStatus,
    LoanType,
    Severity,
    SignalCategory,
    VisitKind,
)
from inspector_app.reports.brief_pdf import render_brief
from inspector_app.reports.data import load_report_data
from inspector_app.reports.pdf import render_report
from inspector_app.store import schedule_cache
from inspector_app.store.facade import ConclusionState, LocalStore
from inspector_app.store.models import CollateralItem, Loan
from inspector_app.store.schedule_cache import refresh_schedule

VISITED = date(2026, 11, 20)  # the portfolio fixture's visit


def _due_row(store: LocalStore, borrower_id: str) -> Any:
    [row] = [r for r in store.due_list() if r.borrower_id == borrower_id]
    return row


def _finish(store: LocalStore, p: Any, visit_id: str, tmp_path: Path,
            abnormal: dict[str, str] | None = None) -> ConclusionState:
    """Answer every item (``abnormal``: item code -> answer, with the note and photo it then
    needs), observe every collateral item as present, write measures, take the latest date
    the conclusion offers, complete. The conclusion as it stood before completing."""
    abnormal = abnormal or {}
    store.update_visit(visit_id, p.officer, place="借款人厂区", people_met="王强（法定代表人）")
    for item in store.visit_checklist(visit_id).items():
        if item.code in abnormal:
            store.set_answer(visit_id, p.officer, item.code, abnormal[item.code],
                             note="现场核实情况如上")
            if item.when_abnormal.photo:
                photo = tmp_path / f"{item.code}.jpg"
                Image.new("RGB", (64, 48), (90, 90, 90)).save(photo, "JPEG")
                store.add_photo(visit_id, p.officer, photo, item_code=item.code)
        else:
            store.set_answer(visit_id, p.officer, item.code, normal_answer(item))
    for row in store.collateral_of(visit_id):
        if row.observation is None:
            store.observe_collateral(visit_id, p.officer, row.item_id,
                                     status=CollateralStatus.PRESENT)
    state = store.conclusion_of(visit_id)
    store.set_conclusion(visit_id, p.officer, measures="加强监测，按期复查",
                         next_due_on=state.next_due_range[1])
    assert store.completion_list(visit_id) == []
    store.complete_visit(visit_id, p.officer)
    return state


def _agree(store: LocalStore, p: Any, visit_id: str, state: ConclusionState) -> date:
    """The conclusion's latest date, the report's, the due list's and the brief's are one."""
    offered = state.next_due_range[1]
    assert load_report_data(store, visit_id).next_due_on == offered
    assert load_report_data(store, visit_id, "en").next_due_on == offered
    row = _due_row(store, p.borrower_id)
    assert row.next_due_on == offered
    brief = store.visit_brief(p.borrower_id, today=VISITED)
    assert brief.next_due_on == offered
    assert row.next_due_reason == brief.next_due_reason == state.next_due.reason
    return offered


def test_a_red_signal_pulls_the_next_date_in_everywhere(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    # Before: a normal loan concludes with the routine 90 days.
    assert store.conclusion_of(p.visit_id).next_due_range[1] == VISITED + timedelta(days=90)
    state = _finish(store, p, p.visit_id, tmp_path, {"R-CHR-03": "yes"})  # red: assets moved
    assert state.next_due_range == (VISITED + timedelta(days=1), VISITED + timedelta(days=7))
    assert state.next_due.kind is VisitKind.SPECIAL
    assert "红色预警信号" in state.next_due.reason.zh
    assert _agree(store, p, p.visit_id, state) == date(2026, 11, 27)
    assert _due_row(store, p.borrower_id).next_due_kind == VisitKind.SPECIAL


def test_a_sooner_date_chosen_in_the_conclusion_is_the_due_lists(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    _finish(store, p, p.visit_id, tmp_path)
    # Completed, not yet signed: the officer still moves the date in.
    store.set_conclusion(p.visit_id, p.officer, next_due_on=VISITED + timedelta(days=20))
    row = _due_row(store, p.borrower_id)
    assert row.next_due_on == load_report_data(store, p.visit_id).next_due_on \
        == VISITED + timedelta(days=20)
    assert row.next_due_reason is not None and "上次检查结论" in row.next_due_reason.zh


def test_a_concluded_downgrade_pulls_the_next_date_in(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    store.set_conclusion(p.visit_id, p.officer, final=Classification.SPECIAL_MENTION,
                         override_reason="主要客户流失，销售回款下降三成")
    state = _finish(store, p, p.visit_id, tmp_path)
    assert state.next_due_range[1] == VISITED + timedelta(days=30)  # 关注: every 30 days
    _agree(store, p, p.visit_id, state)
    # The bank's record stays normal until confirmed; the schedule already follows the visit.
    assert _due_row(store, p.borrower_id).classification == Classification.NORMAL


def test_arrears_pull_the_next_date_in(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    with store.write() as s:  # as a sync brings headquarters' repayment extract
        [loan] = s.query(Loan).filter_by(borrower_id=p.borrower_id).all()
        loan.days_past_due, loan.repayment_as_of = 12, VISITED - timedelta(days=1)
    state = _finish(store, p, p.visit_id, tmp_path)
    assert state.next_due_range[1] == VISITED + timedelta(days=15)  # 10+ days past due
    assert "贷款逾期12天" in state.next_due.reason.zh
    _agree(store, p, p.visit_id, state)


def test_the_store_passes_arrears_to_the_schedule_in_one_place(
    store: LocalStore, portfolio: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # schedule_cache._days_past_due is the adapter between the repayment data and the rules.
    p = portfolio
    monkeypatch.setattr(schedule_cache, "_days_past_due", lambda _s, _chunk: {p.borrower_id: 1})
    assert store.conclusion_of(p.visit_id).next_due_range[1] == VISITED + timedelta(days=30)


def test_a_new_loan_to_an_inspected_borrower_gets_its_own_first_inspection(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    _finish(store, p, p.visit_id, tmp_path)
    assert _due_row(store, p.borrower_id).next_due_kind == VisitKind.ROUTINE
    with store.write() as s:  # as a sync brings a loan headquarters disbursed
        s.add(Loan(borrower_id=p.borrower_id, contract_no="L-2026-118",
                   loan_type=LoanType.FIXED_ASSET, amount_fen=3_000_000_00,
                   disbursed_on=date(2026, 12, 1), matures_on=date(2029, 12, 1),
                   classification=Classification.NORMAL))
        s.flush()
        refresh_schedule(s, store.policy, [p.borrower_id])
    row = _due_row(store, p.borrower_id)
    assert (row.next_due_on, row.next_due_kind) == (date(2026, 12, 31), VisitKind.FIRST)
    assert row.next_due_reason is not None and "L-2026-118" in row.next_due_reason.zh
    brief = store.visit_brief(p.borrower_id, today=date(2026, 12, 2))
    assert [(d.due_on, d.kind) for d in brief.due] == [
        (date(2026, 12, 31), VisitKind.FIRST), (VISITED + timedelta(days=90), VisitKind.ROUTINE),
    ]
    assert store.start_choices(p.borrower_id, p.officer.id).suggested_kind is VisitKind.FIRST


def test_the_legal_representatives_death_proposes_a_special_inspection(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    # A visit started now, on the templates in force (the event flag is routine@3's; a visit
    # keeps the template version it was started with).
    visit = store.start_visit(p.borrower_id, p.officer, VisitKind.ROUTINE, visit_date=VISITED)
    state = _finish(store, p, visit.id, tmp_path, {"R-CHR-02": "deceased"})
    [signal] = [s for s in store.signals_of(visit.id) if s.this_visit]
    assert signal.event and signal.severity is Severity.RED
    assert state.next_due.kind is VisitKind.SPECIAL
    assert "专项检查" in state.next_due.reason.zh
    assert "法定代表人出现重大变故" in state.next_due.reason.zh
    assert "“Legal representative jailed, missing or dead”" in state.next_due.reason.en
    _agree(store, p, visit.id, state)
    row = _due_row(store, p.borrower_id)
    assert row.next_due_kind == VisitKind.SPECIAL and "专项检查" in row.next_due_reason.zh
    brief = store.visit_brief(p.borrower_id, today=VISITED)
    assert brief.due[0].kind is VisitKind.SPECIAL and brief.due[0].proposed
    assert "建议在7天内进行专项检查" in _pdf_text(render_brief(brief, "zh"))

    # A routine visit a week later does not answer it; a special inspection does.
    later = store.start_visit(p.borrower_id, p.officer, VisitKind.ROUTINE,
                              visit_date=VISITED + timedelta(days=6))
    _finish(store, p, later.id, tmp_path, {"R-CHR-02": "deceased"})
    assert _due_row(store, p.borrower_id).next_due_on == VISITED + timedelta(days=7)
    special = store.start_visit(p.borrower_id, p.officer, VisitKind.SPECIAL,
                                visit_date=VISITED + timedelta(days=7))
    _finish(store, p, special.id, tmp_path)
    row = _due_row(store, p.borrower_id)
    assert (row.next_due_on, row.next_due_kind) == (VISITED + timedelta(days=97),
                                                    VisitKind.ROUTINE)


def test_an_event_the_officer_raises_by_hand_proposes_a_special_inspection(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    store.create_manual_signal(p.visit_id, p.officer, category=SignalCategory.EXTERNAL,
                               severity=Severity.ORANGE, title="媒体报道实际控制人失联",
                               event=True)
    state = store.conclusion_of(p.visit_id)
    assert state.next_due.kind is VisitKind.SPECIAL
    assert state.next_due_range[1] == VISITED + timedelta(days=15)  # orange: 15 days
    assert "媒体报道实际控制人失联" in state.next_due.reason.zh


def test_a_fixed_asset_project_seriously_late_pulls_the_next_date_in(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    # Seed 001 (贷后管理的重点与基本方法): for fixed-asset loans, watch construction progress
    # (形象进度), budget execution and capital in place. A project loan disbursed on 20 Oct owes
    # its first inspection within 30 days; the visit finds the works seriously late and the
    # capital short: two orange signals, 关注 by the rules, the next visit within 15 days.
    p = portfolio
    with store.write() as s:
        [loan] = s.query(Loan).filter_by(borrower_id=p.borrower_id).all()
        loan.contract_no, loan.loan_type, loan.purpose = "GD-2026-007", LoanType.FIXED_ASSET, \
            "新建厂房二期"
        loan.disbursed_on, loan.matures_on = date(2026, 10, 20), date(2031, 10, 20)
        s.flush()
        refresh_schedule(s, store.policy, [p.borrower_id])
    row = _due_row(store, p.borrower_id)
    assert (row.next_due_on, row.next_due_kind) == (date(2026, 11, 19), VisitKind.FIRST)

    visit = store.start_visit(p.borrower_id, p.officer, VisitKind.FIRST,
                              visit_date=date(2026, 11, 12))
    assert "fixed_asset@1" in visit.template_refs
    state = _finish(store, p, visit.id, tmp_path,
                    {"FA-PRG-02": "serious_delay", "FA-CAP-01": "60"})
    assert state.recommendation.classification is Classification.SPECIAL_MENTION
    assert state.next_due_range[1] == date(2026, 11, 27)  # orange signals: within 15 days
    _agree(store, p, visit.id, state)


def test_800_of_2459_tonnes_found_is_one_red_signal_of_67_5_percent(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    with store.write() as s:
        item = CollateralItem(borrower_id=p.borrower_id, kind=CollateralKind.WAREHOUSE_STOCK,
                              description="质押仓储大豆 2,459 吨", location="城北粮库",
                              appraised_value_fen=9_836_000_00, pledged_value_fen=6_000_000_00)
        s.add(item)
    store.observe_collateral(p.visit_id, p.officer, item.id, status=CollateralStatus.MOVED,
                             estimated_value_fen=3_200_000_00,  # the value fell too: −67%
                             registered_quantity_milli=2_459_000, found_quantity_milli=800_000,
                             quantity_unit="吨")
    [row] = store.collateral_of(p.visit_id)
    assert row.observation is not None
    assert row.observation.shortfall is not None
    assert f"{row.observation.shortfall * 100:.1f}" == "67.5"
    # Moved (orange), 67.5% short and 67% down in value (red by the 50% tier): one fact on
    # site, so one signal, of the graver severity.
    [signal] = [s for s in store.signals_of(p.visit_id) if s.this_visit]
    assert signal.severity is Severity.RED and signal.source_ref == item.id
    assert "短少67.5%" in signal.title and signal.title.startswith("抵质押物状态：已移位")
    assert "67.5% short" in signal.title_en
    assert store.conclusion_of(p.visit_id).recommendation.classification \
        is Classification.SPECIAL_MENTION  # one red signal, not two (two reds ⇒ 次级)


def _pdf_text(pdf: Path | bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_report_and_the_brief_print_the_date_with_its_rule_and_the_shortage(
    store: LocalStore, portfolio: Any, tmp_path: Path
) -> None:
    p = portfolio
    with store.write() as s:
        item = CollateralItem(borrower_id=p.borrower_id, kind=CollateralKind.WAREHOUSE_STOCK,
                              description="质押仓储大豆", location="城北粮库",
                              appraised_value_fen=9_836_000_00, pledged_value_fen=6_000_000_00)
        s.add(item)
    store.observe_collateral(p.visit_id, p.officer, item.id, status=CollateralStatus.PRESENT,
                             registered_quantity_milli=2_459_000, found_quantity_milli=800_000,
                             quantity_unit="吨")
    state = _finish(store, p, p.visit_id, tmp_path)
    latest = state.next_due_range[1]
    assert latest == VISITED + timedelta(days=7)  # the red shortage's pull-in

    for lang, shortage, basis in (
        ("zh", "现场800吨，登记2,459吨，短少67.5%", "最迟日期依据"),
        ("en", "800吨foundof2,459吨registered:67.5%short", "Latestdatesetby"),
    ):
        out = tmp_path / f"report-{lang}.pdf"
        render_report(load_report_data(store, p.visit_id, lang), store.photos, out)
        text = _pdf_text(out)
        assert shortage in text
        assert f"{latest.isoformat()}" in text and basis in text
        assert re.sub(r"\s+", "", state.next_due.reason.in_(lang)) in text

    brief = store.visit_brief(p.borrower_id, today=VISITED + timedelta(days=1))
    assert brief.next_due_reason is not None
    [stock] = [c for c in brief.collateral if c.description == "质押仓储大豆"]
    assert stock.last_status_abnormal and "短少67.5%" in _pdf_text(render_brief(brief, "zh"))
    for lang in ("zh", "en"):
        text = _pdf_text(render_brief(brief, lang))
        assert re.sub(r"\s+", "", f"{latest.isoformat()}") in text
        assert re.sub(r"\s+", "", brief.next_due_reason.in_(lang)) in text
