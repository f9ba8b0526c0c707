"""Headquarters owns the visit life cycle (issue #12, item 1), against a real `inspector-hq
serve` process, on SQLite and on PostgreSQL.

A push carries what the officer decides (content, completion, the signed report); the status
headquarters stores is derived from what it verified: "submitted" once a visit arrives with a
verified signed report, "approved"/"returned" only through a supervisor's review (which then
is the stored visit's status, in GET /visits/{id} and the feed). Illegal steps are refused with
409/422 and the reason; a returned visit comes back only as a new revision naming it.

World (hq_helpers.build_world): team 1 = sup1 with off_a (C001) and off_c (C002).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hq_helpers import PASSWORD, World, upload, visit_push
from sqlalchemy import text
from test_hq_server_process import free_port, wait_until_up
from test_hq_signed_reports import Reports, make_reports, named, report_record

from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import Base
from inspector_app.wire import API


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return make_reports(tmp_path_factory.mktemp("reports"))


def _sqlite_url(folder: Path) -> str:
    url = f"sqlite:///{folder / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


def _fill(url: str, snapshot: Any) -> None:
    """The session's world rows copied into the database at url."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if snapshot.rows[table.name]:
                conn.execute(table.insert(), snapshot.rows[table.name])
        if engine.dialect.name == "postgresql":
            for table, column in (("change_log", "seq"), ("audit_log", "id")):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                  f"'{column}'), (SELECT max({column}) FROM {table}))"))
    engine.dispose()


class Server:
    """Officer off_a's and supervisor sup1's devices on a running server."""

    def __init__(self, http: httpx.Client, world: World,
                 collateral: list[dict[str, Any]]) -> None:
        self.http = http
        self.world = world
        self.collateral = {c["borrower_id"]: c["id"] for c in collateral}  # one per borrower
        self.a = self.register("off_a")
        self.sup = self.register("sup1")

    def register(self, username: str) -> dict[str, str]:
        r = self.http.post(f"{API}/devices/register", json={
            "username": username, "password": PASSWORD, "device_name": "笔记本"})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def put(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return self.http.put(f"{API}/visits/{body['visit']['id']}", json=body,
                             headers=headers or self.a)

    def stored(self, visit_id: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.http.get(f"{API}/visits/{visit_id}", headers=headers or self.sup)

    def review(self, visit_id: str, **body: Any) -> httpx.Response:
        return self.http.post(f"{API}/visits/{visit_id}/review", json=body, headers=self.sup)

    def feed(self) -> dict[str, str]:
        """visit id -> status, as the supervisor's laptop reads the feed."""
        out: dict[str, str] = {}
        cursor, until = 0, None
        while True:
            params: dict[str, int] = {"cursor": cursor}
            if until is not None:
                params["until"] = until
            page = self.http.get(f"{API}/visits", params=params, headers=self.sup).json()
            out.update({v["visit"]["id"]: v["visit"]["status"] for v in page["visits"]})
            cursor, until = page["cursor"], page["until"]
            if not page["more"]:
                return out

    def signed_body(self, report: bytes, *, status: str = "signed") -> dict[str, Any]:
        sha = upload(self.http, self.a, report)
        return visit_push(self.world.users["off_a"], self.world.borrowers["C001"],
                          status=status, reports=[report_record(sha, report)],
                          visit_id=named(report))


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, template_db: Any,
           world_snapshot: Any, reports: Reports, tmp_path: Path) -> Iterator[Server]:
    if request.param == "postgresql":
        if template_db.kind != "postgresql":
            pytest.skip("no PostgreSQL reachable")
        url = template_db.url
    else:
        url = _sqlite_url(tmp_path)
    _fill(url, world_snapshot)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_app.hq.cli", "serve", "--db", url,
             "--blobs", str(tmp_path / "blobs"), "--port", str(port), "--workers", "1",
             "--trust-root", str(reports.ca.ca_cert_path), "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(base, proc, log)
        with httpx.Client(base_url=base, timeout=60) as http:
            yield Server(http, world_snapshot.world, world_snapshot.rows["collateral_items"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if request.param == "sqlite":
            shutil.rmtree(tmp_path / "blobs", ignore_errors=True)


# --- the attacks of issue #12 --------------------------------------------------------------


def test_a_push_saying_approved_is_not_an_approval(server: Server) -> None:
    """PUT with "status": "approved" and no review: refused with the reason; nothing the
    supervisor's laptop could show as approved."""
    body = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                      status="approved")
    r = server.put(body)
    assert r.status_code in (409, 422), r.text
    error = r.json()
    assert error["code"] in ("illegal_transition", "not_signed"), error
    assert " / " in error["message"]  # 中文 / English
    assert server.stored(body["visit"]["id"]).status_code == 404
    assert body["visit"]["id"] not in server.feed()


def test_a_signed_report_does_not_make_the_officer_the_reviewer(server: Server,
                                                                reports: Reports) -> None:
    """Signed with a verified report, but claiming "approved": still no approval without a
    review (409, and the visit is not stored as approved)."""
    body = server.signed_body(reports.certified, status="approved")
    r = server.put(body)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition", r.text
    assert "review" in r.json()["message"]
    stored = server.stored(body["visit"]["id"])
    assert stored.status_code == 404


def test_signed_without_a_signed_report_is_refused_and_cannot_be_approved(
        server: Server) -> None:
    body = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                      status="signed")
    r = server.put(body)
    assert r.status_code == 422 and r.json()["code"] == "not_signed", r.text
    assert " / " in r.json()["message"]
    approve = server.review(body["visit"]["id"], decision="approved")
    assert approve.status_code != 201, approve.text
    # Submitted is no better.
    body["visit"]["status"] = "submitted"
    assert server.put(body).status_code == 422


# --- what an honest laptop does, and what headquarters makes of it -------------------------


def test_a_signed_visit_is_stored_submitted_and_a_review_sets_its_status(
        server: Server, reports: Reports) -> None:
    body = server.signed_body(reports.certified)
    visit_id = body["visit"]["id"]
    r = server.put(body)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text
    stored = server.stored(visit_id).json()
    assert stored["visit"]["status"] == "submitted"
    assert server.feed()[visit_id] == "submitted"
    # The laptop marks it submitted on the confirmation and pushes again: the same document.
    body["visit"]["status"] = "submitted"
    again = server.put(body)
    assert again.status_code == 200 and again.json()["status"] == "unchanged", again.text
    version = again.json()["server_version"]

    decision = server.review(visit_id, decision="approved", comment="同意")
    assert decision.status_code == 201, decision.text
    stored = server.stored(visit_id).json()
    assert stored["visit"]["status"] == "approved"
    assert stored["review"]["decision"] == "approved"
    assert stored["server_version"] == version  # the officer's next push is no conflict
    assert server.stored(visit_id, server.a).json()["visit"]["status"] == "approved"
    # A laptop that had not pulled the decision yet pushes "submitted"; one that had,
    # "approved": both are the document headquarters holds.
    for status in ("submitted", "approved"):
        body["base_version"] = version
        body["visit"]["status"] = status
        r = server.put(body)
        assert r.status_code == 200 and r.json()["status"] == "unchanged", r.text
    # Nobody moves it back, nor to returned.
    for status, code in (("draft", 409), ("completed", 409), ("returned", 409)):
        body["visit"]["status"] = status
        r = server.put(body)
        assert r.status_code == code and r.json()["code"] == "illegal_transition", r.text
    assert server.stored(visit_id).json()["visit"]["status"] == "approved"


def test_a_submitted_visit_does_not_go_back_to_draft(server: Server, reports: Reports) -> None:
    body = server.signed_body(reports.certified)
    assert server.put(body).status_code == 200
    body["base_version"] = 1
    body["visit"]["status"] = "draft"
    r = server.put(body)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition", r.text
    assert "submitted" in r.json()["message"] and "draft" in r.json()["message"]
    assert server.stored(body["visit"]["id"]).json()["visit"]["status"] == "submitted"


def test_a_returned_visit_comes_back_only_as_its_next_revision(
        server: Server, reports: Reports) -> None:
    body = server.signed_body(reports.certified)
    old_id = body["visit"]["id"]
    assert server.put(body).status_code == 200
    decision = server.review(old_id, decision="returned", comment="请补充库存照片")
    assert decision.status_code == 201, decision.text
    assert server.stored(old_id).json()["visit"]["status"] == "returned"
    assert server.feed()[old_id] == "returned"

    # The returned visit itself, changed: refused.
    changed = copy.deepcopy(body)
    changed["base_version"] = 1
    changed["visit"]["general_note"] = "改过的结论"
    assert server.put(changed).status_code == 422

    def revision(**fields: Any) -> dict[str, Any]:
        new = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                         status="draft")
        new["visit"].update({"previous_revision_id": old_id, "revision": 2, **fields})
        return new

    wrong = [
        (revision(revision=3), 422, "revision"),
        (revision(revision=1), 422, "revision"),
        (revision(previous_revision_id=str(uuid.uuid4())), 422, "previous_revision_missing"),
        (revision(borrower_id=server.world.borrowers["C002"]), 403, None),
    ]
    for new, code, expected in wrong:
        r = server.put(new)
        assert r.status_code == code, (new["visit"], r.text)
        if expected is not None:
            assert expected in r.json()["code"] or expected in r.json()["message"], r.text
    # A later revision that names no previous one.
    orphan = visit_push(server.world.users["off_a"], server.world.borrowers["C001"])
    orphan["visit"]["revision"] = 2
    r = server.put(orphan)
    assert r.status_code == 422 and r.json()["code"] == "invalid_revision", r.text

    good = revision()
    r = server.put(good)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text
    assert server.stored(old_id).json()["visit"]["status"] == "returned"


def test_an_approved_visit_is_not_revised(server: Server, reports: Reports) -> None:
    body = server.signed_body(reports.certified)
    old_id = body["visit"]["id"]
    assert server.put(body).status_code == 200
    assert server.review(old_id, decision="approved").status_code == 201
    new = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                     status="draft")
    new["visit"].update({"previous_revision_id": old_id, "revision": 2})
    r = server.put(new)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition", r.text
    assert "approved" in r.json()["message"]


# --- a signed report is its own visit's, a visit is revised once, ownership first ----------


def test_another_visits_signed_report_does_not_sign_this_one(server: Server,
                                                             reports: Reports) -> None:
    """A verified report of one visit, pushed as another visit's signed report (or one that
    names no visit): refused, nothing stored. Before, any verified report made any visit
    of the officer's "signed"."""
    first = server.signed_body(reports.certified)
    assert server.put(first).status_code == 200
    for report in (first["visit"]["reports"][0], _uploaded(server, reports.unnamed())):
        other = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                           status="signed", reports=[report])
        r = server.put(other)
        assert r.status_code == 422 and r.json()["status"] == "rejected", r.text
        message = r.json()["message"]
        assert "not this visit's report" in message or "does not name its visit" in message
        assert " / " in message
        assert server.stored(other["visit"]["id"]).status_code == 404
    assert server.stored(first["visit"]["id"]).json()["visit"]["status"] == "submitted"


def _uploaded(server: Server, data: bytes) -> dict[str, Any]:
    return report_record(upload(server.http, server.a, data), data)


def test_a_returned_visit_is_revised_once(server: Server, reports: Reports) -> None:
    """A second revision of the same returned visit would fork its history: 409, as the
    laptop refuses to make one; the first revision goes on being pushed."""
    body = server.signed_body(reports.certified)
    old_id = body["visit"]["id"]
    assert server.put(body).status_code == 200
    assert server.review(old_id, decision="returned", comment="请补充").status_code == 201

    def revision() -> dict[str, Any]:
        new = visit_push(server.world.users["off_a"], server.world.borrowers["C001"],
                         status="draft")
        new["visit"].update({"previous_revision_id": old_id, "revision": 2})
        return new

    first, second = revision(), revision()
    assert server.put(first).status_code == 200
    r = server.put(second)
    assert r.status_code == 409 and r.json()["code"] == "already_revised", r.text
    assert first["visit"]["id"] in r.json()["message"] and " / " in r.json()["message"]
    assert server.stored(second["visit"]["id"]).status_code == 404
    first["base_version"] = 1
    first["visit"]["general_note"] = "补充了库存照片"
    r = server.put(first)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text


def test_a_push_for_another_officers_borrower_tells_nothing_of_its_collateral(
        server: Server) -> None:
    """Refused 403 whether the collateral item named is that borrower's or nobody's: the
    document was checked against the portfolio first, and 422 "unknown collateral" for a
    made-up id against 403 for the real one told off_a which items were off_c's."""
    answers = []
    for item_id in (server.collateral[server.world.borrowers["C002"]], str(uuid.uuid4())):
        body = visit_push(server.world.users["off_a"], server.world.borrowers["C002"],
                          status="draft")
        body["visit"]["observations"] = [{"id": str(uuid.uuid4()), "collateral_item_id": item_id,
                                          "status": "present"}]
        r = server.put(body)
        answers.append((r.status_code, r.json()["code"]))
    assert answers[0] == answers[1] and answers[0][0] == 403, answers
