"""Storing a pushed visit: idempotent, never overwriting, never accepting what cannot be backed.

Order of checks: the token (401/403); a well-formed document from an officer about their own
visit (checked_payload, 403/422); the same document again -> "unchanged" (before anything
else about storage, so a retry after a lost answer always gets the first answer); the
borrower assigned to the caller and the stored copy theirs -> 403; the server's copy moved past
base_version -> 409 "conflict"; a signed visit's content changed -> 422 "rejected"; referenced
photos/reports not complete on the server -> 422 "missing_blobs"; a signed report that fails
verification, or whose certification was made with a certificate that is not the officer's
(certificates.py) -> 422 "rejected". Only then is it stored, with the server version + 1, its
blob rows, a change-log row (for the supervisor's visit feed) and an audit entry.

On SQLite and PostgreSQL alike a push is one read statement (the token's device and user, the
stored visit, the borrower's officer) and one write transaction; a visit with reports adds
their verification and the signers' lookup between the two. The write stores the visit only
if it is still at the version the checks read and the borrower still the caller's (both
conditions in the insert or update itself, so no row is locked while checking): otherwise it
writes nothing and the checks run again on what is stored now.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import LOCKED_STATUSES, Role, VisitKind, VisitStatus
from inspector_app.hq.audit import audit_row
from inspector_app.hq.auth import principal_of, token_hash, token_statement
from inspector_app.hq.blob_access import unusable
from inspector_app.hq.blobs import SHA256_RE
from inspector_app.hq.certificates import (
    NOT_SUPERVISORS,
    OFFICERS_SIGNATURE,
    Signer,
    certifier,
    claim,
    countersigner,
    held_for,
    signer_problem,
)
from inspector_app.hq.changes import append_change_core
from inspector_app.hq.context import Hq
from inspector_app.hq.document_check import check_document
from inspector_app.hq.due_cache import mark_stale
from inspector_app.hq.errors import ApiError, forbidden
from inspector_app.hq.lifecycle import SIGNED_OR_LATER, check_revision, stored_status
from inspector_app.hq.models import Assignment, AuditEntry, Review, Visit, VisitBlob
from inspector_app.hq.related import announce_core, links_to
from inspector_app.hq.report_check import check_report, report_signers
from inspector_app.hq.scope import Principal
from inspector_app.hq.signals import index_signals
from inspector_app.wire import PushResult, VisitPush, VisitRecord

ONLY_OFFICERS = "只有客户经理可以上传检查记录 / only credit officers upload visits"
OWN_VISITS = "只能上传本人的检查记录 / you can only upload your own visits"
NOT_YOUR_BORROWER = "该客户未分配给您 / this borrower is not assigned to you"
CONFLICT = ("服务器上的记录已有更新（版本 {v}），未覆盖 / the server's copy has changed since "
            "your version (it is at version {v}); nothing was overwritten")
MISSING = "照片或报告尚未完整上传 / some photos or reports have not been fully uploaded yet"
SIGNED_IS_FINAL = ("已签署的检查记录不能修改，请新建修订版 / a signed visit cannot be changed; "
                   "make a new revision")
LOCKED = frozenset(s.value for s in LOCKED_STATUSES)
REPORT_STAGES = ("signed", "countersigned")
ATTEMPTS = 3


class _Moved(Exception):
    """The stored visit or the assignment changed between the checks and the write: check
    again."""


@dataclass(frozen=True)
class _Seen:
    """The stored visit as the checks saw it."""

    version: int
    sha256: str
    officer_id: str
    borrower_id: str
    payload: dict[str, Any]
    status: str = ""
    decision: str | None = None  # its review's


def canonical(visit: VisitRecord) -> tuple[dict[str, Any], str]:
    """The document as JSON data and its fingerprint (the same one the client computes, as
    wire.payload_sha256 does, from the one dump instead of a second)."""
    payload = visit.model_dump(mode="json")
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return payload, hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def blob_refs(visit: VisitRecord) -> dict[str, str]:
    """sha256 -> "photo" | "report" for every blob the visit refers to."""
    refs = {p.sha256: "photo" for p in visit.photos}
    refs.update({r.sha256: "report" for r in visit.reports})
    return refs


def _invalid(problem: str) -> ApiError:
    return ApiError(422, "invalid_visit",
                    f"检查记录格式错误 / the visit is not valid: {problem}",
                    {"problem": problem})


def _validate(visit_id: str, visit: VisitRecord) -> None:
    if visit.id != visit_id:
        raise _invalid(f"the body's visit id {visit.id} is not the one in the path ({visit_id})")
    if visit.kind not in {k.value for k in VisitKind}:
        raise _invalid(f"unknown visit kind {visit.kind!r}")
    if visit.status not in {s.value for s in VisitStatus}:
        raise _invalid(f"unknown visit status {visit.status!r}")
    for sha in blob_refs(visit):
        if not SHA256_RE.fullmatch(sha):
            raise _invalid(f"{sha!r} is not a lowercase hex SHA-256")
    for report in visit.reports:
        if report.stage not in REPORT_STAGES:
            raise _invalid(f"report {report.id}: stage {report.stage!r} is not one of "
                           f"{', '.join(REPORT_STAGES)}")


def _content(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in ("status", "reports")}


def _signed_visit_changed(seen: _Seen, payload: dict[str, Any]) -> bool:
    """A signed visit may move on in status and gain reports (the countersigned one), no more."""
    if seen.payload.get("status") not in LOCKED:
        return False
    old_reports = {r["sha256"] for r in seen.payload.get("reports", [])}
    new_reports = {r["sha256"] for r in payload.get("reports", [])}
    return _content(seen.payload) != _content(payload) or not old_reports <= new_reports


# The one read: the token's device and user, the stored visit and the borrower's officer.
# The stored document only matters for a signed visit (what may still change), so only then
# is it read.
_READ = (
    token_statement(Visit.version.label("seen_version"),
                    Visit.payload_sha256.label("seen_sha256"),
                    Visit.officer_id.label("seen_officer_id"),
                    Visit.borrower_id.label("seen_borrower_id"),
                    Visit.status.label("seen_status"),
                    case(dict.fromkeys(sorted(LOCKED), Visit.payload), value=Visit.status)
                    .label("seen_payload"),
                    Assignment.officer_id.label("assigned_officer_id"),
                    Review.decision.label("seen_decision"))
    .outerjoin(Visit, Visit.id == bindparam("visit_id"))
    .outerjoin(Review, Review.visit_id == Visit.id)
    .outerjoin(Assignment, Assignment.borrower_id == bindparam("borrower_id"))
)


def _read(hq: Hq, token: str, visit: VisitRecord) -> tuple[Principal, _Seen | None, str | None]:
    """(the caller, the stored visit if any, the officer the borrower is assigned to)."""
    with hq.db.read_core() as conn:
        found = conn.execute(_READ, {"digest": token_hash(token), "visit_id": visit.id,
                                     "borrower_id": visit.borrower_id}).first()
        p = principal_of(hq, conn, found)
    assert found is not None  # principal_of refused it otherwise
    seen = None
    if found.seen_version is not None:
        seen = _Seen(found.seen_version, found.seen_sha256, found.seen_officer_id,
                     found.seen_borrower_id, found.seen_payload or {"status": found.seen_status},
                     found.seen_status, found.seen_decision)
    return p, seen, found.assigned_officer_id


def _result(visit_id: str, status: str, version: int, **kw: Any) -> PushResult:
    return PushResult(visit_id=visit_id, status=status, server_version=version,  # type: ignore[arg-type]
                      **kw)


def checked_payload(p: Principal, visit_id: str, visit: VisitRecord) -> None:
    """The checks every push makes before touching storage, in this order: a well-formed
    document, from an officer, of their own visit. ApiError 403/422."""
    _validate(visit_id, visit)
    if p.role is not Role.OFFICER:
        raise forbidden(ONLY_OFFICERS)
    if visit.officer_id != p.user_id:
        raise forbidden(OWN_VISITS)


def _as_stored(body: VisitPush, seen: _Seen | None, p: Principal) -> VisitPush:
    """The push with the status headquarters stores (lifecycle.stored_status), not the one
    the laptop claims. Another officer's stored visit is not looked at: the push is refused
    for that, without telling its status."""
    if seen is not None and seen.officer_id != p.user_id:
        return body
    status = stored_status(body.visit, seen.status if seen else None,
                           seen.decision if seen else None)
    if status == body.visit.status:
        return body
    return VisitPush(base_version=body.base_version,
                     visit=body.visit.model_copy(update={"status": status}))


def push_visit(hq: Hq, token: str, visit_id: str, body: VisitPush) -> tuple[int, PushResult]:
    """The push endpoint: check and store one pushed visit; (HTTP status, PushResult).
    ApiError for 401/403/422."""
    checked = False
    for attempt in range(ATTEMPTS):
        p, seen, assigned_officer = _read(hq, token, body.visit)
        if not checked:
            checked_payload(p, visit_id, body.visit)
            # Whose borrower and visit it is, before the document is held against the
            # portfolio: a refusal naming another borrower's collateral would tell whose it is.
            # (Their own stored visit is let through: re-pushed unchanged, it is answered so
            # even after the borrower moved to another officer.)
            own = seen is not None and seen.officer_id == p.user_id
            refusal = None if own else _not_theirs(p, body.visit, seen, assigned_officer)
            if refusal is not None:
                raise refusal
            check_document(hq, canonical(body.visit)[0])  # the templates' and portfolio's rules
            checked = True
        stored = _as_stored(body, seen, p)
        try:
            return _push_once(hq, p, stored, seen, assigned_officer, *canonical(stored.visit))
        except (_Moved, IntegrityError):
            # Another push of this visit (a retry racing its original) or a reassignment got
            # in between: start over, and this time the checks see what is stored.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _push_once(hq: Hq, p: Principal, body: VisitPush, seen: _Seen | None,
               assigned_officer: str | None, payload: dict[str, Any], sha: str
               ) -> tuple[int, PushResult]:
    visit = body.visit
    if seen is not None and seen.sha256 == sha and seen.officer_id == p.user_id:
        return 200, _result(visit.id, "unchanged", seen.version)
    refusal = _not_theirs(p, visit, seen, assigned_officer)
    if refusal is not None:
        raise refusal
    current = seen.version if seen is not None else 0
    # A base_version for a visit the server does not have (e.g. restored from a backup) is not
    # a conflict: there is nothing to overwrite.
    if seen is not None and body.base_version != seen.version:
        return 409, _result(visit.id, "conflict", current, message=CONFLICT.format(v=current))
    if seen is not None and _signed_visit_changed(seen, payload):
        return 422, _result(visit.id, "rejected", current, message=SIGNED_IS_FINAL)
    check_revision(hq, visit)
    refs = blob_refs(visit)
    missing = unusable(hq, p, refs)  # not complete, or neither sent by p nor readable
    if missing:
        return 422, _result(visit.id, "missing_blobs", current, missing_blobs=missing,
                            message=MISSING)
    for report in visit.reports:
        reason = check_report(hq, report, visit.id)
        if reason is not None:
            return 422, _result(visit.id, "rejected", current, message=reason)
    reason, certifiers = _signers_checked(hq, p, visit)
    if reason is not None:
        return 422, _result(visit.id, "rejected", current, message=reason)
    with hq.db.write_core() as conn:
        version = _store(conn, p, seen, visit, payload, sha)
        if seen is not None:
            conn.execute(_UNLINK_BLOBS, {"visit_id": visit.id})
        if refs:
            conn.execute(_LINK_BLOBS, [{"visit_id": visit.id, "sha256": s, "kind": k}
                                       for s, k in refs.items()])
        conn.execute(_AUDIT, audit_row(
            p.username, "visit.push", "visit", visit.id, user_id=p.user_id,
            device_id=p.device_id, version=version, status=visit.status,
            payload_sha256=sha))
        index_signals(conn, visit, stored_before=seen is not None)
        mark_stale(conn, [visit.borrower_id])  # its next inspection may have moved
        # The borrower's signals may have changed: the links of its related parties say so.
        linked = links_to(conn, visit.borrower_id)
        for signer in certifiers:
            if claim(conn, hq.settings, p.user_id, signer, OFFICERS_SIGNATURE,
                     actor=p.username, device_id=p.device_id, visit_id=visit.id) is not None:
                raise _Moved  # another certificate became theirs meanwhile: check again
        # Last: the change-log lock is then held only for its row and the commit.
        append_change_core(conn, "visit", visit.id, version, borrower_id=visit.borrower_id,
                           officer_id=visit.officer_id)
        announce_core(conn, linked)
    return 200, _result(visit.id, "stored", version)


def _not_theirs(p: Principal, visit: VisitRecord, seen: _Seen | None,
                assigned_officer: str | None) -> ApiError | None:
    """403 unless the borrower is the pusher's and a stored visit of that id is theirs, of
    that borrower."""
    if assigned_officer != p.user_id:
        return forbidden(NOT_YOUR_BORROWER)
    if seen is not None and (seen.officer_id != p.user_id or seen.borrower_id != visit.borrower_id):
        return forbidden(OWN_VISITS)
    return None


def _signers_checked(hq: Hq, p: Principal, visit: VisitRecord
                     ) -> tuple[str | None, list[Signer]]:
    """Whose certificates signed the visit's reports: the certification must be the pushing
    officer's (or may become theirs on first use: returned, to be claimed with the store);
    a countersigned report's countersignature must be one headquarters holds for their
    supervisor, unless it is the report of this visit's review (checked when it was posted).
    (The reason if not, None; the certifying signers.)"""
    if not visit.reports:
        return None, []
    certifiers: dict[str, Signer] = {}
    countersigned: list[tuple[str, Signer]] = []
    for report in visit.reports:
        signers = report_signers(hq, report.sha256)
        first = certifier(signers)
        if first is not None:
            certifiers[first.fingerprint] = first
        later = countersigner(signers) if report.stage == "countersigned" else None
        if later is not None:
            countersigned.append((report.sha256, later))
    with hq.db.read_core() as conn:
        for signer in certifiers.values():
            reason = signer_problem(conn, hq.settings, p.user_id, signer, OFFICERS_SIGNATURE)
            if reason is not None:
                return reason, []
        if countersigned:
            review = conn.scalar(select(Review.report).where(Review.visit_id == visit.id))
            reviewed = review.get("sha256") if isinstance(review, dict) else None
            for sha, signer in countersigned:
                if sha != reviewed and not held_for(conn, p.supervisor_id, signer):
                    return NOT_SUPERVISORS.format(subject=signer.subject), []
    return None, list(certifiers.values())


# --- the write: statements built once, their values bound -----------------------------------

def _bound(name: str) -> Any:
    """A parameter typed as the visits column it fills (so dates and JSON bind as such)."""
    return bindparam(name, type_=Visit.__table__.c[name].type)


# Still the caller's borrower, checked in the statement that writes (the checks read it
# before; an assignment may have moved since).
_STILL_ASSIGNED = exists().where(Assignment.borrower_id == bindparam("assigned_borrower_id"),
                                 Assignment.officer_id == bindparam("caller_id"))
_CHANGED = ("status", "revision", "previous_revision_id", "visit_date", "payload",
            "payload_sha256", "updated_at")
# A new visit: inserted only while the borrower is the caller's; a push of the same visit that
# got in first makes it fail on the primary key (IntegrityError: check again).
_INSERT = insert(Visit).from_select(
    ["id", "borrower_id", "officer_id", "version", "created_at", "submitted_at", *_CHANGED],
    select(_bound("id"), _bound("borrower_id"), _bound("officer_id"), literal(1),
           _bound("created_at"), _bound("submitted_at"), *(_bound(c) for c in _CHANGED))
    .where(_STILL_ASSIGNED)
).returning(Visit.version)
# A stored visit: updated only from the version the checks saw (on PostgreSQL a concurrent
# update makes this one re-read the row and find the version moved).
_UPDATE = (update(Visit)
           .where(Visit.id == bindparam("visit_id"), Visit.version == bindparam("seen_version"),
                  _STILL_ASSIGNED)
           .values(version=Visit.version + 1,
                   # The first push that stores it signed is its submission; kept after.
                   submitted_at=func.coalesce(Visit.submitted_at, _bound("submitted_at")),
                   **{c: bindparam(f"new_{c}", type_=Visit.__table__.c[c].type)
                      for c in _CHANGED})
           .returning(Visit.version))
_UNLINK_BLOBS = delete(VisitBlob).where(VisitBlob.visit_id == bindparam("visit_id"))
_LINK_BLOBS = insert(VisitBlob)
_AUDIT = insert(AuditEntry)


def _store(conn: Connection, p: Principal, seen: _Seen | None, visit: VisitRecord,
           payload: dict[str, Any], sha: str) -> int:
    """Insert or update the visit row; its new server version (1 on insert, +1 on update),
    as the statement returns it. _Moved if the visit or the borrower's assignment is no
    longer what the checks saw."""
    now = utcnow()
    changed = {"status": visit.status, "revision": visit.revision,
               "previous_revision_id": visit.previous_revision_id,
               "visit_date": visit.visit_date, "payload": payload, "payload_sha256": sha,
               "updated_at": now}
    guard = {"assigned_borrower_id": visit.borrower_id, "caller_id": p.user_id,
             "submitted_at": now if visit.status in SIGNED_OR_LATER else None}
    if seen is None:
        version = conn.scalar(_INSERT, {
            "id": visit.id, "borrower_id": visit.borrower_id, "officer_id": visit.officer_id,
            "created_at": now, **changed, **guard})
    else:
        version = conn.scalar(_UPDATE, {"visit_id": visit.id, "seen_version": seen.version,
                                        **{f"new_{k}": v for k, v in changed.items()}, **guard})
    if version is None:
        raise _Moved
    return version
