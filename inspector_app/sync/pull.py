"""Applying one page of pulled changes to the local tables, inside the caller's transaction.

Headquarters is the authority for reference data (branches, users, borrowers, loans,
collateral, guarantors, related parties), templates, policy and review decisions: its records
replace the local ones by id and keep the server's version. The caller stores the page's
cursor in the same transaction, so a page is either applied whole with its cursor or not at
all.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, delete, exists, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import VisitStatus
from inspector_app.domain.policy import Policy, PolicyError
from inspector_app.store import outbox
from inspector_app.store.models import (
    Base,
    Borrower,
    Branch,
    ReferenceDoc,
    Report,
    SyncState,
    User,
    Visit,
)
from inspector_app.store.review import FOLLOW_UP
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.search_key import borrower_search_key
from inspector_app.sync.follow_ups import apply_follow_up
from inspector_app.sync.mapping import REFERENCE_TABLES, row_values
from inspector_app.sync.review_apply import (
    follow_headquarters,
    keep_headquarters_review,
    pending_decision,
    review_record,
)
from inspector_app.wire import ORIGINAL_ENTITIES, PULL_ENTITIES, Change, UserRecord

log = logging.getLogger(__name__)

# Parents before children, so a page reads in the order its foreign keys need (the checks
# are deferred to commit anyway); deletions run in the reverse order.
ORDER = ("branch", "user", "borrower", "loan", "collateral_item", "guarantor", "borrower_link",
         "template", "policy", "review", "signal_follow_up")

# A user row must have a password hash; one no password can match until the user signs in
# online on this laptop (registration stores the real one).
NO_LOCAL_LOGIN = "!synced-without-password"

# Headquarters publishes one policy document under this id (inspector-hq admin publish-policy).
POLICY_ID = "policy"

_REVIEW_OUTCOMES = {VisitStatus.APPROVED.value, VisitStatus.RETURNED.value}

# The kinds of record the laptop's cursor covers (a reference_docs row of this laptop's own).
KINDS_PULLED = ("pull_kinds", "covered")


def apply_changes(session: Session, changes: Iterable[Change], policy: Policy) -> int:
    """Apply pulled changes; returns how many were applied. A kind of record this version
    does not know (a newer server's) is skipped and logged; the rest of the page, and its
    cursor, are applied as usual."""
    # Within one page a loan may arrive before its borrower; SQLite checks the foreign keys at
    # COMMIT instead, and refuses the whole page (cursor included) if they still fail.
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    ordered = sorted(_understood(changes), key=_order)
    borrowers: set[str] = set()
    pulled_borrowers: dict[str, int] = {}
    for change in ordered:
        if change.deleted:
            continue
        table = REFERENCE_TABLES.get(change.entity)
        if table is None:
            _keep_document(session, change)
            if change.entity == "review":
                _apply_review(session, change, borrowers)
            elif change.entity == FOLLOW_UP:
                followed = apply_follow_up(session, change.data)
                if followed is not None:
                    borrowers.add(followed)
            continue
        _upsert(session, table, change)
        if change.entity == "borrower":
            pulled_borrowers[change.id] = change.version
            borrowers.add(change.id)
        elif "borrower_id" in change.data:
            borrowers.add(str(change.data["borrower_id"]))
    for change in reversed(ordered):
        if change.deleted:
            _delete(session, change, borrowers)
    published = _published_policy(ordered)
    if published is not None:
        # New intervals or thresholds change every borrower's due date, not just those pulled.
        refresh_schedule(session, published)
    elif borrowers:
        refresh_schedule(session, policy, borrowers)
    if borrowers:
        # The derived due-list columns are local; the record's version stays the server's.
        for borrower_id, version in pulled_borrowers.items():
            session.execute(
                update(Borrower.__table__).where(Borrower.__table__.c.id == borrower_id)
                .values(version=version)
            )
    return len(ordered)


def kinds_missed(session: Session) -> tuple[str, ...]:
    """Kinds of record this version understands that the laptop's cursor went past without
    (it was pulling with an older version, which did not ask for them): what a catch-up pull
    reads from the start of the log. A laptop that never pulled misses nothing; one that did
    before the kinds were recorded pulled the original ones (or more: read again, no harm)."""
    doc = session.get(ReferenceDoc, KINDS_PULLED)
    if doc is not None:
        covered = set(doc.data.get("kinds") or ())
    elif session.get_one(SyncState, 1).cursor == 0:
        return ()
    else:
        covered = set(ORIGINAL_ENTITIES)
    return tuple(kind for kind in PULL_ENTITIES if kind not in covered)


def kinds_recorded(session: Session) -> bool:
    """Whether the laptop has recorded that its cursor covers every kind this version
    understands."""
    doc = session.get(ReferenceDoc, KINDS_PULLED)
    return doc is not None and doc.data.get("kinds") == list(PULL_ENTITIES)


def record_kinds_pulled(session: Session) -> None:
    """The laptop's cursor now covers every kind this version understands."""
    session.merge(ReferenceDoc(entity=KINDS_PULLED[0], id=KINDS_PULLED[1], version=1,
                               deleted=False, data={"kinds": list(PULL_ENTITIES)},
                               received_at=utcnow()))


def _understood(changes: Iterable[Change]) -> list[Change]:
    """The changes of kinds this version knows (wire.PULL_ENTITIES, what it declares to
    headquarters); the others said once per kind in the log, and left out."""
    kept, skipped = [], Counter[str]()
    for change in changes:
        if change.entity in PULL_ENTITIES:
            kept.append(change)
        else:
            skipped[change.entity] += 1
    for entity, n in sorted(skipped.items()):
        log.warning("skipped %d pulled record(s) of a kind this version does not know: %r",
                    n, entity)
    return kept


def _order(change: Change) -> int:
    """Where a change goes in a page; one kept only as a document ("handover"), last."""
    return ORDER.index(change.entity) if change.entity in ORDER else len(ORDER)


def _published_policy(changes: list[Change]) -> Policy | None:
    """The newest valid policy in this page. An invalid one is kept as a document (for the
    record) but never applied: the laptop goes on with the rules it has."""
    for change in reversed(changes):
        if change.entity == "policy" and change.id == POLICY_ID and not change.deleted:
            try:
                return Policy.from_dict(change.data, source="headquarters")
            except PolicyError:
                return None
    return None


def _upsert(session: Session, table: Table, change: Change) -> None:
    now = utcnow()
    values = row_values(table, change.data)
    if table is Borrower.__table__ and "name" in values:
        # A renamed borrower is found by its new name's pinyin (the insert's default would
        # do it for a new one, not for the update of one already here).
        values["search_key"] = borrower_search_key(values["name"])
    values.setdefault("updated_at", now)
    changed = {**values, "version": change.version}
    first = {**changed, "id": change.id}
    first.setdefault("created_at", now)
    if table.name == "users":
        first.setdefault("password_hash", NO_LOCAL_LOGIN)
    stmt = sqlite_insert(table).values(**first)
    session.execute(stmt.on_conflict_do_update(index_elements=[table.c.id], set_=changed))


def _keep_document(session: Session, change: Change) -> None:
    table = ReferenceDoc.__table__
    values = {"version": change.version, "deleted": change.deleted, "data": change.data,
              "received_at": utcnow()}
    stmt = sqlite_insert(table).values(entity=change.entity, id=change.id, **values)
    session.execute(
        stmt.on_conflict_do_update(index_elements=[table.c.entity, table.c.id], set_=values)
    )


def _apply_review(session: Session, change: Change, borrowers: set[str]) -> None:
    """A supervisor's decision on a submitted visit: approved, or returned with comments. It
    becomes a confirmed local review with its item comments (how the officer sees them), and
    the visit takes the decision, unless this laptop made another decision headquarters has not
    answered yet: that one goes up, and headquarters' refusal settles it (sync.review_apply)."""
    data: dict[str, Any] = change.data
    outcome = data.get("decision") or data.get("status")
    visit = session.get(Visit, str(data.get("visit_id", "")))
    if visit is None or outcome not in _REVIEW_OUTCOMES:
        return  # kept as a document; nothing here to apply it to
    report = data.get("report")
    if isinstance(report, dict) and session.scalar(
            select(Report.id).where(Report.sha256 == str(report.get("sha256")))) is None:
        # Approved by countersigning: the client downloads that PDF after the pull.
        outbox.enqueue(session, outbox.FETCH, [change.id])
    record = review_record(data)
    if record is not None:
        keep_headquarters_review(session, record)
    if pending_decision(session, visit.id) is not None:
        return  # this laptop's own, different decision: it goes up and meets the 409 there
    # The server can only have reviewed what it holds, and a signed visit cannot change, so
    # the server's copy is ours: a pending push of it has nothing left to send.
    outbox.remove(session, outbox.VISIT, visit.id)
    if follow_headquarters(
            session, visit, str(outcome), review_id=change.id,
            comment=str(data.get("comment") or data.get("reason") or ""),
            reviewer_id=None if data.get("reviewer_id") is None else str(data["reviewer_id"])):
        borrowers.add(visit.borrower_id)


def _delete(session: Session, change: Change, borrowers: set[str]) -> None:
    """A record left this device's view. Rows the officer's own work still refers to stay,
    so no visit loses its borrower; a user is deactivated and a borrower loses its officer."""
    table = REFERENCE_TABLES.get(change.entity)
    if table is None:
        _keep_document(session, change)
        return
    if "borrower_id" in table.c:  # a loan gone may move its borrower's next due date
        owner = session.scalar(select(table.c.borrower_id).where(table.c.id == change.id))
        if owner is not None:
            borrowers.add(owner)
    if _referenced(session, table, change.id):
        if table.name == "users":
            session.execute(update(table).where(table.c.id == change.id).values(active=False))
        elif table.name == "borrowers":
            session.execute(update(table).where(table.c.id == change.id).values(officer_id=None))
        return
    session.execute(delete(table).where(table.c.id == change.id))


def _referenced(session: Session, target: Table, record_id: str) -> bool:
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target:
                hit = session.scalar(select(exists().where(fk.parent == record_id)))
                if hit:
                    return True
    return False


def upsert_registered_user(session: Session, user: UserRecord, password_hash: str) -> None:
    """The user who just registered this laptop online: their record as the server sent it,
    with a local hash of the password they proved, so the same password works offline.

    The version is left alone (a RegisterResponse carries none); the next pull sets it, and
    with it the branch and supervisor, which a fresh laptop does not have yet.
    """
    table = User.__table__
    now = utcnow()
    values = {**row_values(table, user.model_dump()), "password_hash": password_hash,
              "updated_at": now}
    for column, model in (("branch_id", Branch), ("supervisor_id", User)):
        if values.get(column) is not None and session.get(model, values[column]) is None:
            values[column] = None
    stmt = sqlite_insert(table).values(id=user.id, created_at=now, version=1, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=[table.c.id], set_=values))
