"""GET /api/v1/audit (issue #15 item 4) against a real `inspector-hq serve` process, on SQLite
and on PostgreSQL: an administrator's device reads the hand-built trail (audit_trail_helpers)
with every filter case, page by page with the cursor; an officer's or a supervisor's device
gets 403; a filter that names nothing, or a moment without a UTC offset, gets 422."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from audit_trail_helpers import CASES, NAMES, V1, build_trail, day_bounds
from hq_helpers import PASSWORD
from pg_probe import postgres, schema_name
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool
from test_hq_lifecycle import _fill
from test_hq_server_process import free_port, wait_until_up

from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.wire import API


@dataclass
class Server:
    http: httpx.Client
    devices: dict[str, dict[str, str]]  # username -> headers
    trail: dict[str, int]  # label -> entry id

    def audit(self, who: str = "admin", **params: Any) -> httpx.Response:
        return self.http.get(f"{API}/audit", params=params, headers=self.devices[who])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, world_snapshot: Any,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per database for the module, in a database of its own (a PostgreSQL schema
    made here: the tests' shared one is emptied by each function-scoped test)."""
    root = tmp_path_factory.mktemp("audit-server")
    admin_engine, schema = None, ""
    if request.param == "postgresql":
        base, label = postgres()
        if base is None:
            pytest.skip(label)
        schema = schema_name("audit")
        admin_engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{root / 'hq.sqlite3'}"
    proc = None
    try:
        engine = make_engine(url)
        upgrade_database(engine)
        engine.dispose()
        _fill(url, world_snapshot)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = root / "server.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "inspector_app.hq.cli", "serve", "--db", url,
                 "--blobs", str(root / "blobs"), "--port", str(port), "--workers", "1",
                 "--log-level", "warning"], stdout=out, stderr=subprocess.STDOUT)
        wait_until_up(base_url, proc, log)
        with httpx.Client(base_url=base_url, timeout=60) as http:
            devices = {}
            for who in ("admin", "sup1", "off_a"):
                r = http.post(f"{API}/devices/register", json={
                    "username": who, "password": PASSWORD, "device_name": "笔记本"})
                assert r.status_code == 200, r.text
                devices[who] = {"Authorization": f"Bearer {r.json()['token']}"}
            # The registrations' own entries go: the trail is exactly the hand-built one.
            engine = make_engine(url)
            world = world_snapshot.world
            trail = build_trail(engine, world.users, world.borrowers)
            engine.dispose()
            yield Server(http, devices, trail)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin_engine.dispose()
        shutil.rmtree(root / "blobs", ignore_errors=True)


def _params(options: dict[str, str]) -> dict[str, str]:
    """A case's CLI options as the endpoint's query: local days as moments with an offset."""
    params = {k: NAMES.get(v, v) for k, v in options.items() if k not in ("from", "to")}
    since, until = day_bounds(options)
    if since is not None:
        params["since"] = since.isoformat()
    if until is not None:
        params["until"] = until.isoformat()
    return params


def _all_pages(server: Server, limit: int, **params: Any) -> tuple[list[int], int]:
    ids: list[int] = []
    pages, cursor = 0, None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        r = server.audit(**query)
        assert r.status_code == 200, r.text
        body = r.json()
        ids += [e["id"] for e in body["entries"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_an_administrator_reads_each_filter_case(server: Server) -> None:
    label = {v: k for k, v in server.trail.items()}
    for options, expected in CASES:
        r = server.audit(**_params(options), limit=100)
        assert r.status_code == 200, (options, r.text)
        assert [label[e["id"]] for e in r.json()["entries"]] == expected, options


def test_the_cursor_pages_through_the_trail(server: Server) -> None:
    ids, pages = _all_pages(server, 3)
    assert ids == sorted(server.trail.values(), reverse=True) and pages == 3
    ids, pages = _all_pages(server, 2, borrower="C001")
    assert ids == [server.trail[x] for x in ("e5", "e4", "e3", "e2", "e1")] and pages == 3


def test_an_entry_comes_with_its_borrower_visit_and_detail(server: Server) -> None:
    entry = server.audit(action="signal.follow_up").json()["entries"][0]
    assert entry["borrower_code"] == "C001" and entry["visit_id"] == V1
    assert entry["actor"] == "sup1" and entry["detail"]["reason"].startswith("已催收")
    assert entry["at"].endswith(("Z", "+00:00"))


@pytest.mark.parametrize("who", ["off_a", "sup1"])
def test_officers_and_supervisors_are_refused(server: Server, who: str) -> None:
    r = server.audit(who)
    assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
    assert "administrator" in r.json()["message"]
    assert server.audit(who, user="off_a").status_code == 403


def test_no_token_is_401(server: Server) -> None:
    assert server.http.get(f"{API}/audit").status_code == 401


@pytest.mark.parametrize(("params", "code"), [
    ({"user": "nobody"}, "unknown_filter"),
    ({"borrower": "C999"}, "unknown_filter"),
    ({"visit": "no-such-visit"}, "unknown_filter"),
    ({"action": "visit.delete"}, "unknown_filter"),
    ({"since": "2026-12-03T00:00:00+08:00", "until": "2026-12-02T00:00:00+08:00"},
     "unknown_filter"),
    ({"since": "2026-12-03T00:00:00"}, "invalid_since"),
    ({"until": "2026-12-03"}, "invalid_until"),
    ({"cursor": "999999"}, "unknown_filter"),
    ({"limit": "0"}, "invalid_request"),
    ({"cursor": str(2**63)}, "invalid_request"),
])
def test_a_bad_filter_is_422_saying_why(server: Server, params: dict[str, str],
                                        code: str) -> None:
    r = server.audit(**params)
    assert r.status_code == 422 and r.json()["code"] == code, r.text
    assert " / " in r.json()["message"]
