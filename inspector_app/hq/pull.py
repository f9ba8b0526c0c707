"""Answering a pull: the rows after the device's cursor that its user may see, as Changes.

The page is bounded by the highest seq at the start of the request, read first: with the
change-log lock every smaller seq has committed by then, so a cursor handed out never skips a
row that commits later. Several rows for one record in a page collapse into its latest state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    String,
    and_,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from inspector_app.domain.enums import Role
from inspector_app.hq import changes, related, signals
from inspector_app.hq.auth import principal_of, token_hash, token_statement
from inspector_app.hq.context import Hq
from inspector_app.hq.handover import handover_data
from inspector_app.hq.models import (
    Assignment,
    Borrower,
    Branch,
    CollateralItem,
    Guarantor,
    Handover,
    Loan,
    PolicyVersion,
    Review,
    SignalFollowUpRow,
    Template,
    User,
    Visit,
)
from inspector_app.hq.models import ChangeLogEntry as Entry
from inspector_app.hq.schemas import StoredVisit, VisitFeed
from inspector_app.hq.scope import Principal, pull_condition, visit_feed_condition
from inspector_app.wire import PULL_ENTITIES, Change, PullResponse, VisitRecord

if TYPE_CHECKING:  # SQLAlchemy 2.1's typing (Select and Row over several types)
    # seq, entity, entity_id, version, deleted
    _PageRow = Row[int, str, str, int, bool]
    _PageSelect = Select[int, str, str, int, bool]


def _page_statement(condition: ColumnElement[bool]) -> _PageSelect:
    """The rows of a page; binds cursor, top and limit (and whatever condition binds)."""
    return (select(Entry.seq, Entry.entity, Entry.entity_id, Entry.version, Entry.deleted)
            .where(Entry.seq > bindparam("cursor"), Entry.seq <= bindparam("top"), condition)
            .order_by(Entry.seq)
            .limit(bindparam("limit")))


@functools.cache
def _pull_statement(role: Role, has_supervisor: bool,
                    only: tuple[str, ...] | None = None) -> _PageSelect:
    """The pull page of a principal with this role, built once: the caller's ids are bound
    (user_id, supervisor_id), so a pull builds no SQL expression and SQLAlchemy's compiled
    cache key is computed once. ``only``: the kinds of record the client understands, when
    not all of them (an older client); None: every kind."""
    symbolic = Principal(user_id=bindparam("user_id"), username="", display_name="",  # type: ignore[arg-type]
                         role=role, device_id="",
                         supervisor_id=bindparam("supervisor_id") if has_supervisor else None)  # type: ignore[arg-type]
    condition = pull_condition(symbolic)
    if only is not None:
        # Rows of other kinds are invisible to it: the cursor moves past them as past any
        # row the caller may not see.
        condition = and_(condition, Entry.entity.in_(only))
    return _page_statement(condition)


def _kinds(entities: frozenset[str]) -> tuple[str, ...] | None:
    """The statement's ``only`` for a client that understands these kinds: None for all of
    them (the usual case, and the unfiltered statement); else in a fixed order, so the few
    sets clients declare each build one statement (at most 2^12, bounded)."""
    if entities.issuperset(PULL_ENTITIES):
        return None
    return tuple(e for e in PULL_ENTITIES if e in entities)


def _page(conn: Connection, statement: _PageSelect, params: dict[str, Any], cursor: int,
          limit: int, top: int | None = None) -> tuple[list[_PageRow], int, bool]:
    """The visible rows after cursor (at most limit), the new cursor, and whether more wait.

    Rows carry seq, entity, entity_id, version and deleted: two indexed queries through a
    plain connection, since most pulls find nothing and every device pulls twice a sync.
    `top`: the highest seq if the caller read it already (pull reads it with the token)."""
    if top is None:
        top = conn.scalar(_TOP) or 0
    if top <= cursor:
        # Nothing new (or the client is ahead of top, e.g. after a restore: it is brought
        # back to top).
        return [], top, False
    rows = list(conn.execute(statement, {**params, "cursor": cursor, "top": top,
                                         "limit": limit + 1}))
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, rows[-1].seq, True
    # Nothing visible up to top: the cursor moves to top, so invisible rows are not rescanned.
    return rows, top, False


_TOP = select(func.max(Entry.seq))
# The token's row and the top seq in one statement: read before the page, as _page needs.
_TOKEN_AND_TOP = token_statement(_TOP.scalar_subquery().label("top"))


def _latest(rows: Iterable[_PageRow]) -> list[_PageRow]:
    """One row per record: its last, in the order of those last rows."""
    last: dict[tuple[str, str], _PageRow] = {}
    for row in rows:
        key = (row.entity, row.entity_id)
        last.pop(key, None)
        last[key] = row
    return list(last.values())


# What a pulled record's data is made of (changes.*_data read these as attributes): Core rows,
# not ORM objects, by statements built once per table and dialect.
_PULLED: dict[str, Select[Any]] = {
    "branch": select(Branch.__table__),
    "user": select(*(c for c in User.__table__.c if c.key != "password_hash")),
    "borrower": select(Borrower.__table__, Assignment.officer_id.label("assigned_officer_id"))
    .outerjoin(Assignment, Assignment.borrower_id == Borrower.id),
    "loan": select(Loan.__table__),
    "collateral_item": select(CollateralItem.__table__),
    "guarantor": select(Guarantor.__table__),
    related.ENTITY: related.PULLED,
    "review": select(Review.__table__, User.display_name.label("reviewer_name"))
    .outerjoin(User, User.id == Review.reviewer_id),
    "signal_follow_up": select(SignalFollowUpRow.__table__, User.display_name.label("user_name"))
    .outerjoin(User, User.id == SignalFollowUpRow.user_id),
}
@functools.cache
def _by_ids_statement(entity: str, dialect: str) -> Select[Any]:
    """The entity's rows with the given ids: on PostgreSQL `id = ANY(:ids)`, one statement
    text whatever the number of ids (so psycopg prepares it once); elsewhere IN."""
    statement = _PULLED[entity]
    id_column = statement.selected_columns["id"]
    if dialect == "postgresql":
        return statement.where(id_column == any_(bindparam("ids", type_=ARRAY(String()))))
    return statement.where(id_column.in_(bindparam("ids", expanding=True)))


def _rows_by_id(conn: Connection, entity: str, ids: Sequence[str]) -> dict[str, Row[Any]]:
    if not ids:
        return {}
    statement = _by_ids_statement(entity, conn.dialect.name)
    return {r.id: r for r in conn.execute(statement, {"ids": list(ids)})}


def _loaders(conn: Connection, ids: dict[str, list[str]]
             ) -> dict[str, Callable[[str], tuple[int, dict[str, Any]] | None]]:
    """Per entity, a function from record id to (current version, data), None if gone."""
    rows = {entity: _rows_by_id(conn, entity, ids.get(entity, [])) for entity in _PULLED}
    templates: dict[str, Any] = {}
    if ids.get("template"):
        codes = {ref.partition("@")[0] for ref in ids["template"]}
        for t in conn.execute(select(Template.__table__).where(Template.code.in_(codes))):
            templates[changes.template_ref(t)] = t
    policy = conn.execute(
        select(PolicyVersion.__table__).order_by(PolicyVersion.version.desc()).limit(1)
    ).first() if ids.get("policy") else None

    def simple(records: dict[str, Any], to_data: Callable[[Any], dict[str, Any]]
               ) -> Callable[[str], tuple[int, dict[str, Any]] | None]:
        def load(record_id: str) -> tuple[int, dict[str, Any]] | None:
            rec = records.get(record_id)
            return None if rec is None else (rec.version, to_data(rec))
        return load

    def load_template(ref: str) -> tuple[int, dict[str, Any]] | None:
        t = templates.get(ref)
        return None if t is None else (t.version, changes.template_data(t))

    def load_policy(_id: str) -> tuple[int, dict[str, Any]] | None:
        return None if policy is None else (policy.version, dict(policy.data))

    handovers: dict[str, tuple[int, dict[str, Any]]] = {}
    if ids.get("handover"):
        # Few and rare (a handover's few versions, to the four people concerned): read
        # through a session on the page's connection.
        with Session(bind=conn) as session:
            for h in session.scalars(select(Handover).where(Handover.id.in_(ids["handover"]))):
                handovers[h.id] = (h.version, handover_data(session, h))

    return {
        "branch": simple(rows["branch"], changes.branch_data),
        "user": simple(rows["user"], changes.user_data),
        "borrower": simple(rows["borrower"],
                           lambda b: changes.borrower_data(b, b.assigned_officer_id)),
        "loan": simple(rows["loan"], changes.loan_data),
        "collateral_item": simple(rows["collateral_item"], changes.collateral_data),
        "guarantor": simple(rows["guarantor"], changes.guarantor_data),
        related.ENTITY: simple(rows[related.ENTITY], related.link_data),
        "review": simple(rows["review"],
                         lambda r: changes.review_data(r, r.reviewer_name or "")),
        "signal_follow_up": simple(rows["signal_follow_up"], signals.follow_up_data),
        "template": load_template,
        "policy": load_policy,
        "handover": handovers.get,
    }


def pull(hq: Hq, token: str, cursor: int, limit: int | None = None, *,
         entities: frozenset[str] = frozenset(PULL_ENTITIES)) -> PullResponse:
    """The caller's page after cursor, of the kinds of record ``entities`` (what the client
    understands); the token is checked (ApiError 401/403) in the same statement that reads
    the top seq, and the page is read through the same connection."""
    limit = limit or hq.settings.page_size
    with hq.db.read_core() as conn:
        found = conn.execute(_TOKEN_AND_TOP, {"digest": token_hash(token)}).first()
        principal = principal_of(hq, conn, found)
        assert found is not None  # principal_of answered 401 for a missing token
        statement = _pull_statement(principal.role, principal.supervisor_id is not None,
                                    _kinds(entities))
        rows, new_cursor, more = _page(conn, statement, {
            "user_id": principal.user_id, "supervisor_id": principal.supervisor_id},
            cursor, limit, top=found.top or 0)
        if not rows:
            return PullResponse(cursor=new_cursor, changes=[], more=more)
        latest = _latest(rows)
        ids: dict[str, list[str]] = {}
        for row in latest:
            if not row.deleted:
                ids.setdefault(row.entity, []).append(row.entity_id)
        loaders = _loaders(conn, ids)
        out: list[Change] = []
        for row in latest:
            loaded = None if row.deleted else loaders[row.entity](row.entity_id)
            if loaded is None:
                out.append(Change(entity=row.entity, id=row.entity_id,
                                  version=row.version, deleted=True))
            else:
                version, data = loaded
                out.append(Change(entity=row.entity, id=row.entity_id,
                                  version=version, data=data))
    return PullResponse(cursor=new_cursor, changes=out, more=more)


def stored_visit(session: Session, visit: Visit) -> StoredVisit:
    review = session.scalars(select(Review).where(Review.visit_id == visit.id)).first()
    record = None
    if review is not None:
        name = session.scalar(select(User.display_name).where(User.id == review.reviewer_id))
        record = changes.review_record(review, name or "")
    return StoredVisit(server_version=visit.version, payload_sha256=visit.payload_sha256,
                       review=record, visit=VisitRecord.model_validate(visit.payload))


# What the visit feed sends: visits an officer signed, and later states. A draft or a
# completed visit is still the officer's (it may change at will) and never goes out.
FEED_STATUSES = ("signed", "submitted", "approved", "returned")


@functools.cache
def _feed_statement(role: Role) -> Select[int, Visit]:
    """The feed page of a principal with this role: each visible visit's *latest* change-log
    row (the row of the visit's current version) in (cursor, until], in seq order; binds
    user_id, cursor, until and limit."""
    symbolic = Principal(user_id=bindparam("user_id"), username="", display_name="",  # type: ignore[arg-type]
                         role=role, device_id="", supervisor_id=None)
    return (select(Entry.seq, Visit)
            .join(Visit, and_(Visit.id == Entry.entity_id, Visit.version == Entry.version))
            .where(visit_feed_condition(symbolic), Entry.seq > bindparam("cursor"),
                   Entry.seq <= bindparam("until"), Visit.status.in_(FEED_STATUSES))
            .order_by(Entry.seq)
            .limit(bindparam("limit")))


def visit_feed(hq: Hq, principal: Principal, cursor: int, until: int | None = None,
               limit: int | None = None) -> VisitFeed:
    """A page of the visits the caller may see, each at most once a sync, in its latest state.

    A sync is the pages from cursor up to `until`: the first page (no `until`) fixes it at
    the change log's top, later pages send it back. A page holds the visits whose latest
    change-log row is in (cursor, until], in that row's order: a visit pushed again during
    the sync has its latest row past `until` and waits for the next sync (in its new state),
    instead of coming twice. Drafts and completed visits never go out (FEED_STATUSES)."""
    limit = limit or hq.settings.page_size
    with hq.db.read() as session:
        conn = session.connection()
        top = conn.scalar(_TOP) or 0
        # Never past the top read now: a row above it may still be committing (changes.py).
        until = top if until is None else min(until, top)
        if cursor >= until:
            # Nothing in this sync (a client ahead of the log, e.g. restored, is brought back).
            return VisitFeed(cursor=min(cursor, top), visits=[], more=False, until=until)
        rows = list(session.execute(_feed_statement(principal.role), {
            "user_id": principal.user_id, "cursor": cursor, "until": until,
            "limit": limit + 1}))
        more = len(rows) > limit
        rows = rows[:limit]
        out = [stored_visit(session, row.Visit) for row in rows]
    # The last page moves the cursor to `until`: rows up to it that were not sent (drafts,
    # visits changed since) are not read again.
    return VisitFeed(cursor=rows[-1].seq if more else until, visits=out, more=more,
                     until=until)
