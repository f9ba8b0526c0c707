"""The report's classification section as data: every rule that fired on the visit's facts with
its source, the one that decided the stored recommendation, and the rules the officer's own
classification sets aside.

The rules are not stored with the visit, so they are derived again, with the policy in force,
from the same facts the store weighed (store.recommendation); the stored recommendation is
what the report states as the result, and the deciding rule is the one that asks for exactly
it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.classification import FiredRule, override_summary
from inspector_app.domain.enums import Classification
from inspector_app.domain.policy import Policy
from inspector_app.store.models import Visit
from inspector_app.store.recommendation import recommend


@dataclass(frozen=True)
class RuleLine:
    """One rule that fired: what it found ⇒ the minimum it sets, and where the rule is from."""

    rule: str
    source: str
    deciding: bool


@dataclass(frozen=True)
class ClassificationFacts:
    current: str  # the borrower's classification on record
    recommended: str | None
    reasons: tuple[str, ...]  # each rule's line, as the rules table shows them
    final: str | None
    overridden: bool
    override_reason: str
    rules: tuple[RuleLine, ...] = ()
    conclusion: str = ""  # which rule decided, or why the current classification stands
    overrides: str = ""  # the rules the officer's classification sets aside


def classification_facts(s: Session, visit: Visit, lang: str, policy: Policy
                         ) -> ClassificationFacts:
    recommended = visit.recommended_classification
    final = visit.final_classification
    rec = recommend(s, visit, policy)
    deciding = None
    if recommended is not None:
        deciding = next((r for r in rec.fired if r.at_least is recommended), None)
    rules = tuple(RuleLine(r.reason.in_(lang), r.source.label(lang), r is deciding)
                  for r in rec.fired)
    conclusion = "" if recommended is None else _conclusion(recommended, deciding, rules)
    overridden = final is not None and recommended is not None and final is not recommended
    overrides = ""
    if overridden and final is not None and recommended is not None:
        stored = replace(rec, classification=recommended, deciding=deciding)
        overrides = override_summary(stored, final).in_(lang)
    return ClassificationFacts(
        current=visit.borrower.classification.label(lang),
        recommended=recommended.label(lang) if recommended else None,
        reasons=tuple(line.rule for line in rules),
        final=final.label(lang) if final else None,
        overridden=overridden,
        override_reason=visit.override_reason,
        rules=rules,
        conclusion=conclusion if isinstance(conclusion, str) else conclusion.in_(lang),
        overrides=overrides,
    )


def _conclusion(recommended: Classification, deciding: FiredRule | None,
                rules: tuple[RuleLine, ...]) -> Text:
    if deciding is not None:
        return Text(f"建议分类{recommended.zh}由标有★的规则决定",
                    f"The rule marked ★ decided the recommended {recommended.en}")
    if rules:
        return Text(f"各规则要求均不低于原分类，维持{recommended.zh}",
                    f"No rule asks for worse than before; kept at {recommended.en}")
    return Text(f"未触发分类规则，维持{recommended.zh}",
                f"No classification rule applies; kept at {recommended.en}")
