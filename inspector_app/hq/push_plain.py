"""A push of a visit without reports, on PostgreSQL: checked and stored in two statements.

push.push_visit decides every push. Most pushes are a visit before it is signed: no report
to verify and no signer to check, so what remains is reads and writes, which this does in two
round trips instead of a dozen (bench/sync_devices.py):

1. one read: the token's device and user (auth.token_statement), the stored visit's columns
   and the officer the borrower is assigned to;
2. the same checks, in the same order, as push._push_once;
3. one write statement storing the visit, its blob rows, the audit entry and the change-log
   row. A single statement is a transaction of its own, so it is all or nothing and, as with
   every commit here, durable before the device is answered. It writes only if the visit is
   still at the version the checks saw and the borrower still assigned to the caller;
   otherwise nothing happens and the checks run again (as push.py's _Moved).

Everything else goes through push.push_visit: a visit with reports, a stored copy that is
signed (what may still change is push.py's to decide), and SQLite (no writes in WITH).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    TextClause,
    bindparam,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from inspector_app.common.clock import utcnow
from inspector_app.hq.audit import audit_row
from inspector_app.hq.auth import authenticate, principal_of, token_hash, token_statement
from inspector_app.hq.changes import CHANGE_LOG_LOCK
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import forbidden
from inspector_app.hq.models import Assignment, Visit

# push.py's own checks and answers, so both paths say the same (private there: this module
# is push.py's hot path, not a second implementation of its rules).
from inspector_app.hq.push import (
    ATTEMPTS,
    CONFLICT,
    LOCKED,
    MISSING,
    NOT_YOUR_BORROWER,
    OWN_VISITS,
    _result,
    blob_refs,
    checked_payload,
    push_visit,
)
from inspector_app.wire import PushResult, VisitPush

_READ = (
    token_statement(Visit.version.label("seen_version"),
                    Visit.payload_sha256.label("seen_sha256"),
                    Visit.officer_id.label("seen_officer_id"),
                    Visit.borrower_id.label("seen_borrower_id"),
                    Visit.status.label("seen_status"),
                    Assignment.officer_id.label("assigned_officer_id"))
    .outerjoin(Visit, Visit.id == bindparam("visit_id"))
    .outerjoin(Assignment, Assignment.borrower_id == bindparam("borrower_id"))
)

_ASSIGNED = ("EXISTS (SELECT FROM assignments WHERE borrower_id = :borrower_id "
             "AND officer_id = :officer_id)")
_INSERT = f"""
    INSERT INTO visits (id, borrower_id, officer_id, status, revision, visit_date, version,
                        payload, payload_sha256, created_at, updated_at)
    SELECT :visit_id, :borrower_id, :officer_id, :status, :revision, :visit_date, 1,
           :payload, :sha256, :now, :now
    WHERE {_ASSIGNED}
    ON CONFLICT (id) DO NOTHING
    RETURNING version"""
_UPDATE = f"""
    UPDATE visits SET status = :status, revision = :revision, visit_date = :visit_date,
                      version = :seen_version + 1, payload = :payload,
                      payload_sha256 = :sha256, updated_at = :now
    WHERE id = :visit_id AND version = :seen_version AND {_ASSIGNED}
    RETURNING version"""
# The blob rows, the audit entry and the change log read `stored`, so they write only if the
# visit was. The change-log lock (changes.py) is taken last, once every other row is written
# (the counts make those statements run to completion first), as push.py does: it is held
# only for the log's row and the commit. The lock is a MATERIALIZED CTE the row is selected
# from, so it is granted before the row's seq is drawn.
_WRITE = """
WITH stored AS ({stored}),
gone AS (
    DELETE FROM visit_blobs
    WHERE visit_id = :visit_id AND sha256 <> ALL(:shas) AND EXISTS (SELECT FROM stored)
    RETURNING 1),
kept AS (
    INSERT INTO visit_blobs (visit_id, sha256, kind)
    SELECT :visit_id, ref.sha256, ref.kind
    FROM stored, unnest(:shas, :kinds) AS ref(sha256, kind)
    ON CONFLICT (visit_id, sha256) DO UPDATE SET kind = excluded.kind
        WHERE visit_blobs.kind <> excluded.kind
    RETURNING 1),
audited AS (
    INSERT INTO audit_log (at, actor, user_id, device_id, action, entity, entity_id, detail)
    SELECT :now, :actor, :officer_id, :device_id, :action, 'visit', :visit_id, :detail
    FROM stored
    RETURNING 1),
locked AS MATERIALIZED (
    SELECT pg_advisory_xact_lock(:lock) FROM stored
    WHERE (SELECT count(*) FROM gone) + (SELECT count(*) FROM kept)
          + (SELECT count(*) FROM audited) >= 0)
INSERT INTO change_log (entity, entity_id, version, deleted, borrower_id, officer_id,
                        audience_user_id, at)
SELECT 'visit', :visit_id, stored.version, false, :borrower_id, :officer_id, NULL, :now
FROM stored, locked
RETURNING version
"""
# Typed, so each parameter is sent with its cast and PostgreSQL deduces one type for it
# wherever it appears.
_TYPES = (
    *(bindparam(name, type_=String()) for name in (
        "visit_id", "borrower_id", "officer_id", "status", "sha256", "actor", "device_id",
        "action")),
    *(bindparam(name, type_=Integer()) for name in ("revision", "seen_version")),
    bindparam("shas", type_=ARRAY(String())), bindparam("kinds", type_=ARRAY(String())),
    bindparam("lock", type_=BigInteger()), bindparam("visit_date", type_=Date()),
    bindparam("now", type_=DateTime()), bindparam("payload", type_=JSON()),
    bindparam("detail", type_=JSON()))


def _statement(sql: str) -> TextClause:
    return text(sql).bindparams(*(b for b in _TYPES if f":{b.key}" in sql))


_STORE_NEW = _statement(_WRITE.format(stored=_INSERT))
_STORE_CHANGED = _statement(_WRITE.format(stored=_UPDATE))


class _Moved(Exception):
    """The stored visit or the assignment changed since the read: check again."""


def push(hq: Hq, token: str, visit_id: str, body: VisitPush) -> tuple[int, PushResult]:
    """The push endpoint: (HTTP status, PushResult), or ApiError 401/403/422 (the token is
    checked first, as push_visit's callers do)."""
    visit = body.visit
    if hq.db.is_sqlite or visit.reports:
        return push_visit(hq, authenticate(hq, token), visit_id, body)
    payload: dict[str, Any] | None = None
    sha = ""
    for attempt in range(ATTEMPTS):
        with hq.db.read_core() as conn:
            found = conn.execute(_READ, {"digest": token_hash(token), "visit_id": visit.id,
                                         "borrower_id": visit.borrower_id}).first()
            p = principal_of(hq, conn, found)
            if payload is None:
                payload, sha = checked_payload(p, visit_id, visit)
            assert found is not None  # principal_of refused it otherwise
            seen = found.seen_version
            if seen is not None and found.seen_sha256 == sha \
                    and found.seen_officer_id == p.user_id:
                return 200, _result(visit.id, "unchanged", seen)
            if found.assigned_officer_id != p.user_id:
                raise forbidden(NOT_YOUR_BORROWER)
            if seen is not None and (found.seen_officer_id != p.user_id
                                     or found.seen_borrower_id != visit.borrower_id):
                raise forbidden(OWN_VISITS)
            if seen is not None and body.base_version != seen:
                return 409, _result(visit.id, "conflict", seen,
                                    message=CONFLICT.format(v=seen))
            if seen is not None and found.seen_status in LOCKED:
                break  # a signed visit: what may change is push.py's to decide
            refs = blob_refs(visit)
            missing = sorted(s for s in refs if not hq.blobs.complete(s))
            if missing:
                return 422, _result(visit.id, "missing_blobs", seen or 0,
                                    missing_blobs=missing, message=MISSING)
            try:
                return 200, _result(visit.id, "stored",
                                    _store(conn, p.username, p.device_id, visit, seen,
                                           payload, sha, refs))
            except _Moved:
                if attempt == ATTEMPTS - 1:
                    raise
    return push_visit(hq, p, visit_id, body)


def _store(conn: Connection, actor: str, device_id: str, visit: Any, seen: int | None,
           payload: dict[str, Any], sha: str, refs: dict[str, str]) -> int:
    """Write the visit (inserted, or updated from version `seen`) and all that goes with it in
    one statement; its new server version. _Moved if it wrote nothing."""
    version = 1 if seen is None else seen + 1
    audit = audit_row(actor, "visit.push", "visit", visit.id, user_id=visit.officer_id,
                      device_id=device_id, version=version, status=visit.status,
                      payload_sha256=sha)
    stored = conn.scalar(_STORE_NEW if seen is None else _STORE_CHANGED, {
        "visit_id": visit.id, "borrower_id": visit.borrower_id,
        "officer_id": visit.officer_id, "status": visit.status, "revision": visit.revision,
        "visit_date": visit.visit_date, "payload": payload, "sha256": sha,
        "now": utcnow().replace(tzinfo=None), "seen_version": seen,
        "shas": list(refs), "kinds": list(refs.values()), "actor": audit["actor"],
        "device_id": device_id, "action": audit["action"], "detail": audit["detail"],
        "lock": CHANGE_LOG_LOCK})
    if stored != version:
        raise _Moved
    return version
