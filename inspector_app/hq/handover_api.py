"""Handover endpoints (hq.handover says what each step does):

    POST /api/v1/handovers                       HandoverStart -> HandoverRecord (201)
        A supervisor of the old officer's team (or an administrator) starts a handover.
    GET  /api/v1/handovers                       -> list[HandoverRecord]
        The handovers the caller is concerned by (an administrator: all).
    GET  /api/v1/handovers/{id}                  -> HandoverRecord
    POST /api/v1/handovers/{id}/release          HandoverRelease -> HandoverRecord
        The old officer's laptop, everything uploaded, lets go.
    POST /api/v1/handovers/{id}/signatures       HandoverSignature -> HandoverRecord
        The record as a signed PDF (a blob): certified by the old officer, countersigned by
        the new one, confirmed by the supervisor (stage "confirmed"), which completes it: the
        borrowers move.
    POST /api/v1/handovers/{id}/complete         HandoverOverride -> HandoverRecord
        An administrator completes it without the supervisor's confirmation signature,
        saying why (the same as `inspector-hq admin handover complete --without-signature`).
    GET  /api/v1/handovers/{id}/visits           -> HandoverVisits
        The new officer's laptop takes the visits a completed handover gave them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from inspector_app.hq import pull as pulling
from inspector_app.hq.auth import authenticate, device_token
from inspector_app.hq.changes import user_data
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError
from inspector_app.hq.handover import (
    COMPLETED,
    HandoverRefused,
    complete_handover,
    get_handover,
    list_handovers,
    release_handover,
    start_handover,
)
from inspector_app.hq.handover_signatures import record_signature
from inspector_app.hq.models import Handover, HandoverVisit, User, Visit
from inspector_app.hq.responses import AUTH, JSON_BODY, RecordId, Responses, error, invalid
from inspector_app.hq.routing import HqRoute
from inspector_app.wire import (
    API,
    HandoverOverride,
    HandoverRecord,
    HandoverRelease,
    HandoverSignature,
    HandoverStart,
    HandoverVisits,
    UserRecord,
)

router = APIRouter(prefix=API, route_class=HqRoute, tags=["handover"])


async def _hq(request: Request) -> Hq:
    hq: Hq = request.app.state.hq
    return hq


HqDep = Annotated[Hq, Depends(_hq)]
Token = Annotated[str, Depends(device_token)]
NOT_FOUND = error("not_found: no such handover, or not one the caller is concerned by")
AUTH_ERRORS: Responses = {**AUTH, 422: invalid()}


def _json(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status, media_type="application/json")


def _api_error(exc: HandoverRefused) -> ApiError:
    return ApiError(exc.status, exc.code, " ; ".join(exc.problems), {"problems": exc.problems})


@router.post("/handovers", response_model=HandoverRecord, status_code=201,
             responses={**JSON_BODY, **AUTH,
                        409: error("already_handing_over: a borrower is in a pending handover"),
                        422: invalid("unknown_officer; same_officer; borrowers_required; "
                                     "no_borrowers; not_their_borrowers (detail.problems "
                                     "lists each)")})
def start(req: HandoverStart, hq: HqDep, token: Token) -> Response:
    """Start a handover of some or all of an officer's borrowers to another officer."""
    caller = authenticate(hq, token)
    try:
        record = start_handover(hq.db, req, caller.username, caller)
    except HandoverRefused as exc:
        raise _api_error(exc) from None
    return _json(record, 201)


@router.get("/handovers", response_model=list[HandoverRecord], responses=AUTH_ERRORS)
def handovers(hq: HqDep, token: Token) -> list[HandoverRecord]:
    """The handovers the caller is concerned by, newest first."""
    return list_handovers(hq.db, authenticate(hq, token))


@router.get("/handovers/{handover_id}", response_model=HandoverRecord,
            responses={**AUTH_ERRORS, 404: NOT_FOUND})
def handover(handover_id: RecordId, hq: HqDep, token: Token) -> Response:
    """One handover with its record."""
    caller = authenticate(hq, token)
    try:
        return _json(get_handover(hq.db, handover_id, caller))
    except HandoverRefused as exc:
        raise _api_error(exc) from None


@router.post("/handovers/{handover_id}/release", response_model=HandoverRecord,
             responses={**JSON_BODY, **AUTH, 404: NOT_FOUND,
                        409: error("not_pending; not_received: a visit the laptop names is "
                                   "not at headquarters as it holds it (detail.problems)"),
                        422: invalid()})
def release(handover_id: RecordId, body: HandoverRelease, hq: HqDep, token: Token) -> Response:
    """The old officer's laptop has uploaded everything of the borrowers and lets go."""
    caller = authenticate(hq, token)
    try:
        return _json(release_handover(hq.db, caller, handover_id, body))
    except HandoverRefused as exc:
        raise _api_error(exc) from None


@router.post("/handovers/{handover_id}/signatures", response_model=HandoverRecord,
             responses={**JSON_BODY, **AUTH, 404: NOT_FOUND,
                        409: error("not_pending; not_signed (a signature before the one it "
                                   "follows); already_countersigned; record_changed; and, for "
                                   "the confirmation, what completion refuses"),
                        422: invalid("missing_blobs (upload the PDF first); rejected (it does "
                                     "not verify, or names another handover); wrong_signer")})
def signature(handover_id: RecordId, body: HandoverSignature, hq: HqDep, token: Token
              ) -> Response:
    """The handover record signed: certified by the old officer, then countersigned by the
    new one, then confirmed by the supervisor, which completes the handover (the PDF uploaded
    as a blob first)."""
    caller = authenticate(hq, token)
    try:
        return _json(record_signature(hq, caller, handover_id, body))
    except HandoverRefused as exc:
        raise _api_error(exc) from None


@router.post("/handovers/{handover_id}/complete", response_model=HandoverRecord,
             responses={**JSON_BODY, **AUTH_ERRORS, 404: NOT_FOUND,
                        403: error("forbidden: only an administrator completes a handover "
                                   "without the supervisor's signature"),
                        409: error("not_pending; not_signed (both officers must have signed "
                                   "the record); not_released (the old officer's laptop has "
                                   "not let go yet); changed_since_release; missing_files")})
def complete(handover_id: RecordId, body: HandoverOverride, hq: HqDep, token: Token
             ) -> Response:
    """An administrator completes a handover without the supervisor's confirmation signature,
    with the reason (kept with it, in the audit trail and on the record): the borrowers,
    unsigned visits and file move to the new officer. A supervisor confirms by posting the
    confirmed record to /signatures instead."""
    caller = authenticate(hq, token)
    try:
        get_handover(hq.db, handover_id, caller)  # 404 for one the caller may not see
        return _json(complete_handover(hq.db, handover_id, caller.username, caller,
                                       override_reason=body.reason))
    except HandoverRefused as exc:
        raise _api_error(exc) from None


@router.get("/handovers/{handover_id}/visits", response_model=HandoverVisits,
            responses={**AUTH_ERRORS, 404: NOT_FOUND})
def visits(handover_id: RecordId, hq: HqDep, token: Token) -> Response:
    """The visits a completed handover gave the caller (its new officer), as stored now."""
    caller = authenticate(hq, token)
    with hq.db.read() as s:
        h = s.get(Handover, handover_id)
        if h is None or h.to_officer_id != caller.user_id or h.status != COMPLETED:
            raise ApiError(404, "not_found", "没有该移交 / no such handover")
        rows = s.scalars(select(Visit).join(HandoverVisit, HandoverVisit.visit_id == Visit.id)
                         .where(HandoverVisit.handover_id == h.id)
                         .order_by(Visit.visit_date, Visit.revision, Visit.id))
        stored = [pulling.stored_visit(s, v) for v in rows]
        named = {v.visit.officer_id for v in stored} | {h.from_officer_id}
        users = [UserRecord.model_validate(user_data(u))
                 for u in s.scalars(select(User).where(User.id.in_(named)))]
    return _json(HandoverVisits(visits=stored, users=users))
