"""The bank's inspection policy (intervals, thresholds, classification rules) as validated data.

The policy is a hand-edited YAML file (inspector_app/resources/policy.yaml) or rows pushed by
headquarters; both go through the same validation so a mistake is reported with the file, line
and field instead of surfacing later as a wrong due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

import yaml

from inspector_app import resources
from inspector_app.domain.enums import (
    Classification,
    CollateralStatus,
    LoanType,
    Severity,
    SignalCategory,
)

E = TypeVar("E", bound=StrEnum)

DEFAULT_POLICY_PATH = resources.policy_path()

# A loan not looked at for more than a year is not being managed; anything above this is far
# more likely a typo (900 for 90) than a decision.
MAX_DAYS = 366


class PolicyError(Exception):
    """A policy that cannot be used, with where (source, line) and which field is wrong."""

    def __init__(self, source: str, line: int | None, field: str | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.problem = problem
        where = source if line is None else f"{source}:{line}"
        super().__init__(": ".join(part for part in (where, field, problem) if part))


@dataclass(frozen=True)
class SignalRule:
    """At least `min_count` signals of `severity` or worse (of `category`, if set) ⇒ `then`."""

    then: Classification
    severity: Severity
    min_count: int = 1
    category: SignalCategory | None = None


@dataclass(frozen=True)
class CollateralRule:
    """Any collateral item observed with `collateral_status` ⇒ at least `then`."""

    then: Classification
    collateral_status: CollateralStatus


ClassificationRule = SignalRule | CollateralRule


@dataclass(frozen=True)
class CollateralSignalSpec:
    """The warning signal a collateral status raises."""

    severity: Severity
    category: SignalCategory = SignalCategory.COLLATERAL


@dataclass(frozen=True)
class Policy:
    """One validated version of the bank's inspection policy. Build with load_policy/from_dict."""

    version: int
    first_inspection_days: Mapping[LoanType, int]
    routine_interval_days: Mapping[Classification, int]
    special_handling: frozenset[Classification]
    collateral_value_drop_threshold: Decimal
    collateral_value_drop_severity: Severity
    signal_pull_in_days: Mapping[Severity, int]
    classification_rules: tuple[ClassificationRule, ...]
    collateral_status_signals: Mapping[CollateralStatus, CollateralSignalSpec | None]
    # Where it came from, for messages; two identical policies from different places are equal.
    source: str = field(default="<policy>", compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<policy>") -> Policy:
        """Validate plain data (as parsed from YAML or received from headquarters)."""
        return _Reader(source).policy(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that from_dict accepts back unchanged (for pushing policy as rows)."""
        rules: list[dict[str, Any]] = []
        for rule in self.classification_rules:
            when: dict[str, Any]
            if isinstance(rule, SignalRule):
                when = {"severity": rule.severity.value, "min_count": rule.min_count}
                if rule.category is not None:
                    when["category"] = rule.category.value
            else:
                when = {"collateral_status": rule.collateral_status.value}
            rules.append({"when": when, "then": rule.then.value})
        return {
            "version": self.version,
            "first_inspection_days": {k.value: v for k, v in self.first_inspection_days.items()},
            "routine_interval_days": {k.value: v for k, v in self.routine_interval_days.items()},
            "special_handling": [c.value for c in Classification if c in self.special_handling],
            # A string keeps the Decimal exact; from_dict accepts strings as well as numbers.
            "collateral_value_drop_threshold": str(self.collateral_value_drop_threshold),
            "collateral_value_drop_severity": self.collateral_value_drop_severity.value,
            "signal_pull_in_days": {k.value: v for k, v in self.signal_pull_in_days.items()},
            "classification_rules": rules,
            "collateral_status_signals": {
                status.value: None
                if spec is None
                else {"severity": spec.severity.value, "category": spec.category.value}
                for status, spec in self.collateral_status_signals.items()
            },
        }


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (default: the shipped policy.yaml)."""
    path = DEFAULT_POLICY_PATH if path is None else Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(source, None, None, f"cannot read the policy file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PolicyError(source, line, None, f"not valid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(source, None, None, f"not valid YAML: {exc}") from exc
    return Policy.from_dict(data, source=source)


# --- YAML with line numbers --------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    """A mapping that remembers the (1-based) line of each of its keys."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}


class _LineList(list[Any]):
    """A sequence that remembers the (1-based) line of each of its items."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences record source lines, and that rejects duplicate
    keys (PyYAML silently keeps the last one, which hides an editing mistake)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    data = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in data
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            ) from exc
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1
    return data


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    data = _LineList()
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- validation ----------------------------------------------------------------------------


class _Reader:
    """Walks plain data, turning it into a Policy or raising PolicyError at the first fault."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, line: int | None, path: str | None, problem: str) -> NoReturn:
        raise PolicyError(self.source, line, path, problem)

    @staticmethod
    def line_of(container: Any, key: Any, default: int | None) -> int | None:
        lines = getattr(container, "lines", None)
        line: int | None = default  # the loader's line tables hold ints
        if isinstance(lines, dict):
            line = lines.get(key, default)
        elif isinstance(lines, list) and isinstance(key, int) and key < len(lines):
            line = lines[key]
        return line

    def mapping(
        self,
        value: Any,
        path: str | None,
        line: int | None,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(line, path, f"must be a mapping of keys to values, got {_show(value)}")
        required = list(required)
        allowed = [*required, *optional]
        for key in value:
            if key not in allowed:
                self.fail(
                    self.line_of(value, key, line),
                    _join(path, str(key)),
                    f"unknown key; allowed here: {', '.join(allowed)}",
                )
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(line, path, f"missing {', '.join(missing)} (each must be listed)")
        return value

    def days(self, value: Any, path: str, line: int | None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
            self.fail(
                line,
                path,
                f"must be a positive whole number of days (1 to {MAX_DAYS}), got {_show(value)}",
            )
        return value

    def code(self, enum: type[E], value: Any, path: str, line: int | None) -> E:
        try:
            return enum(value)
        except (ValueError, TypeError):
            choices = ", ".join(member.value for member in enum)
            self.fail(line, path, f"must be one of {choices}, got {_show(value)}")

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
                "collateral_value_drop_threshold",
                "collateral_value_drop_severity",
                "signal_pull_in_days",
                "classification_rules",
                "collateral_status_signals",
            ],
        )

        def at(key: str) -> int | None:
            return self.line_of(top, key, None)

        version = top["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail(at("version"), "version", f"must be a positive integer, got {_show(version)}")

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
            collateral_value_drop_threshold=self.threshold(
                top["collateral_value_drop_threshold"], at("collateral_value_drop_threshold")
            ),
            collateral_value_drop_severity=self.code(
                Severity,
                top["collateral_value_drop_severity"],
                "collateral_value_drop_severity",
                at("collateral_value_drop_severity"),
            ),
            signal_pull_in_days=MappingProxyType(pull_in),
            classification_rules=self.rules(
                top["classification_rules"], at("classification_rules")
            ),
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
            self.fail(line, "special_handling", f"must be a list, got {_show(value)}")
        found: list[Classification] = []
        for index, item in enumerate(value):
            item_line = self.line_of(value, index, line)
            code = self.code(Classification, item, f"special_handling[{index}]", item_line)
            if code in found:
                self.fail(item_line, f"special_handling[{index}]", f"{code.value} listed twice")
            found.append(code)
        return frozenset(found)

    def threshold(self, value: Any, line: int | None) -> Decimal:
        path = "collateral_value_drop_threshold"
        problem = f"must be a fraction between 0 and 1 (0.20 = 20%), got {_show(value)}"
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.fail(line, path, problem)
        try:
            # Through str so that 0.2 becomes Decimal("0.2"), not the float's binary expansion.
            fraction = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(line, path, problem)
        if not fraction.is_finite() or not Decimal(0) < fraction < Decimal(1):
            self.fail(line, path, problem)
        return fraction

    def rules(self, value: Any, line: int | None) -> tuple[ClassificationRule, ...]:
        if not isinstance(value, list):
            self.fail(line, "classification_rules", f"must be a list, got {_show(value)}")
        rules: list[ClassificationRule] = []
        for index, item in enumerate(value):
            path = f"classification_rules[{index}]"
            item_line = self.line_of(value, index, line)
            rule = self.mapping(item, path, item_line, ["when", "then"])
            then_line = self.line_of(rule, "then", item_line)
            then = self.code(Classification, rule["then"], f"{path}.then", then_line)
            if then is Classification.NORMAL:
                self.fail(
                    then_line, f"{path}.then", "a rule that sets at least normal does nothing"
                )
            rules.append(self.rule_condition(rule["when"], then, f"{path}.when", item_line))
        return tuple(rules)

    def rule_condition(
        self, value: Any, then: Classification, path: str, line: int | None
    ) -> ClassificationRule:
        if isinstance(value, Mapping) and "collateral_status" in value:
            for key in ("severity", "min_count", "category"):
                if key in value:
                    self.fail(
                        self.line_of(value, key, line),
                        f"{path}.{key}",
                        "a rule is about signals (severity, min_count, category) or about a"
                        " collateral_status, not both; write two rules",
                    )
            when = self.mapping(value, path, line, ["collateral_status"])
            status = self.code(
                CollateralStatus,
                when["collateral_status"],
                f"{path}.collateral_status",
                self.line_of(when, "collateral_status", line),
            )
            return CollateralRule(then=then, collateral_status=status)
        when = self.mapping(value, path, line, ["severity"], ["min_count", "category"])
        severity = self.code(
            Severity, when["severity"], f"{path}.severity", self.line_of(when, "severity", line)
        )
        min_count = when.get("min_count", 1)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            self.fail(
                self.line_of(when, "min_count", line),
                f"{path}.min_count",
                f"must be a positive whole number, got {_show(min_count)}",
            )
        category = None
        if when.get("category") is not None:
            category = self.code(
                SignalCategory,
                when["category"],
                f"{path}.category",
                self.line_of(when, "category", line),
            )
        return SignalRule(then=then, severity=severity, min_count=min_count, category=category)

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
                    f"must be {{severity: red|orange|yellow}} or null, got {_show(entry)}",
                )
            spec = self.mapping(entry, path, entry_line, ["severity"], ["category"])
            severity = self.code(Severity, spec["severity"], f"{path}.severity", entry_line)
            category = SignalCategory.COLLATERAL
            if spec.get("category") is not None:
                category = self.code(
                    SignalCategory, spec["category"], f"{path}.category", entry_line
                )
            result[status] = CollateralSignalSpec(severity=severity, category=category)
        return result


def _join(path: str | None, key: str) -> str:
    return key if path is None else f"{path}.{key}"


def _show(value: Any) -> str:
    """How a bad value is quoted in a message: as the editor typed it, not as a Python repr."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)
