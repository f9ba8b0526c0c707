"""The checklist templates shipped in the package: valid, complete and usable."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from inspector_app.domain.checklist import (
    AnswerState,
    AnswerValue,
    Checklist,
    Item,
    Template,
    TemplateKind,
    check_template_files,
    completion_check,
    default_template_dir,
    format_answer,
    is_abnormal,
    load_template_dir,
    parse_answer,
    raised_signals,
    select_checklist,
)
from inspector_app.domain.enums import AnswerType, Industry, LoanType, VisitKind
from inspector_app.domain.fund_recipient import Recipient

INDUSTRY_SUPPLEMENTS = {
    Industry.MANUFACTURING: "industry.manufacturing",
    Industry.REAL_ESTATE: "industry.real_estate",
    Industry.INFRASTRUCTURE: "industry.infrastructure",
    Industry.WHOLESALE_TRADE: "industry.wholesale_trade",
}
LOAN_MIXES = [
    (),
    (LoanType.WORKING_CAPITAL,),
    (LoanType.FIXED_ASSET,),
    (LoanType.WORKING_CAPITAL, LoanType.FIXED_ASSET),
    (LoanType.PERSONAL_BUSINESS,),
]


@pytest.fixture(scope="module")
def shipped() -> dict[str, Template]:
    return load_template_dir(default_template_dir())


def test_every_shipped_template_checks_clean() -> None:
    assert check_template_files([]) == []
    assert check_template_files([default_template_dir()]) == []
    assert check_template_files(sorted(default_template_dir().glob("*.yaml"))) == []


def test_the_expected_templates_are_shipped(shipped: dict[str, Template]) -> None:
    assert sorted(shipped) == sorted(
        ["first", "routine", "fixed_asset", "fund_flow", *INDUSTRY_SUPPLEMENTS.values()]
    )
    assert {c for c, t in shipped.items() if t.kind is TemplateKind.BASE} == {"first", "routine"}


def test_each_file_documents_the_format_in_its_header() -> None:
    for path in default_template_dir().glob("*.yaml"):
        header = path.read_text(encoding="utf-8").split("\ncode:")[0]
        for word in ("applies_to", "abnormal", "when_abnormal", "signal", "source", "required"):
            assert word in header, f"{path.name} header does not explain {word!r}"
        # A file that uses floors explains them (files not changed since keep their header:
        # changing a published file needs a new version).
        if "\n        floor:" in path.read_text(encoding="utf-8"):
            assert "floor" in header and "previous/" in header, path.name


def test_first_inspection_covers_its_focus(shipped: dict[str, Template]) -> None:
    first = shipped["first"]
    assert 12 <= len(list(first.items())) <= 18
    assert 3 <= len(first.sections) <= 5
    text = " ".join(i.question.zh for i in first.items())
    for topic in ("用途", "挪用", "受托支付", "审批", "登记", "评估"):
        assert topic in text, f"first inspection asks nothing about {topic}"


def test_routine_inspection_shape(shipped: dict[str, Template]) -> None:
    routine = shipped["routine"]
    assert [s.code for s in routine.sections] == [
        "willingness",
        "ability",
        "guarantee",
        "character",
        "legal",
    ]
    assert 25 <= len(list(routine.items())) <= 35
    # Every type but the fund recipient, which the fund_flow supplement asks for.
    assert {i.type for i in routine.items()} == set(AnswerType) - {AnswerType.RECIPIENT}


def test_every_item_cites_a_source_and_abnormal_answers_are_explained(
    shipped: dict[str, Template],
) -> None:
    for template in shipped.values():
        for item in template.items():
            assert item.source.strip(), item.code
            assert item.question.zh != item.question.en, item.code
            if not item.abnormal.empty:
                # Shipped policy: an abnormal answer always raises a signal and needs a note.
                assert item.signal is not None, item.code
                assert item.when_abnormal.note, item.code


@pytest.mark.parametrize(
    "code",
    ["R-ABL-01", "R-GUA-03", "F-SEC-03", "FA-PRG-02", "MFG-05", "MFG-08", "WHS-02", "RE-05"],
)
def test_stopped_production_and_missing_stock_need_a_photo(
    shipped: dict[str, Template], code: str
) -> None:
    items = {i.code: i for t in shipped.values() for i in t.items()}
    assert items[code].when_abnormal.photo


@pytest.mark.parametrize(
    ("visit_kind", "loans", "industry"),
    list(itertools.product(VisitKind, LOAN_MIXES, Industry)),
)
def test_select_checklist_on_shipped_templates(
    shipped: dict[str, Template],
    visit_kind: VisitKind,
    loans: tuple[LoanType, ...],
    industry: Industry,
) -> None:
    # The shipped version of each code (they move on: first@2 has its floors).
    expected = [shipped["first" if visit_kind is VisitKind.FIRST else "routine"].ref]
    if LoanType.FIXED_ASSET in loans:
        expected.append(shipped["fixed_asset"].ref)
    if visit_kind is VisitKind.FIRST:  # who received the funds: checked at the first visit
        expected.append(shipped["fund_flow"].ref)
    if industry in INDUSTRY_SUPPLEMENTS:
        expected.append(shipped[INDUSTRY_SUPPLEMENTS[industry]].ref)
    assert select_checklist(shipped, visit_kind, loans, industry).template_refs() == expected


def normal_answer(item: Item) -> AnswerValue:
    rule = item.abnormal
    match item.type:
        case AnswerType.YES_NO:
            return next(v for v in ("yes", "no", "na") if v not in rule.values)
        case AnswerType.CHOICE:
            return next(c.code for c in item.choices if c.code not in rule.values)
        case AnswerType.NUMBER | AnswerType.MONEY:
            # Bounds are strict, so the bound itself is a normal answer.
            return rule.below if rule.below is not None else rule.above or Decimal(0)
        case AnswerType.DATE:
            return date(2025, 6, 30)
        case AnswerType.RECIPIENT:  # stored as its canonical JSON text
            return Recipient("苏州恒信贸易有限公司").stored()
    return "正常"


def abnormal_answer(item: Item) -> AnswerValue | None:
    rule = item.abnormal
    if rule.values:
        return sorted(rule.values)[0]
    if rule.below is not None:
        return rule.below - 1
    if rule.above is not None:
        return rule.above + 1
    return None


def biggest_checklists(shipped: dict[str, Template]) -> list[Checklist]:
    loans = [LoanType.FIXED_ASSET]
    return [
        select_checklist(shipped, kind, loans, industry)
        for kind in (VisitKind.FIRST, VisitKind.ROUTINE)
        for industry in INDUSTRY_SUPPLEMENTS
    ]


def test_a_clean_visit_completes_with_no_signals(shipped: dict[str, Template]) -> None:
    for checklist in biggest_checklists(shipped):
        answers = {}
        for item in checklist.items():
            value = normal_answer(item)
            assert not is_abnormal(item, value), item.code
            assert parse_answer(item, format_answer(item, value)) == value
            answers[item.code] = AnswerState(value)
        assert completion_check(checklist, answers) == []
        assert raised_signals(checklist, answers) == []


def test_a_troubled_visit_demands_evidence_and_raises_every_signal(
    shipped: dict[str, Template],
) -> None:
    for checklist in biggest_checklists(shipped):
        answers = {}
        for item in checklist.items():
            value = abnormal_answer(item)
            answers[item.code] = AnswerState(value if value is not None else normal_answer(item))
        abnormal = [i for i in checklist.items() if is_abnormal(i, answers[i.code].value)]
        assert abnormal == [i for i in checklist.items() if not i.abnormal.empty]

        unmet = completion_check(checklist, answers)
        assert [u.item_code for u in unmet if u.kind == "note_required"] == [
            i.code for i in abnormal if i.when_abnormal.note
        ]
        assert [u.item_code for u in unmet if u.kind == "photo_required"] == [
            i.code for i in abnormal if i.when_abnormal.photo
        ]
        assert not [u for u in unmet if u.kind == "unanswered"]
        assert [i.code for i, _ in raised_signals(checklist, answers)] == [i.code for i in abnormal]

        explained = {
            code: AnswerState(state.value, note="见附件", photo_count=1)
            for code, state in answers.items()
        }
        assert completion_check(checklist, explained) == []
