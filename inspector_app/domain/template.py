"""Checklist templates as the application sees them: the frozen data model a visit's checklist
is made from, and the problems found in a template file.

Reading and validating the YAML files is template_loader's (with template_yaml and
template_validation).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from inspector_app.common.text import Text
from inspector_app.domain.classification_rules import RuleSource
from inspector_app.domain.enums import (
    AnswerType,
    Classification,
    Industry,
    LoanType,
    Severity,
    SignalCategory,
    VisitKind,
)

# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    text: Text


@dataclass(frozen=True)
class SignalSpec:
    """The risk warning signal an abnormal answer raises. ``event``: the answer records an
    event (the legal representative died, jailed or absconded; litigation) that proposes a
    special inspection (domain.schedule.OpenSignal)."""

    category: SignalCategory
    severity: Severity
    title: Text
    event: bool = False


@dataclass(frozen=True)
class AbnormalRule:
    """Which answers are abnormal: listed values (yes_no, choice) or bounds (number, money).

    Bounds are strict: a value equal to `below` or `above` is normal.
    """

    values: frozenset[str] = frozenset()
    below: Decimal | None = None
    above: Decimal | None = None

    @property
    def empty(self) -> bool:
        return not self.values and self.below is None and self.above is None


@dataclass(frozen=True)
class Evidence:
    """What the officer must add when the answer is abnormal."""

    note: bool = True
    photo: bool = False


@dataclass(frozen=True)
class AnswerFloor:
    """The minimum classification an abnormal answer sets by itself (the template's `floor:`):
    judgement configured on the finding, e.g. legal representative jailed => substandard."""

    at_least: Classification
    source: RuleSource
    answers: frozenset[str] = frozenset()  # which abnormal answers; empty = every one

    def applies_to(self, value: str | Decimal) -> bool:
        return not self.answers or value in self.answers


@dataclass(frozen=True)
class Item:
    code: str
    section_code: str
    question: Text
    type: AnswerType
    source: str
    choices: tuple[Choice, ...] = ()
    abnormal: AbnormalRule = AbnormalRule()
    when_abnormal: Evidence = Evidence()
    signal: SignalSpec | None = None
    required: bool = True
    floors: tuple[AnswerFloor, ...] = ()
    line: int | None = field(default=None, compare=False)

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)

    def floor_for(self, value: str | Decimal) -> AnswerFloor | None:
        """The worst floor this (abnormal) answer carries, if any; the caller checks that the
        answer is abnormal (a floor never applies to a normal answer)."""
        found = [f for f in self.floors if f.applies_to(value)]
        return max(found, key=lambda f: f.at_least.rank) if found else None


@dataclass(frozen=True)
class Section:
    code: str
    title: Text
    items: tuple[Item, ...]


class TemplateKind(StrEnum):
    BASE = "base"
    SUPPLEMENT = "supplement"


@dataclass(frozen=True)
class AppliesTo:
    """Which visits a template is for; an empty set means "any"."""

    visit_kinds: frozenset[VisitKind] = frozenset()
    loan_types: frozenset[LoanType] = frozenset()
    industries: frozenset[Industry] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.visit_kinds or self.loan_types or self.industries)

    def matches(
        self, visit_kind: VisitKind, loan_types: Iterable[LoanType], industry: Industry
    ) -> bool:
        return (
            (not self.visit_kinds or visit_kind in self.visit_kinds)
            and (not self.loan_types or not self.loan_types.isdisjoint(loan_types))
            and (not self.industries or industry in self.industries)
        )


@dataclass(frozen=True)
class Template:
    code: str
    version: int
    title: Text
    kind: TemplateKind
    applies_to: AppliesTo
    sections: tuple[Section, ...]
    path: Path | None = field(default=None, compare=False)

    @property
    def ref(self) -> str:
        """How a visit records which template (and version) it was filled with."""
        return f"{self.code}@{self.version}"

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items


class TemplateError(Exception):
    """One problem in a template file, located as precisely as the loader could."""

    def __init__(self, file: str, line: int | None, item_code: str | None, problem: str) -> None:
        super().__init__(file, line, item_code, problem)
        self.file = file
        self.line = line
        self.item_code = item_code
        self.problem = problem

    def __str__(self) -> str:
        where = Path(self.file).name + (f":{self.line}" if self.line is not None else "")
        item = f" item {self.item_code}:" if self.item_code else ""
        return f"{where}:{item} {self.problem}"


class TemplateValidationError(Exception):
    """Every problem found while loading one or more template files."""

    def __init__(self, errors: list[TemplateError]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        head = f"{len(self.errors)} problem(s) in checklist templates:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])
