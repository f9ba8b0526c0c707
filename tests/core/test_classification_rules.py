"""The classification rules a bank is examined on (issue #14), one test per rule, each naming
the clause of 《商业银行金融资产风险分类办法》(2023) or the bank's rule it encodes.

Only 第七条 (art. 7) was found in the regulation's own words; the other clauses are cited by
their category, their figures marked [TO CONFIRM] in policy.yaml for the bank's risk department.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.common.text import Text
from inspector_app.domain.classification import (
    FindingFloor,
    LoanFacts,
    Recommendation,
    RuleSource,
    SignalFact,
    apply_override,
    override_summary,
    recommend_classification,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralStatus,
    RuleSourceKind,
    Severity,
    SignalCategory,
    SignalSource,
)
from inspector_app.domain.policy import Policy, load_policy
from inspector_app.domain.repayment import Repayment

POLICY = load_policy()
N, SM, SS, DF, LS = list(Classification)
REGULATION = "商业银行金融资产风险分类办法"
ON = date(2026, 11, 20)


def loan(contract: str = "L-1", classification: Classification = N, **repayment: Any
         ) -> LoanFacts:
    return LoanFacts(contract, classification, Repayment(**repayment))


def recommend(
    *loans: LoanFacts,
    current: Classification = N,
    kind: BorrowerKind = BorrowerKind.COMPANY,
    signals: tuple[SignalFact, ...] = (),
    findings: tuple[FindingFloor, ...] = (),
    policy: Policy = POLICY,
) -> Recommendation:
    return recommend_classification(signals, current, policy, findings=findings, loans=loans,
                                    borrower_kind=kind, as_of=ON)


def orange(category: SignalCategory = SignalCategory.GOVERNANCE) -> SignalFact:
    return SignalFact(category, Severity.ORANGE, SignalSource.CHECKLIST, "股东纠纷")


def floor(at_least: Classification, code: str = "R-CHR-02") -> FindingFloor:
    return FindingFloor(code, at_least, Text("法定代表人被判刑", "legal representative jailed"),
                        RuleSource(RuleSourceKind.BANK, Text("本行政策", "bank policy")))


def only_deciding(rec: Recommendation) -> tuple[str, str]:
    assert rec.deciding is not None
    return rec.deciding.reason.zh, rec.deciding.source.text.zh


# --- 《商业银行金融资产风险分类办法》(2023): floors by days past due ----------------------------


@pytest.mark.parametrize(("days", "expected"), [(0, N), (7, N), (8, SM), (90, SM)])
def test_regulation_special_mention_overdue_beyond_the_technical_grace(
    days: int, expected: Classification
) -> None:
    """关注类: principal or interest overdue, a short technical delay excepted (grace 7 days)."""
    rec = recommend(loan(days_past_due=days))
    assert rec.classification is expected
    if expected is SM:
        reason, source = only_deciding(rec)
        assert reason == f"贷款L-1逾期{days}天（超过7天） ⇒ 至少关注"
        assert REGULATION in source and "关注类" in source


@pytest.mark.parametrize(("days", "expected"), [(90, SM), (91, SS), (95, SS), (270, SS)])
def test_regulation_substandard_overdue_more_than_90_days(
    days: int, expected: Classification
) -> None:
    """次级类: overdue more than 90 days."""
    rec = recommend(loan(days_past_due=days))
    assert rec.classification is expected
    assert rec.deciding is not None and rec.deciding.loan == "L-1"
    assert rec.deciding.source.kind is RuleSourceKind.REGULATION


def test_regulation_overdue_95_days_names_the_90_day_rule_only() -> None:
    rec = recommend(loan(days_past_due=95))
    # One overdue rule speaks for the loan: "over 90" says all that "over 7" would.
    assert [r.reason.zh for r in rec.fired] == ["贷款L-1逾期95天（超过90天） ⇒ 至少次级"]
    assert rec.reasons_en[0] == "Loan L-1 is 95 days past due (over 90) ⇒ at least Substandard"
    assert "次级类" in rec.fired[0].source.text.zh and "90" in rec.fired[0].source.text.zh


@pytest.mark.parametrize(("days", "expected"), [(270, SS), (271, DF), (360, DF)])
def test_regulation_doubtful_overdue_more_than_270_days(
    days: int, expected: Classification
) -> None:
    """可疑类: overdue more than 270 days."""
    assert recommend(loan(days_past_due=days)).classification is expected


@pytest.mark.parametrize(("days", "expected"), [(360, DF), (361, LS), (3000, LS)])
def test_regulation_loss_overdue_more_than_360_days(days: int, expected: Classification) -> None:
    """损失类: overdue more than 360 days."""
    assert recommend(loan(days_past_due=days)).classification is expected


def test_regulation_special_mention_repaid_by_new_borrowing() -> None:
    """关注类: repaid by 借新还旧 or other borrowing."""
    rec = recommend(loan(refinanced=True))
    assert rec.classification is SM
    reason, source = only_deciding(rec)
    assert reason == "贷款L-1以借新还旧方式偿还 ⇒ 至少关注" and "借新还旧" in source


def test_rescheduling_alone_sets_no_floor() -> None:
    # 展期 is not a floor by itself; one granted for financial difficulty is a restructuring.
    assert recommend(loan(rescheduled=True)).classification is N


@pytest.mark.parametrize(("restructured_on", "expected"), [
    (ON - timedelta(days=10), SM),
    (ON - timedelta(days=364), SM),
    (ON - timedelta(days=365), N),  # the observation period is over
    (None, SM),  # no date on record: taken as still in it
])
def test_regulation_restructured_loan_in_its_observation_period(
    restructured_on: date | None, expected: Classification
) -> None:
    """重组资产: at least special mention through the observation period (365 days here)."""
    rec = recommend(loan(restructured=True, restructured_on=restructured_on))
    assert rec.classification is expected
    if expected is SM:
        assert "重组" in rec.fired[0].source.text.zh


def test_restructured_observation_is_measured_to_the_repayment_date_when_known() -> None:
    done = loan(restructured=True, restructured_on=ON - timedelta(days=400),
                repayment_as_of=ON - timedelta(days=100))
    assert recommend(done).classification is SM  # on the repayment date it still ran


# --- art. 7: the debtor, not the loan, for non-retail borrowers ------------------------------


def test_article_7_one_classification_per_company() -> None:
    """第七条: non-retail assets are classified on the debtor; the bank's policy: a company's
    loans share the worst one's classification."""
    rec = recommend(loan("L-1", days_past_due=95), loan("L-2"))
    assert rec.classification is SS
    assert [(o.contract_no, o.recommended) for o in rec.loans] == [("L-1", SS), ("L-2", SS)]
    [rule] = [r for r in rec.fired if "第七条" in r.source.text.zh]
    assert rule.reason.zh.startswith("企业借款人统一分类：L-2随同一借款人最差的贷款（次级）")
    assert rec.deciding is not None and rec.deciding.loan == "L-1"  # the first to ask for it


def test_article_7_loans_to_individuals_are_classified_one_by_one() -> None:
    rec = recommend(loan("L-1", days_past_due=95), loan("L-2"), kind=BorrowerKind.PERSON)
    assert [(o.contract_no, o.recommended) for o in rec.loans] == [("L-1", SS), ("L-2", N)]
    assert rec.classification is SS  # the borrower's headline is still its worst loan
    assert not any("第七条" in r.source.text.zh for r in rec.fired)


def test_a_company_with_one_loan_fires_no_borrower_rule() -> None:
    rec = recommend(loan(days_past_due=95))
    assert len(rec.fired) == 1  # nothing to propagate, nothing said


def _without_one_classification() -> Policy:
    data = POLICY.to_dict()
    del data["borrower_rules"]["one_classification"]
    return Policy.from_dict(data)


@pytest.mark.parametrize(("bad_share", "expected"), [(20, SS), (10, N), (5, N)])
def test_regulation_non_performing_share_over_10_percent(bad_share: int, expected: Classification
                                                         ) -> None:
    """When more than 10% of a non-retail debtor's claims with the bank are non-performing,
    all of them are (the regulator's announcement; article number to confirm)."""
    rec = recommend(loan("L-1", days_past_due=95, outstanding_fen=bad_share),
                    loan("L-2", outstanding_fen=100 - bad_share),
                    policy=_without_one_classification())
    assert rec.loans[1].recommended is expected
    if expected is SS:
        assert any("20.0%（超过10%）" in r.reason.zh for r in rec.fired)


# --- the bank's rules: findings and signals ---------------------------------------------------


def test_any_orange_or_red_signal_means_special_mention() -> None:
    """The definition of 关注类: factors that may adversely affect repayment."""
    rec = recommend(loan(), signals=(orange(),))
    assert rec.classification is SM
    _reason, source = only_deciding(rec)
    assert "关注类定义" in source


def test_a_finding_floor_sets_its_minimum_and_is_named_with_its_source() -> None:
    rec = recommend(loan(), findings=(floor(SS),))
    assert rec.classification is SS
    assert rec.deciding is not None and rec.deciding.item_code == "R-CHR-02"
    assert rec.deciding.reason.zh == "法定代表人被判刑 ⇒ 至少次级"
    assert rec.deciding.source.label("zh") == "本行制度：本行政策"
    assert rec.deciding.source.label("en") == "Bank policy: bank policy"


def test_a_finding_floor_decides_before_a_signal_asking_the_same() -> None:
    # The finding is what the template says about this answer; its signal says it less exactly.
    rec = recommend(loan(), signals=(orange(),), findings=(floor(SM, "R-CHR-01"),))
    assert rec.deciding is not None and rec.deciding.item_code == "R-CHR-01"
    assert len(rec.fired) == 2  # both are listed


def test_the_repayment_record_decides_before_findings() -> None:
    rec = recommend(loan(days_past_due=95), findings=(floor(SS),))
    assert rec.deciding is not None and rec.deciding.loan == "L-1"


# --- never better than the current classification; overrides -----------------------------------


def test_a_loan_already_worse_keeps_its_classification_and_no_rule_decides() -> None:
    rec = recommend(loan(classification=DF, days_past_due=95))
    assert rec.classification is DF and rec.current is DF
    assert rec.deciding is None and len(rec.fired) == 1
    assert rec.reasons[-1] == "当前分类可疑已不低于规则要求，维持不变"


def test_an_override_names_the_rules_it_sets_aside() -> None:
    rec = recommend(loan(days_past_due=95), signals=(orange(),))
    final = apply_override(rec, SM, "客户已于检查次日结清逾期本息")
    assert [r.at_least for r in final.overridden_rules] == [SS]
    summary = override_summary(rec, SM)
    assert summary.zh == "推翻规则：贷款L-1逾期95天（超过90天） ⇒ 至少次级"
    assert summary.en.startswith("Sets aside: Loan L-1 is 95 days past due")
    assert override_summary(rec, N).zh.count("⇒") == 2  # normal sets both aside
    assert override_summary(rec, DF).zh == "比建议的次级更严，未推翻任何规则"
    assert override_summary(rec, SS).en == "Same as the recommendation"


def test_an_upgrade_of_the_current_classification_is_said_as_such() -> None:
    rec = recommend(loan(classification=SM))
    assert override_summary(rec, N).zh == "优于当前分类关注（规则从不上调分类）"


loans_st = st.lists(st.builds(
    LoanFacts, st.text(min_size=1, max_size=3), st.sampled_from(Classification),
    st.builds(Repayment, st.integers(0, 10**6), st.just(0), st.just(0), st.integers(0, 800),
              st.just(0), st.booleans(), st.booleans(), st.booleans(),
              st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 1, 1)))),
), max_size=4)
floors_st = st.lists(st.builds(floor, st.sampled_from(list(Classification)[1:])), max_size=3)


@given(loans_st, loans_st, floors_st, st.sampled_from(Classification),
       st.sampled_from(BorrowerKind))
def test_property_never_better_than_current_and_more_facts_never_help(
    loans: list[LoanFacts], more: list[LoanFacts], floors: list[FindingFloor],
    current: Classification, kind: BorrowerKind,
) -> None:
    before = recommend(*loans, current=current, kind=kind)
    after = recommend(*loans, *more, current=current, kind=kind, findings=tuple(floors))
    assert before.classification.rank >= current.rank
    assert after.classification.rank >= before.classification.rank
    for outcome in after.loans:
        assert outcome.recommended.rank >= outcome.current.rank
    # A downgrade always names the rule that made it.
    if after.classification is not after.current:
        assert after.deciding is not None and after.deciding.at_least is after.classification


def test_statuses_and_signals_still_feed_the_rules() -> None:
    rec = recommend_classification([], N, POLICY, [CollateralStatus.NOT_FOUND])
    assert rec.classification is SS
    assert rec.deciding is not None and "巨源油业" in rec.deciding.source.text.zh
