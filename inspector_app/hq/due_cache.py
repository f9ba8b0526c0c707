"""Headquarters' copy of each borrower's classification and next inspection date
(borrower_due), so the whole-bank dashboard counts them in the database.

The date is the laptops' (domain.due_facts over hq.listings.borrower_facts, the policy in
force); the classification the worst of the borrower's loans', as the laptops keep it. A write
that may change either marks the borrower (mark_stale, in the write's own transaction): a
push, a signal's follow-up, an import of borrowers, loans or repayment data; a new policy
marks everyone (mark_all_stale). refresh_stale() works the marked borrowers out again before
the dashboard counts, and clears only the marks it read, so a borrower marked again meanwhile
is worked out next time. Reads and writes in chunks: the first refresh after migration 0013
covers every borrower.

record_moves() keeps each change of a borrower's classification in classification_moves, on
the day the import that changed its loans ran (the migration matrix reads them).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Insert, delete, insert, literal, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import new_id
from inspector_app.domain.due_facts import BorrowerFacts, due_for, worst
from inspector_app.domain.enums import Classification
from inspector_app.hq.db import Database
from inspector_app.hq.listings import borrower_facts, policy_in_force
from inspector_app.hq.models import Borrower, BorrowerDue, ClassificationMove, DueStale, Loan

CHUNK = 900  # borrowers per round (an IN list each)
# Above this many marked borrowers a refresh reads everyone's facts at once (a handful of
# scans) rather than hundreds of IN lists.
WHOLE_BANK = 20_000


@functools.cache
def _upsert(dialect: str, table: Any, key: str, columns: tuple[str, ...]) -> Insert:
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make(table)
    return statement.on_conflict_do_update(
        index_elements=[key], set_={c: statement.excluded[c] for c in columns})


def mark_stale(conn: Connection | Session, borrower_ids: Iterable[str]) -> None:
    """Mark borrowers to be worked out again, in the caller's transaction."""
    ids = sorted(set(borrower_ids))
    if not ids:
        return
    mark = new_id()
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    statement = _upsert(dialect, DueStale.__table__, "borrower_id", ("mark",))
    for start in range(0, len(ids), CHUNK):
        conn.execute(statement, [{"borrower_id": b, "mark": mark}
                                 for b in ids[start:start + CHUNK]])


def mark_all_stale(session: Session) -> None:
    """Every borrower (a new policy changes the intervals of all)."""
    session.execute(delete(DueStale))
    session.execute(insert(DueStale).from_select(
        ["borrower_id", "mark"], select(Borrower.id, literal(new_id()))))


def borrower_classes(session: Session, borrower_ids: list[str]) -> dict[str, Classification]:
    """The worst of each borrower's loans' classifications; a borrower without loans has
    none yet (left out: its first loan is no move)."""
    found: dict[str, list[Classification | None]] = {}
    for start in range(0, len(borrower_ids), CHUNK):
        for borrower_id, value in session.execute(
                select(Loan.borrower_id, Loan.classification)
                .where(Loan.borrower_id.in_(borrower_ids[start:start + CHUNK]))):
            found.setdefault(borrower_id, []).append(_classification(value))
    return {b: worst(c) for b, c in found.items()}


def record_moves(session: Session, before: dict[str, Classification], today: date) -> int:
    """A ClassificationMove for each borrower of ``before`` (its classification before the
    write) whose loans now say another; how many moved."""
    after = borrower_classes(session, sorted(before))
    now = utcnow()
    moves = [{"borrower_id": b, "moved_on": today, "from_classification": before[b].value,
              "to_classification": after[b].value, "recorded_at": now}
             for b in sorted(before) if after.get(b, before[b]) is not before[b]]
    if moves:
        session.execute(insert(ClassificationMove), moves)
    return len(moves)


def refresh_stale(db: Database) -> int:
    """Work the marked borrowers out again; how many were."""
    with db.read() as s:
        marks = [(b, m) for b, m in s.execute(select(DueStale.borrower_id, DueStale.mark))]
    if not marks:
        return 0
    with db.read() as s:
        policy = policy_in_force(s)
        everyone = borrower_facts(s) if len(marks) > WHOLE_BANK else None
        rows: list[dict[str, Any]] = []
        now = utcnow()
        for start in range(0, len(marks), CHUNK):
            # A mark naming no borrower (one never imported) is cleared, not worked out.
            ids = list(s.scalars(select(Borrower.id).where(Borrower.id.in_(
                [b for b, _m in marks[start:start + CHUNK]]))))
            facts = everyone if everyone is not None else borrower_facts(s, ids)
            for borrower_id in ids:
                fact = facts.get(borrower_id, BorrowerFacts())
                due = due_for(fact, policy)
                rows.append({"borrower_id": borrower_id, "refreshed_at": now,
                             "classification": worst(c for _t, _d, c, _n in fact.loans).value,
                             "next_due_on": None if due is None else due.due_on})
    with db.write_core() as conn:
        upsert = _upsert(conn.dialect.name, BorrowerDue.__table__, "borrower_id",
                         ("classification", "next_due_on", "refreshed_at"))
        for start in range(0, len(rows), CHUNK):
            conn.execute(upsert, rows[start:start + CHUNK])
        for start in range(0, len(marks), CHUNK):
            conn.execute(delete(DueStale).where(
                tuple_(DueStale.borrower_id, DueStale.mark).in_(marks[start:start + CHUNK])))
    return len(marks)


def _classification(value: str | None) -> Classification | None:
    try:
        return None if value is None else Classification(value)
    except ValueError:
        return None
