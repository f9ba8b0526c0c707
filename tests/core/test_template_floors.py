"""Item-level floors in checklist templates (`floor:`): validated by the loader, carried by
the shipped templates where the bank's judgement belongs, and earlier shipped versions kept so a
visit filled with one still opens (issue #14 item 2)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from inspector_app.domain.checklist import (
    AnswerState,
    Checklist,
    TemplateValidationError,
    answer_floors,
    default_template_dir,
    load_template,
    load_template_dir,
)
from inspector_app.domain.enums import Classification, RuleSourceKind
from inspector_app.domain.template_loader import check_shipped_templates, load_shipped_templates

SM, SS = Classification.SPECIAL_MENTION, Classification.SUBSTANDARD

TEMPLATE = """\
code: demo
version: 1
title: {zh: 演示, en: Demo}
kind: base
sections:
  - code: s1
    title: {zh: 第一部分, en: Part one}
    items:
      - code: D-01
        question: {zh: 法定代表人状况, en: Legal representative}
        type: choice
        choices:
          - {code: normal, zh: 正常, en: Normal}
          - {code: ill, zh: 生病, en: Ill}
          - {code: jailed, zh: 判刑, en: Jailed}
        abnormal: [ill, jailed]
FLOOR
        source: "seed 000"
"""
SOURCE = "source: {kind: bank, zh: 本行政策, en: Bank policy}"


def template_with(tmp_path: Path, floor: str, abnormal: bool = True) -> Path:
    text = TEMPLATE.replace("FLOOR", floor)
    if not abnormal:
        text = text.replace("        abnormal: [ill, jailed]\n", "")
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, floor: str, abnormal: bool = True) -> str:
    with pytest.raises(TemplateValidationError) as caught:
        load_template(template_with(tmp_path, floor, abnormal))
    return "\n".join(str(e) for e in caught.value.errors)


def test_floors_per_answer_load_into_the_model(tmp_path: Path) -> None:
    item = next(load_template(template_with(tmp_path, f"""\
        floor:
          - {{at_least: special_mention, answers: [ill], {SOURCE}}}
          - {{at_least: substandard, answers: [jailed], {SOURCE}}}""")).items())
    assert [(f.at_least, set(f.answers)) for f in item.floors] == [(SM, {"ill"}), (SS, {"jailed"})]
    assert item.floors[0].source.kind is RuleSourceKind.BANK
    assert item.floors[0].source.text.en == "Bank policy"
    assert item.floor_for("jailed").at_least is SS  # type: ignore[union-attr]


def test_a_floor_without_answers_applies_to_every_abnormal_answer(tmp_path: Path) -> None:
    item = next(load_template(template_with(
        tmp_path, f"        floor: {{at_least: substandard, {SOURCE}}}")).items())
    checklist = Checklist(load_template(template_with(
        tmp_path, f"        floor: {{at_least: substandard, {SOURCE}}}")))
    for answer, expected in (("ill", SS), ("jailed", SS), ("normal", None)):
        found = answer_floors(checklist, {item.code: AnswerState(answer)})
        assert [f.at_least for f in found] == ([expected] if expected else [])
    [finding] = answer_floors(checklist, {item.code: AnswerState("jailed")})
    assert finding.finding.zh == "检查项D-01「法定代表人状况」答：判刑"
    assert finding.finding.en == "Item D-01 “Legal representative” answered: Jailed"
    assert answer_floors(checklist, {}) == []  # unanswered sets nothing


@pytest.mark.parametrize(("floor", "problem"), [
    (f"        floor: {{at_least: normal, {SOURCE}}}", "a floor of 'normal' sets nothing"),
    (f"        floor: {{at_least: worse, {SOURCE}}}", "unknown classification 'worse'"),
    ("        floor: {at_least: substandard}", "floor: missing 'source' (every floor must cite"),
    ("        floor: {at_least: substandard, source: {kind: rumour, zh: 传言, en: rumour}}",
     "unknown source kind 'rumour'"),
    ("        floor: {at_least: substandard, source: {kind: bank, zh: 本行}}",
     "floor source: missing 'en'"),
    (f"        floor: {{at_least: substandard, answers: [normal], {SOURCE}}}",
     "floor answer 'normal' is not one of the abnormal answers (ill, jailed)"),
    (f"        floor: {{at_lest: substandard, {SOURCE}}}", "did you mean 'at_least'?"),
    (f"""\
        floor:
          - {{at_least: special_mention, {SOURCE}}}
          - {{at_least: substandard, answers: [jailed], {SOURCE}}}""",
     "an answer has two floors"),
    ("        floor: []", "'floor' is empty"),
])
def test_a_bad_floor_is_named_with_its_item(tmp_path: Path, floor: str, problem: str) -> None:
    found = problems(tmp_path, floor)
    assert problem in found
    assert "demo.yaml:" in found and "item D-01:" in found


def test_a_floor_needs_an_abnormal_answer(tmp_path: Path) -> None:
    found = problems(tmp_path, f"        floor: {{at_least: substandard, {SOURCE}}}",
                     abnormal=False)
    assert "'floor' given but no answer is 'abnormal'" in found


def test_floor_answers_are_for_yes_no_and_choice_items(tmp_path: Path) -> None:
    text = TEMPLATE.replace("""        type: choice
        choices:
          - {code: normal, zh: 正常, en: Normal}
          - {code: ill, zh: 生病, en: Ill}
          - {code: jailed, zh: 判刑, en: Jailed}
        abnormal: [ill, jailed]
""", """        type: number
        abnormal: {below: 50}
""").replace("FLOOR", f"        floor: {{at_least: special_mention, answers: [x], {SOURCE}}}")
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateValidationError) as caught:
        load_template(path)
    assert "floor 'answers' is for yes/no and choice items" in str(caught.value)
    path.write_text(text.replace("answers: [x], ", ""), encoding="utf-8")
    item = next(load_template(path).items())
    checklist = Checklist(load_template(path))
    assert [f.at_least for f in answer_floors(checklist, {item.code: AnswerState(
        Decimal(10))})] == [SM]


# --- the shipped templates: the bank's judgement on the finding ------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return load_template_dir(default_template_dir())  # type: ignore[return-value]


@pytest.mark.parametrize(("code", "item", "answers", "at_least", "case"), [
    # The legal representative jailed, dead or absconded (硕发, 恒达, 大王粮油) => substandard.
    ("routine", "R-CHR-02", {"detained", "missing", "deceased"}, SS, "硕发"),
    # Shareholders in open dispute (腾龙国际酒店) => special mention.
    ("routine", "R-CHR-01", {"yes"}, SM, "腾龙"),
    # The key person unable to work (四季青: a stroke) => special mention.
    ("routine", "R-WIL-06", {"serious"}, SM, "四季青"),
    # Pledged stock missing (巨源油业, 德炎水产) => substandard.
    ("industry.wholesale_trade", "WHS-02", {"no"}, SS, "巨源油业"),
    # Funds used for another purpose without consent: the regulation's special mention.
    ("first", "F-USE-01", {"no"}, SM, "擅自改变资金用途"),
    ("first", "F-USE-02", {"yes"}, SM, "擅自改变资金用途"),
])
def test_shipped_items_carry_their_floor(
    shipped: dict, code: str, item: str, answers: set[str], at_least: Classification, case: str
) -> None:
    found = next(i for i in shipped[code].items() if i.code == item)
    assert found.abnormal.values >= answers
    for answer in answers:
        floor = found.floor_for(answer)
        assert floor is not None and floor.at_least is at_least
        assert case in floor.source.text.zh and floor.source.text.en
    for answer in found.abnormal.values - answers:  # a minor illness sets no floor
        assert found.floor_for(answer) is None


def test_changed_templates_were_given_new_versions_and_the_old_ones_kept() -> None:
    refs = {t.ref for t in load_shipped_templates()}
    for code in ("routine", "first", "industry.wholesale_trade"):
        assert {f"{code}@1", f"{code}@2"} <= refs, code
    old = next(t for t in load_shipped_templates() if t.ref == "routine@1")
    assert not any(item.floors for item in old.items())  # as it was filled: unchanged
    # routine@3 and its two previous versions; fund_flow@1 (#14 item 6)
    assert check_shipped_templates() == (12, [])


def test_a_previous_version_must_be_older_and_named_by_its_ref(tmp_path: Path) -> None:
    shipped_dir = tmp_path / "templates"
    shutil.copytree(default_template_dir(), shipped_dir)
    previous = shipped_dir / "previous"
    (previous / "routine@1.yaml").rename(previous / "routine-old.yaml")
    shutil.copy(shipped_dir / "first.yaml", previous / "first@2.yaml")
    count, errors = check_shipped_templates(shipped_dir)
    assert count == 13
    assert {e.problem for e in errors} == {
        "holds routine@1; name the file routine@1.yaml",
        "first@2 is not older than the current first@2",
    }
    with pytest.raises(TemplateValidationError):
        load_shipped_templates(shipped_dir)
