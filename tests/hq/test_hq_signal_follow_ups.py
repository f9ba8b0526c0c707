"""Supervisors' follow-ups on warning signals (POST /signals/{id}/follow-ups): escalate to a
higher severity, reassign within the team, clear; once per client id; only the borrower's
officer's supervisor; pulled by the borrower's officer, their supervisor and a new officer.

World (hq_helpers.build_world): team 1 = sup1 with off_a (C001) and off_c (C002); team 2 =
sup2 with off_b (C003).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, visit_push
from sqlalchemy import select
from test_hq_review_decision import documented, raised_codes

from inspector_app.hq import signals as signals_module
from inspector_app.hq.context import Hq
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import AuditEntry, SignalEntry
from inspector_app.wire import API, SignalFollowUpRecord

SIGNAL = "0b5e0c1d-0000-4000-8000-00000000000a"


def with_signal(world: World, officer: str, borrower: str, *, severity: str = "orange",
                signal_id: str = SIGNAL, status: str = "submitted") -> dict[str, Any]:
    body = visit_push(world.users[officer], world.borrowers[borrower], status=status)
    body["visit"]["signals"] = [{
        "id": signal_id, "category": "operational", "severity": severity, "source": "checklist",
        "title": "库存积压", "status": "raised", "raised_on": "2026-11-20"}]
    return body


@pytest.fixture(autouse=True)
def _signing(sign: Any) -> Iterator[None]:
    """push() gives a visit that says signed its officer's signed report (issue #12)."""
    global _SIGN
    _SIGN = sign
    yield
    _SIGN = None


_SIGN: Any = None


def push(client, headers: dict[str, str], body: dict[str, Any]) -> int:
    _SIGN(body, headers)
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return int(r.json()["server_version"])


def follow_up(action: str, **kw: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "action": action, "reason": kw.pop("reason", "经营恶化"),
            "at": kw.pop("at", datetime.now(UTC).isoformat()), **kw}


def post(client, headers: dict[str, str], body: dict[str, Any], signal_id: str = SIGNAL):
    return client.post(f"{API}/signals/{signal_id}/follow-ups", json=body, headers=headers)


def code(r: Any) -> tuple[int, str]:
    return r.status_code, r.json()["code"]


@pytest.fixture
def devices(client, world: World) -> dict[str, dict[str, str]]:
    """Everyone's device; off_a's visit with the orange signal SIGNAL on C001 pushed."""
    d = {u: register(client, u) for u in ("off_a", "off_c", "off_b", "sup1", "sup2")}
    push(client, d["off_a"], with_signal(world, "off_a", "C001"))
    return d


def follow_ups_pulled(client, headers: dict[str, str]) -> list[dict[str, Any]]:
    return [c["data"] for c in pull_all(client, headers)[1] if c["entity"] == "signal_follow_up"]


def test_an_escalation_is_stored_once_and_reaches_the_officer_and_supervisor(
        client, hq: Hq, world: World, devices: dict[str, dict[str, str]]) -> None:
    body = follow_up("escalate", severity="red")
    r = post(client, devices["sup1"], body)
    assert r.status_code == 201, r.text
    record = SignalFollowUpRecord.model_validate(r.json())
    assert (record.signal_id, record.user_id, record.user_name, record.borrower_id) == (
        SIGNAL, world.users["sup1"], "张主任", world.borrowers["C001"])
    assert record.severity == "red" and record.at == datetime.fromisoformat(body["at"])
    # The same follow-up again (a lost answer): the same record, 200, nothing new.
    again = post(client, devices["sup1"], body)
    assert again.status_code == 200 and again.json() == r.json()
    # Its id used for something else: refused.
    assert code(post(client, devices["sup1"], {**body, "reason": "另一个理由"})) == (
        409, "follow_up_exists")

    assert follow_ups_pulled(client, devices["off_a"]) == [r.json()]
    assert follow_ups_pulled(client, devices["sup1"]) == [r.json()]
    for other in ("off_c", "off_b", "sup2"):
        assert follow_ups_pulled(client, devices[other]) == [], other
    with hq.db.read() as s:
        assert s.get(SignalEntry, SIGNAL).severity == "red"  # type: ignore[union-attr]
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "signal.follow_up"))
    assert entry.detail["severity"] == "red" and entry.entity_id == SIGNAL

    # Red is the top: no escalation beyond, nor back down.
    for severity in ("red", "orange", "yellow"):
        r = post(client, devices["sup1"], follow_up("escalate", severity=severity))
        assert code(r) == (422, "severity_not_higher") and r.json()["detail"] == {
            "severity": "red"}


def test_a_signal_is_reassigned_within_the_team_and_the_new_officer_hears_of_it(
        client, world: World, devices: dict[str, dict[str, str]]) -> None:
    for officer in ("off_b", "sup1", "sup2", "nobody"):
        r = post(client, devices["sup1"], follow_up(
            "reassign", officer_id=world.users.get(officer, "nobody")))
        assert code(r) == (422, "unknown_officer"), officer
    r = post(client, devices["sup1"], follow_up("reassign", officer_id=world.users["off_c"]))
    assert r.status_code == 201, r.text
    assert follow_ups_pulled(client, devices["off_c"]) == [r.json()]
    assert follow_ups_pulled(client, devices["off_a"]) == [r.json()]
    assert follow_ups_pulled(client, devices["off_b"]) == []
    # A later follow-up reaches the officer handling it too.
    cleared = post(client, devices["sup1"], follow_up("clear", reason="已处置"))
    assert cleared.status_code == 201
    assert [f["action"] for f in follow_ups_pulled(client, devices["off_c"])] == [
        "reassign", "clear"]


def test_a_cleared_signal_takes_no_more_follow_ups(
        client, world: World, devices: dict[str, dict[str, str]]) -> None:
    assert post(client, devices["sup1"], follow_up("clear", reason="已还款")).status_code == 201
    r = post(client, devices["sup1"], follow_up("escalate", severity="red"))
    assert code(r) == (409, "signal_cleared")


def test_only_the_borrowers_officers_supervisor_follows_up(
        client, hq: Hq, world: World, devices: dict[str, dict[str, str]]) -> None:
    body = follow_up("escalate", severity="red")
    assert code(post(client, devices["off_a"], body)) == (403, "forbidden")
    assert code(post(client, devices["sup2"], body)) == (404, "not_found")
    assert code(post(client, devices["sup1"], body, signal_id="no-such-signal")) == (
        404, "not_found")
    # An officer of another borrower pushing a visit with the same signal id does not take
    # the signal over.
    push(client, devices["off_b"], with_signal(world, "off_b", "C003", severity="yellow"))
    assert code(post(client, devices["sup2"], body)) == (404, "not_found")
    with hq.db.read() as s:
        row = s.get(SignalEntry, SIGNAL)
        assert row is not None and row.borrower_id == world.borrowers["C001"]
    assert post(client, devices["sup1"], body).status_code == 201


def test_a_follow_up_is_checked_before_anything_is_stored(
        client, hq: Hq, world: World, devices: dict[str, dict[str, str]]) -> None:
    now = datetime.now(UTC)
    cases = [
        (follow_up("escalate"), "severity_required"),
        (follow_up("escalate", severity="purple"), "severity_required"),
        (follow_up("clear", severity="red"), "severity_needs_escalate"),
        (follow_up("reassign"), "officer_required"),
        (follow_up("escalate", severity="red", officer_id=world.users["off_c"]),
         "officer_needs_reassign"),
        (follow_up("clear", reason="   "), "reason_required"),
        (follow_up("clear", reason=""), "invalid_request"),
        (follow_up("clear", reason="x" * 2001), "invalid_request"),
        (follow_up("freeze"), "invalid_request"),
        (follow_up("clear", at=(now + timedelta(minutes=6)).isoformat()), "at_in_future"),
        (follow_up("clear", at="2026-11-20T10:00:00"), "invalid_at"),
        ({**follow_up("clear"), "id": "x" * 37}, "invalid_request"),
    ]
    for body, expected in cases:
        r = post(client, devices["sup1"], body)
        assert code(r) == (422, expected), (body, r.text)
        assert " / " in r.json()["message"]
    assert follow_ups_pulled(client, devices["off_a"]) == []
    with hq.db.read() as s:
        assert s.get(SignalEntry, SIGNAL).followed_up_at is None  # type: ignore[union-attr]


def test_pushes_keep_the_index_and_never_undo_a_follow_up(
        client, hq: Hq, world: World, devices: dict[str, dict[str, str]]) -> None:
    # A draft: its signals come and go with each push.
    draft = with_signal(world, "off_a", "C001", signal_id="draft-signal", status="draft")
    version = push(client, devices["off_a"], draft)
    with hq.db.read() as s:
        assert s.get(SignalEntry, "draft-signal") is not None
    draft["visit"]["signals"][0]["severity"] = "red"
    draft["base_version"] = version
    version = push(client, devices["off_a"], draft)
    with hq.db.read() as s:
        assert s.get(SignalEntry, "draft-signal").severity == "red"  # type: ignore[union-attr]
    draft["visit"]["signals"] = []
    draft["base_version"] = version
    push(client, devices["off_a"], draft)
    with hq.db.read() as s:
        assert s.get(SignalEntry, "draft-signal") is None

    # Escalated at headquarters, then the officer's visit pushed again (a new version: with
    # its report in the other language besides): the escalation stands.
    assert post(client, devices["sup1"], follow_up("escalate", severity="red")).status_code == 201
    with hq.db.read() as s:
        row = s.get(SignalEntry, SIGNAL)
        assert row is not None
        visit_id = row.visit_id
    again = with_signal(world, "off_a", "C001", status="approved")
    stored = client.get(f"{API}/visits/{visit_id}", headers=devices["off_a"]).json()
    again["visit"] = stored["visit"]
    again["base_version"] = stored["server_version"]
    _SIGN(again, devices["off_a"], 1, again=True)
    assert push(client, devices["off_a"], again) == stored["server_version"] + 1
    with hq.db.read() as s:
        assert s.get(SignalEntry, SIGNAL).severity == "red"  # type: ignore[union-attr]


def test_signals_of_visits_stored_before_are_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "hq.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine, "0005")
    engine.dispose()
    at = "2026-11-20 08:30:00"
    signal = {"id": "s1", "severity": "orange", "status": "raised"}
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                     "active, created_at, updated_at, version) VALUES "
                     "('u1', 'off_a', '李明', 'officer', 'x', 1, ?, ?, 1)", (at, at))
        conn.execute("INSERT INTO borrowers (id, code, name, kind, industry, id_number, "
                     "legal_representative, address, phone, created_at, updated_at, version) "
                     "VALUES ('b1', 'C001', '恒达', 'company', 'manufacturing', '91', '', '', "
                     "'', ?, ?, 1)", (at, at))
        for vid, signals in (("v1", [signal]), ("v2", []), ("v3", [{**signal, "id": "s3"}])):
            conn.execute("INSERT INTO visits (id, borrower_id, officer_id, status, revision, "
                         "visit_date, version, payload, payload_sha256, created_at, "
                         "updated_at) VALUES (?, 'b1', 'u1', 'submitted', 1, '2026-11-20', 1, "
                         "?, 'x', ?, ?)", (vid, json.dumps({"signals": signals}), at, at))
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade_database(engine)
        with engine.connect() as conn:
            rows = {r.id: r for r in conn.execute(select(SignalEntry.__table__))}
    finally:
        engine.dispose()
    assert set(rows) == {"s1", "s3"}
    assert (rows["s1"].visit_id, rows["s1"].borrower_id, rows["s1"].severity,
            rows["s1"].status, rows["s1"].followed_up_at) == ("v1", "b1", "orange", "raised",
                                                              None)


def test_the_follow_up_route_documents_each_error_it_answers(client) -> None:
    answers = documented(client, f"{API}/signals/{{signal_id}}/follow-ups", "post")
    assert set(answers) == {400, 401, 403, 404, 409, 413, 422}
    codes = raised_codes(Path(signals_module.__file__)) | {
        (401, "unauthorized"), (403, "device_revoked"), (403, "user_inactive"),
        (422, "invalid_request")}
    for status, error in sorted(codes):
        assert error in answers[status], (status, error)
