"""GET /api/v1/dashboard and /dashboard/rows (issue #15 item 1) over the hand-built bank of
dashboard_helpers, on SQLite and on PostgreSQL: an administrator reads the whole bank, per
officer, team or branch and narrowed to a branch or team, and the rows behind a bar a page at
a time; a supervisor their own team only (anything else 403); an officer nothing (403); a
backwards period, an unknown branch or a bar without its keys 422."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dashboard_helpers import Q4, TODAY, build_bank
from hq_helpers import World, register
from pg_probe import postgres, schema_name
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool
from test_hq_lifecycle import _fill

from inspector_app.hq.app import create_app, open_hq
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.wire import API

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PERIOD = {"start": Q4[0].isoformat(), "end": Q4[1].isoformat(), "today": TODAY.isoformat()}


@dataclass
class Bank:
    client: TestClient
    world: World
    devices: dict[str, dict[str, str]]

    def get(self, who: str, path: str = "", **params: Any) -> Any:
        return self.client.get(f"{API}/dashboard{path}", params={**PERIOD, **params},
                               headers=self.devices[who])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bank(request: pytest.FixtureRequest, world_snapshot: Any,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bank]:
    """The bank in a database of its own (PostgreSQL: a schema made here), served in-process."""
    root: Path = tmp_path_factory.mktemp("dashboard-api")
    admin_engine, schema = None, ""
    if request.param == "postgresql":
        base, label = postgres()
        if base is None:
            pytest.skip(label)
        schema = schema_name("dashboard")
        admin_engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{root / 'hq.sqlite3'}"
    try:
        engine = make_engine(url)
        upgrade_database(engine)
        engine.dispose()
        _fill(url, world_snapshot)
        hq = open_hq(url, root / "blobs")
        world = world_snapshot.world
        build_bank(hq.db.engine, world)
        with TestClient(create_app(hq)) as client:
            devices = {who: register(client, who) for who in ("admin", "sup1", "off_a")}
            yield Bank(client, world, devices)
        hq.db.dispose()
    finally:
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin_engine.dispose()


def _by_name(body: dict[str, Any], *figures: str) -> dict[str, tuple[Any, ...]]:
    return {r["name"] or "-": tuple(r[f] for f in figures) for r in body["rows"]}


def test_an_administrator_reads_the_whole_bank(bank: Bank) -> None:
    r = bank.get("admin")
    assert r.status_code == 200, r.text
    body = r.json()
    assert _by_name(body, "overdue", "within_7", "within_30", "submitted",
                    "average_days_to_submit", "team") == {
        "李明": (1, 0, 0, 2, 3.5, "张主任"), "陈静": (0, 1, 0, 0, None, "张主任"),
        "王芳": (0, 0, 1, 2, 2.0, "赵主任"), "-": (1, 0, 0, 0, None, "")}
    assert (body["total"]["borrowers"], body["total"]["returns"]) == (4, 1)
    assert {(m["start"], m["end"]): m["count"] for m in body["migration"]} == {
        ("normal", "special_mention"): 1, ("normal", "normal"): 2,
        ("substandard", "substandard"): 1}
    branches = bank.get("admin", group="branch").json()
    assert _by_name(branches, "borrowers") == {"城东支行": (2,), "城西支行": (1,), "-": (1,)}
    team2 = bank.get("admin", team="sup2").json()
    assert _by_name(team2, "borrowers") == {"王芳": (1,)}
    assert (team2["team"], team2["options"]) == ("sup2", [])


def test_the_rows_behind_a_bar_a_page_at_a_time(bank: Bank) -> None:
    off_a = bank.world.users["off_a"]
    r = bank.get("admin", "/rows", chart="due", due="overdue", key=off_a)
    assert r.status_code == 200, r.text
    assert [(x["borrower_code"], x["officer"], x["classification"]) for x in r.json()["rows"]] \
        == [("C001", "李明", "special_mention")]
    first = bank.get("admin", "/rows", chart="due", due="overdue", limit=1).json()
    assert ([x["borrower_code"] for x in first["rows"]], first["total"], first["next_offset"]) \
        == (["C001"], 2, 1)
    second = bank.get("admin", "/rows", chart="due", due="overdue", offset=1, limit=1).json()
    assert ([x["borrower_code"] for x in second["rows"]], second["next_offset"]) == \
        (["C004"], None)
    cell = bank.get("admin", "/rows", chart="migration", classification="normal",
                    to_classification="special_mention").json()
    assert [x["borrower_code"] for x in cell["rows"]] == ["C001"]
    visits = bank.get("admin", "/rows", chart="workload", workload="submitted", key=off_a).json()
    assert [(x["on"], x["days_to_submit"]) for x in visits["rows"]] == \
        [("2026-11-20", 5), ("2026-12-02", 2)]


def test_a_supervisor_reads_their_own_team_only(bank: Bank) -> None:
    r = bank.get("sup1")
    assert r.status_code == 200, r.text
    assert set(_by_name(r.json(), "borrowers")) == {"李明", "陈静"}
    assert r.json()["options"] == []
    assert bank.get("sup1", team="sup1").status_code == 200
    for params in ({"team": "sup2"}, {"branch": "B02"}, {"branch": "B01"}):
        refused = bank.get("sup1", **params)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden"), params
    # off_b's borrower is not behind any of the team's bars.
    rows = bank.get("sup1", "/rows", chart="due", due="within_30").json()
    assert rows["rows"] == [] and rows["total"] == 0
    refused = bank.get("sup1", "/rows", chart="due", due="within_30", team="sup2")
    assert refused.status_code == 403


def test_an_officer_is_refused(bank: Bank) -> None:
    for path, params in (("", {}), ("/rows", {"chart": "due", "due": "overdue"})):
        r = bank.get("off_a", path, **params)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
        assert "administrator" in r.json()["message"]
    r = bank.client.get(f"{API}/dashboard", params=PERIOD)
    assert r.status_code == 401


def test_what_cannot_be_answered_is_422(bank: Bank) -> None:
    cases = [
        ("", {"start": "2026-12-31", "end": "2026-10-01"}, "invalid_period"),
        ("", {"today": "9999-12-31"}, "invalid_period"),
        ("", {"branch": "B99"}, "unknown_scope"),
        ("", {"team": "off_a"}, "unknown_scope"),  # an officer leads no team
        ("", {"group": "region"}, "invalid_request"),
        ("/rows", {"chart": "migration", "classification": "normal"}, "missing_filter"),
        ("/rows", {"chart": "due"}, "missing_filter"),
        ("/rows", {"chart": "due", "due": "overdue", "limit": 0}, "invalid_request"),
    ]
    for path, params, code in cases:
        r = bank.get("admin", path, **params)
        assert (r.status_code, r.json()["code"]) == (422, code), (params, r.text)
