"""Classification rules, overrides and collateral findings, against the shipped policy."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.domain.classification import (
    CollateralValueError,
    OverrideError,
    Recommendation,
    SignalFact,
    apply_override,
    collateral_drop_signal,
    collateral_status_signal,
    collateral_value_change,
    recommend_classification,
)
from inspector_app.domain.enums import (
    Classification,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
)
from inspector_app.domain.policy import Policy, load_policy

POLICY = load_policy()
N, SM, SS, DF, LS = (
    Classification.NORMAL,
    Classification.SPECIAL_MENTION,
    Classification.SUBSTANDARD,
    Classification.DOUBTFUL,
    Classification.LOSS,
)


def sig(
    severity: Severity, category: SignalCategory = SignalCategory.FINANCIAL, title: str = "x"
) -> SignalFact:
    return SignalFact(category, severity, SignalSource.CHECKLIST, title)


def red(n: int) -> list[SignalFact]:
    return [sig(Severity.RED) for _ in range(n)]


def orange(n: int) -> list[SignalFact]:
    return [sig(Severity.ORANGE) for _ in range(n)]


def yellow(n: int) -> list[SignalFact]:
    return [sig(Severity.YELLOW) for _ in range(n)]


def recommend(
    signals: list[SignalFact],
    current: Classification = N,
    statuses: Iterable[CollateralStatus] = (),
) -> Recommendation:
    return recommend_classification(signals, current, POLICY, statuses)


# --- rules ---------------------------------------------------------------------------------


def test_no_signals_keeps_current_and_says_so() -> None:
    rec = recommend([])
    assert rec.classification is N
    assert rec.reasons == ("未触发分类规则，维持当前分类正常",)
    assert rec.reasons_en == ("No classification rule applies; current Normal kept",)


def test_one_red_signal_means_at_least_special_mention() -> None:
    rec = recommend(red(1))
    assert rec.classification is SM
    assert rec.reasons[0] == "存在1个橙色及以上预警信号 ⇒ 至少关注"
    assert rec.reasons_en[0] == "1 orange-or-worse warning signal ⇒ at least Special mention"
    assert rec.reasons[-1] == "建议由正常下调为关注"


def test_two_red_signals_mean_at_least_substandard() -> None:
    rec = recommend(red(2))
    assert rec.classification is SS
    assert "存在2个红色预警信号（规则：不少于2个） ⇒ 至少次级" in rec.reasons
    assert "2 red warning signals (rule: 2 or more) ⇒ at least Substandard" in rec.reasons_en


def test_signal_rules_stop_at_substandard() -> None:
    assert recommend(red(10)).classification is SS


@pytest.mark.parametrize(("count", "expected"), [(0, N), (1, SM), (2, SM), (3, SM)])
def test_any_orange_signal_means_special_mention(count: int, expected: Classification) -> None:
    # The definition of 关注: factors that may adversely affect repayment (issue #14: a single
    # orange signal used to fire no rule).
    assert recommend(orange(count)).classification is expected


def test_red_counts_towards_orange_or_worse() -> None:
    rec = recommend(red(1) + orange(1))
    assert rec.classification is SM
    assert "存在2个橙色及以上预警信号 ⇒ 至少关注" in rec.reasons


@pytest.mark.parametrize(("count", "expected"), [(1, N), (2, N), (3, SM)])
def test_yellow_signals_boundary(count: int, expected: Classification) -> None:
    assert recommend(yellow(count)).classification is expected


def test_graver_signals_count_towards_yellow_rule() -> None:
    assert recommend(yellow(2)).classification is N
    assert recommend(yellow(2) + orange(1)).classification is SM


def test_one_orange_collateral_signal_means_special_mention() -> None:
    rec = recommend([sig(Severity.ORANGE, SignalCategory.COLLATERAL)])
    assert rec.classification is SM
    assert rec.reasons[0] == "存在1个橙色及以上预警信号 ⇒ 至少关注"


def test_category_rule_reason_uses_the_category_label() -> None:
    data = POLICY.to_dict()
    data["classification_rules"] = [{
        "when": {"severity": "orange", "category": "collateral"}, "then": "special_mention",
        "source": {"kind": "bank", "zh": "本行", "en": "bank"},
    }]
    policy = Policy.from_dict(data)
    rec = recommend_classification([sig(Severity.ORANGE, SignalCategory.COLLATERAL)], N, policy)
    assert rec.reasons[0] == "存在1个担保与抵质押物类橙色及以上预警信号 ⇒ 至少关注"
    assert "in category Guarantee and collateral" in rec.reasons_en[0]


def test_yellow_collateral_signal_alone_changes_nothing() -> None:
    assert recommend([sig(Severity.YELLOW, SignalCategory.COLLATERAL)]).classification is N


@pytest.mark.parametrize(
    "status",
    [CollateralStatus.NOT_FOUND, CollateralStatus.SOLD, CollateralStatus.PLEDGED_ELSEWHERE],
)
def test_collateral_gone_means_at_least_substandard(status: CollateralStatus) -> None:
    rec = recommend([], statuses=[status, CollateralStatus.PRESENT])
    assert rec.classification is SS
    assert rec.reasons[0] == f"1项抵质押物状态为{status.zh} ⇒ 至少次级"


@pytest.mark.parametrize(
    "status",
    [
        CollateralStatus.PRESENT,
        CollateralStatus.MOVED,
        CollateralStatus.DAMAGED,
        CollateralStatus.OCCUPIED,
        CollateralStatus.SEIZED,
    ],
)
def test_other_collateral_statuses_set_no_minimum_by_themselves(status: CollateralStatus) -> None:
    # Their effect comes through the signal they raise (see collateral_status_signal).
    assert recommend([], statuses=[status]).classification is N


def test_worst_rule_wins_and_all_fired_rules_are_listed() -> None:
    rec = recommend(red(1), statuses=[CollateralStatus.SOLD])
    assert rec.classification is SS
    assert len(rec.reasons) == 3  # the red rule, the sold rule, the conclusion
    assert len(rec.reasons_en) == len(rec.reasons)


def test_never_better_than_current_classification() -> None:
    rec = recommend(red(1), current=SS)
    assert rec.classification is SS
    assert rec.reasons[-1] == "当前分类次级已不低于规则要求，维持不变"
    assert recommend([], current=LS).classification is LS


def test_custom_rule_with_category_and_count() -> None:
    data = POLICY.to_dict()
    data["classification_rules"] = [
        {
            "when": {"severity": "yellow", "category": "governance", "min_count": 2},
            "then": "doubtful",
            "source": {"kind": "bank", "zh": "本行", "en": "bank"},
        }
    ]
    policy = Policy.from_dict(data)
    one = [sig(Severity.YELLOW, SignalCategory.GOVERNANCE)]
    other = [sig(Severity.RED, SignalCategory.FINANCIAL)]
    assert recommend_classification(one + other, N, policy).classification is N
    assert recommend_classification(one * 2, N, policy).classification is DF


signals_st = st.lists(
    st.builds(
        SignalFact,
        st.sampled_from(SignalCategory),
        st.sampled_from(Severity),
        st.sampled_from(SignalSource),
        st.just("t"),
    ),
    max_size=8,
)
statuses_st = st.lists(st.sampled_from(CollateralStatus), max_size=4)


@given(signals_st, st.sampled_from(Classification), statuses_st)
def test_property_recommendation_never_better_than_current(
    signals: list[SignalFact], current: Classification, statuses: list[CollateralStatus]
) -> None:
    rec = recommend_classification(signals, current, POLICY, statuses)
    assert rec.classification.rank >= current.rank
    assert rec.reasons and len(rec.reasons) == len(rec.reasons_en)


@given(signals_st, signals_st, st.sampled_from(Classification), statuses_st)
def test_property_more_signals_never_improve_recommendation(
    signals: list[SignalFact],
    more: list[SignalFact],
    current: Classification,
    statuses: list[CollateralStatus],
) -> None:
    before = recommend_classification(signals, current, POLICY, statuses)
    after = recommend_classification(signals + more, current, POLICY, statuses)
    assert after.classification.rank >= before.classification.rank


# --- override ------------------------------------------------------------------------------


def test_accepting_the_recommendation_needs_no_reason() -> None:
    rec = recommend(red(1))
    final = apply_override(rec, SM, "")
    assert final.classification is SM
    assert not final.overridden
    assert final.recommendation is rec


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_override_without_reason_is_refused(reason: str) -> None:
    rec = recommend(red(1))
    with pytest.raises(OverrideError, match="requires a written reason") as caught:
        apply_override(rec, N, reason)
    assert "须填写书面理由" in str(caught.value)
    assert "Special mention" in str(caught.value)


def test_override_with_reason_is_kept() -> None:
    rec = recommend(red(1))
    final = apply_override(rec, SS, "  担保人已失联  ")
    assert final.classification is SS
    assert final.overridden
    assert final.reason == "担保人已失联"


def test_override_can_improve_with_a_reason() -> None:
    rec = recommend([], current=SM)
    final = apply_override(rec, N, "连续12个月按时还款，风险因素已消除")
    assert final.classification is N and final.overridden


# --- collateral ----------------------------------------------------------------------------


def test_value_change_is_a_signed_fraction() -> None:
    assert collateral_value_change(Decimal("100"), Decimal("75")) == Decimal("-0.25")
    assert collateral_value_change(Decimal("100"), Decimal("120")) == Decimal("0.2")
    assert collateral_value_change(Decimal("100"), Decimal("0")) == Decimal("-1")


@pytest.mark.parametrize("appraised", [Decimal("0"), Decimal("-5")])
def test_appraised_zero_or_negative_is_refused(appraised: Decimal) -> None:
    with pytest.raises(CollateralValueError, match="appraised value must be above zero"):
        collateral_value_change(appraised, Decimal("10"))
    with pytest.raises(CollateralValueError):
        collateral_drop_signal(appraised, Decimal("10"), POLICY)


def test_negative_estimate_is_refused() -> None:
    with pytest.raises(CollateralValueError, match="cannot be negative"):
        collateral_value_change(Decimal("100"), Decimal("-1"))


def test_drop_exactly_at_threshold_raises_nothing() -> None:
    assert collateral_drop_signal(Decimal("1000000"), Decimal("800000"), POLICY) is None


def test_drop_just_over_threshold_raises_a_collateral_signal() -> None:
    signal = collateral_drop_signal(Decimal("1000000"), Decimal("799999.99"), POLICY)
    assert signal is not None
    assert signal.category is SignalCategory.COLLATERAL
    assert signal.source is SignalSource.COLLATERAL
    assert signal.severity is POLICY.collateral_shortfall_severity[0].severity is Severity.ORANGE
    # The shown fall is rounded up, so it never reads as "20%, beyond 20%".
    assert signal.title == "抵质押物估值较评估价值下降20.01%，超过20%的阈值"
    assert signal.title_en == "Collateral value 20.01% below appraisal, beyond the 20% threshold"


def test_drop_under_threshold_or_a_rise_raises_nothing() -> None:
    assert collateral_drop_signal(Decimal("100"), Decimal("85"), POLICY) is None
    assert collateral_drop_signal(Decimal("100"), Decimal("150"), POLICY) is None


def test_threshold_comes_from_policy() -> None:
    data = POLICY.to_dict()
    data["collateral_shortfall_severity"] = [{"above": 0.1, "severity": "red"}]
    policy = Policy.from_dict(data)
    signal = collateral_drop_signal(Decimal("100"), Decimal("85"), policy)
    assert signal is not None and signal.severity is Severity.RED
    assert "超过10%的阈值" in signal.title


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("2e9"), places=2),
)
def test_property_signal_exactly_when_fall_beyond_threshold(
    appraised: Decimal, estimate: Decimal
) -> None:
    signal = collateral_drop_signal(appraised, estimate, POLICY)
    beyond = (appraised - estimate) > appraised * POLICY.collateral_value_drop_threshold
    assert (signal is not None) == beyond


@pytest.mark.parametrize(
    ("status", "severity"),
    [
        (CollateralStatus.NOT_FOUND, Severity.RED),
        (CollateralStatus.SOLD, Severity.RED),
        (CollateralStatus.PLEDGED_ELSEWHERE, Severity.RED),
        (CollateralStatus.SEIZED, Severity.RED),
        (CollateralStatus.MOVED, Severity.ORANGE),
        (CollateralStatus.DAMAGED, Severity.ORANGE),
        (CollateralStatus.OCCUPIED, Severity.YELLOW),
    ],
)
def test_collateral_status_raises_its_signal(status: CollateralStatus, severity: Severity) -> None:
    signal = collateral_status_signal(status, POLICY)
    assert signal is not None
    assert (signal.category, signal.severity, signal.source) == (
        SignalCategory.COLLATERAL,
        severity,
        SignalSource.COLLATERAL,
    )
    assert signal.title == f"抵质押物状态：{status.zh}"
    assert signal.title_en == f"Collateral status: {status.en}"


def test_present_collateral_raises_nothing() -> None:
    assert collateral_status_signal(CollateralStatus.PRESENT, POLICY) is None


def test_moved_collateral_signal_feeds_the_collateral_rule() -> None:
    signal = collateral_status_signal(CollateralStatus.MOVED, POLICY)
    assert signal is not None
    assert recommend([signal], statuses=[CollateralStatus.MOVED]).classification is SM
