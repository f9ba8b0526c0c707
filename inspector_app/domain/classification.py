"""The five-category classification recommended at the end of a visit, and the collateral
findings that feed it (domain.md "Classification", "Collateral observations").

The recommendation starts from the loan's current classification and rules only ever push it
down (worse). The current classification is the bank's confirmed record; what an on-site
visit can establish by rule is deterioration (a red signal, missing collateral). An upgrade
needs evidence of sustained improvement and a judgement that no signal count expresses, so it
is left to the officer's override, which requires a written reason and the supervisor's
confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from inspector_app.common.text import Text, UserError
from inspector_app.domain.enums import (
    Classification,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
)
from inspector_app.domain.policy import CollateralRule, Policy, SignalRule


@dataclass(frozen=True)
class SignalFact:
    """A warning signal as the rules see it: no identity, no life cycle, no database."""

    category: SignalCategory
    severity: Severity
    source: SignalSource
    title: str
    title_en: str = ""


@dataclass(frozen=True)
class Recommendation:
    """The rule-derived classification and, in both languages, which rules produced it."""

    classification: Classification
    why: tuple[Text, ...]  # the rules that fired, then the conclusion drawn

    # Each language's lines on their own, as the classification tests read them.
    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(text.zh for text in self.why)

    @property
    def reasons_en(self) -> tuple[str, ...]:
        return tuple(text.en for text in self.why)


@dataclass(frozen=True)
class FinalClassification:
    """What the officer put forward: the recommendation, or an override with its reason."""

    classification: Classification
    recommendation: Recommendation
    reason: str = ""  # the officer's written reason; required when overridden

    @property
    def overridden(self) -> bool:
        return self.classification is not self.recommendation.classification


class OverrideError(UserError):
    """An override of the recommended classification without a written reason."""


class CollateralValueError(UserError):
    """Values from which no meaningful change in collateral value can be computed."""


def recommend_classification(
    signals: Iterable[SignalFact],
    current: Classification,
    policy: Policy,
    collateral_statuses: Iterable[CollateralStatus] = (),
) -> Recommendation:
    """Apply the policy's rules: the worst minimum that fires, never better than `current`."""
    signals = tuple(signals)
    statuses = tuple(collateral_statuses)
    result = current
    why: list[Text] = []
    for rule in policy.classification_rules:
        if isinstance(rule, SignalRule):
            count = sum(1 for signal in signals if _counts_for(rule, signal))
            if count < rule.min_count:
                continue
            reason = _signal_rule_reason(rule, count)
        else:
            count = statuses.count(rule.collateral_status)
            if count == 0:
                continue
            reason = _collateral_rule_reason(rule, count)
        result = result.at_least(rule.then)
        why.append(reason)

    if result is not current:
        why.append(Text(f"建议由{current.zh}下调为{result.zh}",
                        f"Recommended downgrade from {current.en} to {result.en}"))
    elif why:
        why.append(Text(f"当前分类{current.zh}已不低于规则要求，维持不变",
                        f"Current classification {current.en} already meets the rules; kept"))
    else:
        why.append(Text(f"未触发分类规则，维持当前分类{current.zh}",
                        f"No classification rule applies; current {current.en} kept"))
    return Recommendation(result, tuple(why))


def apply_override(rec: Recommendation, chosen: Classification, reason: str) -> FinalClassification:
    """The officer's final choice; differing from the recommendation needs a written reason."""
    text = reason.strip()
    if chosen is not rec.classification and not text:
        raise OverrideError(Text(
            f"将建议分类{rec.classification.zh}改为{chosen.zh}，须填写书面理由。",
            f"Changing the recommended classification from {rec.classification.en} to"
            f" {chosen.en} requires a written reason.",
        ))
    return FinalClassification(classification=chosen, recommendation=rec, reason=text)


def collateral_value_change(appraised: Decimal, estimate: Decimal) -> Decimal:
    """(estimate − appraised) / appraised: −0.25 means a quarter of the value was lost."""
    if appraised <= 0:
        raise CollateralValueError(Text(
            f"评估价值须大于零，当前为{appraised}；请核对抵质押物登记信息。",
            f"The appraised value must be above zero, got {appraised}; check the collateral"
            " register.",
        ))
    if estimate < 0:
        raise CollateralValueError(Text(
            f"估值不能为负数，当前为{estimate}。",
            f"The estimate cannot be negative, got {estimate}.",
        ))
    return (estimate - appraised) / appraised


def collateral_drop_signal(
    appraised: Decimal, estimate: Decimal, policy: Policy
) -> SignalFact | None:
    """A collateral signal when the value fell by more than the policy's threshold, else None.

    Raises CollateralValueError when the appraised value is zero or negative: with nothing to
    compare against, silently raising no signal would hide a broken register entry.
    """
    drop = -collateral_value_change(appraised, estimate)
    threshold = policy.collateral_value_drop_threshold
    # "Beyond the threshold" (domain.md): a fall of exactly the threshold raises nothing.
    if drop <= threshold:
        return None
    # Round the shown fall up so it never reads as equal to the threshold it exceeded.
    fall, limit = _percent(drop, ROUND_UP), _percent(threshold, ROUND_HALF_UP)
    return SignalFact(
        category=SignalCategory.COLLATERAL,
        severity=policy.collateral_value_drop_severity,
        source=SignalSource.COLLATERAL,
        title=f"抵质押物估值较评估价值下降{fall}%，超过{limit}%的阈值",
        title_en=f"Collateral value {fall}% below appraisal, beyond the {limit}% threshold",
    )


def collateral_status_signal(status: CollateralStatus, policy: Policy) -> SignalFact | None:
    """The signal the policy attaches to a collateral status observed on site, if any."""
    spec = policy.collateral_status_signals.get(status)
    if spec is None:
        return None
    return SignalFact(
        category=spec.category,
        severity=spec.severity,
        source=SignalSource.COLLATERAL,
        title=f"抵质押物状态：{status.zh}",
        title_en=f"Collateral status: {status.en}",
    )


def _counts_for(rule: SignalRule, signal: SignalFact) -> bool:
    # "Severity S" in a rule means S or worse: a red signal is at least as alarming as an
    # orange one, and it keeps the rules monotone (more or graver signals never help).
    if signal.severity.rank < rule.severity.rank:
        return False
    return rule.category is None or signal.category is rule.category


def _signal_rule_reason(rule: SignalRule, count: int) -> Text:
    # Only the gravest severity needs no "or worse".
    has_graver = rule.severity.rank < len(Severity) - 1
    severity_zh = f"{rule.severity.zh}{'及以上' if has_graver else ''}"
    severity_en = f"{rule.severity.en.lower()}{'-or-worse' if has_graver else ''}"
    category_zh = "" if rule.category is None else f"{rule.category.zh}类"
    category_en = "" if rule.category is None else f" in category {rule.category.en}"
    plural = "" if count == 1 else "s"
    threshold_zh = "" if rule.min_count == 1 else f"（规则：不少于{rule.min_count}个）"
    threshold_en = "" if rule.min_count == 1 else f" (rule: {rule.min_count} or more)"
    return Text(
        f"存在{count}个{category_zh}{severity_zh}预警信号{threshold_zh} ⇒ 至少{rule.then.zh}",
        f"{count} {severity_en} warning signal{plural}{category_en}{threshold_en}"
        f" ⇒ at least {rule.then.en}",
    )


def _collateral_rule_reason(rule: CollateralRule, count: int) -> Text:
    status = rule.collateral_status
    plural = "" if count == 1 else "s"
    return Text(
        f"{count}项抵质押物状态为{status.zh} ⇒ 至少{rule.then.zh}",
        f"{count} collateral item{plural} {status.en.lower()} ⇒ at least {rule.then.en}",
    )


def _percent(fraction: Decimal, rounding: str) -> str:
    """0.2 → "20", 0.2501 → "25.01": at most two decimals, no trailing zeros."""
    text = f"{(fraction * 100).quantize(Decimal('0.01'), rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
