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
from inspector_app.domain.policy import Policy, ShortfallTier
from inspector_app.domain.quantity import quantity_text
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
    "collateral_quantity_signal",
    "collateral_shortfall",
    "collateral_status_signal",
    "collateral_value_change",
    "one_collateral_signal",
    "override_summary",
    "recommend_classification",
    "shortfall_percent",
    "shortfall_tier",
]


@dataclass(frozen=True)
class SignalFact:
    """A warning signal as the rules see it: no identity, no life cycle, no database."""

    category: SignalCategory
    severity: Severity
    source: SignalSource
    title: str
    title_en: str = ""
    # Proposes a special inspection (domain.schedule.OpenSignal), e.g. a court seizure.
    event: bool = False


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


def collateral_shortfall(registered: Decimal, found: Decimal) -> Decimal:
    """(registered − found) / registered: 0.675 means 67.5% of the registered quantity is
    missing; zero or less means nothing is short."""
    if registered <= 0:
        raise CollateralValueError(Text(
            f"登记数量须大于零，当前为{registered}。",
            f"The registered quantity must be above zero, got {registered}.",
        ))
    if found < 0:
        raise CollateralValueError(Text(
            f"现场数量不能为负数，当前为{found}。",
            f"The quantity found cannot be negative, got {found}.",
        ))
    return (registered - found) / registered


def shortfall_tier(shortfall: Decimal, policy: Policy) -> ShortfallTier | None:
    """The gravest of the policy's tiers this shortfall (a fraction) goes beyond, if any."""
    passed = [tier for tier in policy.collateral_shortfall_severity if shortfall > tier.above]
    return passed[-1] if passed else None


def shortfall_percent(shortfall: Decimal, passed: Decimal | None = None) -> str:
    """A shortfall as officers read it: 0.67466 → "67.5". When one decimal would make it read
    as no more than the threshold it passed (20.001% → "20"), two decimals rounded up."""
    shown = _percent(shortfall, ROUND_HALF_UP, "0.1")
    if passed is not None and Decimal(shown) <= passed * 100:
        shown = _percent(shortfall, ROUND_UP)
    return shown


def collateral_drop_signal(
    appraised: Decimal, estimate: Decimal, policy: Policy
) -> SignalFact | None:
    """A collateral signal when the value fell beyond the policy's first shortfall tier, of the
    gravest tier passed; else None.

    Raises CollateralValueError when the appraised value is zero or negative: with nothing to
    compare against, silently raising no signal would hide a broken register entry.
    """
    drop = -collateral_value_change(appraised, estimate)
    # "Beyond the threshold" (domain.md): a fall of exactly the threshold raises nothing.
    tier = shortfall_tier(drop, policy)
    if tier is None:
        return None
    fall = shortfall_percent(drop, tier.above)
    limit = _percent(tier.above, ROUND_HALF_UP)
    return SignalFact(
        category=SignalCategory.COLLATERAL,
        severity=tier.severity,
        source=SignalSource.COLLATERAL,
        title=f"抵质押物估值较评估价值下降{fall}%，超过{limit}%的阈值",
        title_en=f"Collateral value {fall}% below appraisal, beyond the {limit}% threshold",
    )


def collateral_quantity_signal(
    registered: Decimal, found: Decimal, unit: str, policy: Policy
) -> SignalFact | None:
    """A collateral signal when less was found than registered beyond the policy's first
    shortfall tier (800 t of 2,459 t: 67.5% short), of the gravest tier passed; else None."""
    short = collateral_shortfall(registered, found)
    tier = shortfall_tier(short, policy)
    if tier is None:
        return None
    pct, limit = shortfall_percent(short, tier.above), _percent(tier.above, ROUND_HALF_UP)
    zh_unit, en_unit = unit.strip(), f" {unit.strip()}" if unit.strip() else ""
    have, of = quantity_text(found), quantity_text(registered)
    return SignalFact(
        category=SignalCategory.COLLATERAL,
        severity=tier.severity,
        source=SignalSource.COLLATERAL,
        title=f"抵质押物现场仅见{have}{zh_unit}，登记{of}{zh_unit}，短少{pct}%，超过{limit}%的阈值",
        title_en=f"Collateral found {have}{en_unit} of {of}{en_unit} registered: {pct}% short,"
                 f" beyond the {limit}% threshold",
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
        event=spec.event,
    )


def one_collateral_signal(findings: Iterable[SignalFact | None]) -> SignalFact | None:
    """What one collateral item's observation raises: ONE signal for its findings (a status, a
    fall in value, a quantity short), of the gravest severity among them and naming each.
    A status and a shortfall are usually one fact seen twice (stock sold is also stock
    short), so two signals would count it twice in the classification rules."""
    found = [fact for fact in findings if fact is not None]
    if not found:
        return None
    gravest = max(found, key=lambda fact: fact.severity.rank)
    return SignalFact(
        category=found[0].category,  # the status's, when it raised one (it comes first)
        severity=gravest.severity,
        source=SignalSource.COLLATERAL,
        title="；".join(fact.title for fact in found),
        title_en="; ".join(fact.title_en for fact in found),
        event=any(fact.event for fact in found),
    )


def _percent(fraction: Decimal, rounding: str, places: str = "0.01") -> str:
    """0.2 → "20", 0.2501 → "25.01": at most two decimals (``places``), no trailing zeros."""
    text = f"{(fraction * 100).quantize(Decimal(places), rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
