"""The report's classification section: the classification on record, the recommendation
and the rules that fired for it, and the officer's final one (reports.data reads the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.common.text import Text
from inspector_app.domain.classification import SignalFact, recommend_classification
from inspector_app.domain.enums import Classification, CollateralStatus
from inspector_app.domain.policy import Policy
from inspector_app.store.models import Visit


@dataclass(frozen=True)
class ClassificationFacts:
    current: str  # the borrower's classification on record
    recommended: str | None
    reasons: tuple[str, ...]
    final: str | None
    overridden: bool
    override_reason: str


def classification_facts(
    visit: Visit,
    facts: list[SignalFact],
    statuses: list[CollateralStatus],
    lang: str,
    policy: Policy,
) -> ClassificationFacts:
    """What the report says of the classification: on record, recommended and why, final."""
    recommended = visit.recommended_classification
    final = visit.final_classification
    reasons: tuple[str, ...] = ()
    if recommended is not None:
        reasons = _rule_reasons(facts, statuses, recommended, lang, policy)
    return ClassificationFacts(
        current=visit.borrower.classification.label(lang),
        recommended=recommended.label(lang) if recommended else None,
        reasons=reasons,
        final=final.label(lang) if final else None,
        overridden=final is not None and recommended is not None and final is not recommended,
        override_reason=visit.override_reason,
    )


def _rule_reasons(
    facts: list[SignalFact],
    statuses: list[CollateralStatus],
    recommended: Classification,
    lang: str,
    policy: Policy,
) -> tuple[str, ...]:
    """Which rules fired on this visit's signals and collateral findings.

    The reasons are not stored with the visit, so they are derived again with the policy in
    force. The rules are run from "normal" and their closing sentence (which names the
    classification they started from, unknown here) is dropped; the stored recommendation is
    what the report states as the result.
    """
    rec = recommend_classification(facts, Classification.NORMAL, policy, statuses)
    fired = rec.why[:-1] or (Text("未触发分类规则", "No classification rule applies"),)
    if recommended.rank > rec.classification.rank:
        # The loans were already classified worse than the rules require; rules never upgrade.
        kept = Text(f"维持原分类{recommended.zh}", f"Classification kept at {recommended.en}")
        fired = (*fired, kept)
    return tuple(text.in_(lang) for text in fired)
