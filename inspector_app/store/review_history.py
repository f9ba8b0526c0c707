"""A visit's history across its revisions, and what a resubmission changed.

Read inside the caller's session (store.review.VisitReview's audit_trail and revision_diff):
the audit entries of the visit and of the revisions it corrects, in words; and the
differences between a revision and the returned one it replaced, flagged where the
supervisor had commented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, VisitStatus
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

# The steps a visit's history shows (edits of answers and photos are not steps).
TRAIL_ACTIONS = (
    "visit.start", "visit.transition", "visit.review", "visit.received", "visit.revise",
    "report.signed", "report.countersigned",
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


def diff_rows(session: Session, visit: Visit, previous: Visit,
              labels: dict[tuple[str, str], str]) -> RevisionDiff:
    commented = _commented(session, previous.id)
    rows = [
        *_header(previous, visit),
        *_answers(session, previous, visit, labels),
        *_notes(session, previous, visit),
        *_photos(session, previous, visit),
        *_observations(session, previous, visit),
        *_signals(session, previous, visit),
    ]
    flagged = tuple(
        DiffRow(r.area, r.ref, r.label, r.change, r.before, r.after,
                commented=(_TARGET.get(r.area, ""), r.ref) in commented or r.commented)
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


_HEADER = (
    ("visit_date", "检查日期 / visit date"),
    ("place", "检查地点 / place"),
    ("people_met", "接洽人员 / people met"),
    ("general_note", "总体情况 / general note"),
    ("measures", "措施 / measures"),
    ("next_due_on", "下次检查日期 / next inspection"),
)
_CLASSIFICATION = (
    ("recommended_classification", "建议分类 / recommended classification"),
    ("final_classification", "认定分类 / final classification"),
    ("override_reason", "调整理由 / reason for the classification"),
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Classification):
        return value.zh
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _change(before: str, after: str) -> str:
    if not before:
        return "added"
    if not after:
        return "removed"
    return "changed"


def _header(previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    for area, fields in (("header", _HEADER), ("classification", _CLASSIFICATION)):
        for name, label in fields:
            before, after = _text(getattr(previous, name)), _text(getattr(visit, name))
            if before != after:
                yield DiffRow(area, name, label, _change(before, after), before, after)


def _answers(session: Session, previous: Visit, visit: Visit,
             labels: dict[tuple[str, str], str]) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, tuple[str, str]]:
        return {code: (value or "", note) for code, value, note in session.execute(
            select(ChecklistAnswer.item_code, ChecklistAnswer.value, ChecklistAnswer.note)
            .where(ChecklistAnswer.visit_id == v.id))}

    old, new = of(previous), of(visit)
    for code in sorted(old.keys() | new.keys()):
        b, a = old.get(code, ("", "")), new.get(code, ("", ""))
        if b == a:
            continue
        label = labels.get(("answer", code), code)
        before = b[0] + (f"（{b[1]}）" if b[1] else "")
        after = a[0] + (f"（{a[1]}）" if a[1] else "")
        yield DiffRow("answer", code, label, _change(before, after), before, after)


def _notes(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, list[str]]:
        notes: dict[str, list[str]] = defaultdict(list)
        for code, text in session.execute(
                select(Note.item_code, Note.text).where(Note.visit_id == v.id)
                .order_by(Note.created_at, Note.id)):
            notes[code or ""].append(text)
        return notes

    old, new = of(previous), of(visit)
    for code in sorted(old.keys() | new.keys()):
        before, after = "\n".join(old.get(code, [])), "\n".join(new.get(code, []))
        if before != after:
            label = code or "总体记录 / general notes"
            yield DiffRow("note", code, label, _change(before, after), before, after)


def _photos(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, Photo]:
        return {p.sha256: p for p in session.scalars(select(Photo).where(Photo.visit_id == v.id))}

    old, new = of(previous), of(visit)
    for sha in sorted(old.keys() | new.keys()):
        b, a = old.get(sha), new.get(sha)
        either = a or b
        assert either is not None
        label = either.caption or either.original_name
        if b is None and a is not None:
            yield DiffRow("photo", sha, label, "added", "", a.caption or a.original_name)
        elif a is None and b is not None:
            yield DiffRow("photo", sha, label, "removed", b.caption or b.original_name, "")
        elif a is not None and b is not None:
            if a.caption != b.caption:
                yield DiffRow("photo", sha, label, "changed", b.caption, a.caption)
            if a.annotations != b.annotations:
                yield DiffRow("photo", sha, label, "changed",
                              f"{len(b.annotations)} 处标注 / annotations",
                              f"{len(a.annotations)} 处标注 / annotations")
            if (a.item_code, a.collateral_item_id) != (b.item_code, b.collateral_item_id):
                yield DiffRow("photo", sha, label, "changed",
                              b.item_code or b.collateral_item_id or "",
                              a.item_code or a.collateral_item_id or "")


_OBSERVED = ("status", "condition", "location_checked", "estimated_value_fen",
             "insurance_valid", "certificate_held", "note")


def _observations(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    def of(v: Visit) -> dict[str, tuple[CollateralObservation, str]]:
        return {o.collateral_item_id: (o, description) for o, description in session.execute(
            select(CollateralObservation, CollateralItem.description)
            .join(CollateralItem, CollateralItem.id == CollateralObservation.collateral_item_id)
            .where(CollateralObservation.visit_id == v.id))}

    def describe(o: CollateralObservation) -> str:
        return "；".join(f"{f}={_text(getattr(o, f))}" for f in _OBSERVED)

    old, new = of(previous), of(visit)
    for item_id in sorted(old.keys() | new.keys()):
        b, a = old.get(item_id), new.get(item_id)
        either = a or b
        assert either is not None
        label = either[1]
        before = describe(b[0]) if b else ""
        after = describe(a[0]) if a else ""
        if before != after:
            yield DiffRow("observation", item_id, label, _change(before, after), before, after)


def _signals(session: Session, previous: Visit, visit: Visit) -> Iterator[DiffRow]:
    """Signals are raised afresh in each revision (new ids): matched by where they came from
    (source and item) or, for an officer's own, by title."""

    def of(v: Visit) -> dict[tuple[str, str], RiskSignal]:
        return {(s.source.value, s.source_ref or s.title): s for s in session.scalars(
            select(RiskSignal).where(RiskSignal.visit_id == v.id))}

    def describe(s: RiskSignal) -> str:
        return f"{s.severity.zh}·{s.status.zh}·{s.title}"

    old, new = of(previous), of(visit)
    for key in sorted(old.keys() | new.keys()):
        b, a = old.get(key), new.get(key)
        before, after = (describe(b) if b else ""), (describe(a) if a else "")
        if before == after:
            continue
        signal = a or b
        assert signal is not None
        # The comment named the returned revision's signal by its id.
        yield DiffRow("signal", signal.id, signal.title, _change(before, after), before, after,
                      commented=b is not None and _signal_commented(session, previous.id, b.id))


def _signal_commented(session: Session, visit_id: str, signal_id: str) -> bool:
    return ("signal", signal_id) in _commented(session, visit_id)
