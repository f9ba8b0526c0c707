"""The checklist engine: which templates a visit uses, what its answers mean, what is missing.

Templates (the data model in template, the YAML loader in template_loader) are re-exported
here so the rest of the application imports the checklist API from one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from inspector_app.common.text import Text, UserError
from inspector_app.domain.enums import AnswerType, Industry, LoanType, VisitKind
from inspector_app.domain.fund_recipient import RecipientError, parse_recipient
from inspector_app.domain.rule_evaluation import FindingFloor
from inspector_app.domain.template import (
    AbnormalRule,
    AnswerFloor,
    AppliesTo,
    Choice,
    Evidence,
    Item,
    Section,
    SignalSpec,
    Template,
    TemplateError,
    TemplateKind,
    TemplateValidationError,
)
from inspector_app.domain.template_loader import (
    check_template_files,
    default_template_dir,
    load_template,
    load_template_dir,
)

__all__ = [
    "AbnormalRule",
    "AnswerError",
    "AnswerFloor",
    "AnswerState",
    "AnswerValue",
    "AppliesTo",
    "Checklist",
    "ChecklistSelectionError",
    "Choice",
    "Evidence",
    "Item",
    "Section",
    "SignalSpec",
    "Template",
    "TemplateError",
    "TemplateKind",
    "TemplateValidationError",
    "Unmet",
    "answer_floors",
    "check_template_files",
    "checklist_from_refs",
    "completion_check",
    "default_template_dir",
    "display_answer",
    "format_answer",
    "is_abnormal",
    "load_template",
    "load_template_dir",
    "parse_answer",
    "raised_signals",
    "select_checklist",
]

# yes_no: "yes"/"no"/"na"; choice: the choice code; number and money (yuan): Decimal;
# date: datetime.date; text: str; recipient: its JSON text (domain.fund_recipient).
AnswerValue = str | Decimal | date


# --- composing a checklist -----------------------------------------------------------------


class ChecklistSelectionError(LookupError):
    """The templates on hand cannot make a checklist for this visit."""


@dataclass(frozen=True)
class Checklist:
    """The checklist of one visit: a base template and the supplements its loans call for."""

    base: Template
    supplements: tuple[Template, ...] = ()
    _index: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.base.kind is not TemplateKind.BASE:
            raise ValueError(f"{self.base.code} is not a base template")
        index: dict[str, Item] = {}
        for template in self.supplements:
            if template.kind is not TemplateKind.SUPPLEMENT:
                raise ValueError(f"{template.code} is not a supplement")
        for item in self.items():
            if item.code in index:
                raise ValueError(f"item code {item.code} appears in two templates")
            index[item.code] = item
        object.__setattr__(self, "_index", index)

    @property
    def templates(self) -> tuple[Template, ...]:
        return (self.base, *self.supplements)

    def sections(self) -> Iterator[Section]:
        for template in self.templates:
            yield from template.sections

    def items(self) -> Iterator[Item]:
        for template in self.templates:
            yield from template.items()

    def item(self, code: str) -> Item:
        """The item with this code; KeyError if the checklist has none."""
        return self._index[code]

    def template_refs(self) -> list[str]:
        """The "code@version" of each template, to be stored with the visit."""
        return [t.ref for t in self.templates]


def select_checklist(
    templates: Mapping[str, Template],
    visit_kind: VisitKind,
    loan_types: Iterable[LoanType],
    industry: Industry,
) -> Checklist:
    """The base template for this kind of visit plus every supplement whose applies_to matches.

    Shipped templates give: first -> `first`; routine and special -> `routine`; any fixed-asset
    loan adds `fixed_asset`; the borrower's industry adds its `industry.*` supplement.
    """
    loans = frozenset(loan_types)
    matching = [t for t in templates.values() if t.applies_to.matches(visit_kind, loans, industry)]
    bases = [t for t in matching if t.kind is TemplateKind.BASE]
    if len(bases) != 1:
        found = ", ".join(sorted(t.code for t in bases)) or "none"
        raise ChecklistSelectionError(
            f"need exactly one base template for a {visit_kind} visit, found: {found}"
        )
    supplements = sorted(
        (t for t in matching if t.kind is TemplateKind.SUPPLEMENT), key=lambda t: t.code
    )
    return Checklist(bases[0], tuple(supplements))


def checklist_from_refs(templates: Iterable[Template], refs: Iterable[str]) -> Checklist:
    """Rebuild a visit's checklist from its stored refs, insisting on the exact versions."""
    by_ref = {t.ref: t for t in templates}
    chosen: list[Template] = []
    for ref in refs:
        if ref not in by_ref:
            raise ChecklistSelectionError(f"template {ref} is not available")
        chosen.append(by_ref[ref])
    if not chosen:
        raise ChecklistSelectionError("no template refs given")
    return Checklist(chosen[0], tuple(chosen[1:]))


# --- answers -------------------------------------------------------------------------------


class AnswerError(UserError):
    """An answer the item cannot accept; ``.text`` tells the officer what is expected."""

    # The names this error had before Text; tests of the answer parsers still read them.
    @property
    def message_zh(self) -> str:
        return self.text.zh

    @property
    def message_en(self) -> str:
        return self.text.en

    def message(self, lang: str = "zh") -> str:
        return self.text.in_(lang)


_YES_NO_WORDS = {
    "yes": "yes", "y": "yes", "是": "yes",
    "no": "no", "n": "no", "否": "no",
    "na": "na", "n/a": "na", "不适用": "na",
}  # fmt: skip
_YES_NO_LABELS = {
    "yes": Text("是", "Yes"),
    "no": Text("否", "No"),
    "na": Text("不适用", "N/A"),
}
# Beyond these a figure is a typing slip rather than a fact about a borrower, and the limits
# keep Decimal's exponent small enough to write out in full.
_MAX_MAGNITUDE = Decimal(10) ** 15
_NUMBER_PLACES = 6
_MONEY_PLACES = 2
_MONEY_UNITS = (("亿元", 8), ("亿", 8), ("万元", 4), ("万", 4), ("元", 0))
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$|^(\d{4})(\d{2})(\d{2})$")


def parse_answer(item: Item, raw: str) -> AnswerValue:
    """What the officer typed, as the value the item stores; AnswerError if it cannot be."""
    if not raw.strip():
        raise AnswerError(Text("请填写答案", "an answer is required"))
    if item.type is AnswerType.TEXT:
        return raw  # the officer's own words, kept exactly as typed
    if item.type is AnswerType.RECIPIENT:
        # Stored as the recipient's canonical JSON text (domain.fund_recipient), so a value
        # stays a str like every other code-like answer and round-trips exactly.
        try:
            return parse_recipient(raw).stored()
        except RecipientError as e:
            raise AnswerError(e.text) from None
    # NFKC folds full-width digits and punctuation typed with a Chinese input method.
    text = unicodedata.normalize("NFKC", raw).strip()
    match item.type:
        case AnswerType.YES_NO:
            if (value := _YES_NO_WORDS.get(text.lower())) is None:
                raise AnswerError(Text("请回答：是、否或不适用", "answer yes, no or n/a"))
            return value
        case AnswerType.CHOICE:
            # Codes first, so a label that happens to equal another choice's code cannot win.
            for choice in item.choices:
                if text == choice.code:
                    return choice.code
            for choice in item.choices:
                if text in (choice.text.zh, choice.text.en):
                    return choice.code
            # The labels the officer sees, in each language (the codes are the store's).
            options = Text("、".join(c.text.zh for c in item.choices),
                           ", ".join(c.text.en for c in item.choices))
            raise AnswerError(Text(f"请从以下选项中选择：{options.zh}",
                                   f"choose one of: {options.en}"))
        case AnswerType.NUMBER:
            return _parse_number(text.removesuffix("%"), money=False)
        case AnswerType.MONEY:
            return _parse_number(text, money=True)
        case AnswerType.DATE:
            return _parse_date(text)
    raise AssertionError(f"unhandled answer type {item.type}")


def _parse_number(text: str, *, money: bool) -> Decimal:
    scale = 0
    if money:
        text = text.removeprefix("¥").removeprefix("RMB").strip()
        for suffix, power in _MONEY_UNITS:
            if text.endswith(suffix):
                text, scale = text.removesuffix(suffix), power
                break
    try:
        value = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        if money:
            raise AnswerError(Text("金额必须是数字", "amount must be a number")) from None
        raise AnswerError(Text("必须填写数字", "must be a number")) from None
    if not value.is_finite():
        raise AnswerError(Text("必须填写数字", "must be a number"))
    if scale:
        value = value.scaleb(scale)
    if abs(value) >= _MAX_MAGNITUDE:
        raise AnswerError(Text("数值超出合理范围", "number is too large"))
    places = _MONEY_PLACES if money else _NUMBER_PLACES
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        if money:
            raise AnswerError(
                Text("金额最多精确到分（两位小数）", "amount has more than 2 decimals"))
        raise AnswerError(Text(f"最多保留{places}位小数", f"at most {places} decimal places"))
    return value


def _parse_date(text: str) -> date:
    match = _DATE.match(text)
    if match is None:
        raise AnswerError(Text("日期格式应为 2024-03-31", "date must look like 2024-03-31"))
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return date(year, month, day)
    except ValueError:
        raise AnswerError(Text("日期不存在", "no such date")) from None


def format_answer(item: Item, value: AnswerValue) -> str:
    """The stored form of a value; parse_answer turns it back into an equal value."""
    match item.type:
        case AnswerType.NUMBER | AnswerType.MONEY if isinstance(value, Decimal):
            text = format(value, "f")
        case AnswerType.DATE if isinstance(value, date) and not isinstance(value, datetime):
            text = value.isoformat()
        case (AnswerType.YES_NO | AnswerType.CHOICE | AnswerType.TEXT
              | AnswerType.RECIPIENT) if isinstance(value, str):
            text = value
        case _:
            raise AnswerError(
                Text("答案类型与检查项不符", f"{value!r} is not a {item.type} answer"))
    # Checking the round trip here keeps invalid values out of storage whatever their origin.
    if parse_answer(item, text) != value:
        raise AnswerError(Text("答案无效", f"{value!r} is not a valid answer for {item.code}"))
    return text


def display_answer(item: Item, value: AnswerValue | None, lang: str = "zh") -> str:
    """A value as the officer and the report should see it."""
    if value is None:
        return ""
    match item.type:
        case AnswerType.YES_NO:
            return _YES_NO_LABELS[str(value)].in_(lang)
        case AnswerType.CHOICE:
            choice = item.choice(str(value))
            return choice.text.in_(lang) if choice else str(value)
        case AnswerType.MONEY:
            return f"CNY {value:,.2f}" if lang == "en" else f"{value:,.2f} 元"
        case AnswerType.NUMBER:
            return f"{value:,f}"
        case AnswerType.DATE if isinstance(value, date):
            return value.isoformat()
        case AnswerType.RECIPIENT:
            return parse_recipient(str(value)).shown(lang)
    return str(value)


def is_abnormal(item: Item, value: AnswerValue | None) -> bool:
    """Whether the answer is one the template marks abnormal; an unanswered item is not."""
    rule: AbnormalRule = item.abnormal
    if value is None:
        return False
    if isinstance(value, str):
        return value in rule.values
    if isinstance(value, Decimal):
        return (rule.below is not None and value < rule.below) or (
            rule.above is not None and value > rule.above
        )
    return False


# --- completeness and signals --------------------------------------------------------------


@dataclass(frozen=True)
class AnswerState:
    """What the officer has recorded for one item so far."""

    value: AnswerValue | None = None
    note: str = ""
    photo_count: int = 0


UnmetKind = Literal["unanswered", "note_required", "photo_required"]


@dataclass(frozen=True)
class Unmet:
    """One thing still missing before the checklist can be completed."""

    item_code: str
    section_code: str
    kind: UnmetKind
    text: Text  # names the item and what it lacks

    # The names Unmet had before Text; the checklist tests still read them.
    @property
    def message_zh(self) -> str:
        return self.text.zh

    @property
    def message_en(self) -> str:
        return self.text.en

    def message(self, lang: str = "zh") -> str:
        return self.text.in_(lang)


def completion_check(checklist: Checklist, answers: Mapping[str, AnswerState]) -> list[Unmet]:
    """Every unmet requirement, in checklist order; empty when the visit can be completed."""
    unmet: list[Unmet] = []
    for item in checklist.items():
        state = answers.get(item.code, AnswerState())
        if state.value is None:
            if item.required:
                unmet.append(_unmet(item, "unanswered", Text("尚未回答", "not answered")))
            continue
        if not is_abnormal(item, state.value):
            continue
        if item.when_abnormal.note and not state.note.strip():
            lacking = Text("答案异常，须填写情况说明", "abnormal answer needs a note")
            unmet.append(_unmet(item, "note_required", lacking))
        if item.when_abnormal.photo and state.photo_count < 1:
            lacking = Text("答案异常，须附现场照片", "abnormal answer needs a photo")
            unmet.append(_unmet(item, "photo_required", lacking))
    return unmet


def _unmet(item: Item, kind: UnmetKind, lacking: Text) -> Unmet:
    text = Text(
        f"「{item.question.zh}」{lacking.zh}",
        f"“{item.question.en}”: {lacking.en}",
    )
    return Unmet(item.code, item.section_code, kind, text)


def raised_signals(
    checklist: Checklist, answers: Mapping[str, AnswerState]
) -> list[tuple[Item, SignalSpec]]:
    """The warning signals the answers raise, in checklist order."""
    return [
        (item, item.signal)
        for item in checklist.items()
        if item.signal is not None
        and item.code in answers
        and is_abnormal(item, answers[item.code].value)
    ]


def answer_floors(checklist: Checklist, answers: Mapping[str, AnswerState]) -> list[FindingFloor]:
    """The minimum classifications the answers set by themselves (templates' `floor:`), in
    checklist order; a floor applies only to an abnormal answer."""
    found: list[FindingFloor] = []
    for item in checklist.items():
        state = answers.get(item.code)
        value = None if state is None else state.value
        if not item.floors or value is None or isinstance(value, date) \
                or not is_abnormal(item, value):
            continue
        floor = item.floor_for(value)
        if floor is not None:
            finding = Text(
                f"检查项{item.code}「{item.question.zh}」答：{display_answer(item, value, 'zh')}",
                f"Item {item.code} “{item.question.en}” answered: "
                f"{display_answer(item, value, 'en')}",
            )
            found.append(FindingFloor(item.code, floor.at_least, finding, floor.source))
    return found
