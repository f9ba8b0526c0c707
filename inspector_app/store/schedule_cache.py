"""Keep the derived due-list columns on Borrower up to date.

Borrower.classification, .open_signals, .next_due_on and .next_due_kind are copies of what
the loans, visits and signals imply, so the officer's due list over 20,000 borrowers is one
indexed query. This module recomputes them in bulk: a handful of set-based reads grouped in
Python, the schedule rules from inspector_app.domain.schedule, then one executemany UPDATE of
only the rows that changed (an unchanged row keeps its version, so sync sees nothing new).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import (
    Classification,
    LoanType,
    Severity,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.schedule import next_due_date
from inspector_app.store.models import Borrower, Loan, RiskSignal, Visit

# SQLite's default limit on bound parameters is 32,766 (3.32+); stay far below it so an
# explicit id list of any length works, and the IN lists stay cheap to plan.
_CHUNK = 900

# Visits that prove the borrower was inspected even when not marked as a first inspection:
# once signed, the officer's findings are on record.
_SIGNED_OR_LATER = (VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED)

_RANK = {c: c.rank for c in Classification}


@dataclass(frozen=True)
class _Derived:
    """What the loans, visits and signals of one borrower imply for its due-list columns."""

    classification: Classification
    open_signals: int
    next_due_on: date | None
    next_due_kind: VisitKind | None


@dataclass
class _Facts:
    loans: list[tuple[LoanType, date, Classification]]
    signals: list[tuple[Severity, date]]
    last_visit_on: date | None = None
    first_inspection_done: bool = False


def _derive(facts: _Facts, policy: Policy) -> _Derived:
    """The derived columns for one borrower's facts."""
    # The worst loan; a rank table, since Classification.rank rebuilds the member list per
    # call and this runs once per loan of 20,000 borrowers.
    classification = max(
        (loan_class for _type, _disbursed, loan_class in facts.loans),
        key=_RANK.__getitem__,
        default=Classification.NORMAL,
    )
    if not facts.loans and not facts.first_inspection_done:
        # No loan has been disbursed, so no inspection is owed yet (and next_due_date needs a
        # loan to date a first inspection from).
        return _Derived(classification, len(facts.signals), None, None)
    due = next_due_date(
        last_visit_on=facts.last_visit_on,
        classification=classification,
        loans=[(loan_type, disbursed) for loan_type, disbursed, _c in facts.loans],
        first_inspection_done=facts.first_inspection_done,
        open_signals=facts.signals,
        policy=policy,
    )
    return _Derived(classification, len(facts.signals), due.due_on, due.kind)


def refresh_schedule(
    session: Session, policy: Policy, borrower_ids: Iterable[str] | None = None
) -> int:
    """Recompute the derived due-list columns of the given borrowers (None = all of them).

    Runs inside the caller's (write) transaction; returns how many borrowers changed. Each
    changed row gets version + 1 and a new updated_at, like any ORM update; Borrower objects
    already loaded in the session are updated to match.
    """
    session.flush()
    ids = None if borrower_ids is None else sorted(set(borrower_ids))
    changes: list[dict[str, Any]] = []
    for where in _id_filters(ids):
        changes.extend(_changes(session, policy, where))
    if not changes:
        return 0
    _write(session, changes)
    _sync_loaded(session, changes)
    return len(changes)


def _write(session: Session, changes: list[dict[str, Any]]) -> None:
    """One executemany UPDATE. The ORM's bulk update by primary key would do the same version
    check, but on SQLite (no reliable per-row rowcount for executemany) it falls back to one
    statement per row: 20,000 round trips. Here the check is the WHERE clause, and the total
    rowcount, which SQLite does report, proves that no row was changed behind our back."""
    table = Borrower.__table__
    now = utcnow()
    params = [
        {
            "b_id": c["id"],
            "b_version": c["version"],
            "b_classification": c["classification"],
            "b_open_signals": c["open_signals"],
            "b_next_due_on": c["next_due_on"],
            "b_next_due_kind": c["next_due_kind"],
            "b_updated_at": now,
        }
        for c in changes
    ]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(
            classification=bindparam("b_classification"),
            open_signals=bindparam("b_open_signals"),
            next_due_on=bindparam("b_next_due_on"),
            next_due_kind=bindparam("b_next_due_kind"),
            updated_at=bindparam("b_updated_at"),
            version=table.c.version + 1,
        )
    )
    matched = cast(CursorResult[Any], session.execute(statement, params)).rowcount
    if matched != len(params):
        raise StaleDataError(
            f"refresh_schedule expected to update {len(params)} borrower(s); {matched} matched "
            "(changed concurrently?)"
        )
    for change in changes:
        change["updated_at"] = now


def _id_filters(ids: Sequence[str] | None) -> Iterator[list[str] | None]:
    """None once (meaning all borrowers), or the ids in chunks small enough for an IN list."""
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _restrict(query: Any, column: InstrumentedAttribute[str], chunk: list[str] | None) -> Any:
    return query if chunk is None else query.where(column.in_(chunk))


def _changes(session: Session, policy: Policy, chunk: list[str] | None) -> list[dict[str, Any]]:
    facts: dict[str, _Facts] = defaultdict(lambda: _Facts([], []))

    loans = select(Loan.borrower_id, Loan.loan_type, Loan.disbursed_on, Loan.classification)
    for borrower_id, loan_type, disbursed_on, loan_class in session.execute(
        _restrict(loans, Loan.borrower_id, chunk)
    ):
        facts[borrower_id].loans.append((loan_type, disbursed_on, loan_class))

    signals = select(RiskSignal.borrower_id, RiskSignal.severity, RiskSignal.raised_on).where(
        RiskSignal.status != SignalStatus.CLEARED
    )
    for borrower_id, severity, raised_on in session.execute(
        _restrict(signals, RiskSignal.borrower_id, chunk)
    ):
        facts[borrower_id].signals.append((severity, raised_on))

    # Aggregated in SQL: 100,000 visits become one row per visited borrower.
    first_done = func.max(
        or_(
            (Visit.kind == VisitKind.FIRST) & (Visit.status != VisitStatus.DRAFT),
            Visit.status.in_(_SIGNED_OR_LATER),
        )
    )
    visits = (
        select(Visit.borrower_id, func.max(Visit.visit_date), first_done)
        .where(Visit.status != VisitStatus.DRAFT)
        .group_by(Visit.borrower_id)
    )
    for borrower_id, last_on, done in session.execute(
        _restrict(visits, Visit.borrower_id, chunk)
    ):
        fact = facts[borrower_id]
        fact.last_visit_on = last_on  # max() keeps the column's Date type, so a date
        fact.first_inspection_done = bool(done)

    current = select(
        Borrower.id,
        Borrower.version,
        Borrower.classification,
        Borrower.open_signals,
        Borrower.next_due_on,
        Borrower.next_due_kind,
    )
    empty = _Facts([], [])
    changes: list[dict[str, Any]] = []
    for row in session.execute(_restrict(current, Borrower.id, chunk)):
        new = _derive(facts.get(row.id, empty), policy)
        old = _Derived(
            row.classification, row.open_signals, row.next_due_on, row.next_due_kind
        )
        if new != old:
            changes.append(
                {
                    "id": row.id,
                    "version": row.version,
                    "classification": new.classification,
                    "open_signals": new.open_signals,
                    "next_due_on": new.next_due_on,
                    "next_due_kind": new.next_due_kind,
                }
            )
    return changes


def _sync_loaded(session: Session, changes: list[dict[str, Any]]) -> None:
    """Bulk updates bypass the identity map: give loaded Borrower objects the new values and
    version as their committed state, or their old version would make the next flush fail as
    stale (expiring them instead would break callers that read them after the session)."""
    by_id = {change["id"]: change for change in changes}
    for obj in list(session.identity_map.values()):
        change = by_id.get(getattr(obj, "id", None)) if isinstance(obj, Borrower) else None
        if change is None:
            continue
        for key, value in change.items():
            if key != "id":
                set_committed_value(obj, key, value + 1 if key == "version" else value)
