"""GET /api/v1/audit: the audit trail for administrators (hq.audit_trail says what each filter
matches); an officer or a supervisor is refused (403 "forbidden")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from inspector_app.domain.enums import Role
from inspector_app.hq.audit_trail import DEFAULT_PAGE, MAX_PAGE, AuditFilter, AuditFilterError
from inspector_app.hq.audit_trail import audit_page as read_page
from inspector_app.hq.auth import authenticate, device_token
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError, forbidden
from inspector_app.hq.responses import AUTH, error, invalid
from inspector_app.hq.routing import HqRoute
from inspector_app.wire import API, NO_NUL, AuditPage

router = APIRouter(prefix=API, route_class=HqRoute, tags=["audit"])

ADMINS_ONLY = ("只有管理员可以查看审计日志 / only an administrator may read the audit trail")
# An entry id well inside a BIGINT, so a huge cursor is 422, not the database's overflow.
MAX_CURSOR = 2**62


async def _hq(request: Request) -> Hq:
    hq: Hq = request.app.state.hq
    return hq


HqDep = Annotated[Hq, Depends(_hq)]
Token = Annotated[str, Depends(device_token)]


def _text(description: str, max_length: int) -> object:
    return Query(min_length=1, max_length=max_length, pattern=NO_NUL, description=description)


User = Annotated[str | None, _text("who did it: a username (or an actor such as cli:root)", 100)]
Borrower = Annotated[str | None, _text("a borrower's code: its record, visits, their signals "
                                       "and the handovers that moved it", 100)]
VisitId = Annotated[str | None, _text("a visit's id: the visit and its signals", 36)]
Action = Annotated[str | None, _text("an action (visit.push) or a family of them (handover)",
                                     64)]
Since = Annotated[datetime | None, Query(description="entries at or after this moment (with a "
                                                     "UTC offset)")]
Until = Annotated[datetime | None, Query(description="entries before this moment (with a UTC "
                                                     "offset)")]
Cursor = Annotated[int | None, Query(ge=1, le=MAX_CURSOR, description=(
    "the previous page's next_cursor: the entries older than it"))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]


def _moment(value: datetime | None, name: str) -> datetime | None:
    """An aware moment the database can hold, or 422."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            raise ValueError
        value.astimezone(UTC)  # a moment near year 1 or 9999 may fall off the calendar
    except (ValueError, OverflowError):
        raise ApiError(422, f"invalid_{name}", f"{name} 需带时区的时间 / {name} must be a "
                       "moment with a UTC offset, within the calendar") from None
    return value


@router.get("/audit", response_model=AuditPage,
            responses={**AUTH,
                       403: error("device_revoked or user_inactive; forbidden (only "
                                  "administrators read the audit trail)"),
                       422: invalid("unknown_filter (no such user, borrower, visit, action or "
                                    "cursor entry; or since is not before until); invalid_since, "
                                    "invalid_until (no UTC offset)")})
def audit(hq: HqDep, token: Token, user: User = None, borrower: Borrower = None,
          visit: VisitId = None, action: Action = None, since: Since = None,
          until: Until = None, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE) -> Response:
    """Headquarters' audit trail, newest first, filtered; page with `cursor` while the answer
    has a next_cursor."""
    caller = authenticate(hq, token)
    if caller.role is not Role.ADMIN:
        raise forbidden(ADMINS_ONLY)
    f = AuditFilter(user=user, borrower=borrower, visit=visit, action=action,
                    since=_moment(since, "since"), until=_moment(until, "until"))
    try:
        page = read_page(hq.db, f, cursor, limit)
    except AuditFilterError as exc:
        raise ApiError(422, "unknown_filter", str(exc)) from None
    return Response(page.model_dump_json(), media_type="application/json")
