"""The bank's inspection policy (intervals, thresholds, classification rules) as validated data.

The policy is a hand-edited YAML file (inspector_app/resources/policy.yaml) or rows pushed by
headquarters; both go through the same validation so a mistake is reported with the file, line
and field instead of surfacing later as a wrong due date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from inspector_app import resources
from inspector_app.domain.classification_rules import (
    BorrowerRules,
    ClassificationRule,
    CollateralRule,
    RulesReader,
    SignalRule,
    borrower_rules_to_dict,
    rule_to_dict,
)
from inspector_app.domain.enums import (
    Classification,
    CollateralStatus,
    LoanType,
    Severity,
    SignalCategory,
)
from inspector_app.domain.policy_reader import (
    MAX_DAYS,
    E,
    PolicyError,
    PolicyLoader,
    show,
)

# Re-exported: the rule types are part of what a Policy holds.
__all__ = [
    "DEFAULT_POLICY_PATH",
    "MAX_DAYS",
    "ClassificationRule",
    "CollateralRule",
    "CollateralSignalSpec",
    "Policy",
    "PolicyError",
    "ShortfallTier",
    "SignalRule",
    "load_policy",
]

DEFAULT_POLICY_PATH = resources.policy_path()


@dataclass(frozen=True)
class CollateralSignalSpec:
    """The warning signal a collateral status raises; ``event``: it proposes a special
    inspection (domain.schedule.OpenSignal)."""

    severity: Severity
    category: SignalCategory = SignalCategory.COLLATERAL
    event: bool = False


@dataclass(frozen=True)
class ShortfallTier:
    """Collateral found short by more than ``above`` (a fraction) raises a signal of
    ``severity``; the gravest tier passed wins."""

    above: Decimal
    severity: Severity


@dataclass(frozen=True)
class Policy:
    """One validated version of the bank's inspection policy. Build with load_policy/from_dict."""

    version: int
    first_inspection_days: Mapping[LoanType, int]
    routine_interval_days: Mapping[Classification, int]
    special_handling: frozenset[Classification]
    # Mildest first: a fall in value or a quantity short beyond the first tier's fraction raises
    # a collateral signal; each further tier passed makes it graver.
    collateral_shortfall_severity: tuple[ShortfallTier, ...]
    signal_pull_in_days: Mapping[Severity, int]
    classification_rules: tuple[ClassificationRule, ...]
    borrower_rules: BorrowerRules
    collateral_status_signals: Mapping[CollateralStatus, CollateralSignalSpec | None]
    # Days past due (at least) -> most days between two inspections of an overdue borrower.
    overdue_interval_days: Mapping[int, int] = field(
        default_factory=lambda: MappingProxyType({}))
    # Where it came from, for messages; two identical policies from different places are equal.
    source: str = field(default="<policy>", compare=False)

    @property
    def collateral_value_drop_threshold(self) -> Decimal:
        """The fall (or shortfall) beyond which a collateral signal is raised at all."""
        return self.collateral_shortfall_severity[0].above

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<policy>") -> Policy:
        """Validate plain data (as parsed from YAML or received from headquarters)."""
        return _Reader(source).policy(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that from_dict accepts back unchanged (for pushing policy as rows)."""
        return {
            "version": self.version,
            "first_inspection_days": {k.value: v for k, v in self.first_inspection_days.items()},
            "routine_interval_days": {k.value: v for k, v in self.routine_interval_days.items()},
            "special_handling": [c.value for c in Classification if c in self.special_handling],
            # A string keeps the Decimal exact; from_dict accepts strings as well as numbers.
            "collateral_shortfall_severity": [
                {"above": str(tier.above), "severity": tier.severity.value}
                for tier in self.collateral_shortfall_severity
            ],
            "signal_pull_in_days": {k.value: v for k, v in self.signal_pull_in_days.items()},
            "overdue_interval_days": dict(self.overdue_interval_days),
            "classification_rules": [rule_to_dict(r) for r in self.classification_rules],
            "borrower_rules": borrower_rules_to_dict(self.borrower_rules),
            "collateral_status_signals": {
                status.value: None if spec is None else _status_spec(spec)
                for status, spec in self.collateral_status_signals.items()
            },
        }


def _status_spec(spec: CollateralSignalSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"severity": spec.severity.value, "category": spec.category.value}
    if spec.event:
        data["event"] = True
    return data


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (default: the shipped policy.yaml)."""
    path = DEFAULT_POLICY_PATH if path is None else Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(source, None, None, f"cannot read the policy file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=PolicyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PolicyError(source, line, None, f"not valid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(source, None, None, f"not valid YAML: {exc}") from exc
    return Policy.from_dict(data, source=source)


# --- validation ----------------------------------------------------------------------------


class _Reader(RulesReader):
    """Walks plain data, turning it into a Policy or raising PolicyError at the first fault."""

    def per_member(
        self, enum: type[E], data: Mapping[str, Any], key: str, line: int | None
    ) -> dict[E, int]:
        """A mapping that lists every member of `enum` exactly once, each with a day count."""
        table = self.mapping(data[key], key, line, [m.value for m in enum])
        return {
            member: self.days(
                table[member.value],
                f"{key}.{member.value}",
                self.line_of(table, member.value, line),
            )
            for member in enum
        }

    def policy(self, data: Any) -> Policy:
        top = self.mapping(
            data,
            None,
            None,
            [
                "version",
                "first_inspection_days",
                "routine_interval_days",
                "special_handling",
                "signal_pull_in_days",
                "classification_rules",
                "borrower_rules",
                "collateral_status_signals",
            ],
            [
                "collateral_shortfall_severity",
                "overdue_interval_days",
                # A policy written before collateral_shortfall_severity: read as its one tier.
                "collateral_value_drop_threshold",
                "collateral_value_drop_severity",
            ],
        )

        def at(key: str) -> int | None:
            return self.line_of(top, key, None)

        version = top["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail(at("version"), "version", f"must be a positive integer, got {show(version)}")

        first = self.per_member(LoanType, top, "first_inspection_days", at("first_inspection_days"))
        intervals = self.per_member(
            Classification, top, "routine_interval_days", at("routine_interval_days")
        )
        self.monotone(intervals, list(Classification), "routine_interval_days", top)
        pull_in = self.per_member(Severity, top, "signal_pull_in_days", at("signal_pull_in_days"))
        # Listed from mildest to gravest, like Classification from best to worst.
        self.monotone(pull_in, list(Severity), "signal_pull_in_days", top)

        return Policy(
            version=version,
            first_inspection_days=MappingProxyType(first),
            routine_interval_days=MappingProxyType(intervals),
            special_handling=self.special_handling(top["special_handling"], at("special_handling")),
            collateral_shortfall_severity=self.shortfall_tiers(top),
            signal_pull_in_days=MappingProxyType(pull_in),
            overdue_interval_days=MappingProxyType(self.overdue(top)),
            classification_rules=self.rules(
                top["classification_rules"], at("classification_rules")
            ),
            borrower_rules=self.borrower_rules(top["borrower_rules"], at("borrower_rules")),
            collateral_status_signals=MappingProxyType(
                self.status_signals(
                    top["collateral_status_signals"], at("collateral_status_signals")
                )
            ),
            source=self.source,
        )

    def monotone(
        self, days: Mapping[E, int], order: list[E], key: str, top: Mapping[str, Any]
    ) -> None:
        """Graver (later in `order`) must never mean longer: a downgrade or a graver signal
        must pull the next inspection in, never push it out."""
        table = top[key]
        for milder, graver in pairwise(order):
            if days[graver] > days[milder]:
                self.fail(
                    self.line_of(table, graver.value, self.line_of(top, key, None)),
                    f"{key}.{graver.value}",
                    f"{days[graver]} days is longer than {milder.value}'s {days[milder]}; "
                    "a graver case must never wait longer than a milder one",
                )

    def special_handling(self, value: Any, line: int | None) -> frozenset[Classification]:
        if not isinstance(value, list):
            self.fail(line, "special_handling", f"must be a list, got {show(value)}")
        found: list[Classification] = []
        for index, item in enumerate(value):
            item_line = self.line_of(value, index, line)
            code = self.code(Classification, item, f"special_handling[{index}]", item_line)
            if code in found:
                self.fail(item_line, f"special_handling[{index}]", f"{code.value} listed twice")
            found.append(code)
        return frozenset(found)

    def shortfall_tiers(self, top: Mapping[str, Any]) -> tuple[ShortfallTier, ...]:
        key, legacy = "collateral_shortfall_severity", "collateral_value_drop_threshold"
        line = self.line_of(top, key, None)
        if key not in top:
            for old in (legacy, "collateral_value_drop_severity"):
                if old not in top:
                    self.fail(None, None, f"missing {key} (each must be listed)")
            severity_key = "collateral_value_drop_severity"
            return (ShortfallTier(
                self.fraction(top[legacy], legacy, self.line_of(top, legacy, None), "0.20 = 20%"),
                self.code(Severity, top[severity_key], severity_key,
                          self.line_of(top, severity_key, None)),
            ),)
        if legacy in top or "collateral_value_drop_severity" in top:
            self.fail(self.line_of(top, legacy, line), legacy,
                      f"replaced by {key}; list its threshold there as the first tier")
        value = top[key]
        if not isinstance(value, list) or not value:
            self.fail(line, key, f"must be a list of {{above, severity}}, got {show(value)}")
        tiers: list[ShortfallTier] = []
        for index, entry in enumerate(value):
            path, entry_line = f"{key}[{index}]", self.line_of(value, index, line)
            spec = self.mapping(entry, path, entry_line, ["above", "severity"])
            tier = ShortfallTier(
                self.fraction(spec["above"], f"{path}.above", entry_line, "0.20 = 20%"),
                self.code(Severity, spec["severity"], f"{path}.severity", entry_line),
            )
            if tiers and (tier.above <= tiers[-1].above
                          or tier.severity.rank < tiers[-1].severity.rank):
                self.fail(entry_line, path, "tiers go from the smallest shortfall to the "
                          "largest, and a larger shortfall is never milder")
            tiers.append(tier)
        return tuple(tiers)

    def overdue(self, top: Mapping[str, Any]) -> dict[int, int]:
        """Days past due (at least) -> most days between inspections; longer arrears never
        allow a longer interval."""
        key = "overdue_interval_days"
        table, line = top.get(key, {}), self.line_of(top, key, None)
        if not isinstance(table, Mapping):
            self.fail(line, key, f"must be a mapping of days past due to days, got {show(table)}")
        rules: dict[int, int] = {}
        for raw, days in table.items():
            threshold = int(raw) if isinstance(raw, str) and raw.isdigit() else raw
            path, at = f"{key}.{raw}", self.line_of(table, raw, line)
            if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
                self.fail(at, path, "days past due must be a positive whole number")
            rules[threshold] = self.days(days, path, at)
        ordered = sorted(rules.items())
        for (_, milder), (worse, graver) in pairwise(ordered):
            if graver > milder:
                self.fail(self.line_of(table, worse, line), f"{key}.{worse}",
                          f"{graver} days is longer than for shorter arrears ({milder}); a "
                          "graver case must never wait longer than a milder one")
        return dict(ordered)

    def status_signals(
        self, value: Any, line: int | None
    ) -> dict[CollateralStatus, CollateralSignalSpec | None]:
        key = "collateral_status_signals"
        table = self.mapping(value, key, line, [s.value for s in CollateralStatus])
        result: dict[CollateralStatus, CollateralSignalSpec | None] = {}
        for status in CollateralStatus:
            entry = table[status.value]
            path = f"{key}.{status.value}"
            entry_line = self.line_of(table, status.value, line)
            if entry is None:
                result[status] = None
                continue
            if not isinstance(entry, Mapping):
                self.fail(
                    entry_line,
                    path,
                    f"must be {{severity: red|orange|yellow}} or null, got {show(entry)}",
                )
            spec = self.mapping(entry, path, entry_line, ["severity"], ["category", "event"])
            severity = self.code(Severity, spec["severity"], f"{path}.severity", entry_line)
            category = SignalCategory.COLLATERAL
            if spec.get("category") is not None:
                category = self.code(
                    SignalCategory, spec["category"], f"{path}.category", entry_line
                )
            event = spec.get("event", False)
            if not isinstance(event, bool):
                self.fail(entry_line, f"{path}.event", f"must be true or false, got {show(event)}")
            result[status] = CollateralSignalSpec(severity, category, event)
        return result
