"""Headquarters' refusal of a pushed visit, as the officer reads it after a sync: the items,
templates, collateral and signals it names are in words the officer knows (an item by its
section and question, a template by its title and version), in each language, with no code;
the codes stay in the refusal's detail for IT.

Each case is a visit document with one thing wrong (as a buggy laptop, or one whose templates
headquarters lacks, would send it), pushed by the real sync client to the real headquarters
server (uvicorn in a thread, test_e2e_hq.serve)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from test_e2e_hq import PASSWORD, serve

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.checklist import (
    Item,
    Section,
    Template,
    default_template_dir,
    load_template,
)
from inspector_app.domain.enums import CollateralStatus, VisitKind
from inspector_app.hq.context import Hq
from inspector_app.hq.document_check import check_document
from inspector_app.hq.errors import ApiError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User
from inspector_app.sync import push as sync_push
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import Reason

Doc = dict[str, Any]

# What an officer must never read: an item code (R-WIL-02, FA-BUD-01, MFG-03), a template's
# code@version, a place in the document (answers[3]), an id.
CODES = (re.compile(r"\b[A-Z]+(?:-[A-Z]+)*-\d+\b"), re.compile(r"\w+@\d+"),
         re.compile(r"\w+\[\d+\]"), re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-"))


def _template(code: str) -> Template:
    return load_template(default_template_dir() / f"{code}.yaml")


def _item(template: Template, code: str) -> tuple[Section, Item]:
    return next((s, i) for s in template.sections for i in s.items if i.code == code)


ROUTINE = _template("routine")
SECTION, HABITS = _item(ROUTINE, "R-WIL-02")
FIRST = _template("first")
USE_SECTION, USE = _item(FIRST, "F-USE-01")
FIXED_ASSET = _template("fixed_asset")


def _item_words(section: Section, item: Item) -> Text:
    return Text(f"「{section.title.zh} › {item.question.zh}」",
                f"“{section.title.en} › {item.question.en}”")


HABITS_WORDS = _item_words(SECTION, HABITS)
assert HABITS.signal is not None
HABITS_SIGNAL = HABITS.signal.title


@dataclass(frozen=True)
class Case:
    """One thing made wrong in the pushed document; what the refusal must say (each
    language); the code headquarters keeps in its detail."""

    change: Callable[[Doc], None]
    said: Text
    detail: tuple[str, Any]


def _answer(doc: Doc, code: str) -> Doc:
    return next(a for a in doc["answers"] if a["item_code"] == code)


def _signal(**fields: Any) -> Doc:
    return {"id": str(uuid.uuid4()), "category": "behaviour", "severity": "red",
            "source": "officer", "title": "", "status": "raised",
            "raised_on": utcnow().date().isoformat(), **fields}


CASES: dict[str, Case] = {
    "an answer its item does not take": Case(
        lambda d: _answer(d, "R-WIL-02").update(value="maybe"),
        Text(f"检查项{HABITS_WORDS.zh}的答案：“maybe”无效，请回答：是、否或不适用",
             f"the answer to the item {HABITS_WORDS.en}: “maybe” is not valid: answer yes, "
             "no or n/a"),
        ("item_code", "R-WIL-02")),
    "an item's note too long": Case(
        lambda d: _answer(d, "R-WIL-02").update(note="说" * 4001),
        Text(f"检查项{HABITS_WORDS.zh}的说明：过长", f"the note on the item {HABITS_WORDS.en}: "
             "too long"),
        ("item_code", "R-WIL-02")),
    "an item answered twice": Case(
        lambda d: d["answers"].append({**_answer(d, "R-WIL-02"), "id": str(uuid.uuid4())}),
        Text(f"检查项{HABITS_WORDS.zh}：有两个答案", f"the item {HABITS_WORDS.en}: answered "
             "twice"),
        ("item_code", "R-WIL-02")),
    "a note on an item too long": Case(
        lambda d: d["notes"].append({"id": str(uuid.uuid4()), "item_code": "R-WIL-02",
                                     "text": "说" * 10_001}),
        Text(f"检查项{HABITS_WORDS.zh}的备注：过长", f"the note on the item {HABITS_WORDS.en}: "
             "too long"),
        ("item_code", "R-WIL-02")),
    "an item of another template": Case(
        lambda d: d["answers"].append({"id": str(uuid.uuid4()), "item_code": USE.code,
                                       "value": "yes", "note": ""}),
        Text(f"检查项{_item_words(USE_SECTION, USE).zh}：不在本次检查所用的模板中",
             f"the item {_item_words(USE_SECTION, USE).en}: not in this visit's templates"),
        ("item_code", USE.code)),
    "a template version headquarters lacks": Case(
        lambda d: d.update(template_refs=["routine@99", *d["template_refs"][1:]]),
        Text(f"「{ROUTINE.title.zh}（第99版）」总行尚未发布",
             f"“{ROUTINE.title.en} (version 99)” is not published at headquarters"),
        ("template_refs", ["routine@99"])),
    "templates that do not make one checklist": Case(
        lambda d: d.update(template_refs=[FIXED_ASSET.ref, *d["template_refs"]]),
        Text(f"「{FIXED_ASSET.title.zh}（第{FIXED_ASSET.version}版）」是补充模板",
             f"“{FIXED_ASSET.title.en} (version {FIXED_ASSET.version})” is a supplement"),
        ("field", "template_refs")),
    "a collateral status headquarters does not know": Case(
        lambda d: d["observations"][0].update(status="exploded"),
        Text("抵质押物「厂房」的状态：“exploded”不是总行认可的值",
             "the status of the collateral item “厂房”: “exploded” is not a value "
             "headquarters knows"),
        ("field", "observations[0].status")),
    "a collateral estimate out of range": Case(
        lambda d: d["observations"][0].update(estimated_value_fen=-100),
        Text("抵质押物「厂房」的估值", "the estimate of the collateral item “厂房”"),
        ("field", "observations[0].estimated_value_fen")),
    "a checklist signal's severity": Case(
        lambda d: d["signals"].append(_signal(source="checklist", source_ref="R-WIL-02",
                                              title=HABITS_SIGNAL.zh, severity="crimson")),
        Text(f"预警信号「{HABITS_SIGNAL.zh}」的等级", f"the severity of the warning signal "
             f"“{HABITS_SIGNAL.en}”"),
        ("signal_source_ref", "R-WIL-02")),
    "an officer's signal's category": Case(
        lambda d: d["signals"].append(_signal(title="应收账款大幅增加", category="money")),
        Text("预警信号「应收账款大幅增加」的类别", "the category of the warning signal "
             "“应收账款大幅增加”"),
        ("field", "signals[0].category")),
}


@dataclass(frozen=True)
class Laptop:
    store: LocalStore
    client: SyncClient
    hq: Hq
    visit_id: str


@pytest.fixture
def laptop(store: LocalStore, tmp_path: Path) -> Iterator[Laptop]:
    """A registered laptop with a draft of C001's visit: two answers, the collateral seen."""
    with serve(tmp_path) as (base, hq), SyncClient(store, base, retries=1,
                                                    backoff=0.0) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
        with store.read() as s:
            officer = s.scalars(select(User).where(User.username == "off_a")).one()
            borrower_id = s.scalars(select(Borrower.id).where(Borrower.code == "C001")).one()
        visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                                  visit_date=utcnow().date(), place="厂区")
        store.set_answer(visit.id, officer, "R-WIL-01", "yes")
        store.set_answer(visit.id, officer, "R-WIL-02", "no")
        (row,) = store.collateral_of(visit.id)
        store.observe_collateral(visit.id, officer, row.item_id, status=CollateralStatus.PRESENT)
        yield Laptop(store, client, hq, visit.id)


def _pushed_with(monkeypatch: pytest.MonkeyPatch, change: Callable[[Doc], None]) -> list[Doc]:
    """Every document the laptop pushes from now on has ``change`` made to it; the list
    collects them."""
    sent: list[Doc] = []
    honest = sync_push.visit_record

    def changed(session: Any, visit_id: str) -> wire.VisitRecord | None:
        record = honest(session, visit_id)
        if record is None:
            return None
        doc = record.model_dump(mode="json")
        change(doc)
        sent.append(doc)
        return wire.VisitRecord.model_validate(doc)

    monkeypatch.setattr(sync_push, "visit_record", changed)
    return sent


def _in_officers_words(said: Text, case: Case, label: str) -> None:
    """What the case must say is there, in each language, and no code is."""
    assert case.said.zh in said.zh, said.zh
    assert case.said.en in said.en, said.en
    for code in CODES:
        assert code.search(said.zh) is None and code.search(said.en) is None, (code, said)
    # Each half in its own language: no English words in the Chinese (but for a refused
    # value, quoted), none of the refusal's Chinese in the English (a collateral item's
    # description, a signal the officer titled and the borrower's name are data).
    assert re.search(r"[a-z]{4,}", re.sub(r"“[^”]*”", "", said.zh)) is None, said.zh
    assert "检查" not in said.en.replace(label, ""), said.en


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_a_refusal_names_what_is_wrong_in_the_officers_words(
        laptop: Laptop, monkeypatch: pytest.MonkeyPatch, case: Case) -> None:
    sent = _pushed_with(monkeypatch, case.change)
    report = laptop.client.sync()

    (issue,) = report.issues
    assert issue.reason is Reason.REJECTED and issue.ref == laptop.visit_id, issue
    # Headquarters' refusal (the same check the push ran): words for the officer, the
    # codes in its detail for IT.
    with pytest.raises(ApiError) as refused:
        check_document(laptop.hq, sent[-1])
    body = refused.value.body
    assert issue.message == body.message
    _in_officers_words(Text.parse(body.message), case, issue.label)
    key, value = case.detail
    assert body.detail[key] == value, body.detail

    # The sync's report line: the laptop's sentence, then headquarters' words, each
    # language with its own half.
    said = Text.parse(report.messages()[-1])
    assert said.zh.startswith(f"检查“{issue.label}”未能发送：检查记录未被接受："), said
    assert said.en.startswith(f"visit “{issue.label}” could not be sent: the visit was not "
                              "accepted: "), said
    _in_officers_words(said, case, issue.label)
