"""The classification rules of the bank's policy, as data: which fact sets which minimum
classification, and where each rule comes from (domain.md "Classification").

Every rule cites its source (the regulation, the bank's own policy, or a training case), so the
conclusion page and the report can say not only what the rules decided but on whose authority.
Rules about one loan (days past due, 借新还旧, restructuring) are read per loan; rules about
the borrower (warning signals, collateral found on site) apply to all of its loans; the
borrower rules then make one classification of a company's loans (以债务人为中心).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspector_app.common.text import Text
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralStatus,
    RuleSourceKind,
    Severity,
    SignalCategory,
)
from inspector_app.domain.policy_reader import BaseReader, show

# A restructured loan's observation period, or a days-past-due threshold, beyond ten years is a
# typing slip (3650 for 365), not a rule.
MAX_RULE_DAYS = 3650


@dataclass(frozen=True)
class RuleSource:
    """Where a rule comes from: the kind of authority and the clause, in both languages."""

    kind: RuleSourceKind
    text: Text

    def label(self, lang: str = "zh") -> str:
        separator = ": " if lang.lower().startswith("en") else "："
        return f"{self.kind.label(lang)}{separator}{self.text.in_(lang)}"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "zh": self.text.zh, "en": self.text.en}


@dataclass(frozen=True)
class SignalRule:
    """At least `min_count` signals of `severity` or worse (of `category`, if set) ⇒ `then`."""

    then: Classification
    severity: Severity
    source: RuleSource
    min_count: int = 1
    category: SignalCategory | None = None


@dataclass(frozen=True)
class CollateralRule:
    """Any collateral item observed with `collateral_status` ⇒ at least `then`."""

    then: Classification
    collateral_status: CollateralStatus
    source: RuleSource


@dataclass(frozen=True)
class OverdueRule:
    """A loan more than `days_over` days past due ⇒ at least `then` (of several overdue rules,
    the one with the highest threshold a loan passes is the one that speaks for it)."""

    then: Classification
    days_over: int
    source: RuleSource


@dataclass(frozen=True)
class RefinancedRule:
    """A loan repaid by a new loan (借新还旧) ⇒ at least `then`."""

    then: Classification
    source: RuleSource


@dataclass(frozen=True)
class RestructuredRule:
    """A restructured loan still in its observation period ⇒ at least `then`. The period runs
    `observation_days` from the restructuring date; with no date on record the loan is taken
    as still in it (the prudent reading)."""

    then: Classification
    observation_days: int
    source: RuleSource


ClassificationRule = SignalRule | CollateralRule | OverdueRule | RefinancedRule | RestructuredRule
LoanRule = OverdueRule | RefinancedRule | RestructuredRule
LOAN_RULES = (OverdueRule, RefinancedRule, RestructuredRule)


@dataclass(frozen=True)
class OneClassificationRule:
    """Borrowers of these kinds have one classification: every loan at least as bad as the
    worst of them."""

    borrower_kinds: frozenset[BorrowerKind]
    source: RuleSource


@dataclass(frozen=True)
class NonperformingShareRule:
    """When more than `share_over` of such a borrower's outstanding balance is non-performing
    (substandard or worse), every one of its loans is at least `then`."""

    share_over: Decimal
    then: Classification
    borrower_kinds: frozenset[BorrowerKind]
    source: RuleSource


@dataclass(frozen=True)
class BorrowerRules:
    """The rules that look at all of a borrower's loans together; None = not applied."""

    one_classification: OneClassificationRule | None = None
    nonperforming_share: NonperformingShareRule | None = None


# --- plain data, as written in policy.yaml and pushed by headquarters -----------------------

# The key that says which kind of condition a rule's `when` is; signal rules have none of them.
_CONDITION_KEYS = ("collateral_status", "days_past_due_over", "refinanced", "restructured")
_SIGNAL_KEYS = ("severity", "min_count", "category")


def rule_to_dict(rule: ClassificationRule) -> dict[str, Any]:
    when: dict[str, Any]
    match rule:
        case SignalRule():
            when = {"severity": rule.severity.value, "min_count": rule.min_count}
            if rule.category is not None:
                when["category"] = rule.category.value
        case CollateralRule():
            when = {"collateral_status": rule.collateral_status.value}
        case OverdueRule():
            when = {"days_past_due_over": rule.days_over}
        case RefinancedRule():
            when = {"refinanced": True}
        case RestructuredRule():
            when = {"restructured": True, "observation_days": rule.observation_days}
    return {"when": when, "then": rule.then.value, "source": rule.source.to_dict()}


def borrower_rules_to_dict(rules: BorrowerRules) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if (one := rules.one_classification) is not None:
        data["one_classification"] = {
            "borrower_kinds": _kinds(one.borrower_kinds), "source": one.source.to_dict(),
        }
    if (share := rules.nonperforming_share) is not None:
        data["nonperforming_share"] = {
            "over": str(share.share_over), "then": share.then.value,
            "borrower_kinds": _kinds(share.borrower_kinds), "source": share.source.to_dict(),
        }
    return data


def _kinds(kinds: frozenset[BorrowerKind]) -> list[str]:
    return [kind.value for kind in BorrowerKind if kind in kinds]


class RulesReader(BaseReader):
    """Reads the policy's classification_rules and borrower_rules (PolicyError at a fault)."""

    def rules(self, value: Any, line: int | None) -> tuple[ClassificationRule, ...]:
        if not isinstance(value, list):
            self.fail(line, "classification_rules", f"must be a list, got {show(value)}")
        rules: list[ClassificationRule] = []
        for index, item in enumerate(value):
            path = f"classification_rules[{index}]"
            item_line = self.line_of(value, index, line)
            rule = self.mapping(item, path, item_line, ["when", "then", "source"])
            then = self.then(rule, path, item_line)
            source = self.rule_source(rule["source"], f"{path}.source",
                                 self.line_of(rule, "source", item_line))
            rules.append(self.rule_condition(rule["when"], then, source, f"{path}.when",
                                             item_line))
        return tuple(rules)

    def then(self, rule: Mapping[str, Any], path: str, line: int | None) -> Classification:
        then_line = self.line_of(rule, "then", line)
        then = self.code(Classification, rule["then"], f"{path}.then", then_line)
        if then is Classification.NORMAL:
            self.fail(then_line, f"{path}.then", "a rule that sets at least normal does nothing")
        return then

    def rule_source(self, value: Any, path: str, line: int | None) -> RuleSource:
        data, text = self.text(value, path, line, required=["kind"])
        kind = self.code(RuleSourceKind, data["kind"], f"{path}.kind",
                         self.line_of(data, "kind", line))
        return RuleSource(kind, text)

    def rule_condition(
        self, value: Any, then: Classification, source: RuleSource, path: str, line: int | None
    ) -> ClassificationRule:
        if not isinstance(value, Mapping):
            self.fail(line, path, f"must be a mapping of keys to values, got {show(value)}")
        # In the order written, so the key named as the one too many is the one added last.
        kinds = [key for key in value if key in _CONDITION_KEYS]
        signal_keys = [key for key in value if key in _SIGNAL_KEYS]
        if len(kinds) > 1 or (kinds and signal_keys):
            extra = (kinds[1:] + signal_keys)[0]
            self.fail(
                self.line_of(value, extra, line), f"{path}.{extra}",
                f"a rule has one kind of condition ({kinds[0]} here), not both; write two rules",
            )
        kind = kinds[0] if kinds else "severity"
        at = self.line_of(value, kind, line)
        if kind == "collateral_status":
            when = self.mapping(value, path, line, ["collateral_status"])
            status = self.code(CollateralStatus, when["collateral_status"],
                               f"{path}.collateral_status", at)
            return CollateralRule(then=then, collateral_status=status, source=source)
        if kind == "days_past_due_over":
            when = self.mapping(value, path, line, ["days_past_due_over"])
            days = self.rule_days(when["days_past_due_over"], f"{path}.days_past_due_over", at,
                                  minimum=0)
            return OverdueRule(then=then, days_over=days, source=source)
        if kind == "refinanced":
            self.mapping(value, path, line, ["refinanced"])
            self.must_be_true(value["refinanced"], f"{path}.refinanced", at)
            return RefinancedRule(then=then, source=source)
        if kind == "restructured":
            when = self.mapping(value, path, line, ["restructured", "observation_days"])
            self.must_be_true(when["restructured"], f"{path}.restructured", at)
            days = self.rule_days(when["observation_days"], f"{path}.observation_days",
                                  self.line_of(when, "observation_days", line), minimum=1)
            return RestructuredRule(then=then, observation_days=days, source=source)
        return self.signal_rule(value, then, source, path, line)

    def signal_rule(
        self, value: Mapping[str, Any], then: Classification, source: RuleSource, path: str,
        line: int | None,
    ) -> SignalRule:
        when = self.mapping(value, path, line, ["severity"], ["min_count", "category"])
        severity = self.code(
            Severity, when["severity"], f"{path}.severity", self.line_of(when, "severity", line)
        )
        min_count = when.get("min_count", 1)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            self.fail(
                self.line_of(when, "min_count", line),
                f"{path}.min_count",
                f"must be a positive whole number, got {show(min_count)}",
            )
        category = None
        if when.get("category") is not None:
            category = self.code(
                SignalCategory,
                when["category"],
                f"{path}.category",
                self.line_of(when, "category", line),
            )
        return SignalRule(then=then, severity=severity, source=source, min_count=min_count,
                          category=category)

    def rule_days(self, value: Any, path: str, line: int | None, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not minimum <= value <= MAX_RULE_DAYS:
            self.fail(line, path, f"must be a whole number of days ({minimum} to "
                                  f"{MAX_RULE_DAYS}), got {show(value)}")
        return value

    def must_be_true(self, value: Any, path: str, line: int | None) -> None:
        if value is not True:
            self.fail(line, path, f"must be true (leave the rule out to turn it off), got "
                                  f"{show(value)}")

    def borrower_rules(self, value: Any, line: int | None) -> BorrowerRules:
        key = "borrower_rules"
        data = self.mapping(value, key, line, [], ["one_classification", "nonperforming_share"])
        one = share = None
        if data.get("one_classification") is not None:
            path = f"{key}.one_classification"
            at = self.line_of(data, "one_classification", line)
            rule = self.mapping(data["one_classification"], path, at,
                                ["borrower_kinds", "source"])
            one = OneClassificationRule(
                self.borrower_kinds(rule, path, at),
                self.rule_source(rule["source"], f"{path}.source",
                                 self.line_of(rule, "source", at)),
            )
        if data.get("nonperforming_share") is not None:
            path = f"{key}.nonperforming_share"
            at = self.line_of(data, "nonperforming_share", line)
            rule = self.mapping(data["nonperforming_share"], path, at,
                                ["over", "then", "borrower_kinds", "source"])
            share = NonperformingShareRule(
                self.fraction(rule["over"], f"{path}.over", self.line_of(rule, "over", at),
                              "0.10 = 10%"),
                self.then(rule, path, at),
                self.borrower_kinds(rule, path, at),
                self.rule_source(rule["source"], f"{path}.source",
                                 self.line_of(rule, "source", at)),
            )
        return BorrowerRules(one, share)

    def borrower_kinds(self, rule: Mapping[str, Any], path: str, line: int | None
                       ) -> frozenset[BorrowerKind]:
        value = rule["borrower_kinds"]
        at = self.line_of(rule, "borrower_kinds", line)
        if not isinstance(value, list) or not value:
            self.fail(at, f"{path}.borrower_kinds",
                      f"must be a non-empty list of borrower kinds, got {show(value)}")
        return frozenset(self.code(BorrowerKind, kind, f"{path}.borrower_kinds[{index}]", at)
                         for index, kind in enumerate(value))
