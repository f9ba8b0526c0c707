"""domain.visit_rules: what a visit document may say, the one definition the laptop's store
keeps on every edit and headquarters checks on every push."""

from __future__ import annotations

import copy
import uuid
from datetime import date
from typing import Any

import pytest

from inspector_app.domain.checklist import AnswerError
from inspector_app.domain.enums import CollateralKind, CollateralStatus, Severity, SignalCategory
from inspector_app.domain.visit_rules import (
    MAX_ESTIMATE_FEN,
    TEXT_LIMITS,
    document_problem,
    estimate_problem,
    text_problem,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import CollateralItem, Visit
from inspector_app.store.templates_in_force import shipped_templates
from inspector_app.store.visit_editing import EditError

TODAY = date(2026, 12, 7)
COLLATERAL = "c0000000-0000-4000-8000-000000000001"


def document() -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "borrower_id": "b", "officer_id": "o", "kind": "routine",
        "status": "draft", "template_refs": ["routine@1"], "revision": 1,
        "visit_date": "2026-11-20", "general_note": "经营正常",
        "answers": [{"id": "a1", "item_code": "R-WIL-01", "value": "yes", "note": ""}],
        "observations": [{"id": "o1", "collateral_item_id": COLLATERAL, "status": "present",
                          "estimated_value_fen": 100}],
        "signals": [{"id": "s1", "category": "financial", "severity": "red",
                     "source": "officer", "title": "逾期", "status": "raised",
                     "raised_on": "2026-11-20"}],
    }


def problem(doc: dict[str, Any]) -> str | None:
    found = document_problem(doc, shipped_templates(), {COLLATERAL}, TODAY)
    return None if found is None else f"{found.code} {found.where}"


def with_(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(document())
    change(doc)
    return doc


def test_a_document_an_honest_laptop_makes_keeps_every_rule() -> None:
    assert problem(document()) is None


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(template_refs=["routine@99"]), "unknown_template template_refs"),
    (lambda d: d.update(template_refs=[]), "unknown_template template_refs"),
    (lambda d: d["answers"][0].update(item_code="F-01"), "unknown_item answers[0].item_code"),
    (lambda d: d["answers"][0].update(value="perhaps"), "invalid_answer answers[0].value"),
    (lambda d: d["observations"][0].update(collateral_item_id="elsewhere"),
     "unknown_collateral observations[0].collateral_item_id"),
    (lambda d: d["observations"][0].update(status="exploded"),
     "invalid_value observations[0].status"),
    (lambda d: d["observations"][0].update(estimated_value_fen=-1),
     "invalid_value observations[0].estimated_value_fen"),
    (lambda d: d["observations"][0].update(estimated_value_fen=MAX_ESTIMATE_FEN),
     "invalid_value observations[0].estimated_value_fen"),
    (lambda d: d["observations"][0].update(registered_quantity_milli=0),
     "invalid_value observations[0].registered_quantity_milli"),
    (lambda d: d["observations"][0].update(found_quantity_milli=-1),
     "invalid_value observations[0].found_quantity_milli"),
    (lambda d: d["observations"][0].update(found_quantity_milli="800"),
     "invalid_value observations[0].found_quantity_milli"),
    (lambda d: d["observations"][0].update(quantity_unit="吨" * 21),
     "too_long observations[0].quantity_unit"),
    (lambda d: d.update(final_classification="super-duper"),
     "invalid_value final_classification"),
    (lambda d: d.update(revision=-7), "invalid_value revision"),
    (lambda d: d.update(revision=0), "invalid_value revision"),
    (lambda d: d.update(visit_date="2031-01-01"), "invalid_value visit_date"),
    (lambda d: d.update(next_due_on="2026-01-01"), "invalid_value next_due_on"),
    (lambda d: d["signals"][0].update(category="operations"),
     "invalid_value signals[0].category"),
    (lambda d: d.update(general_note="x" * 20_001), "too_long general_note"),
    (lambda d: d.update(id="x" * 37), "invalid_value id"),
])
def test_a_document_breaking_a_rule_is_refused_naming_the_field(change: Any,
                                                                expected: str) -> None:
    assert problem(with_(change)) == expected


def test_an_item_found_on_site_needs_no_register_entry() -> None:
    def found(d: dict[str, Any]) -> None:
        d["observations"][0].update(collateral_item_id="new", found_item={
            "kind": "equipment", "description": "机床", "appraised_value_fen": 5})
    assert problem(with_(found)) is None


def test_limits_speak_both_languages() -> None:
    assert text_problem("general_note", "x" * TEXT_LIMITS["general_note"]) is None
    text = text_problem("general_note", "x" * (TEXT_LIMITS["general_note"] + 1))
    assert text is not None and "总体情况过长" in text.zh and "too long" in text.en
    assert estimate_problem(-1) is not None and estimate_problem(0) is None


# --- the laptop's store keeps the same rules -------------------------------------------------


def test_the_store_refuses_text_headquarters_would_refuse(store: LocalStore,
                                                          portfolio: Any) -> None:
    p = portfolio
    with pytest.raises(EditError) as refused:
        store.update_visit(p.visit_id, p.officer, general_note="说" * 20_001)
    assert refused.value.text == text_problem("general_note", "说" * 20_001)
    assert store.visit_header(p.visit_id).general_note == ""
    with pytest.raises(EditError):
        store.update_visit(p.visit_id, p.officer, visit_date=date(1970, 1, 1))
    with pytest.raises(EditError):
        store.set_conclusion(p.visit_id, p.officer, measures="m" * 10_001)
    item = next(iter(store.visit_checklist(p.visit_id).items()))
    with pytest.raises(AnswerError):
        store.set_answer(p.visit_id, p.officer, item.code, "yes", note="n" * 4001)
    with store.read() as s:
        assert s.get_one(Visit, p.visit_id).general_note == ""


def test_the_store_refuses_estimates_and_signals_headquarters_would_refuse(
        store: LocalStore, portfolio: Any) -> None:
    p = portfolio
    with store.write() as s:
        item = CollateralItem(borrower_id=p.borrower_id, kind=CollateralKind.PROPERTY,
                              description="厂房", appraised_value_fen=8_000_000_00,
                              pledged_value_fen=5_000_000_00)
        s.add(item)
    with pytest.raises(EditError) as refused:
        store.observe_collateral(p.visit_id, p.officer, item.id,
                                 status=CollateralStatus.PRESENT, estimated_value_fen=-5)
    assert refused.value.text == estimate_problem(-5)
    assert store.collateral_of(p.visit_id)[0].observation is None
    with pytest.raises(EditError):
        store.create_found_collateral(p.visit_id, p.officer, kind=CollateralKind.EQUIPMENT,
                                      description="机" * 501, estimated_value_fen=1)
    with pytest.raises(EditError):
        store.create_manual_signal(p.visit_id, p.officer, category=SignalCategory.FINANCIAL,
                                   severity=Severity.RED, title="t" * 501)


# --- the refusal in the officer's words (tests/sync/test_refusal_words.py pushes them) ---------


@pytest.mark.parametrize(("change", "zh", "en"), [
    # What headquarters has no words for is counted or placed, not spelled out as a code.
    (lambda d: d["answers"].append({"id": "a9", "item_code": "X-NOPE-01", "value": "yes"}),
     "第2个答案所答的检查项：不在本次检查所用的模板中",
     "the item of answer 2: not in this visit's templates"),
    (lambda d: d.update(template_refs=["nonsense@1"]),
     "本次检查所用的检查模板中有1个总行没有", "1 of this visit's templates is unknown"),
    (lambda d: d["observations"][0].update(collateral_item_id="elsewhere"),
     "第1项抵质押物：不在本借款人的押品登记中", "collateral item 1: not in this borrower's"),
    (lambda d: d.update(template_refs=["routine@1", "first@1"]),
     "「常规贷后检查（第1版）」与「首次贷后检查（第1版）」都是基础模板",
     "are both base templates"),
    (lambda d: d.update(visit_date="2031-01-01"), "检查日期：须在 2000-01-01 至",
     "the visit date: must be between 2000-01-01 and"),
])
def test_a_refusal_spells_out_no_code(change: Any, zh: str, en: str) -> None:
    doc = with_(change)
    found = document_problem(doc, shipped_templates(), {COLLATERAL: "厂房"}, TODAY)
    assert found is not None
    assert zh in found.text.zh and en in found.text.en, found.text
    for code in ("X-NOPE-01", "nonsense", "@", "elsewhere", "[", "_"):
        assert code not in found.text.zh and code not in found.text.en, (code, found.text)


def test_a_collateral_item_is_named_by_its_description() -> None:
    doc = with_(lambda d: d["observations"][0].update(estimated_value_fen=-1))
    found = document_problem(doc, shipped_templates(), {COLLATERAL: "城东\n厂房 / 土地"}, TODAY)
    assert found is not None and found.detail["collateral_item_id"] == COLLATERAL
    # On one line, and without " / ", which would split the message's languages there.
    assert found.text.zh.startswith("抵质押物「城东 厂房/土地」的估值："), found.text
    assert found.text.en.startswith("the estimate of the collateral item “城东 厂房/土地”: ")
