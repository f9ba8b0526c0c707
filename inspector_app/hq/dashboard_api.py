"""GET /api/v1/dashboard and /dashboard/rows: the whole-bank dashboard (hq.dashboard) and the
rows behind a bar (hq.dashboard_drill), for administrators; a supervisor gets their own team
(narrowing to anything else is 403); an officer is refused (403 "forbidden")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from inspector_app.domain.dashboard import DueBucket, GroupBy, SignalAge, Workload
from inspector_app.domain.enums import Classification, Role, Severity, SignalCategory
from inspector_app.hq.auth import authenticate, device_token
from inspector_app.hq.context import Hq
from inspector_app.hq.dashboard import whole_bank_dashboard
from inspector_app.hq.dashboard_drill import Bar, bar_rows
from inspector_app.hq.dashboard_sql import Ask
from inspector_app.hq.errors import ApiError, forbidden
from inspector_app.hq.models import Branch, User
from inspector_app.hq.responses import AUTH, error, invalid
from inspector_app.hq.routing import HqRoute
from inspector_app.hq.scope import Principal
from inspector_app.wire import API, NO_NUL, Dashboard, DashboardRows

router = APIRouter(prefix=API, route_class=HqRoute, tags=["dashboard"])

NOT_OFFICERS = ("只有管理员和部门负责人可以查看看板 / only administrators and supervisors read "
                "the dashboard")
OWN_TEAM = ("部门负责人只能查看本部门的看板 / a supervisor reads their own team's dashboard only")
# Days the figures can be dated (a bucket reaches 30 days past today; no calendar overflow).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
MAX_PAGE = 500
MAX_OFFSET = 10_000_000


async def _hq(request: Request) -> Hq:
    hq: Hq = request.app.state.hq
    return hq


HqDep = Annotated[Hq, Depends(_hq)]
Token = Annotated[str, Depends(device_token)]
Start = Annotated[date, Query(description="the period's first day (the migration matrix, "
                                          "submissions and returns)")]
End = Annotated[date, Query(description="the period's last day (included)")]
Today = Annotated[date | None, Query(description="the day the figures are as of (default: "
                                                 "headquarters' today)")]
Group = Annotated[GroupBy, Query(description="one row per officer, team or branch")]
BranchCode = Annotated[str | None, Query(min_length=1, max_length=32, pattern=NO_NUL,
                                         description="only this branch's officers (its code)")]
Team = Annotated[str | None, Query(min_length=1, max_length=64, pattern=NO_NUL, description=(
    "only this supervisor's team (the supervisor's username)"))]
Chart = Literal["due", "signal_category", "signal_age", "classification", "migration",
                "workload"]
Key = Annotated[str | None, Query(max_length=36, pattern=r"^[^\x00]*$", description=(
    "the bar's row: an officer's, supervisor's or branch's id as the figures gave it ('' for "
    "none)"))]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]
RESPONSES = {**AUTH,
             403: error("device_revoked or user_inactive; forbidden (an officer, or a "
                        "supervisor asking for another part of the bank)")}


def _ask(hq: Hq, p: Principal, start: date, end: date, today: date | None, group: GroupBy,
         branch: str | None, team: str | None) -> Ask:
    """What is asked, checked: 403 for an officer or a supervisor reaching beyond the team,
    422 for a period backwards or off the calendar, or a branch or team that is none."""
    if p.role is Role.OFFICER:
        raise forbidden(NOT_OFFICERS)
    day = date.today() if today is None else today  # headquarters' local day
    for name, value in (("start", start), ("end", end), ("today", day)):
        if not FIRST_DAY <= value <= LAST_DAY:
            raise ApiError(422, "invalid_period", f"{name} 须在 {FIRST_DAY} 与 {LAST_DAY} 之间 / "
                           f"{name} must be between {FIRST_DAY} and {LAST_DAY}")
    if start > end:
        raise ApiError(422, "invalid_period", "开始日期晚于结束日期 / the start is after the end")
    if p.role is Role.SUPERVISOR:
        if branch is not None or team not in (None, p.username):
            raise forbidden(OWN_TEAM)
        return Ask(day, start, end, group, team_id=p.user_id)
    with hq.db.read() as s:
        branch_id = team_id = None
        if branch is not None:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == branch))
            if branch_id is None:
                raise ApiError(422, "unknown_scope", f"没有支行 {branch} / no branch {branch!r}")
        if team is not None:
            team_id = s.scalar(select(User.id).where(User.username == team,
                                                     User.role == Role.SUPERVISOR))
            if team_id is None:
                raise ApiError(422, "unknown_scope", f"没有部门负责人 {team} / no supervisor "
                               f"{team!r}")
    return Ask(day, start, end, group, branch_id, team_id)


@router.get("/dashboard", response_model=Dashboard, responses={
    **RESPONSES, 422: invalid("invalid_period (start after end, or a day off the calendar); "
                              "unknown_scope (no such branch or supervisor)")})
def dashboard(hq: HqDep, token: Token, start: Start, end: End, today: Today = None,
              group: Group = GroupBy.OFFICER, branch: BranchCode = None,
              team: Team = None) -> Response:
    """Every figure of the dashboard over the bank (a branch, a team), one row per officer,
    team or branch, with the total."""
    p = authenticate(hq, token)
    ask = _ask(hq, p, start, end, today, group, branch, team)
    board = whole_bank_dashboard(hq.db, ask, branch, team)
    return Response(board.model_dump_json(), media_type="application/json")


@router.get("/dashboard/rows", response_model=DashboardRows, responses={
    **RESPONSES, 422: invalid("invalid_period, unknown_scope (as /dashboard); missing_filter "
                              "(the chart's own keys not all given)")})
def dashboard_rows(
        hq: HqDep, token: Token, chart: Chart, start: Start, end: End, today: Today = None,
        group: Group = GroupBy.OFFICER, branch: BranchCode = None, team: Team = None,
        key: Key = None, due: DueBucket | None = None, category: SignalCategory | None = None,
        age: SignalAge | None = None, severity: Severity | None = None,
        classification: Classification | None = None,
        to_classification: Classification | None = None, workload: Workload | None = None,
        offset: Offset = 0, limit: Limit = 100) -> Response:
    """The borrowers, open signals or visits behind one bar or matrix cell, a page at a time
    from `offset`, with their total."""
    p = authenticate(hq, token)
    ask = _ask(hq, p, start, end, today, group, branch, team)
    needed = {"due": (due,), "signal_category": (category,), "signal_age": (age,),
              "classification": (classification,),
              "migration": (classification, to_classification), "workload": (workload,)}[chart]
    if any(v is None for v in needed):
        raise ApiError(422, "missing_filter", f"{chart} 缺少条件 / the {chart} chart's bar "
                       "needs its keys (due, category, age, classification, to_classification "
                       "or workload)")
    bar = Bar(chart, key, due, None if category is None else category.value, age,
              None if severity is None else severity.value,
              None if classification is None else classification.value,
              None if to_classification is None else to_classification.value, workload)
    page = bar_rows(hq.db, ask, bar, offset, limit)
    return Response(page.model_dump_json(), media_type="application/json")
