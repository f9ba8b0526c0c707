"""Sync endpoints: register, pull, push; and the headquarters-only review and visit feed.

Handlers are plain `def`: FastAPI runs them in its thread pool, where blocking database work
and Argon2 belong, never on the event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from inspector_app.hq import pull as pulling
from inspector_app.hq.auth import authenticate, device_token, register_device
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import not_found
from inspector_app.hq.models import User, Visit
from inspector_app.hq.push import push_visit
from inspector_app.hq.responses import (
    AUTH,
    JSON_BODY,
    RETRY_AFTER,
    RecordId,
    Responses,
    error,
    invalid,
)
from inspector_app.hq.review import review_visit
from inspector_app.hq.routing import HqRoute
from inspector_app.hq.schemas import ReviewRecord, ReviewRequest, StoredVisit, VisitFeed
from inspector_app.hq.scope import may_see_officer
from inspector_app.hq.signals import follow_up_signal
from inspector_app.wire import (
    API,
    ENTITIES_HEADER,
    ErrorBody,
    PullResponse,
    PushResult,
    RegisterRequest,
    RegisterResponse,
    SignalFollowUp,
    SignalFollowUpRecord,
    VisitPush,
    declared_entities,
)

router = APIRouter(prefix=API, route_class=HqRoute)


def json_response(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status, media_type="application/json")


async def _hq(request: Request) -> Hq:
    # async: a plain def dependency would cost a thread-pool hop of its own.
    hq: Hq = request.app.state.hq  # set by create_app
    return hq


HqDep = Annotated[Hq, Depends(_hq)]
Token = Annotated[str, Depends(device_token)]
Cursor = Annotated[int, Query(ge=0, description="the last change sequence the client applied")]
Until = Annotated[int | None, Query(
    ge=0, description="the change sequence this sync reads up to, as the first page answered "
                      "it (VisitFeed.until); none on a sync's first page")]
Limit = Annotated[int | None, Query(ge=1, le=5000, description="page size (server default)")]
Entities = Annotated[str | None, Header(
    alias=ENTITIES_HEADER, max_length=1000,
    description="the kinds of record (Change.entity) the client understands, comma-separated; "
    "without it, only those every client has understood (wire.ORIGINAL_ENTITIES)")]
AUTH_ERRORS: Responses = {**AUTH, 422: invalid()}


@router.post("/devices/register", response_model=RegisterResponse, tags=["devices"],
             responses={**JSON_BODY, 401: error("login_failed"), 422: invalid(),
                        429: error("too_many_attempts: too many failed sign-ins for this "
                                   "username or from this address",
                                   Retry_After=RETRY_AFTER)})
def register(req: RegisterRequest, hq: HqDep, request: Request) -> RegisterResponse:
    """First online login on a laptop: username + password in, a device token out (once)."""
    # The address the connection came from; behind a proxy on this machine uvicorn takes
    # the client's from X-Forwarded-For (it trusts 127.0.0.1 by default: FORWARDED_ALLOW_IPS).
    address = request.client.host if request.client is not None else ""
    return register_device(hq, req, address)


@router.get("/pull", response_model=PullResponse, tags=["sync"], responses=AUTH_ERRORS)
def pull(hq: HqDep, token: Token, cursor: Cursor = 0, limit: Limit = None,
         entities: Entities = None) -> Response:
    """Everything the caller may see that changed after `cursor`; pull again while `more`.
    Only the kinds of record the client declares it understands (wire/pull.py)."""
    # Serialised once, here: returning the model would have FastAPI validate it again
    # against response_model (which stays, for the OpenAPI document). The token is checked
    # in pull's first statement.
    return json_response(pulling.pull(hq, token, cursor, limit,
                                      entities=declared_entities(entities)))


@router.put("/visits/{visit_id}", response_model=PushResult, tags=["sync"],
            responses={**JSON_BODY, **AUTH,
                       403: error("device_revoked or user_inactive; forbidden (only officers "
                                  "push, their own visits of their own borrowers)"),
                       409: {"model": PushResult | ErrorBody,
                             "description": "conflict (a PushResult: the server's copy moved "
                                            "past base_version); an ErrorBody when the visit's "
                                            "life cycle does not allow the change (code and "
                                            "message say why)"},
                       413: error("too_large: the body, or a text of the document, is over "
                                  "the server's size limit"),
                       422: invalid("invalid_visit (an ErrorBody: the document is not valid, "
                                    "detail says why); a PushResult with status missing_blobs "
                                    "or rejected", ErrorBody | PushResult)})
def push(visit_id: RecordId, body: VisitPush, hq: HqDep, token: Token) -> Response:
    """Store the whole visit; the same document again is "unchanged", never a duplicate."""
    status, result = push_visit(hq, token, visit_id, body)
    return json_response(result, status)


REVIEW_ERRORS: Responses = {
    **JSON_BODY,
    401: error("unauthorized: no or unknown device token"),
    403: error("device_revoked or user_inactive; forbidden (only supervisors review); "
               "own_visit (a supervisor never reviews their own visit)"),
    404: error("not_found: no such visit, or not of the caller's team"),
    409: error("already_reviewed (another decision stands: detail has decision, "
               "reviewer_name, review_id, decided_at, comment); already_countersigned; "
               "not_reviewable (the visit is not signed or submitted); visit_changed "
               "(detail.server_version); no_signed_report"),
    422: invalid("comment_required; classification_needs_approval; comments_need_return; "
                 "unknown_classification; reason_required (a classification other than the "
                 "officer's without classification_reason); unknown_comment_target "
                 "(detail.unknown lists them); invalid_decided_at (no UTC offset); "
                 "decided_in_future; report_needs_approval; invalid_report; missing_blobs "
                 "(detail.missing_blobs); rejected (the countersigned report failed "
                 "verification; the message says why); wrong_signer"),
}


@router.post("/visits/{visit_id}/review", response_model=ReviewRecord, status_code=201,
             tags=["review"], responses=REVIEW_ERRORS)
def review(visit_id: RecordId, req: ReviewRequest, hq: HqDep, token: Token) -> ReviewRecord:
    """A supervisor approves a team member's signed visit, or returns it with comments.

    Approving by countersigning: `report` is the countersigned PDF's record, its blob uploaded
    first; it is verified and kept, and the officer pulls it with the decision. The same
    countersigned approval again answers the same review (no duplicate)."""
    caller = authenticate(hq, token)
    return review_visit(hq, caller, visit_id, req)


FOLLOW_UP_ERRORS: Responses = {
    **JSON_BODY,
    401: error("unauthorized: no or unknown device token"),
    403: error("device_revoked or user_inactive; forbidden (only supervisors follow signals "
               "up)"),
    404: error("not_found: no such signal, or not of a borrower of the caller's team"),
    409: error("follow_up_exists (the id names another follow-up); signal_cleared"),
    422: invalid("severity_required; severity_needs_escalate; severity_not_higher "
                 "(detail.severity: the signal's); officer_required; officer_needs_reassign; "
                 "unknown_officer (not an active officer of the team); reason_required; "
                 "invalid_at (no UTC offset); at_in_future"),
}


@router.post("/signals/{signal_id}/follow-ups", response_model=SignalFollowUpRecord,
             status_code=201, tags=["review"],
             responses={**FOLLOW_UP_ERRORS,
                        200: {"model": SignalFollowUpRecord,
                              "description": "the same follow-up again: the stored record"}})
def signal_follow_up(signal_id: RecordId, req: SignalFollowUp, hq: HqDep, token: Token) -> Response:
    """A supervisor escalates, reassigns or clears a warning signal of their team, with the
    reason; the borrower's officer (and the new one, on reassign) pulls it."""
    caller = authenticate(hq, token)
    status, record = follow_up_signal(hq, caller, signal_id, req)
    return json_response(record, status)


@router.get("/visits", response_model=VisitFeed, tags=["review"],
            responses={**AUTH, 422: invalid("a cursor, until or limit out of range")})
def visits(hq: HqDep, token: Token, cursor: Cursor = 0, until: Until = None,
           limit: Limit = None) -> VisitFeed:
    """Visits the caller may see (a supervisor: the team's) changed after `cursor`, each in
    its latest state and at most once a sync: the first page fixes `until` (returned on
    every page), later pages send it back. Drafts and completed visits never go out."""
    caller = authenticate(hq, token)
    return pulling.visit_feed(hq, caller, cursor, until, limit)


@router.get("/visits/{visit_id}", response_model=StoredVisit, tags=["review"],
            responses={**AUTH_ERRORS, 404: error("not_found: no such visit, or not one the "
                                                 "caller may see")})
def visit(visit_id: RecordId, hq: HqDep, token: Token) -> StoredVisit:
    """One stored visit, if the caller may see it."""
    caller = authenticate(hq, token)
    with hq.db.read() as session:
        found = session.execute(
            select(Visit, User.supervisor_id).join(User, Visit.officer_id == User.id)
            .where(Visit.id == visit_id)
        ).first()
        if found is None or not may_see_officer(caller, found[0].officer_id, found[1]):
            raise not_found()
        return pulling.stored_visit(session, found[0])
