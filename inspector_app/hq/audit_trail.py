"""Reading headquarters' audit trail: filtered in SQL, newest first, a page at a time.

An administrator asks for the entries of a user (who did it: the actor), a borrower (the
borrower's own record, its visits, their warning signals and the handovers that moved it),
a visit (the visit and its signals), an action ("visit.push", or a family: "handover" is
every "handover.*"), and a period [since, until). Each filter is checked against the
database first: a username, borrower code, visit or action headquarters has never heard of
is a mistake said as such (AuditFilterError), not an empty list that looks like "nothing
happened". Used by `inspector-hq admin audit` and GET /api/v1/audit (audit_api).

Newest first is by time, then id (two entries of the same microsecond); the cursor is the
last entry shown, and the next page the entries before it in that order (keyset paging), so a
page costs the same at the end of a million entries as at the start, and entries written
meanwhile never shift the pages. Every filter's index ends in (at, id) (HQ migration 0011).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, true, tuple_
from sqlalchemy.orm import Session

from inspector_app.common.text import Text, UserError
from inspector_app.hq.db import Database
from inspector_app.hq.models import (
    AuditEntry,
    Borrower,
    HandoverBorrower,
    SignalEntry,
    User,
    Visit,
)
from inspector_app.wire import (
    AUDIT_ACTIONS,
    AUDIT_FAMILIES,
    AuditEntryRecord,
    AuditPage,
    audit_table,
    detail_text,
)

__all__ = ["ACTIONS", "DEFAULT_PAGE", "MAX_PAGE", "AuditFilter", "AuditFilterError",
           "audit_page", "audit_table", "detail_text", "iter_entries"]

DEFAULT_PAGE = 50
MAX_PAGE = 1000
# An action not in AUDIT_ACTIONS is still accepted if the trail holds it (an older
# server's), so that list only has to be complete for actions that may not have happened yet.
ACTIONS = AUDIT_ACTIONS
_FAMILIES = set(AUDIT_FAMILIES)


class AuditFilterError(UserError):
    """A filter that names nothing headquarters knows, or a period that ends before it
    starts."""


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None: no filter on that."""

    user: str | None = None  # a username (or an actor such as "cli:root")
    borrower: str | None = None  # a borrower code
    visit: str | None = None  # a visit id
    action: str | None = None  # an action, or a family ("handover")
    since: datetime | None = None  # inclusive, aware
    until: datetime | None = None  # exclusive, aware


def _any(s: Session, condition: ColumnElement[bool]) -> bool:
    return s.scalar(select(AuditEntry.id).where(condition).limit(1)) is not None


def _of_records(entity: str, ids: list[str]) -> ColumnElement[bool]:
    return and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))


def _user(s: Session, user: str) -> ColumnElement[bool]:
    condition = AuditEntry.actor == user
    if s.scalar(select(User.id).where(User.username == user)) is None and not _any(s, condition):
        raise AuditFilterError(Text(f"没有用户 {user}", f"no user {user!r}"))
    return condition


def _action(s: Session, action: str) -> ColumnElement[bool]:
    # The family as a range, not LIKE: a plain index range on both databases.
    family = and_(AuditEntry.action > f"{action}.", AuditEntry.action < f"{action}/")
    condition = or_(AuditEntry.action == action, family)
    if action not in ACTIONS and action not in _FAMILIES and not _any(s, condition):
        raise AuditFilterError(Text(
            f"没有操作 {action}（可用：{', '.join(sorted(_FAMILIES))}，或其中的具体操作，如 "
            "visit.push）",
            f"no action {action!r} (use one of {', '.join(sorted(_FAMILIES))}, or one of "
            "their actions such as visit.push)"))
    return condition


def _borrower(s: Session, code: str) -> ColumnElement[bool]:
    borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == code))
    if borrower_id is None:
        raise AuditFilterError(Text(f"没有客户 {code}", f"no borrower {code!r}"))
    # The ids first, then an IN list each: index lookups, where IN (subquery) inside an OR
    # would have the database scan the whole trail.
    visits = list(s.scalars(select(Visit.id).where(Visit.borrower_id == borrower_id)))
    signals = list(s.scalars(select(SignalEntry.id)
                             .where(SignalEntry.borrower_id == borrower_id)))
    handovers = list(s.scalars(select(HandoverBorrower.handover_id)
                               .where(HandoverBorrower.borrower_id == borrower_id)))
    return or_(_of_records("borrower", [borrower_id]), _of_records("visit", visits),
               _of_records("signal", signals), _of_records("handover", handovers))


def _visit(s: Session, visit_id: str) -> ColumnElement[bool]:
    own = _of_records("visit", [visit_id])
    if s.get(Visit, visit_id) is None and not _any(s, own):
        raise AuditFilterError(Text(f"没有检查记录 {visit_id}", f"no visit {visit_id!r}"))
    signals = list(s.scalars(select(SignalEntry.id).where(SignalEntry.visit_id == visit_id)))
    return or_(own, _of_records("signal", signals))


def condition(s: Session, f: AuditFilter) -> ColumnElement[bool]:
    """The filter as one SQL condition on audit_log; AuditFilterError if it names nothing."""
    if f.since is not None and f.until is not None and f.since >= f.until:
        raise AuditFilterError(Text("开始日期晚于结束日期", "the start date is after the end date"))
    parts: list[ColumnElement[bool]] = [true()]
    if f.user:
        parts.append(_user(s, f.user))
    if f.action:
        parts.append(_action(s, f.action))
    if f.borrower:
        parts.append(_borrower(s, f.borrower))
    if f.visit:
        parts.append(_visit(s, f.visit))
    if f.since is not None:
        parts.append(AuditEntry.at >= f.since)
    if f.until is not None:
        parts.append(AuditEntry.at < f.until)
    return and_(*parts)


def _records(s: Session, rows: list[AuditEntry]) -> list[AuditEntryRecord]:
    """The page's entries, with the borrower (code) and visit each concerns, looked up for the
    whole page at once."""
    ids: dict[str, set[str]] = {}
    for row in rows:
        ids.setdefault(row.entity, set()).add(row.entity_id)
    signal_of = {r.id: (r.visit_id, r.borrower_id) for r in s.execute(
        select(SignalEntry.id, SignalEntry.visit_id, SignalEntry.borrower_id)
        .where(SignalEntry.id.in_(ids.get("signal", set()))))}
    borrower_of_visit = dict(s.execute(select(Visit.id, Visit.borrower_id)
                                       .where(Visit.id.in_(ids.get("visit", set())))).all())
    borrower_ids = (ids.get("borrower", set()) | set(borrower_of_visit.values())
                    | {b for _v, b in signal_of.values()})
    code_of = dict(s.execute(select(Borrower.id, Borrower.code)
                             .where(Borrower.id.in_(borrower_ids))).all())
    out = []
    for row in rows:
        visit_id, borrower_id = None, None
        if row.entity == "visit":
            visit_id, borrower_id = row.entity_id, borrower_of_visit.get(row.entity_id)
        elif row.entity == "signal":
            visit_id, borrower_id = signal_of.get(row.entity_id, (None, None))
        elif row.entity == "borrower":
            borrower_id = row.entity_id
        out.append(AuditEntryRecord(
            id=row.id, at=row.at, actor=row.actor, user_id=row.user_id, device_id=row.device_id,
            action=row.action, entity=row.entity, entity_id=row.entity_id,
            borrower_code=code_of.get(borrower_id) if borrower_id else None, visit_id=visit_id,
            detail=row.detail or {}))
    return out


def audit_page(db: Database, f: AuditFilter, cursor: int | None = None,
               limit: int = DEFAULT_PAGE) -> AuditPage:
    """The entries matching f older than the entry `cursor` (None: the newest), at most
    limit of them, newest first; AuditFilterError for a filter that names nothing, or a
    cursor that is no entry."""
    with db.read() as s:
        where = condition(s, f)
        if cursor is not None:
            last = s.get(AuditEntry, cursor)
            if last is None:
                raise AuditFilterError(Text(f"没有第 {cursor} 条记录", f"no entry {cursor}"))
            where = and_(where, tuple_(AuditEntry.at, AuditEntry.id) < (last.at, last.id))
        rows = list(s.scalars(select(AuditEntry).where(where)
                              .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        return AuditPage(entries=_records(s, rows),
                         next_cursor=rows[-1].id if more and rows else None)


def iter_entries(db: Database, f: AuditFilter, chunk: int = MAX_PAGE
                 ) -> Iterator[AuditEntryRecord]:
    """Every entry matching f, newest first, read a page at a time."""
    cursor: int | None = None
    while True:
        page = audit_page(db, f, cursor, chunk)
        yield from page.entries
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
