"""The supervisor's dashboard figures against the hand-computed team of
tests/dashboard_fixture.py, and what each bar drills down to."""

from __future__ import annotations

import pytest

from inspector_app.store.dashboard_rows import (
    UNASSIGNED,
    Drill,
    DueBucket,
    SignalAge,
    TeamDashboard,
    Workload,
)
from inspector_app.store.local import LocalStore
from tests.dashboard_fixture import (
    COLL,
    DBT,
    END,
    FIN,
    GOV,
    ORANGE,
    RED,
    SM,
    START,
    SUB,
    TODAY,
    YELLOW,
    N,
    Team,
    build_team,
)


@pytest.fixture
def team(store: LocalStore) -> Team:
    return build_team(store)


@pytest.fixture
def board(store: LocalStore, team: Team) -> TeamDashboard:
    return store.team_dashboard(TODAY, START, END)


def codes(store: LocalStore, team: Team, drill: Drill) -> list[str]:
    by_id = {v: k for k, v in team.borrowers.items()}
    return sorted(by_id[row.borrower_id] for row in store.drill(drill))


def test_due_per_officer(board: TeamDashboard, team: Team) -> None:
    due = {d.officer_id: (d.officer, d.overdue, d.within_7, d.within_30) for d in board.due}
    assert due == {
        team.officers["li"]: ("李明", 2, 2, 2),
        team.officers["wang"]: ("王芳", 1, 0, 0),
        UNASSIGNED: ("", 0, 1, 0),
    }
    assert board.due[0].officer == "李明"  # the most overdue first


@pytest.mark.parametrize(("officer", "bucket", "expected"), [
    ("li", DueBucket.OVERDUE, ["L1", "L2"]),
    ("li", DueBucket.WITHIN_7, ["L3", "L4"]),
    ("li", DueBucket.WITHIN_30, ["L5", "L6"]),
    ("wang", DueBucket.OVERDUE, ["W1"]),
    (None, DueBucket.WITHIN_7, ["U1"]),
])
def test_due_drills_to_its_borrowers(store: LocalStore, team: Team, officer: str | None,
                                     bucket: DueBucket, expected: list[str]) -> None:
    officer_id = UNASSIGNED if officer is None else team.officers[officer]
    assert codes(store, team, Drill("due", TODAY, officer_id=officer_id, due=bucket)) == expected


def test_open_signals_by_category_and_age(board: TeamDashboard) -> None:
    assert board.signals_by_category == {
        (FIN, RED): 2, (FIN, YELLOW): 1, (COLL, ORANGE): 2, (GOV, RED): 1}
    assert board.signals_by_age == {
        (SignalAge.UP_TO_30, RED): 1, (SignalAge.UP_TO_30, YELLOW): 1,
        (SignalAge.UP_TO_90, RED): 1, (SignalAge.UP_TO_90, ORANGE): 1,
        (SignalAge.UP_TO_180, ORANGE): 1, (SignalAge.OLDER, RED): 1}


def test_signal_drills_list_one_row_per_signal(store: LocalStore, team: Team) -> None:
    assert codes(store, team, Drill("signal_category", TODAY, category=FIN, severity=RED)) == [
        "L1", "L2"]  # W1's financial red is cleared
    assert codes(store, team, Drill("signal_age", TODAY, age=SignalAge.UP_TO_90,
                                    severity=ORANGE)) == ["W1"]
    assert codes(store, team, Drill("signal_age", TODAY, age=SignalAge.UP_TO_180,
                                    severity=ORANGE)) == ["U1"]
    rows = store.drill(Drill("signal_age", TODAY, age=SignalAge.UP_TO_30, severity=YELLOW))
    assert [(r.detail, r.on) for r in rows] == [("L1财务黄色", TODAY.replace(month=11))]


def test_classification_now_and_a_still_matrix(board: TeamDashboard) -> None:
    assert board.classifications == {N: 7, SM: 1, SUB: 1, DBT: 1}
    # Nothing moved on this laptop: everyone stayed where they are.
    assert board.migration == {(N, N): 7, (SM, SM): 1, (SUB, SUB): 1, (DBT, DBT): 1}


def test_workload(board: TeamDashboard, team: Team) -> None:
    load = {w.officer_id: (w.borrowers, w.visits_this_month, w.submitted,
                           w.average_days_to_submit, w.returns) for w in board.workload}
    assert load == {
        # V1 and the draft V3 are this month's; V1 (3 days), V2 (1) and V5 (8) were submitted
        # in the quarter; V5 came back in it (V4's return was in September).
        team.officers["li"]: (7, 2, 3, 4.0, 1),
        team.officers["wang"]: (2, 1, 1, 0.0, 1),
        UNASSIGNED: (1, 0, 0, None, 0),
    }


def test_workload_drills(store: LocalStore, team: Team) -> None:
    li = team.officers["li"]

    def visits(measure: Workload) -> list[str]:
        names = {v: k for k, v in team.visits.items()}
        rows = store.drill(Drill("workload", TODAY, START, END, officer_id=li, workload=measure))
        return sorted(names[r.visit_id] for r in rows if r.visit_id is not None)

    assert visits(Workload.VISITS_THIS_MONTH) == ["V1", "V3"]
    assert visits(Workload.SUBMITTED) == ["V1", "V2", "V5"]
    assert visits(Workload.RETURNS) == ["V5"]
    days = {r.visit_id: r.days_to_submit for r in store.drill(
        Drill("workload", TODAY, START, END, officer_id=li, workload=Workload.SUBMITTED))}
    assert sorted(days.values()) == [1, 3, 8]
    assert codes(store, team, Drill("workload", TODAY, START, END, officer_id=li,
                                    workload=Workload.BORROWERS)) == [f"L{i}" for i in range(1, 8)]
