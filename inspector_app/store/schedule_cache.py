"""Keep the derived due-list columns on Borrower up to date, and say what a visit's conclusion
may offer as the next date.

Borrower.classification, .open_signals, .next_due_on, .next_due_kind and .next_due_reason are
copies of what the loans, visits and signals imply, so the officer's due list over 20,000
borrowers is one indexed query. This module recomputes them in bulk: a handful of set-based
reads grouped in Python, the schedule rules from inspector_app.domain.schedule, then one
executemany UPDATE of only the rows that changed (an unchanged row keeps its version, so sync
sees nothing new).

due_after_visit() reads the same facts for one borrower and adds a visit as if it were
finished: what it returns is what the due list shows once the visit is completed, so the
conclusion, the report and the due list give one date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    String,
    bindparam,
    case,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.due_facts import BorrowerFacts, due_for, owed_and_class, worst
from inspector_app.domain.enums import (
    Classification,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.schedule import (
    DueItem,
    OpenSignal,
    due_entries,
)
from inspector_app.store.models import Borrower, ClassificationMove, Loan, RiskSignal, Visit
from inspector_app.store.templates_in_force import templates_in_force

# Borrower.next_due_reason as the stored JSON text, for the due lists: decoded only when a
# row's reason is shown (rows.DueRow.next_due_reason).
STORED_REASON = type_coerce(Borrower.next_due_reason, String)

# SQLite's default limit on bound parameters is 32,766 (3.32+); stay far below it so an
# explicit id list of any length works, and the IN lists stay cheap to plan.
_CHUNK = 900

_RANK = {c: c.rank for c in Classification}

# A change's key for the classification it moves from (None: no move to record).
_MOVED_FROM = "moved_from"


@dataclass(frozen=True)
class _Derived:
    """What the loans, visits and signals of one borrower imply for its due-list columns."""

    classification: Classification
    open_signals: int
    next_due_on: date | None
    next_due_kind: VisitKind | None
    next_due_reason: dict[str, str] | None


# One definition with headquarters' due list (domain.due_facts); the old names kept here.
_Facts = BorrowerFacts
_worst = worst
_owed_and_class = owed_and_class
_due = due_for


def _derive(facts: _Facts, policy: Policy) -> _Derived:
    """The derived columns for one borrower's facts."""
    classification = _worst(c for _t, _d, c, _n in facts.loans)
    due = _due(facts, policy)
    if due is None:
        return _Derived(classification, len(facts.signals), None, None, None)
    reason = {"zh": due.reason.zh, "en": due.reason.en}
    return _Derived(classification, len(facts.signals), due.due_on, due.kind, reason)


def due_after_visit(
    session: Session, policy: Policy, visit: Visit, concluded: Classification
) -> DueItem:
    """What the due list will say once ``visit`` is finished with ``concluded`` as its
    classification: the latest next date its conclusion may offer (the officer may choose a
    sooner one, which the due list then shows)."""
    session.flush()
    facts = _gather(session, [visit.borrower_id]).get(visit.borrower_id, _Facts([], []))
    if facts.last_visit_on is None or visit.visit_date >= facts.last_visit_on:
        facts.last_visit_on, facts.last_concluded = visit.visit_date, concluded
    if visit.kind is VisitKind.SPECIAL and (
            facts.last_special_on is None or visit.visit_date > facts.last_special_on):
        facts.last_special_on = visit.visit_date
    due = _due(facts, policy, promised=False)
    assert due is not None  # a visit date to count from is set just above
    return due


def borrower_due_entries(session: Session, policy: Policy, borrower_id: str
                         ) -> tuple[DueItem, ...]:
    """Every inspection due for one borrower, earliest first (domain.schedule.due_entries): a
    first inspection per loan not inspected since disbursement, the routine one, a special one
    per event signal awaiting it, each newer signal's pull-in. The brief lists them."""
    facts = _gather(session, [borrower_id]).get(borrower_id, _Facts([], []))
    owed, classification = _owed_and_class(facts)
    return due_entries(
        last_visit_on=facts.last_visit_on, classification=classification, owed_first=owed,
        open_signals=facts.signals, policy=policy, days_past_due=facts.days_past_due,
        last_special_on=facts.last_special_on,
    )


def refresh_schedule(
    session: Session, policy: Policy, borrower_ids: Iterable[str] | None = None,
    *, today: date | None = None,
) -> int:
    """Recompute the derived due-list columns of the given borrowers (None = all of them).

    Runs inside the caller's (write) transaction; returns how many borrowers changed. Each
    changed row gets version + 1 and a new updated_at, like any ORM update; Borrower objects
    already loaded in the session are updated to match. A changed classification is also
    kept as a ClassificationMove dated ``today`` (default: the system's date).
    """
    session.flush()
    ids = None if borrower_ids is None else sorted(set(borrower_ids))
    changes: list[dict[str, Any]] = []
    for where in _id_filters(ids):
        changes.extend(_changes(session, policy, where))
    if not changes:
        return 0
    _write(session, changes)
    _record_moves(session, changes, today or date.today())
    _sync_loaded(session, changes)
    return len(changes)


def _record_moves(session: Session, changes: list[dict[str, Any]], today: date) -> None:
    """One ClassificationMove per borrower whose classification changed; popped from the
    changes, which name Borrower attributes only."""
    moves = [
        {"borrower_id": c["id"], "moved_on": today, "from_classification": moved_from,
         "to_classification": c["classification"]}
        for c in changes if (moved_from := c.pop(_MOVED_FROM)) is not None
    ]
    if moves:
        session.execute(insert(ClassificationMove), moves)


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
            "b_next_due_reason": c["next_due_reason"],
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
            next_due_reason=bindparam("b_next_due_reason"),
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


def _days_past_due(session: Session, chunk: list[str] | None) -> dict[str, int]:
    """ADAPTER (repayment data): each borrower's worst loan's days past due
    (Loan.days_past_due, from headquarters' repayment extract), for the schedule's overdue
    rule; the one place the store passes arrears to domain.schedule."""
    query = select(Loan.borrower_id, func.max(Loan.days_past_due)).group_by(Loan.borrower_id)
    return {borrower_id: int(days or 0) for borrower_id, days in session.execute(
        _restrict(query, Loan.borrower_id, chunk))}


def _gather(session: Session, chunk: list[str] | None) -> dict[str, _Facts]:
    """The schedule's facts of the borrowers in ``chunk`` (None = all), by borrower id."""
    facts: dict[str, _Facts] = defaultdict(lambda: _Facts([], []))

    loans = select(Loan.borrower_id, Loan.loan_type, Loan.disbursed_on, Loan.classification,
                   Loan.contract_no)
    for borrower_id, loan_type, disbursed_on, loan_class, contract in session.execute(
        _restrict(loans, Loan.borrower_id, chunk)
    ):
        facts[borrower_id].loans.append((loan_type, disbursed_on, loan_class, contract))

    signals = select(
        RiskSignal.borrower_id, RiskSignal.severity, RiskSignal.raised_on, RiskSignal.event,
        RiskSignal.title, RiskSignal.source, RiskSignal.source_ref,
    ).where(RiskSignal.status != SignalStatus.CLEARED)
    titles: dict[str, Text] | None = None
    for borrower_id, severity, raised_on, event, title, source, ref in session.execute(
        _restrict(signals, RiskSignal.borrower_id, chunk)
    ):
        named = None
        if event:  # only an event's title is shown, in the special inspection it proposes
            if titles is None:
                titles = _checklist_signal_titles(session)
            # The stored title is the bank's record in Chinese; a checklist item's English
            # one is its template's.
            english = titles.get(ref) if source is SignalSource.CHECKLIST else None
            named = Text(title, english.en) if english else Text.same(title)
        facts[borrower_id].signals.append(OpenSignal(severity, raised_on, named, bool(event)))

    # The latest finished visit of each borrower: each one's last date (and last special
    # inspection's) aggregated in SQL, then the visits of that date, of which the latest
    # revision, then the latest made, concludes. created_at is compared as stored text (ISO,
    # so in order): converting 100,000 timestamps to datetimes would double the time.
    done = Visit.status != VisitStatus.DRAFT
    last = _restrict(
        select(Visit.borrower_id.label("borrower_id"), func.max(Visit.visit_date).label("on"),
               func.max(case((Visit.kind == VisitKind.SPECIAL, Visit.visit_date)))
               .label("special_on"))
        .where(done).group_by(Visit.borrower_id),
        Visit.borrower_id, chunk,
    ).subquery()
    latest = select(
        last.c.borrower_id, last.c.on, last.c.special_on, Visit.revision,
        type_coerce(Visit.created_at, String), Visit.next_due_on,
        func.coalesce(Visit.final_classification, Visit.recommended_classification),
    ).join(Visit, (Visit.borrower_id == last.c.borrower_id) & (Visit.visit_date == last.c.on)
           & done)
    newest: dict[str, tuple[int, str]] = {}
    for borrower_id, on, special, revision, made, promised, concluded in session.execute(latest):
        if newest.get(borrower_id, (-1, "")) >= (revision, made):
            continue
        newest[borrower_id] = (revision, made)
        fact = facts[borrower_id]
        fact.last_visit_on, fact.promised_on = on, promised
        fact.last_concluded = None if concluded is None else Classification(concluded)
        fact.last_special_on = _as_date(special)

    for borrower_id, days in _days_past_due(session, chunk).items():
        facts[borrower_id].days_past_due = days
    return facts


def _checklist_signal_titles(session: Session) -> dict[str, Text]:
    """Item code -> the title of the signal it raises, over every template in force."""
    return {item.code: item.signal.title for template in templates_in_force(session).known
            for item in template.items() if item.signal is not None}


def _as_date(value: Any) -> date | None:
    # max(CASE ...) loses the column's type on SQLite: the ISO text comes back.
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _changes(session: Session, policy: Policy, chunk: list[str] | None) -> list[dict[str, Any]]:
    facts = _gather(session, chunk)
    current = select(
        Borrower.id,
        Borrower.version,
        Borrower.classification,
        Borrower.open_signals,
        Borrower.next_due_on,
        Borrower.next_due_kind,
        Borrower.next_due_reason,
    )
    empty = _Facts([], [])
    changes: list[dict[str, Any]] = []
    for row in session.execute(_restrict(current, Borrower.id, chunk)):
        new = _derive(facts.get(row.id, empty), policy)
        old = _Derived(
            row.classification, row.open_signals, row.next_due_on, row.next_due_kind,
            row.next_due_reason,
        )
        if new != old:
            changes.append(
                {
                    # A first derivation (a borrower just pulled: the column's default, no
                    # reason yet) is no move: the borrower arrived with its classification.
                    _MOVED_FROM: row.classification
                    if new.classification != row.classification
                    and row.next_due_reason is not None else None,
                    "id": row.id,
                    "version": row.version,
                    "classification": new.classification,
                    "open_signals": new.open_signals,
                    "next_due_on": new.next_due_on,
                    "next_due_kind": new.next_due_kind,
                    "next_due_reason": new.next_due_reason,
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
