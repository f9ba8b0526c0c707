"""The checklist engine: template validation, selection, answers, completeness and signals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.common.text import Text
from inspector_app.domain.checklist import (
    AbnormalRule,
    AnswerError,
    AnswerState,
    AppliesTo,
    Checklist,
    ChecklistSelectionError,
    Choice,
    Evidence,
    Item,
    Section,
    SignalSpec,
    Template,
    TemplateError,
    TemplateKind,
    TemplateValidationError,
    check_template_files,
    checklist_from_refs,
    completion_check,
    display_answer,
    format_answer,
    is_abnormal,
    load_template,
    load_template_dir,
    parse_answer,
    raised_signals,
    select_checklist,
)
from inspector_app.domain.enums import AnswerType, Industry, LoanType, Severity, SignalCategory
from inspector_app.domain.enums import VisitKind as VK

# --- template validation -------------------------------------------------------------------

VALID = """\
code: demo
version: 1
title: {zh: 演示, en: Demo}
kind: base
applies_to:
  visit_kinds: [routine]
sections:
  - code: s1
    title: {zh: 第一部分, en: Part one}
    items:
      - code: D-01
        question: {zh: 生产是否正常？, en: "Is production normal?"}
        type: yes_no
        abnormal: [no]
        when_abnormal: {note: true, photo: true}
        signal:
          category: operational
          severity: orange
          title: {zh: 停产, en: Production stopped}
        source: "domain.md §The visit 3"
      - code: D-02
        question: {zh: 生产线状况, en: Production lines}
        type: choice
        choices:
          - {code: running, zh: 运行, en: Running}
          - {code: stopped, zh: 停工, en: Stopped}
        abnormal: [stopped]
        source: "seed 000 第二章 二(一)"
      - code: D-03
        question: {zh: 产能利用率（%）, en: Capacity use (%)}
        type: number
        abnormal: {below: 50}
        source: "seed 000 第二章 二(一)"
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing marker, so tests don't hard-code numbers."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return hits[occurrence - 1]


def errors_for(tmp_path: Path, text: str) -> list[TemplateError]:
    with pytest.raises(TemplateValidationError) as caught:
        load_template(write(tmp_path, text))
    return caught.value.errors


def test_valid_template_loads_into_the_model(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, VALID))
    assert template.ref == "demo@1"
    assert template.kind is TemplateKind.BASE
    assert template.applies_to.visit_kinds == {VK.ROUTINE}
    first, choice, number = template.items()
    # `no` must stay the answer value "no", not YAML 1.1's boolean False.
    assert first.abnormal.values == {"no"}
    assert first.when_abnormal == Evidence(note=True, photo=True)
    assert first.signal == SignalSpec(
        SignalCategory.OPERATIONAL, Severity.ORANGE, Text("停产", "Production stopped")
    )
    assert first.section_code == "s1"
    assert first.line == line_of(VALID, "code: D-01")
    assert choice.choices[1] == Choice("stopped", Text("停工", "Stopped"))
    assert choice.when_abnormal == Evidence(note=True, photo=False)  # the default
    assert number.abnormal == AbnormalRule(below=Decimal(50))
    assert number.required is True


# Each case: how to break VALID, the text marking the line the error must name, the item it
# must name (or None), and a fragment of the problem.
BAD_TEMPLATES = {
    "unknown answer type": (
        ("type: yes_no", "type: yesno"),
        "type: yesno",
        "D-01",
        "unknown answer type 'yesno' (expected one of: yes_no, choice, number, money, date, "
        "text, recipient)",
    ),
    "misspelt item key": (
        ('        source: "domain.md', '        sourse: "domain.md'),
        "sourse:",
        "D-01",
        "unknown key 'sourse' (did you mean 'source'?)",
    ),
    "missing source": (
        ('        source: "domain.md §The visit 3"\n', ""),
        "code: D-01",
        "D-01",
        "missing 'source'",
    ),
    "missing English question": (
        (
            'question: {zh: 生产是否正常？, en: "Is production normal?"}',
            "question: {zh: 生产是否正常？}",
        ),
        "question: {zh: 生产是否正常？}",
        "D-01",
        "question is missing English text ('en')",
    ),
    "question as plain text": (
        ("question: {zh: 生产线状况, en: Production lines}", "question: 生产线状况"),
        "question: 生产线状况",
        "D-02",
        "needs both a Chinese ('zh') and an English ('en') text",
    ),
    "empty Chinese title": (
        ("title: {zh: 第一部分, en: Part one}", "title: {zh: '', en: Part one}"),
        "title: {zh: '', en: Part one}",
        None,
        "has empty or invalid ('') Chinese text ('zh')",
    ),
    "duplicate item code": (
        ("code: D-02", "code: D-01"),
        "code: D-01",  # the second occurrence, see the occurrence override below
        "D-01",
        "duplicate item code (first used on line",
    ),
    "choice without choices": (
        ("type: number", "type: choice"),
        "code: D-03",
        "D-03",
        "a choice item needs 'choices'",
    ),
    "yes_no abnormal not an answer": (
        ("abnormal: [no]", "abnormal: [maybe]"),
        "abnormal: [maybe]",
        "D-01",
        "abnormal value 'maybe' is not a valid yes_no answer (expected: yes, no, na)",
    ),
    "choice abnormal not a choice": (
        ("abnormal: [stopped]", "abnormal: [broken]"),
        "abnormal: [broken]",
        "D-02",
        "abnormal value 'broken' is not a valid choice answer (expected: running, stopped)",
    ),
    "every answer abnormal": (
        ("abnormal: [stopped]", "abnormal: [stopped, running]"),
        "abnormal: [stopped, running]",
        "D-02",
        "every possible answer is listed as abnormal",
    ),
    "number bound not a number": (
        ("abnormal: {below: 50}", "abnormal: {below: half}"),
        "abnormal: {below: half}",
        "D-03",
        "abnormal 'below' must be a number, not 'half'",
    ),
    "bounds the wrong way round": (
        ("abnormal: {below: 50}", "abnormal: {below: 50, above: 10}"),
        "abnormal: {below: 50, above: 10}",
        "D-03",
        "'below' (50) must be less than 'above' (10)",
    ),
    "signal without severity": (
        ("          severity: orange\n", ""),
        "category: operational",  # a block mapping starts at its first key
        "D-01",
        "signal: missing 'severity'",
    ),
    "signal with unknown category": (
        ("category: operational", "category: finance"),
        "category: finance",
        "D-01",
        "unknown signal category 'finance' (expected one of: financial, operational,",
    ),
    "signal without abnormal": (
        ("        abnormal: [no]\n", ""),
        "signal:",
        "D-01",
        "'signal' given but no answer is 'abnormal'",
    ),
    "abnormal on a text answer": (
        ("type: number\n        abnormal: {below: 50}", "type: text\n        abnormal: [x]"),
        "abnormal: [x]",
        "D-03",
        "a text answer cannot be abnormal",
    ),
    "choices on a yes_no item": (
        ("type: yes_no\n", "type: yes_no\n        choices: [a, b]\n"),
        "choices: [a, b]",
        "D-01",
        "'choices' given but the answer type is 'yes_no'",
    ),
    "required spelt yes": (
        ("type: number\n", "type: number\n        required: yes\n"),
        "required: yes",
        "D-03",
        "required must be true or false, not 'yes'",
    ),
    "unquoted comma in a text": (
        ('en: "Is production normal?"}', "en: Production normal, or not}"),
        "en: Production normal, or not}",
        "D-01",
        "unknown key 'or not' (if it is part of a text, put the whole text in quotes)",
    ),
    "key given twice": (
        ("type: number\n", "type: number\n        type: money\n"),
        "type: money",
        "D-03",
        "'type' is given twice",
    ),
    "empty section": (
        ("sections:\n", "sections:\n  - code: s0\n    title: {zh: 空, en: Empty}\n    items: []\n"),
        "items: []",
        None,
        "section s0 has no items",
    ),
    "bad visit kind": (
        ("visit_kinds: [routine]", "visit_kinds: [regular]"),
        "visit_kinds: [regular]",
        None,
        "unknown visit kind 'regular' (expected one of: first, routine, special)",
    ),
    "version not a number": (
        ("version: 1", "version: one"),
        "version: one",
        None,
        "version must be a whole number ≥ 1, not 'one'",
    ),
    "supplement that applies to everything": (
        ("kind: base\napplies_to:\n  visit_kinds: [routine]\n", "kind: supplement\n"),
        "kind: supplement",  # reported on the template's first line; see override below
        None,
        "a supplement must say in 'applies_to' which visits it is added to",
    ),
    "bad template code": (
        ("code: demo", "code: Demo Template"),
        "code: Demo Template",
        None,
        "template code 'Demo Template' must be lowercase words",
    ),
    "unquoted question mark in a text": (
        ('en: "Is production normal?"}', "en: Is production normal?}"),
        "en: Is production normal?}",
        None,
        "(inside { } or [ ], put a text containing , : ? # [ ] { } in quotes)",
    ),
    "YAML syntax error": (
        ("        type: yes_no\n", "        type: [yes_no\n"),
        "abnormal: [no]",
        None,
        "YAML syntax error: while parsing a flow sequence",
    ),
}
# Where the marker alone does not pick the line the error belongs on.
LINE_OVERRIDES = {
    "duplicate item code": lambda text: line_of(text, "code: D-01", occurrence=2),
    "supplement that applies to everything": lambda text: 1,
}


@pytest.mark.parametrize("case", list(BAD_TEMPLATES))
def test_each_kind_of_bad_template_is_named_with_file_line_and_item(
    tmp_path: Path, case: str
) -> None:
    (old, new), marker, item_code, problem = BAD_TEMPLATES[case]
    assert old in VALID, "the test case no longer matches VALID"
    text = VALID.replace(old, new, 1)
    expected_line = LINE_OVERRIDES.get(case, lambda t: line_of(t, marker))(text)

    errors = errors_for(tmp_path, text)

    matching = [e for e in errors if problem in e.problem]
    assert matching, f"no error containing {problem!r} in {[str(e) for e in errors]}"
    error = matching[0]
    assert Path(error.file).name == "demo.yaml"
    if case == "YAML syntax error":
        # The scanner notices the unclosed bracket a line or two later; it must not be far off.
        assert error.line is not None and abs(error.line - expected_line) <= 2
    else:
        assert error.line == expected_line
    assert error.item_code == item_code


def test_error_reads_file_line_item_problem(tmp_path: Path) -> None:
    text = VALID.replace("type: yes_no", "type: yesno")
    (error,) = errors_for(tmp_path, text)
    line = line_of(text, "type: yesno")
    assert str(error) == (
        f"demo.yaml:{line}: item D-01: unknown answer type 'yesno' "
        "(expected one of: yes_no, choice, number, money, date, text, recipient)"
    )
    assert str(TemplateError("x/a.yaml", None, None, "file not found")) == "a.yaml: file not found"


def test_all_errors_in_a_file_are_collected_in_line_order(tmp_path: Path) -> None:
    text = (
        VALID.replace("type: yes_no", "type: yesno")
        .replace("abnormal: [stopped]", "abnormal: [broken]")
        .replace('        source: "seed 000 第二章 二(一)"\n', "", 1)
    )
    errors = errors_for(tmp_path, text)
    assert [e.item_code for e in errors] == ["D-01", "D-02", "D-02"]
    assert [e.line for e in errors] == sorted(e.line or 0 for e in errors)
    problems = " | ".join(e.problem for e in errors)
    assert "yesno" in problems and "broken" in problems and "missing 'source'" in problems


def test_file_problems_are_errors_not_crashes(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(VALID.encode("gbk"))
    empty = write(tmp_path, "", "empty.yaml")
    a_list = write(tmp_path, "- just\n- a list\n", "list.yaml")
    missing = tmp_path / "missing.yaml"

    errors = check_template_files([gbk, empty, a_list, missing])

    by_file = {Path(e.file).name: e.problem for e in errors}
    assert "not UTF-8" in by_file["gbk.yaml"]
    assert by_file["empty.yaml"] == "the file is empty"
    assert "must be a mapping" in by_file["list.yaml"]
    assert by_file["missing.yaml"] == "file not found"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_template(path).code == "demo"


def test_codes_must_be_unique_across_files(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    write(tmp_path, VALID.replace("code: D-02", "code: D-09"), "b.yaml")

    with pytest.raises(TemplateValidationError) as caught:
        load_template_dir(tmp_path)

    problems = [(Path(e.file).name, e.item_code, e.problem) for e in caught.value.errors]
    assert ("b.yaml", None, "template code 'demo' is also used by a.yaml") in problems
    assert ("b.yaml", "D-01", "item code is also used by a.yaml") in problems
    assert ("b.yaml", "D-09", "item code is also used by a.yaml") not in problems


def test_check_template_files_accepts_directories_and_reports_nothing_when_clean(
    tmp_path: Path,
) -> None:
    write(tmp_path, VALID)
    assert check_template_files([tmp_path]) == []
    assert check_template_files([tmp_path / "demo.yaml"]) == []
    other = VALID.replace("code: demo", "code: other").replace("type: yes_no", "type: x")
    write(tmp_path, other, "other.yaml")
    errors = check_template_files([tmp_path])
    assert [(Path(e.file).name, e.item_code) for e in errors] == [("other.yaml", "D-01")]


def test_load_template_dir_keys_by_code(tmp_path: Path) -> None:
    write(tmp_path, VALID, "one.yaml")
    two = VALID.replace("code: demo", "code: industry.demo").replace("D-0", "E-0")
    two = two.replace("code: s1", "code: s2").replace("kind: base", "kind: supplement")
    write(tmp_path, two, "two.yaml")
    assert sorted(load_template_dir(tmp_path)) == ["demo", "industry.demo"]


# --- building checklists -------------------------------------------------------------------


def make_item(code: str, answer_type: AnswerType = AnswerType.YES_NO, **kw: object) -> Item:
    kw.setdefault("section_code", code.split("-")[0].lower())
    return Item(
        code=code,
        question=Text(f"问题{code}", f"Question {code}"),
        type=answer_type,
        source="test",
        **kw,  # type: ignore[arg-type]
    )


def make_template(
    code: str,
    items: list[Item],
    kind: TemplateKind = TemplateKind.BASE,
    applies_to: AppliesTo | None = None,
    version: int = 1,
) -> Template:
    sections: dict[str, list[Item]] = {}
    for item in items:
        sections.setdefault(item.section_code, []).append(item)
    return Template(
        code,
        version,
        Text(code, code),
        kind,
        applies_to or AppliesTo(),
        tuple(Section(s, Text(s, s), tuple(its)) for s, its in sections.items()),
    )


SIGNAL = SignalSpec(SignalCategory.OPERATIONAL, Severity.RED, Text("停产", "Stopped"))
STOPPED = make_item(
    "A-01",
    abnormal=AbnormalRule(values=frozenset({"no"})),
    when_abnormal=Evidence(note=True, photo=True),
    signal=SIGNAL,
)
LINES = make_item(
    "A-02",
    AnswerType.CHOICE,
    choices=(Choice("full", Text("全部开工", "All running")), Choice("idle", Text("停工", "Idle"))),
    abnormal=AbnormalRule(values=frozenset({"idle"})),
    when_abnormal=Evidence(note=False, photo=True),
)
CAPACITY = make_item(
    "B-01",
    AnswerType.NUMBER,
    abnormal=AbnormalRule(below=Decimal(50)),
    when_abnormal=Evidence(note=True, photo=False),
    signal=SignalSpec(SignalCategory.OPERATIONAL, Severity.YELLOW, Text("低", "Low")),
)
REMARKS = make_item("B-02", AnswerType.TEXT, required=False)
SMALL = Checklist(make_template("small", [STOPPED, LINES, CAPACITY, REMARKS]))


def test_checklist_items_in_order_and_lookup() -> None:
    extra = make_item("C-01")
    checklist = Checklist(
        SMALL.base,
        (make_template("extra", [extra], TemplateKind.SUPPLEMENT, version=3),),
    )
    assert [i.code for i in checklist.items()] == ["A-01", "A-02", "B-01", "B-02", "C-01"]
    assert [s.code for s in checklist.sections()] == ["a", "b", "c"]
    assert checklist.item("C-01") is extra
    assert checklist.template_refs() == ["small@1", "extra@3"]
    with pytest.raises(KeyError):
        checklist.item("Z-99")


def test_checklist_refuses_clashing_item_codes_and_wrong_kinds() -> None:
    clash = make_template("clash", [make_item("A-01")], TemplateKind.SUPPLEMENT)
    with pytest.raises(ValueError, match="A-01"):
        Checklist(SMALL.base, (clash,))
    with pytest.raises(ValueError, match="not a supplement"):
        Checklist(SMALL.base, (make_template("x", [make_item("X-01")]),))


SYNTHETIC = {
    t.code: t
    for t in (
        make_template(
            "first", [make_item("F-01")], applies_to=AppliesTo(visit_kinds=frozenset({VK.FIRST}))
        ),
        make_template(
            "routine",
            [make_item("R-01")],
            applies_to=AppliesTo(visit_kinds=frozenset({VK.ROUTINE, VK.SPECIAL})),
        ),
        make_template(
            "fixed_asset",
            [make_item("FA-01")],
            TemplateKind.SUPPLEMENT,
            AppliesTo(loan_types=frozenset({LoanType.FIXED_ASSET})),
        ),
        make_template(
            "industry.real_estate",
            [make_item("RE-01")],
            TemplateKind.SUPPLEMENT,
            AppliesTo(industries=frozenset({Industry.REAL_ESTATE})),
        ),
        make_template(
            "special_only",
            [make_item("SP-01")],
            TemplateKind.SUPPLEMENT,
            AppliesTo(visit_kinds=frozenset({VK.SPECIAL}), industries=frozenset({Industry.OTHER})),
        ),
    )
}


@pytest.mark.parametrize(
    ("kind", "loans", "industry", "refs"),
    [
        (VK.FIRST, [LoanType.WORKING_CAPITAL], Industry.OTHER, ["first@1"]),
        (VK.ROUTINE, [LoanType.WORKING_CAPITAL], Industry.OTHER, ["routine@1"]),
        (VK.SPECIAL, [LoanType.WORKING_CAPITAL], Industry.OTHER, ["routine@1", "special_only@1"]),
        (VK.ROUTINE, [], Industry.REAL_ESTATE, ["routine@1", "industry.real_estate@1"]),
        (
            VK.FIRST,
            [LoanType.WORKING_CAPITAL, LoanType.FIXED_ASSET],
            Industry.REAL_ESTATE,
            ["first@1", "fixed_asset@1", "industry.real_estate@1"],
        ),
    ],
)
def test_select_checklist_follows_applies_to(
    kind: VK, loans: list[LoanType], industry: Industry, refs: list[str]
) -> None:
    assert select_checklist(SYNTHETIC, kind, loans, industry).template_refs() == refs


def test_select_checklist_needs_exactly_one_base() -> None:
    without_first = {c: t for c, t in SYNTHETIC.items() if c != "first"}
    with pytest.raises(ChecklistSelectionError, match="found: none"):
        select_checklist(without_first, VK.FIRST, [], Industry.OTHER)
    two = dict(SYNTHETIC, other=make_template("other", [make_item("O-01")]))
    with pytest.raises(ChecklistSelectionError, match="found: other, routine"):
        select_checklist(two, VK.ROUTINE, [], Industry.OTHER)


def test_checklist_from_refs_insists_on_the_stored_versions() -> None:
    chosen = select_checklist(SYNTHETIC, VK.ROUTINE, [LoanType.FIXED_ASSET], Industry.OTHER)
    rebuilt = checklist_from_refs(SYNTHETIC.values(), chosen.template_refs())
    assert rebuilt == chosen
    with pytest.raises(ChecklistSelectionError, match="routine@2"):
        checklist_from_refs(SYNTHETIC.values(), ["routine@2"])


# --- answers -------------------------------------------------------------------------------

YES_NO = make_item("Q-01")
CHOICE = LINES
NUMBER = make_item(
    "Q-03", AnswerType.NUMBER, abnormal=AbnormalRule(below=Decimal(-20), above=Decimal(80))
)
MONEY = make_item("Q-04", AnswerType.MONEY, abnormal=AbnormalRule(below=Decimal(0)))
DATE = make_item("Q-05", AnswerType.DATE)
TEXT = make_item("Q-06", AnswerType.TEXT)

BOUND = Decimal("1e15") - 1


@st.composite
def numbers(draw: st.DrawFn, places: int) -> Decimal:
    digits = draw(st.integers(min_value=0, max_value=places))
    return draw(st.decimals(min_value=-BOUND, max_value=BOUND, places=digits))


@given(
    st.one_of(
        st.tuples(st.just(YES_NO), st.sampled_from(["yes", "no", "na"])),
        st.tuples(st.just(CHOICE), st.sampled_from(["full", "idle"])),
        st.tuples(st.just(NUMBER), numbers(6)),
        st.tuples(st.just(MONEY), numbers(2)),
        st.tuples(st.just(DATE), st.dates()),
        st.tuples(st.just(TEXT), st.text(min_size=1).filter(str.strip)),
    )
)
def test_format_then_parse_gives_back_the_value(case: tuple[Item, object]) -> None:
    item, value = case
    stored = format_answer(item, value)  # type: ignore[arg-type]
    assert isinstance(stored, str)
    assert parse_answer(item, stored) == value


@pytest.mark.parametrize(
    ("item", "raw", "value"),
    [
        (YES_NO, " Yes ", "yes"),
        (YES_NO, "否", "no"),
        (YES_NO, "N/A", "na"),
        (CHOICE, "idle", "idle"),
        (CHOICE, "停工", "idle"),  # the label the officer sees
        (NUMBER, "-12.5", Decimal("-12.5")),
        (NUMBER, "65%", Decimal(65)),
        (NUMBER, "１２３", Decimal(123)),  # full-width digits from a Chinese input method
        (MONEY, "1,234,567.80", Decimal("1234567.80")),
        (MONEY, "¥1,000元", Decimal(1000)),
        (MONEY, "500万", Decimal(5_000_000)),
        (MONEY, "1.5亿元", Decimal(150_000_000)),
        (MONEY, "-3000", Decimal(-3000)),
        (DATE, "2024-03-05", date(2024, 3, 5)),
        (DATE, "2024/3/5", date(2024, 3, 5)),
        (DATE, "2024年3月5日", date(2024, 3, 5)),
        (DATE, "20240305", date(2024, 3, 5)),
        (TEXT, "  会见了法定代表人  ", "  会见了法定代表人  "),
    ],
)
def test_parse_answer_accepts_what_officers_type(item: Item, raw: str, value: object) -> None:
    assert parse_answer(item, raw) == value


@pytest.mark.parametrize(
    ("item", "raw", "zh", "en"),
    [
        (MONEY, "abc", "金额必须是数字", "amount must be a number"),
        (MONEY, "12.345", "金额最多精确到分（两位小数）", "amount has more than 2 decimals"),
        (MONEY, "1e20", "数值超出合理范围", "number is too large"),
        (NUMBER, "lots", "必须填写数字", "must be a number"),
        (NUMBER, "NaN", "必须填写数字", "must be a number"),
        (NUMBER, "Infinity", "必须填写数字", "must be a number"),
        (NUMBER, "0.1234567", "最多保留6位小数", "at most 6 decimal places"),
        (YES_NO, "maybe", "请回答：是、否或不适用", "answer yes, no or n/a"),
        (CHOICE, "half", "请从以下选项中选择：全部开工、停工", "choose one of: All running, Idle"),
        (DATE, "next week", "日期格式应为 2024-03-31", "date must look like 2024-03-31"),
        (DATE, "2023-02-29", "日期不存在", "no such date"),
        (TEXT, "   ", "请填写答案", "an answer is required"),
        (MONEY, "", "请填写答案", "an answer is required"),
    ],
)
def test_parse_answer_rejects_bad_input_in_both_languages(
    item: Item, raw: str, zh: str, en: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(item, raw)
    assert (caught.value.message_zh, caught.value.message_en) == (zh, en)
    assert str(caught.value) == f"{zh} / {en}"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("item", "value"),
    [
        (YES_NO, "maybe"),
        (YES_NO, True),
        (CHOICE, "half"),
        (NUMBER, 0.1),
        (NUMBER, Decimal("NaN")),
        (MONEY, Decimal("1.005")),
        (DATE, datetime(2024, 3, 5, 10, 30)),
        (DATE, "2024-03-05"),
        (TEXT, ""),
    ],
)
def test_format_answer_refuses_values_the_item_cannot_hold(item: Item, value: object) -> None:
    with pytest.raises(AnswerError):
        format_answer(item, value)  # type: ignore[arg-type]


def test_display_answer_in_each_language() -> None:
    assert display_answer(YES_NO, "na") == "不适用"
    assert display_answer(YES_NO, "na", "en") == "N/A"
    assert display_answer(CHOICE, "idle", "en") == "Idle"
    assert display_answer(MONEY, Decimal("1234567.8")) == "1,234,567.80 元"
    assert display_answer(MONEY, Decimal("1234567.8"), "en") == "CNY 1,234,567.80"
    assert display_answer(DATE, date(2024, 3, 5)) == "2024-03-05"
    assert display_answer(TEXT, None) == ""


@pytest.mark.parametrize(
    ("item", "value", "abnormal"),
    [
        (YES_NO, "no", False),  # Q-01 has no abnormal rule
        (STOPPED, "no", True),
        (STOPPED, "yes", False),
        (STOPPED, "na", False),
        (CHOICE, "idle", True),
        (CHOICE, "full", False),
        (NUMBER, Decimal("-20.01"), True),
        (NUMBER, Decimal(-20), False),  # bounds are strict
        (NUMBER, Decimal(80), False),
        (NUMBER, Decimal("80.5"), True),
        (MONEY, Decimal("-0.01"), True),
        (MONEY, Decimal(0), False),
        (DATE, date(1999, 1, 1), False),
        (TEXT, "停产半年", False),
        (STOPPED, None, False),  # unanswered is not abnormal
    ],
)
def test_is_abnormal_per_answer_type(item: Item, value: object, abnormal: bool) -> None:
    assert is_abnormal(item, value) is abnormal  # type: ignore[arg-type]


# --- completeness and signals --------------------------------------------------------------


def test_completion_check_lists_every_unmet_requirement_in_order() -> None:
    assert [(u.item_code, u.kind) for u in completion_check(SMALL, {})] == [
        ("A-01", "unanswered"),
        ("A-02", "unanswered"),
        ("B-01", "unanswered"),
    ]  # B-02 is optional

    abnormal = {
        "A-01": AnswerState("no"),
        "A-02": AnswerState("idle", note="全部停工"),
        "B-01": AnswerState(Decimal(30), note="   "),
    }
    unmet = completion_check(SMALL, abnormal)
    assert [(u.item_code, u.section_code, u.kind) for u in unmet] == [
        ("A-01", "a", "note_required"),
        ("A-01", "a", "photo_required"),
        ("A-02", "a", "photo_required"),
        ("B-01", "b", "note_required"),  # whitespace is not a note
    ]
    # By the question alone: the item's code is how the app files it, not an officer's word.
    assert unmet[0].message_zh == "「问题A-01」答案异常，须填写情况说明"
    assert unmet[1].message("en") == "“Question A-01”: abnormal answer needs a photo"


def test_completion_check_becomes_empty_once_satisfied() -> None:
    answers = {
        "A-01": AnswerState("no", note="车间停产", photo_count=2),
        "A-02": AnswerState("idle", photo_count=1),
        "B-01": AnswerState(Decimal(30), note="订单减少"),
    }
    assert completion_check(SMALL, answers) == []
    normal = {
        "A-01": AnswerState("yes"),
        "A-02": AnswerState("full"),
        "B-01": AnswerState(Decimal(90)),
    }
    assert completion_check(SMALL, normal) == []


def test_raised_signals_for_abnormal_answers_with_a_signal() -> None:
    answers = {
        "A-01": AnswerState("no"),
        "A-02": AnswerState("idle"),  # abnormal, but A-02 raises no signal
        "B-01": AnswerState(Decimal(30)),
        "Z-99": AnswerState("no"),  # not on this checklist
    }
    assert [(i.code, s.severity) for i, s in raised_signals(SMALL, answers)] == [
        ("A-01", Severity.RED),
        ("B-01", Severity.YELLOW),
    ]
    answers["B-01"] = AnswerState(Decimal(50))
    assert [i.code for i, _ in raised_signals(SMALL, answers)] == ["A-01"]
    assert raised_signals(SMALL, {}) == []
