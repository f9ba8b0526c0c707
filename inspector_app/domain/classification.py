"""The five-category classification recommended at the end of a visit, the rules that produced
it, and the collateral findings that feed them (domain.md "Classification", "Collateral
observations").

The recommendation starts from the current classification and rules only ever push it down
(worse). The current classification is the bank's confirmed record; what an on-site visit can
establish by rule is deterioration (days past due, a red signal, missing collateral, a finding
the template gives a floor). An upgrade needs evidence of sustained improvement and a judgement
that no rule expresses, so it is left to the officer's override, which requires a written reason
and the supervisor's confirmation.

Every rule that fired is kept with its source, and the one that decided is named, so the page,
the report and an override can say which rule (and whose rule) they follow or set aside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from inspector_app.common.text import Text, UserError
from inspector_app.domain.classification_rules import RuleSource
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.rule_evaluation import (
    FindingFloor,
    FiredRule,
    LoanFacts,
    LoanOutcome,
    fire_rules,
)

__all__ = [
    "CollateralValueError",
    "FinalClassification",
    "FindingFloor",
    "FiredRule",
    "LoanFacts",
    "LoanOutcome",
    "OverrideError",
    "Recommendation",
    "RuleSource",
    "SignalFact",
    "apply_override",
    "collateral_drop_signal",
    "collateral_status_signal",
    "collateral_value_change",
    "override_summary",
    "recommend_classification",
]


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
    """The rule-derived classification, every rule that fired (with its source), the one that
    decided, and in both languages the lines that say so."""

    classification: Classification
    why: tuple[Text, ...]  # the rules that fired, then the conclusion drawn
    fired: tuple[FiredRule, ...] = ()
    # The rule that set the classification; None when no rule asks for worse than current.
    deciding: FiredRule | None = None
    current: Classification = Classification.NORMAL
    loans: tuple[LoanOutcome, ...] = ()

    # Each language's lines on their own, as the classification tests read them.
    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(text.zh for text in self.why)

    @property
    def reasons_en(self) -> tuple[str, ...]:
        return tuple(text.en for text in self.why)

    @property
    def conclusion(self) -> Text:
        """The closing line: downgraded to what, or kept."""
        return self.why[-1]

    def overridden_by(self, chosen: Classification) -> tuple[FiredRule, ...]:
        """The fired rules a lighter classification than theirs sets aside."""
        return tuple(rule for rule in self.fired if rule.at_least.rank > chosen.rank)


@dataclass(frozen=True)
class FinalClassification:
    """What the officer put forward: the recommendation, or an override with its reason."""

    classification: Classification
    recommendation: Recommendation
    reason: str = ""  # the officer's written reason; required when overridden

    @property
    def overridden(self) -> bool:
        return self.classification is not self.recommendation.classification

    @property
    def overridden_rules(self) -> tuple[FiredRule, ...]:
        return self.recommendation.overridden_by(self.classification)


class OverrideError(UserError):
    """An override of the recommended classification without a written reason."""


class CollateralValueError(UserError):
    """Values from which no meaningful change in collateral value can be computed."""


def recommend_classification(
    signals: Iterable[SignalFact],
    current: Classification,
    policy: Policy,
    collateral_statuses: Iterable[CollateralStatus] = (),
    *,
    findings: Iterable[FindingFloor] = (),
    loans: Iterable[LoanFacts] = (),
    borrower_kind: BorrowerKind = BorrowerKind.COMPANY,
    as_of: date | None = None,
) -> Recommendation:
    """Apply the policy's rules to the visit's findings and the loans' repayment record: the
    worst minimum that fires, never better than `current` (nor than any loan's own).

    `as_of` is the day the facts are judged on (the visit date): a restructured loan's
    observation period is measured to it, or to the loan's repayment_as_of when that is given.
    """
    loans = tuple(loans)
    for loan in loans:
        current = current.at_least(loan.classification)
    fired, outcomes = fire_rules(
        policy, tuple(_signal_counts(signals)), tuple(collateral_statuses), tuple(findings),
        loans, borrower_kind, as_of,
    )
    result = current
    for rule in fired:
        result = result.at_least(rule.at_least)
    deciding = None
    if result is not current:
        deciding = next(rule for rule in fired if rule.at_least is result)
    why = [rule.reason for rule in fired]
    if result is not current:
        why.append(Text(f"建议由{current.zh}下调为{result.zh}",
                        f"Recommended downgrade from {current.en} to {result.en}"))
    elif why:
        why.append(Text(f"当前分类{current.zh}已不低于规则要求，维持不变",
                        f"Current classification {current.en} already meets the rules; kept"))
    else:
        why.append(Text(f"未触发分类规则，维持当前分类{current.zh}",
                        f"No classification rule applies; current {current.en} kept"))
    return Recommendation(result, tuple(why), tuple(fired), deciding, current, outcomes)


def _signal_counts(signals: Iterable[SignalFact]) -> Iterable[tuple[Severity, SignalCategory]]:
    return ((signal.severity, signal.category) for signal in signals)


def override_summary(rec: Recommendation, chosen: Classification) -> Text:
    """What choosing `chosen` does to the recommendation: which rules it sets aside, or that it
    is stricter, or that it improves on the current classification (an upgrade)."""
    if chosen is rec.classification:
        return Text("与建议分类一致", "Same as the recommendation")
    if chosen.rank > rec.classification.rank:
        return Text(f"比建议的{rec.classification.zh}更严，未推翻任何规则",
                    f"Stricter than the recommended {rec.classification.en}; no rule set aside")
    rules = rec.overridden_by(chosen)
    if not rules:
        return Text(f"优于当前分类{rec.current.zh}（规则从不上调分类）",
                    f"Better than the current {rec.current.en} (rules never upgrade)")
    # The rules only: their sources are listed with them wherever the summary is shown.
    zh = "；".join(rule.reason.zh for rule in rules)
    en = "; ".join(rule.reason.en for rule in rules)
    return Text(f"推翻规则：{zh}", f"Sets aside: {en}")


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


def _percent(fraction: Decimal, rounding: str) -> str:
    """0.2 → "20", 0.2501 → "25.01": at most two decimals, no trailing zeros."""
    text = f"{(fraction * 100).quantize(Decimal('0.01'), rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
