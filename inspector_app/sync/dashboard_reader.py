"""An administrator's laptop reads headquarters' whole-bank dashboard online
(GET /api/v1/dashboard and /dashboard/rows) and gets the supervisor's dashboard values back
(store.dashboard_rows), so the same charts draw it. Nothing is kept on the laptop; failures
are SyncErrors that say what to do (sync.online_reader)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from inspector_app import wire
from inspector_app.domain.enums import (
    Classification,
    Severity,
    SignalCategory,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.dashboard_rows import (
    Drill,
    DrillPage,
    DrillRow,
    GroupBy,
    OfficerDue,
    OfficerWorkload,
    Scope,
    ScopeChoice,
    SignalAge,
    TeamDashboard,
)
from inspector_app.sync.online_reader import OnlineReader

PAGE = 100  # rows behind a bar per request
T = TypeVar("T")


def _scope_params(scope: Scope) -> dict[str, str]:
    params = {"group": scope.group.value}
    if scope.branch is not None:
        params["branch"] = scope.branch
    if scope.team is not None:
        params["team"] = scope.team
    return params


def _known(make: Callable[[str], T], value: str | None) -> T | None:
    """value as a member of this version's enum; None for one it does not know (a newer
    server's code is left out rather than shown raw)."""
    try:
        return None if value is None else make(value)
    except ValueError:
        return None


def _counts(counts: Iterable[tuple[Any, Any, int]]) -> dict[Any, int]:
    """{(a, b): n}, leaving out a pair with a code this version does not know."""
    return {(a, b): n for a, b, n in counts if a is not None and b is not None}


class DashboardReader(OnlineReader):
    """The dashboard's figures and the rows behind a bar, as this laptop's device."""

    def figures(self, today: date, start: date, end: date, scope: Scope) -> TeamDashboard:
        board = self.get("/dashboard", {"today": today.isoformat(), "start": start.isoformat(),
                                        "end": end.isoformat(), **_scope_params(scope)},
                         wire.Dashboard)
        due = [OfficerDue(r.key, r.name, r.overdue, r.within_7, r.within_30, r.team, r.branch)
               for r in board.rows if r.overdue or r.within_7 or r.within_30]
        workload = [OfficerWorkload(r.key, r.name, r.borrowers, r.visits_this_month,
                                    r.submitted, r.average_days_to_submit, r.returns, r.team,
                                    r.branch) for r in board.rows]
        return TeamDashboard(
            today=board.today, start=board.start, end=board.end,
            due=sorted(due, key=lambda d: (-d.overdue, d.officer)),
            signals_by_category=_counts(
                (_known(SignalCategory, c.key), _known(Severity, c.severity), c.count)
                for c in board.signals_by_category),
            signals_by_age=_counts((_known(SignalAge, c.key), _known(Severity, c.severity),
                                    c.count) for c in board.signals_by_age),
            classifications={c: n for c, n in ((_known(Classification, x.classification),
                                                x.count) for x in board.classifications)
                             if c is not None},
            migration=_counts((_known(Classification, m.start), _known(Classification, m.end),
                               m.count) for m in board.migration),
            workload=sorted(workload, key=lambda w: (-w.borrowers, w.officer)),
            scope=Scope(GroupBy(board.group), board.branch, board.team),
            choices=tuple(ScopeChoice(o.kind, o.key, o.name) for o in board.options),
        )

    def page(self, drill: Drill, offset: int = 0, limit: int = PAGE) -> DrillPage:
        """Rows [offset, offset + limit) behind the bar, and how many in all."""
        start, end = drill.start or drill.today, drill.end or drill.today
        params: dict[str, Any] = {
            "chart": drill.chart, "today": drill.today.isoformat(),
            "start": start.isoformat(), "end": end.isoformat(), **_scope_params(drill.scope),
            "offset": offset, "limit": limit}
        keys = {"key": drill.officer_id, "due": drill.due, "category": drill.category,
                "age": drill.age, "severity": drill.severity,
                "classification": drill.classification,
                "to_classification": drill.to_classification, "workload": drill.workload}
        params.update({k: str(v) for k, v in keys.items() if v is not None})
        answer = self.get("/dashboard/rows", params, wire.DashboardRows)
        rows = [DrillRow(
            borrower_id="", code=r.borrower_code, name=r.borrower, officer=r.officer,
            classification=_known(Classification, r.classification) or Classification.NORMAL,
            on=r.on, detail=r.detail, visit_id=r.visit_id,
            visit_kind=_known(VisitKind, r.visit_kind), visit_status=_known(VisitStatus,
                                                                             r.visit_status),
            days_to_submit=r.days_to_submit) for r in answer.rows]
        return DrillPage(rows, answer.total, answer.offset)
