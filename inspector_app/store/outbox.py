"""The outbox: what headquarters has not confirmed yet, kept in the same transaction as the edit.

One mechanism for every write: a ``before_flush`` listener on LocalStore's writer sessions looks
at the objects about to be inserted, updated or deleted, works out which visits they belong to
(and which new photo or report files they name), and upserts one outbox row for each. No store
method has to remember to do it, and a rolled-back edit takes its outbox row with it.

The sync client writes through the same sessions but marks them ``quiet``: what it applies
(pulled reference data, "submitted" after the server confirmed) must not queue itself again.
The outbox is local data, so it lives in the store that installs it; sync only reads and
clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, event, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import new_id
from inspector_app.store.models import (
    ChecklistAnswer,
    CollateralObservation,
    Note,
    OutboxEntry,
    Photo,
    Report,
    RiskSignal,
    RiskSignalStep,
    Visit,
)

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

VISIT = "visit"
BLOB = "blob"
# A supervisor's approval by countersigning, keyed by the visit: posted as a review with the
# countersigned report (the supervisor's laptop cannot push another officer's visit).
COUNTERSIGN = "countersign"
# A countersigned report headquarters announced in a pulled review, keyed by the review id:
# downloaded into this laptop's reports (the officer's laptop).
FETCH = "report_fetch"
COUNTERSIGNED = "countersigned"  # Report.stage (as in reports.files)

# session.info key: a session whose writes are sync's own bookkeeping, not local edits.
QUIET = "inspector_app.sync.quiet"

_VISIT_CHILDREN = (ChecklistAnswer, Note, Photo, CollateralObservation, Report)


def install(writer: sessionmaker[Session]) -> None:
    """Queue every visit edit made through sessions of ``writer`` (LocalStore's writer)."""
    # No event.contains() guard: SQLAlchemy keys its registry by id(), and a new sessionmaker
    # can reuse the id of a collected one, so the guard could skip a fresh writer.
    event.listen(writer, "before_flush", _before_flush)


@contextmanager
def quiet_write(store: LocalStore) -> Iterator[Session]:
    """A write transaction whose changes are not queued for sending (sync's own writes)."""
    with store.write() as session:
        session.info[QUIET] = True
        yield session


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(QUIET):
        return
    visits: set[str] = set()
    blobs: set[str] = set()
    # autoflush must not run while the listener reads a signal's visit (it would recurse).
    with session.no_autoflush:
        for obj in session.new:
            _collect(session, obj, visits, blobs, is_new=True)
        for obj in session.dirty:
            if session.is_modified(obj):
                _collect(session, obj, visits, blobs, is_new=False)
        for obj in session.deleted:
            _collect(session, obj, visits, blobs, is_new=False)
    enqueue(session, VISIT, visits)
    enqueue(session, BLOB, blobs)
    # The countersignature, in the same transaction as the approval it records.
    enqueue(session, COUNTERSIGN, [r.visit_id for r in session.new if isinstance(r, Report)
                                   and r.stage == COUNTERSIGNED and r.visit_id is not None])


def _collect(session: Session, obj: object, visits: set[str], blobs: set[str], *,
             is_new: bool) -> None:
    if isinstance(obj, Visit):
        if obj.id is None:
            obj.id = new_id()  # what the column default would do at INSERT, needed now
        visits.add(obj.id)
        return
    if isinstance(obj, _VISIT_CHILDREN):
        visit_id: str | None = obj.visit_id
        if not visit_id and not isinstance(obj, Report):  # a report has no visit relationship
            visit_id = obj.visit.id if obj.visit is not None else None
        if visit_id is not None:
            visits.add(visit_id)
        # Files are content-addressed and never change, so only a new row names a new blob.
        if is_new and isinstance(obj, Photo | Report):
            blobs.add(obj.sha256)
        return
    if isinstance(obj, RiskSignal):
        if obj.visit_id is not None:
            visits.add(obj.visit_id)
        return
    if isinstance(obj, RiskSignalStep):
        signal = obj.signal if obj.signal is not None else session.get(RiskSignal, obj.signal_id)
        if signal is not None and signal.visit_id is not None:
            visits.add(signal.visit_id)


def enqueue(session: Session, entity: str, refs: Iterable[str]) -> None:
    """Put each ref in the outbox, or mark its existing row as changed again (same session)."""
    now = utcnow()
    table = OutboxEntry.__table__
    for ref in sorted(set(refs)):
        stmt = sqlite_insert(table).values(
            entity=entity, ref=ref, enqueued_at=now, attempts=0
        )
        # Core, not session.add: the listener runs inside flush, and a Core statement on the
        # session's connection is part of the same transaction without re-entering the flush.
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.entity, table.c.ref], set_={"enqueued_at": now}
            )
        )


@dataclass(frozen=True)
class Pending:
    """One outbox row as sync sees it."""

    id: int
    entity: str
    ref: str
    enqueued_at: datetime
    attempts: int
    last_error: str | None
    conflict: str | None


def pending(session: Session, entity: str) -> list[Pending]:
    """The outbox rows of one kind, oldest first."""
    rows = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.entity == entity)
        .order_by(OutboxEntry.enqueued_at, OutboxEntry.id)
    )
    return [
        Pending(r.id, r.entity, r.ref, r.enqueued_at, r.attempts, r.last_error, r.conflict)
        for r in rows
    ]


def remove(session: Session, entity: str, ref: str) -> None:
    """The server confirmed it: nothing left to send."""
    session.execute(
        delete(OutboxEntry).where(OutboxEntry.entity == entity, OutboxEntry.ref == ref)
    )


def record_failure(session: Session, entity: str, ref: str, error: str) -> None:
    """Keep the row for next time, with what went wrong."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.entity == entity, OutboxEntry.ref == ref)
        .values(attempts=OutboxEntry.attempts + 1, last_error=error)
    )


def record_conflict(session: Session, visit_id: str, message: str) -> None:
    """The server refused the visit as a conflict: keep it, say why, never overwrite."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.entity == VISIT, OutboxEntry.ref == visit_id)
        .values(attempts=OutboxEntry.attempts + 1, conflict=message, last_error=message)
    )


def conflicts(session: Session) -> dict[str, str]:
    """Visit id -> the server's message, for every visit headquarters refused as a conflict."""
    rows = session.execute(
        select(OutboxEntry.ref, OutboxEntry.conflict).where(
            OutboxEntry.entity == VISIT, OutboxEntry.conflict.is_not(None)
        )
    )
    # The WHERE leaves no None; the test narrows the type.
    return {ref: message for ref, message in rows if message is not None}
