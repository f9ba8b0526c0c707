"""The seed cases through the store facade (issue #14): what the officer records on site, and
the loans' repayment record, give the classification the bank is examined on, with the rule
that decided it and its source.

Before issue #14 the legal representative jailed or dead (硕发, 恒达) gave only 关注, and a
shareholder dispute (腾龙) or the key person's stroke (四季青) gave 正常.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from visit_helpers import normal_answer

from inspector_app.domain.enums import BorrowerKind, Classification, RuleSourceKind, VisitKind
from inspector_app.domain.repayment import Repayment
from inspector_app.store.facade import ConclusionState, LocalStore
from inspector_app.store.models import Loan, Visit
from inspector_app.store.recommendation import loan_facts

N, SM, SS = Classification.NORMAL, Classification.SPECIAL_MENTION, Classification.SUBSTANDARD
ON = date(2026, 11, 20)


@pytest.fixture
def visit(store: LocalStore, portfolio: Any) -> str:
    """A routine visit started as the officer starts one: with today's templates."""
    record = store.start_visit(portfolio.borrower_id, portfolio.officer, VisitKind.ROUTINE,
                               visit_date=ON)
    assert record.template_refs[0] == "routine@3"
    return record.id


def stored_recommendation(store: LocalStore, visit: str) -> Classification | None:
    with store.read() as s:
        return s.get_one(Visit, visit).recommended_classification


def answer(store: LocalStore, portfolio: Any, visit: str, code: str, value: str) -> None:
    store.set_answer(visit, portfolio.officer, code, value, note="现场核实")


def conclusion(store: LocalStore, visit: str) -> ConclusionState:
    return store.conclusion_of(visit)


@pytest.mark.parametrize(("value", "case"), [
    ("detained", "硕发公司法人代表判刑10年"),
    ("deceased", "恒达公司法人代表意外身亡"),
    ("missing", "大王粮油老板贷款跑路"),
])
def test_legal_representative_jailed_dead_or_absconded_is_substandard(
    store: LocalStore, portfolio: Any, visit: str, value: str, case: str
) -> None:
    answer(store, portfolio, visit, "R-CHR-02", value)
    state = conclusion(store, visit)
    rec = state.recommendation
    assert rec.classification is SS, case
    assert rec.deciding is not None and rec.deciding.item_code == "R-CHR-02"
    assert rec.deciding.source.kind is RuleSourceKind.BANK
    assert "硕发" in rec.deciding.source.text.zh
    # Its red signal fired the signal rule too; both are listed, the floor decided.
    assert len(rec.fired) == 2
    assert stored_recommendation(store, visit) is SS


def test_shareholder_dispute_is_special_mention(
    store: LocalStore, portfolio: Any, visit: str
) -> None:
    """腾龙国际酒店: shareholders in open dispute."""
    answer(store, portfolio, visit, "R-CHR-01", "yes")
    rec = conclusion(store, visit).recommendation
    assert rec.classification is SM
    assert rec.deciding is not None and rec.deciding.item_code == "R-CHR-01"
    assert "腾龙" in rec.deciding.source.text.zh


def test_key_person_stroke_is_special_mention(
    store: LocalStore, portfolio: Any, visit: str
) -> None:
    """四季青: the legal representative in hospital after a stroke."""
    answer(store, portfolio, visit, "R-WIL-06", "serious")
    rec = conclusion(store, visit).recommendation
    assert rec.classification is SM
    assert rec.deciding is not None and "四季青" in rec.deciding.source.text.zh
    answer(store, portfolio, visit, "R-WIL-06", "minor")  # a minor illness: nothing
    assert conclusion(store, visit).recommendation.classification is N


def test_a_clean_visit_stays_normal_and_no_rule_fires(
    store: LocalStore, portfolio: Any, visit: str
) -> None:
    for item in store.visit_checklist(visit).items():
        store.set_answer(visit, portfolio.officer, item.code, normal_answer(item))
    rec = conclusion(store, visit).recommendation
    assert rec.classification is N
    assert rec.fired == () and rec.deciding is None
    assert rec.reasons == ("未触发分类规则，维持当前分类正常",)


@pytest.fixture
def overdue(store: LocalStore) -> int:
    """The loan 95 days past due, as the core system's extract says (pulled with the loan)."""
    with store.write() as s:
        loan = s.query(Loan).one()
        loan.days_past_due, loan.overdue_principal_fen = 95, 500_000_00
        loan.repayment_as_of = date(2026, 11, 19)
    return 95


def test_overdue_95_days_is_substandard_by_the_repayment_record(
    store: LocalStore, portfolio: Any, visit: str, overdue: int
) -> None:
    rec = conclusion(store, visit).recommendation
    assert rec.classification is SS
    assert rec.deciding is not None and rec.deciding.loan == "L-2026-001"
    assert rec.deciding.reason.zh == "贷款L-2026-001逾期95天（超过90天） ⇒ 至少次级"
    assert rec.deciding.source.kind is RuleSourceKind.REGULATION
    assert "商业银行金融资产风险分类办法" in rec.deciding.source.text.zh
    # An edit stores the recommendation the facts imply.
    answer(store, portfolio, visit, "R-CHR-01", "no")
    assert stored_recommendation(store, visit) is SS


def test_a_loan_without_repayment_data_fires_no_repayment_rule(
    store: LocalStore, portfolio: Any
) -> None:
    with store.read() as s:
        facts = loan_facts(s.query(Loan).one())
    assert (facts.contract_no, facts.classification) == ("L-2026-001", N)
    assert not facts.repayment.known and facts.repayment == Repayment()


def test_an_override_names_the_rule_it_sets_aside(
    store: LocalStore, portfolio: Any, visit: str
) -> None:
    answer(store, portfolio, visit, "R-CHR-02", "detained")
    store.set_conclusion(visit, portfolio.officer, final=SM,
                         override_reason="法定代表人已取保候审，经营由副总经理正常主持")
    state = conclusion(store, visit)
    assert state.final is SM
    [rule] = state.recommendation.overridden_by(SM)
    assert rule.item_code == "R-CHR-02" and rule.at_least is SS


def test_a_company_has_one_classification(store: LocalStore, portfolio: Any, visit: str
                                          ) -> None:
    """第七条 (the debtor, not the loan): a second loan the bank already holds as substandard
    brings the company's other loan with it."""
    with store.write() as s:
        first = s.query(Loan).one()
        s.add(Loan(borrower_id=first.borrower_id, contract_no="L-2026-002",
                   loan_type=first.loan_type, amount_fen=100_000_00,
                   disbursed_on=date(2026, 5, 1), matures_on=date(2027, 5, 1),
                   classification=SS))
        assert first.borrower.kind is BorrowerKind.COMPANY
    rec = conclusion(store, visit).recommendation
    assert {o.contract_no: o.recommended for o in rec.loans} == {
        "L-2026-001": SS, "L-2026-002": SS}
    [rule] = rec.fired
    assert "第七条" in rule.source.text.zh and "L-2026-001随同一借款人最差的贷款" in rule.reason.zh


def test_a_visit_completes_with_the_repayment_position_pulled_after_its_last_edit(
    store: LocalStore, portfolio: Any, visit: str
) -> None:
    officer = portfolio.officer
    store.update_visit(visit, officer, place="借款人办公室", people_met="财务经理")
    for item in store.visit_checklist(visit).items():
        store.set_answer(visit, officer, item.code, normal_answer(item))
    assert stored_recommendation(store, visit) is N
    with store.write() as s:  # the next sync brings the extract: 95 days past due
        s.query(Loan).one().days_past_due = 95
    state = conclusion(store, visit)
    store.set_conclusion(visit, officer, measures="催收逾期本息",
                         next_due_on=state.next_due_range[1])
    store.complete_visit(visit, officer)
    with store.read() as s:
        done = s.get_one(Visit, visit)
        assert (done.recommended_classification, done.final_classification) == (SS, SS)
