"""The whole-bank dashboard's figures and the rows behind them (issue #15 item 1), counted in
the database against the hand-built bank of dashboard_helpers (on PostgreSQL when reachable,
else SQLite; test_hq_dashboard_api runs them on both through a server)."""

from __future__ import annotations

from typing import Any

import pytest
from dashboard_helpers import NOVEMBER, Q4, TODAY, build_bank
from hq_helpers import World

from inspector_app.domain.dashboard import DueBucket, GroupBy, SignalAge, Workload
from inspector_app.hq.context import Hq
from inspector_app.hq.dashboard import whole_bank_dashboard
from inspector_app.hq.dashboard_drill import Bar, bar_rows
from inspector_app.hq.dashboard_sql import Ask
from inspector_app.wire import Dashboard

FIGURES = ("overdue", "within_7", "within_30", "borrowers", "visits_this_month", "submitted",
           "average_days_to_submit", "returns")


@pytest.fixture
def bank(hq: Hq, world: World) -> dict[str, str]:
    return build_bank(hq.db.engine, world)


def _rows(board: Dashboard) -> dict[str, tuple[Any, ...]]:
    return {r.name or "-": tuple(getattr(r, f) for f in FIGURES) for r in board.rows}


def test_per_officer_with_team_branch_and_the_bank_total(hq: Hq, world: World,
                                                          bank: dict[str, str]) -> None:
    board = whole_bank_dashboard(hq.db, Ask(TODAY, *Q4))
    assert _rows(board) == {
        "李明": (1, 0, 0, 1, 1, 2, 3.5, 1),
        "陈静": (0, 1, 0, 1, 1, 0, None, 0),
        "王芳": (0, 0, 1, 1, 1, 2, 2.0, 0),
        "-": (1, 0, 0, 1, 0, 0, None, 0),  # C004, nobody's
    }
    by_name = {r.name: r for r in board.rows}
    assert (by_name["李明"].team, by_name["李明"].branch) == ("张主任", "城东支行")
    assert (by_name["王芳"].team, by_name["王芳"].branch) == ("赵主任", "城西支行")
    assert by_name["李明"].key == world.users["off_a"]
    assert tuple(getattr(board.total, f) for f in FIGURES) == (2, 1, 1, 4, 3, 4, 2.75, 1)
    assert {(c.key, c.severity): c.count for c in board.signals_by_category} == {
        ("financial", "red"): 1, ("collateral", "orange"): 1, ("financial", "yellow"): 1}
    assert {(c.key, c.severity): c.count for c in board.signals_by_age} == {
        ("0-30", "red"): 1, ("0-30", "orange"): 1, ("91-180", "yellow"): 1}
    assert {c.classification: c.count for c in board.classifications} == {
        "special_mention": 1, "normal": 2, "substandard": 1}
    assert {(m.start, m.end): m.count for m in board.migration} == {
        ("normal", "special_mention"): 1, ("normal", "normal"): 2,
        ("substandard", "substandard"): 1}
    assert {(o.kind, o.key) for o in board.options} == {
        ("branch", "B01"), ("branch", "B02"), ("team", "sup1"), ("team", "sup2")}


def test_per_team_and_per_branch(hq: Hq, world: World, bank: dict[str, str]) -> None:
    teams = whole_bank_dashboard(hq.db, Ask(TODAY, *Q4, GroupBy.TEAM))
    assert _rows(teams) == {"张主任": (1, 1, 0, 2, 2, 2, 3.5, 1),
                            "赵主任": (0, 0, 1, 1, 1, 2, 2.0, 0),
                            "-": (1, 0, 0, 1, 0, 0, None, 0)}
    assert {r.name: r.branch for r in teams.rows} == {"张主任": "城东支行", "赵主任": "城西支行",
                                                      "": ""}
    branches = whole_bank_dashboard(hq.db, Ask(TODAY, *Q4, GroupBy.BRANCH))
    assert _rows(branches) == {"城东支行": (1, 1, 0, 2, 2, 2, 3.5, 1),
                               "城西支行": (0, 0, 1, 1, 1, 2, 2.0, 0),
                               "-": (1, 0, 0, 1, 0, 0, None, 0)}
    assert branches.total == teams.total


def test_a_branch_or_a_team_alone(hq: Hq, world: World, bank: dict[str, str]) -> None:
    b02 = whole_bank_dashboard(hq.db, Ask(TODAY, *Q4, branch_id=_branch(hq, "B02")))
    assert _rows(b02) == {"王芳": (0, 0, 1, 1, 1, 2, 2.0, 0)}
    assert {(c.key, c.severity): c.count for c in b02.signals_by_category} == {
        ("financial", "yellow"): 1}
    assert {c.classification: c.count for c in b02.classifications} == {"substandard": 1}
    assert {(m.start, m.end): m.count for m in b02.migration} == {
        ("substandard", "substandard"): 1}
    team1 = whole_bank_dashboard(hq.db, Ask(TODAY, *Q4, team_id=world.users["sup1"]))
    assert set(_rows(team1)) == {"李明", "陈静"}
    assert {(c.key, c.severity): c.count for c in team1.signals_by_age} == {
        ("0-30", "red"): 1, ("0-30", "orange"): 1}
    assert team1.options == []  # a team is as narrow as it gets


def test_the_migration_matrix_reads_both_ends_of_the_period(hq: Hq, world: World,
                                                            bank: dict[str, str]) -> None:
    november = whole_bank_dashboard(hq.db, Ask(TODAY, *NOVEMBER))
    assert {(m.start, m.end): m.count for m in november.migration} == {
        ("normal", "special_mention"): 1, ("special_mention", "normal"): 1,
        ("substandard", "substandard"): 1, ("normal", "normal"): 1}
    # Submissions and returns follow the period too: November has v2 (off_a) only.
    assert {r.name: (r.submitted, r.returns) for r in november.rows if r.submitted} == {
        "李明": (1, 1)}


def _branch(hq: Hq, code: str) -> str:
    from sqlalchemy import select

    from inspector_app.hq.models import Branch

    with hq.db.read() as s:
        return s.scalars(select(Branch.id).where(Branch.code == code)).one()


def _codes(hq: Hq, bar: Bar, ask: Ask | None = None, **page: int) -> list[str]:
    rows = bar_rows(hq.db, ask or Ask(TODAY, *Q4), bar, page.get("offset", 0),
                    page.get("limit", 100))
    return [r.borrower_code for r in rows.rows]


def test_every_bar_opens_the_rows_it_counts(hq: Hq, world: World,
                                            bank: dict[str, str]) -> None:
    u = world.users
    assert _codes(hq, Bar("due", u["off_a"], due=DueBucket.OVERDUE)) == ["C001"]
    assert _codes(hq, Bar("due", "", due=DueBucket.OVERDUE)) == ["C004"]
    assert _codes(hq, Bar("due", None, due=DueBucket.OVERDUE)) == ["C001", "C004"]
    assert _codes(hq, Bar("due", u["sup1"], due=DueBucket.WITHIN_7),
                  Ask(TODAY, *Q4, GroupBy.TEAM)) == ["C002"]
    assert _codes(hq, Bar("classification", classification="normal")) == ["C004", "C002"]
    assert _codes(hq, Bar("migration", classification="normal",
                          to_classification="special_mention")) == ["C001"]
    assert _codes(hq, Bar("migration", classification="special_mention",
                          to_classification="normal"), Ask(TODAY, *NOVEMBER)) == ["C002"]
    signals = bar_rows(hq.db, Ask(TODAY, *Q4), Bar("signal_age", age=SignalAge.UP_TO_30,
                                                   severity="red"), 0, 100)
    assert [(r.borrower_code, r.detail, r.on) for r in signals.rows] == [
        ("C001", "信号s1", TODAY.replace(day=1))]
    assert _codes(hq, Bar("signal_category", category="financial")) == ["C003", "C001"]
    visits = bar_rows(hq.db, Ask(TODAY, *Q4), Bar("workload", u["off_a"],
                                                  workload=Workload.SUBMITTED), 0, 100)
    assert [(r.visit_id, r.days_to_submit, r.visit_status, r.visit_kind) for r in visits.rows] \
        == [(bank["v2"], 5, "returned", "routine"), (bank["v1"], 2, "submitted", "routine")]
    assert _codes(hq, Bar("workload", u["off_a"], workload=Workload.RETURNS)) == ["C001"]
    assert _codes(hq, Bar("workload", u["off_b"], workload=Workload.VISITS_THIS_MONTH)) \
        == ["C003"]
    assert _codes(hq, Bar("workload", "", workload=Workload.BORROWERS)) == ["C004"]


def test_rows_come_a_page_at_a_time_with_their_total(hq: Hq, world: World,
                                                     bank: dict[str, str]) -> None:
    bar = Bar("due", None, due=DueBucket.OVERDUE)
    first = bar_rows(hq.db, Ask(TODAY, *Q4), bar, 0, 1)
    assert ([r.borrower_code for r in first.rows], first.total, first.next_offset) == \
        (["C001"], 2, 1)
    second = bar_rows(hq.db, Ask(TODAY, *Q4), bar, 1, 1)
    assert ([r.borrower_code for r in second.rows], second.total, second.next_offset) == \
        (["C004"], 2, None)
    # Within a scope, the other branch's borrower is not behind the bar.
    assert _codes(hq, bar, Ask(TODAY, *Q4, branch_id=_branch(hq, "B01"))) == ["C001"]
