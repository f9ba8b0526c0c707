"""A visit's history across its revisions, and what a resubmission changed.

Read inside the caller's session (store.review.VisitReview's audit_trail and revision_diff):
the audit entries of the visit and of the revisions it corrects, in words; and the
differences between a revision and the returned one it replaced, flagged where the
supervisor had commented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text, UserError
from inspector_app.domain.checklist import Checklist, display_answer, parse_answer
from inspector_app.domain.enums import Classification, Labelled, VisitStatus
from inspector_app.domain.money import format_fen
from inspector_app.domain.quantity import plain_quantity
from inspector_app.domain.template import Item
from inspector_app.store.models import (
    AuditEntry,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Note,
    Photo,
    Report,
    Review,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.review_rows import AuditRow, DiffRow, RevisionDiff
from inspector_app.store.visit_checks import visit_checklist

# The steps a visit's history shows (edits of answers and photos are not steps).
TRAIL_ACTIONS = (
    "visit.start", "visit.transition", "visit.review", "visit.received", "visit.revise",
    "report.signed", "report.countersigned", "visit.handover",
)
_MAX_CHAIN = 100  # revisions followed back at most (a loop in bad data must not hang)


def revision_chain(session: Session, visit_id: str) -> list[Visit]:
    """The visit and the revisions it corrects, oldest first."""
    chain: list[Visit] = []
    current: str | None = visit_id
    while current is not None and len(chain) < _MAX_CHAIN:
        visit = session.get(Visit, current)
        if visit is None or visit in chain:
            break
        chain.append(visit)
        current = visit.previous_revision_id
    chain.reverse()
    return chain


def audit_rows(session: Session, visit_id: str) -> list[AuditRow]:
    chain = revision_chain(session, visit_id)
    ids = [v.id for v in chain]
    # Which revision a step was on, said only when there are several.
    revisions = {v.id: v.revision for v in chain} if len(chain) > 1 else {}
    report_ids = select(Report.id).where(Report.visit_id.in_(ids))
    entries = session.execute(
        select(AuditEntry, User.display_name)
        .outerjoin(User, AuditEntry.user_id == User.id)
        .where(AuditEntry.action.in_(TRAIL_ACTIONS), or_(
            (AuditEntry.entity == "visit") & AuditEntry.entity_id.in_(ids),
            (AuditEntry.entity == "report") & AuditEntry.entity_id.in_(report_ids),
        ))
        .order_by(AuditEntry.seq)
    ).all()
    rows = []
    for entry, name in entries:
        summary, reason = _describe(entry, revisions)
        rows.append(AuditRow(at=entry.at, user_name=name or "", action=entry.action,
                             summary=summary, reason=reason))
    return rows


def _status(code: Any) -> VisitStatus | None:
    try:
        return VisitStatus(str(code))
    except ValueError:
        return None


def _status_text(code: Any) -> Text:
    status = _status(code)
    return status.text if status is not None else Text.same(str(code))


def _describe(entry: AuditEntry, revisions: dict[str, int]) -> tuple[Text, str]:
    d: dict[str, Any] = entry.detail or {}
    revision = revisions.get(entry.entity_id)
    prefix = Text(f"第{revision}版：", f"revision {revision}: ") if revision else Text("", "")
    reason = str(d.get("reason") or d.get("comment") or "")
    if entry.action == "visit.start":
        return prefix + Text("开始检查", "inspection started"), ""
    if entry.action == "visit.transition":
        src, tgt = _status_text(d.get("source")), _status_text(d.get("target"))
        return prefix + Text(f"{src.zh} → {tgt.zh}", f"{src.en} → {tgt.en}"), reason
    if entry.action == "visit.received":
        status = _status_text(d.get("status"))
        return prefix + Text(f"从总行收到（{status.zh}）",
                             f"received from headquarters ({status.en})"), reason
    if entry.action == "visit.revise":
        return prefix + Text("由上一版本修订而来", "revised from the previous revision"), reason
    if entry.action == "visit.review":
        return prefix + _review_text(d), reason
    if entry.action == "visit.handover":
        # The user of the entry is the officer who wrote the visit until it was handed over.
        n, m = int(d.get("answers") or 0), int(d.get("photos") or 0)
        to = str(d.get("to_officer_name") or "")
        if d.get("kind") == "file":  # signed before the handover, by the user of the entry
            return prefix + Text(f"随客户移交给{to}（由原客户经理签署）",
                                 f"handed over to {to} with the borrower (signed by the "
                                 "officer before)"), ""
        return prefix + Text(f"移交给{to}（此前的{n}项回答、{m}张照片由移交人填写）",
                             f"handed over to {to} (the {n} answers and {m} photos so far were "
                             "written by the officer who handed over)"), ""
    if entry.action == "report.signed":
        return prefix + Text("报告已签署", "report signed"), ""
    if entry.action == "report.countersigned":
        return prefix + Text("报告已复核签字", "report countersigned"), ""
    return prefix + Text.same(entry.action), reason


def _review_text(d: dict[str, Any]) -> Text:
    if d.get("from_headquarters"):
        target = _status_text(d.get("target"))
        return Text(f"总行同步复核结论：{target.zh}", f"decision from headquarters: {target.en}")
    if d.get("decision") == "returned":
        n = int(d.get("comments") or 0)
        return Text(f"复核退回（{n}条逐项意见）", f"returned by the supervisor ({n} item comments)")
    text = Text("复核通过", "approved by the supervisor")
    code = d.get("final_classification")
    if code:
        try:
            c = Classification(code)
        except ValueError:
            return text
        text = text + Text(f"，认定{c.zh}", f", classified {c.en}")
    return text


# -- the differences between two revisions ----------------------------------------------------
#
# Each side is said as the officer saw it in the editor and the report: a choice by its label,
# yes/no as 是/否, money in yuan, a collateral item's status by its label, a classification by
# its name; in both languages (the screen shows one).

_EMPTY = Text("", "")


def diff_rows(session: Session, visit: Visit, previous: Visit) -> RevisionDiff:
    commented = _commented(session, previous.id)
    items = _Items(previous, visit)
    rows = [
        *_header(previous, visit),
        *_answers(session, previous, visit, items),
        *_notes(session, previous, visit, items),
        *_photos(session, previous, visit, items),
        *_observations(session, previous, visit),
        *_signals(session, previous, visit),
    ]
    flagged = tuple(
        replace(r, commented=(_TARGET.get(r.area, ""), r.ref) in commented or r.commented)
        for r in rows
    )
    return RevisionDiff(visit_id=visit.id, previous_id=previous.id,
                        previous_revision=previous.revision, revision=visit.revision,
                        rows=flagged)


_TARGET = {"answer": "answer", "photo": "photo", "observation": "observation"}


def _commented(session: Session, visit_id: str) -> set[tuple[str, str]]:
    review = session.scalar(
        select(Review).where(Review.visit_id == visit_id, Review.decision == "returned")
        .order_by(Review.decided_at.desc()).limit(1))
    return set() if review is None else {(c.target, c.ref) for c in review.comments}


class _Items:
    """The checklist items of the two revisions (the newer's templates first), by code; an
    item this laptop's templates do not know is said by its code and its raw answer."""

    def __init__(self, previous: Visit, visit: Visit) -> None:
        self.checklists: list[Checklist] = []
        for v in (visit, previous):
            try:
                self.checklists.append(visit_checklist(v))
            except (KeyError, ValueError, LookupError):
                continue

    def item(self, code: str) -> Item | None:
        for checklist in self.checklists:
            try:
                return checklist.item(code)
            except KeyError:
                continue
        return None

    def label(self, code: str) -> Text:
        item = self.item(code)
        if item is None:
            return Text.same(code)
        return item.question  # its code files it; officers go by the question

    def answer(self, code: str, raw: str) -> Text:
        item = self.item(code)
        if not raw or item is None:
            return Text.same(raw)
        try:
            value = parse_answer(item, raw)
        except UserError:
            return Text.same(raw)  # a value the template no longer takes: as stored
        return Text(display_answer(item, value, "zh"), display_answer(item, value, "en"))


_HEADER = (
    ("visit_date", Text("检查日期", "visit date")),
    ("place", Text("检查地点", "place")),
    ("people_met", Text("接洽人员", "people met")),
    ("general_note", Text("总体情况", "general note")),
    ("measures", Text("措施", "measures")),
    ("next_due_on", Text("下次检查日期", "next inspection")),
)
_CLASSIFICATION = (
    ("recommended_classification", Text("建议分类", "recommended classification")),
    ("final_classification", Text("认定分类", "final classification")),
    ("override_reason", Text("调整理由", "reason for the classification")),
)
_YES, _NO = Text("是", "yes"), Text("否", "no")


def _text(value: Any) -> Text:
    if value is None:
        return _EMPTY
    if isinstance(value, Labelled):
        return value.text
    if isinstance(value, bool):
        return _YES if value else _NO
    if isinstance(value, date):
        return Text.same(value.isoformat())
    return Text.same(str(value))


def _change(before: Text, after: Text) -> str:
    if not before.zh:
        return "added"
    if not after.zh:
        return "removed"
    return "changed"


def _join(parts: list[Text], zh: str = "；", en: str = "; ") -> Text:
    return Text(zh.join(p.zh for p in parts if p.zh), en.join(p.en for p in parts if p.en))


def _header(previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    for area, fields in (("header", _HEADER), ("classification", _CLASSIFICATION)):
        for name, label in fields:
            before, after = _text(getattr(previous, name)), _text(getattr(visit, name))
            if before != after:
                yield DiffRow(area, name, label, _change(before, after), before, after)


def _answers(session: Session, previous: Visit, visit: Visit,
             items: _Items) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, tuple[str, str]]:
        return {code: (value or "", note) for code, value, note in session.execute(
            select(ChecklistAnswer.item_code, ChecklistAnswer.value, ChecklistAnswer.note)
            .where(ChecklistAnswer.visit_id == v.id))}

    def said(code: str, value: str, note: str) -> Text:
        answer = items.answer(code, value)
        if not note:
            return answer
        return _join([answer, Text(f"备注：{note}", f"note: {note}")], "\n", "\n")

    old, new = of(previous), of(visit)
    for code in sorted(old.keys() | new.keys()):
        b, a = old.get(code, ("", "")), new.get(code, ("", ""))
        if b == a:
            continue
        before, after = said(code, *b), said(code, *a)
        yield DiffRow("answer", code, items.label(code), _change(before, after), before, after)


def _notes(session: Session, previous: Visit, visit: Visit, items: _Items) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, list[str]]:
        notes: dict[str, list[str]] = defaultdict(list)
        for code, text in session.execute(
                select(Note.item_code, Note.text).where(Note.visit_id == v.id)
                .order_by(Note.created_at, Note.id)):
            notes[code or ""].append(text)
        return notes

    old, new = of(previous), of(visit)
    for code in sorted(old.keys() | new.keys()):
        before = Text.same("\n".join(old.get(code, [])))
        after = Text.same("\n".join(new.get(code, [])))
        if before != after:
            label = items.label(code) if code else Text("总体记录", "general notes")
            yield DiffRow("note", code, label, _change(before, after), before, after)


def _photos(session: Session, previous: Visit, visit: Visit,
            items: _Items) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, Photo]:
        return {p.sha256: p for p in session.scalars(select(Photo).where(Photo.visit_id == v.id))}

    def name(p: Photo) -> Text:
        return Text.same(p.caption or p.original_name)

    def marks(p: Photo) -> Text:
        n = len(p.annotations)
        return Text(f"{n} 处标注", f"{n} annotation" + ("" if n == 1 else "s"))

    descriptions: dict[str, str] = {item_id: text for item_id, text in session.execute(
        select(CollateralItem.id, CollateralItem.description).where(CollateralItem.id.in_(
            select(Photo.collateral_item_id).where(Photo.visit_id.in_((previous.id, visit.id)))
        )))}

    def attached(p: Photo) -> Text:
        if p.item_code:
            return items.label(p.item_code)
        if p.collateral_item_id:
            return Text.same(descriptions.get(p.collateral_item_id, p.collateral_item_id))
        return Text("（未关联检查项）", "(not attached to an item)")

    old, new = of(previous), of(visit)
    for sha in sorted(old.keys() | new.keys()):
        b, a = old.get(sha), new.get(sha)
        either = a or b
        assert either is not None
        caption = name(either)
        label = Text(f"照片：{caption.zh}", f"Photo: {caption.en}")
        if b is None and a is not None:
            yield DiffRow("photo", sha, label, "added", _EMPTY, name(a))
        elif a is None and b is not None:
            yield DiffRow("photo", sha, label, "removed", name(b), _EMPTY)
        elif a is not None and b is not None:
            if a.caption != b.caption:
                yield DiffRow("photo", sha, label, "changed", Text.same(b.caption),
                              Text.same(a.caption))
            if a.annotations != b.annotations:
                yield DiffRow("photo", sha, label, "changed", marks(b), marks(a))
            if (a.item_code, a.collateral_item_id) != (b.item_code, b.collateral_item_id):
                yield DiffRow("photo", sha, label, "changed", attached(b), attached(a))


# An observation's parts as the editor and the report name them.
_OBSERVED: tuple[tuple[str, Text], ...] = (
    ("status", Text("状态", "status")),
    ("condition", Text("状况", "condition")),
    ("location_checked", Text("位置已核实", "location checked")),
    ("estimated_value_fen", Text("本次估值", "estimate")),
    ("registered_quantity_milli", Text("登记数量", "registered quantity")),
    ("found_quantity_milli", Text("现场数量", "quantity found")),
    ("insurance_valid", Text("保险有效", "insured")),
    ("certificate_held", Text("权证在押", "title held")),
    ("note", Text("情况说明", "note")),
)


def _observed(name: str, value: Any, unit: str = "") -> Text:
    if name == "estimated_value_fen":
        return (_EMPTY if value is None
                else Text(format_fen(value, "zh"), format_fen(value, "en")))
    if name.endswith("_quantity_milli"):
        return Text.same(f"{plain_quantity(value)} {unit}".strip())
    return _text(value)


def _observations(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, tuple[CollateralObservation, str]]:
        return {o.collateral_item_id: (o, description) for o, description in session.execute(
            select(CollateralObservation, CollateralItem.description)
            .join(CollateralItem, CollateralItem.id == CollateralObservation.collateral_item_id)
            .where(CollateralObservation.visit_id == v.id))}

    def describe(o: CollateralObservation, names: Iterable[str]) -> Text:
        parts = []
        for name, label in _OBSERVED:
            if name not in names:
                continue
            value = getattr(o, name)
            if name == "status":
                parts.append(_text(value))  # its label says it all: 在位, 被法院查封...
            elif name == "location_checked":
                parts.append(label if value else Text(f"{label.zh}：否", f"{label.en}: no"))
            elif value is not None and value != "":
                said = _observed(name, value, o.quantity_unit)
                parts.append(Text(f"{label.zh}：{said.zh}", f"{label.en}: {said.en}"))
        return _join(parts)

    everything = [name for name, _label in _OBSERVED]
    old, new = of(previous), of(visit)
    for item_id in sorted(old.keys() | new.keys()):
        b, a = old.get(item_id), new.get(item_id)
        either = a or b
        assert either is not None
        label = Text.same(either[1])
        if a is not None and b is not None:
            # Both observed: the status, then only what differs.
            names = ["status"] + [n for n in everything[1:]
                                  if getattr(a[0], n) != getattr(b[0], n)]
            if names == ["status"] and a[0].status == b[0].status:
                continue
            yield DiffRow("observation", item_id, label, "changed",
                          describe(b[0], names), describe(a[0], names))
        else:
            before = describe(b[0], everything) if b else _EMPTY
            after = describe(a[0], everything) if a else _EMPTY
            yield DiffRow("observation", item_id, label, _change(before, after), before, after)


def _signals(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    """Signals are raised afresh in each revision (new ids): matched by where they came from
    (source and item) or, for an officer's own, by title."""

    def of(v: Visit) -> dict[tuple[str, str], RiskSignal]:
        return {(s.source.value, s.source_ref or s.title): s for s in session.scalars(
            select(RiskSignal).where(RiskSignal.visit_id == v.id))}

    def describe(s: RiskSignal) -> Text:
        return _join([s.severity.text, s.status.text, Text.same(s.title)], "·", " · ")

    old, new = of(previous), of(visit)
    for key in sorted(old.keys() | new.keys()):
        b, a = old.get(key), new.get(key)
        before, after = (describe(b) if b else _EMPTY), (describe(a) if a else _EMPTY)
        if before == after:
            continue
        signal = a or b
        assert signal is not None
        # The comment named the returned revision's signal by its id.
        yield DiffRow("signal", signal.id, Text.same(signal.title), _change(before, after),
                      before, after,
                      commented=b is not None and _signal_commented(session, previous.id, b.id))


def _signal_commented(session: Session, visit_id: str, signal_id: str) -> bool:
    return ("signal", signal_id) in _commented(session, visit_id)
