"""A supervisor's decision as issue #11 has it: the classification confirmed (with the reason
when it differs from the officer's), comments on single items of a returned visit, when the
supervisor decided (besides when headquarters received it); never on their own visit, never
pointing at what the visit does not have, never from the future.

World (hq_helpers.build_world): team 1 = sup1 with off_a (C001) and off_c (C002).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, upload, visit_push
from sqlalchemy import func, select, update

from inspector_app.domain.enums import Role
from inspector_app.hq import review as review_module
from inspector_app.hq.context import Hq
from inspector_app.hq.db import make_engine
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import AuditEntry, Review, User
from inspector_app.wire import API, ReviewRecord

PHOTO_BYTES = b"photo of the stock"
PHOTO = hashlib.sha256(PHOTO_BYTES).hexdigest()
SIGNAL_ID = "5f0c6a8e-0000-4000-8000-000000000001"
COLLATERAL_ID = "7d1e2f3a-0000-4000-8000-000000000002"
EVERY_TARGET = [{"target": "answer", "ref": "R-WIL-01", "text": "请说明“是”的依据"},
                {"target": "photo", "ref": PHOTO, "text": "照片看不清库存标签"},
                {"target": "observation", "ref": COLLATERAL_ID, "text": "未核对产权证"},
                {"target": "signal", "ref": SIGNAL_ID, "text": "库存积压应为红色"}]


def submitted_visit(world: World, *, officer: str = "off_a", borrower: str = "C001",
                    final: str | None = None, recommended: str | None = "special_mention"
                    ) -> dict[str, Any]:
    """A submitted visit with an answer, a photo, an observation and a signal to comment on."""
    body = visit_push(world.users[officer], world.borrowers[borrower], status="submitted",
                      photos=[(PHOTO, len(PHOTO_BYTES))])
    v = body["visit"]
    v["recommended_classification"] = recommended
    v["final_classification"] = final
    if final is not None:
        v["override_reason"] = "销售回款下降"
    v["observations"] = [{"id": str(uuid.uuid4()), "collateral_item_id": COLLATERAL_ID,
                          "status": "present",
                          "found_item": {"kind": "warehouse_stock", "description": "库存",
                                         "appraised_value_fen": 100_000_00}}]
    v["signals"] = [{"id": SIGNAL_ID, "category": "operational", "severity": "orange",
                     "source": "checklist", "title": "库存积压", "status": "raised",
                     "raised_on": "2026-11-20"}]
    return body


@pytest.fixture
def team(client, world: World) -> dict[str, dict[str, str]]:
    """Devices of off_a and sup1; the photo the visits refer to is uploaded."""
    a = register(client, "off_a")
    upload(client, a, PHOTO_BYTES)
    return {"off_a": a, "sup1": register(client, "sup1")}


@pytest.fixture(autouse=True)
def _signing(sign: Any) -> Iterator[None]:
    """push() gives a visit that says signed its officer's signed report (issue #12)."""
    global _SIGN
    _SIGN = sign
    yield
    _SIGN = None


_SIGN: Any = None


def push(client, headers: dict[str, str], body: dict[str, Any]) -> str:
    _SIGN(body, headers)
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text
    return str(body["visit"]["id"])


def review(client, headers: dict[str, str], visit_id: str, **body: Any):
    return client.post(f"{API}/visits/{visit_id}/review", json=body, headers=headers)


def stored_reviews(hq: Hq) -> int:
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(Review)) or 0


def refused(r: Any, status: int, code: str) -> dict[str, Any]:
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    body: dict[str, Any] = r.json()
    assert " / " in body["message"]  # 中文 / English
    return body


# --- item 1: what a decision carries ------------------------------------------------------


def test_an_approval_carries_the_classification_its_reason_and_both_times(
        client, hq: Hq, world: World, team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    decided = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    r = review(client, team["sup1"], visit_id, decision="approved", comment="同意",
               final_classification="substandard", classification_reason="抵押物价值不足",
               decided_at=decided.isoformat())
    assert r.status_code == 201, r.text
    record = ReviewRecord.model_validate(r.json())
    assert (record.final_classification, record.classification_reason) == (
        "substandard", "抵押物价值不足")
    assert record.decided_at == decided and record.comments == []
    with hq.db.read() as s:
        row = s.scalars(select(Review)).one()
    # Received now, decided three hours earlier on the laptop.
    assert row.received_at - decided > timedelta(hours=2, minutes=59)
    assert row.decided_at == decided

    # The officer pulls it as it was answered; the visit's record says the same.
    [change] = [c for c in pull_all(client, team["off_a"])[1] if c["entity"] == "review"]
    assert ReviewRecord.model_validate(change["data"]) == record
    stored = client.get(f"{API}/visits/{visit_id}", headers=team["sup1"]).json()
    assert ReviewRecord.model_validate(stored["review"]) == record
    with hq.db.read() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "visit.review"))
    assert entry.detail["final_classification"] == "substandard"
    assert entry.detail["decided_at"] == decided.isoformat()


def test_an_approval_without_a_classification_confirms_the_officers(
        client, world: World, team: dict[str, dict[str, str]]) -> None:
    recommended = push(client, team["off_a"], submitted_visit(world))
    overridden = push(client, team["off_a"], submitted_visit(world, final="substandard"))
    before = datetime.now(UTC)
    r = review(client, team["sup1"], recommended, decision="approved")
    assert r.status_code == 201, r.text
    assert r.json()["final_classification"] == "special_mention"
    assert datetime.fromisoformat(r.json()["decided_at"]) >= before - timedelta(seconds=1)
    r = review(client, team["sup1"], overridden, decision="approved")
    assert r.json()["final_classification"] == "substandard"


def test_a_return_carries_its_item_comments_to_the_officer(
        client, world: World, team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    r = review(client, team["sup1"], visit_id, decision="returned", comment="请补充后重新提交",
               comments=EVERY_TARGET)
    assert r.status_code == 201, r.text
    assert r.json()["comments"] == EVERY_TARGET and r.json()["final_classification"] is None
    [change] = [c for c in pull_all(client, team["off_a"])[1] if c["entity"] == "review"]
    assert change["data"]["comments"] == EVERY_TARGET
    # The same return again (a lost answer) is the same answer, not a second decision.
    again = review(client, team["sup1"], visit_id, decision="returned",
                   comment="请补充后重新提交", comments=EVERY_TARGET)
    assert again.status_code == 201 and again.json() == r.json()


def test_reviews_stored_before_keep_their_time_as_received(tmp_path: Path) -> None:
    """Migration 0005 on a database with a review: received_at is its decided_at, no item
    comments, no classification."""
    path = tmp_path / "hq.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine, "0004")
    engine.dispose()
    at = "2026-11-20 08:30:00"
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                     "active, created_at, updated_at, version) VALUES "
                     "('u1', 'sup1', '张主任', 'supervisor', 'x', 1, ?, ?, 1)", (at, at))
        conn.execute("INSERT INTO borrowers (id, code, name, kind, industry, id_number, "
                     "legal_representative, address, phone, created_at, updated_at, version) "
                     "VALUES ('b1', 'C001', '恒达', 'company', 'manufacturing', '91', '', '', "
                     "'', ?, ?, 1)", (at, at))
        conn.execute("INSERT INTO visits (id, borrower_id, officer_id, status, revision, "
                     "visit_date, version, payload, payload_sha256, created_at, updated_at) "
                     "VALUES ('v1', 'b1', 'u1', 'returned', 1, '2026-11-20', 1, '{}', 'x', ?, ?)",
                     (at, at))
        conn.execute("INSERT INTO reviews (id, visit_id, visit_version, reviewer_id, decision, "
                     "comment, decided_at, version) VALUES ('r1', 'v1', 1, 'u1', 'returned', "
                     "'补充照片', ?, 1)", (at,))
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade_database(engine)
        with engine.connect() as conn:
            row = conn.execute(select(Review.__table__)).one()
    finally:
        engine.dispose()
    assert row.received_at == row.decided_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert (row.comments, row.classification_reason, row.final_classification) == ([], "", None)


# --- item 2: what a decision may not be ---------------------------------------------------


def test_a_supervisor_never_reviews_their_own_visit(client, hq: Hq, world: World,
                                                   team: dict[str, dict[str, str]]) -> None:
    """off_a pushed a visit as an officer, then became a supervisor (heading a team with
    themselves in it, as a careless edit might leave it): their own visit is not theirs to
    review, approved, returned or countersigned."""
    visit_id = push(client, team["off_a"], submitted_visit(world))
    with hq.db.write() as s:
        s.execute(update(User).where(User.id == world.users["off_a"])
                  .values(role=Role.SUPERVISOR, supervisor_id=world.users["off_a"]))
    me = register(client, "off_a", device_name="升任后")
    for body in ({"decision": "approved"},
                 {"decision": "returned", "comment": "自己退回"},
                 {"decision": "approved", "report": {
                     "id": str(uuid.uuid4()), "stage": "countersigned", "sha256": "cd" * 32,
                     "size_bytes": 10, "lang": "zh", "signer_name": "李明",
                     "signed_at": datetime.now(UTC).isoformat()}}):
        body = refused(review(client, me, visit_id, **body), 403, "own_visit")
        assert "本人" in body["message"] and "your own visit" in body["message"]
    assert stored_reviews(hq) == 0
    # Back in sup1's team (and still a supervisor): sup1 may, off_a still may not.
    with hq.db.write() as s:
        s.execute(update(User).where(User.id == world.users["off_a"])
                  .values(supervisor_id=world.users["sup1"]))
    refused(review(client, me, visit_id, decision="approved"), 403, "own_visit")
    assert review(client, team["sup1"], visit_id, decision="approved").status_code == 201


def test_a_classification_other_than_the_officers_needs_a_reason(
        client, hq: Hq, world: World, team: dict[str, dict[str, str]]) -> None:
    # The officer overrode the recommendation (special mention) with substandard.
    visit_id = push(client, team["off_a"], submitted_visit(world, final="substandard"))
    for reason in ("", "   "):
        body = refused(review(client, team["sup1"], visit_id, decision="approved",
                              final_classification="special_mention",
                              classification_reason=reason), 422, "reason_required")
        assert body["detail"] == {"final_classification": "special_mention",
                                  "officer_classification": "substandard"}
        # In words, each language in its half; the codes are for IT, in the detail.
        zh, en = body["message"].split(" / ")
        assert "（关注）" in zh and "（次级）" in zh
        assert "(Special mention)" in en and "(Substandard)" in en
        assert "special_mention" not in body["message"] and "substandard" not in body["message"]
    refused(review(client, team["sup1"], visit_id, decision="approved",
                   final_classification="worse"), 422, "unknown_classification")
    assert stored_reviews(hq) == 0
    # The officer's own classification needs no reason.
    r = review(client, team["sup1"], visit_id, decision="approved",
               final_classification="substandard")
    assert r.status_code == 201 and r.json()["final_classification"] == "substandard"
    # On a visit with only a recommendation, that is the officer's classification.
    other = push(client, team["off_a"], submitted_visit(world))
    refused(review(client, team["sup1"], other, decision="approved",
                   final_classification="normal"), 422, "reason_required")
    r = review(client, team["sup1"], other, decision="approved",
               final_classification="normal", classification_reason="已还清逾期利息")
    assert r.status_code == 201 and r.json()["classification_reason"] == "已还清逾期利息"


def test_item_comments_must_point_at_what_the_visit_has(
        client, hq: Hq, world: World, team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    wrong = [{"target": "answer", "ref": "R-99", "text": "没有这一项"},
             {"target": "photo", "ref": "ef" * 32, "text": "没有这张照片"},
             # a real ref, but of another kind of target
             {"target": "observation", "ref": SIGNAL_ID, "text": "这是信号不是押品"},
             {"target": "signal", "ref": COLLATERAL_ID, "text": "这是押品不是信号"}]
    body = refused(review(client, team["sup1"], visit_id, decision="returned",
                          comment="请修改", comments=[*EVERY_TARGET, *wrong]),
                   422, "unknown_comment_target")
    assert body["detail"]["unknown"] == [{"target": c["target"], "ref": c["ref"]}
                                         for c in wrong]
    # How many, in words: item codes and photo hashes mean nothing to a supervisor.
    assert body["message"].startswith("有 4 条逐项意见指向该检查记录中没有的内容")
    assert not any(c["ref"] in body["message"] for c in wrong)
    assert stored_reviews(hq) == 0
    # A malformed target is the request's own problem.
    r = review(client, team["sup1"], visit_id, decision="returned", comment="请修改",
               comments=[{"target": "header", "ref": "place", "text": "地点不对"}])
    refused(r, 422, "invalid_request")


def test_classifications_go_with_approvals_and_item_comments_with_returns(
        client, hq: Hq, world: World, team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    refused(review(client, team["sup1"], visit_id, decision="returned", comment="退回",
                   final_classification="substandard", classification_reason="不足"),
            422, "classification_needs_approval")
    refused(review(client, team["sup1"], visit_id, decision="approved",
                   comments=EVERY_TARGET[:1]), 422, "comments_need_return")
    refused(review(client, team["sup1"], visit_id, decision="returned", comment=" ",
                   comments=EVERY_TARGET[:1]), 422, "comment_required")
    assert stored_reviews(hq) == 0


def test_a_decision_from_the_future_is_refused(client, hq: Hq, world: World,
                                              team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    now = datetime.now(UTC)
    for ahead in (timedelta(minutes=6), timedelta(days=1)):
        body = refused(review(client, team["sup1"], visit_id, decision="approved",
                              decided_at=(now + ahead).isoformat()), 422, "decided_in_future")
        assert "clock" in body["message"]
    refused(review(client, team["sup1"], visit_id, decision="approved",
                   decided_at="2026-11-20T10:00:00"), 422, "invalid_decided_at")
    assert stored_reviews(hq) == 0
    # A laptop clock a few minutes ahead is within the allowed skew; the time is kept as sent.
    ahead = (now + timedelta(minutes=4)).replace(microsecond=0)
    r = review(client, team["sup1"], visit_id, decision="approved",
               decided_at=ahead.astimezone(timezone(timedelta(hours=8))).isoformat())
    assert r.status_code == 201, r.text
    assert datetime.fromisoformat(r.json()["decided_at"]) == ahead


def test_a_second_conflicting_decision_says_what_stands(
        client, world: World, team: dict[str, dict[str, str]]) -> None:
    visit_id = push(client, team["off_a"], submitted_visit(world))
    decided = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    first = review(client, team["sup1"], visit_id, decision="returned", comment="补充库存照片",
                   comments=EVERY_TARGET[1:2], decided_at=decided.isoformat())
    assert first.status_code == 201
    for body in ({"decision": "approved"},
                 {"decision": "returned", "comment": "另一条意见"}):
        conflict = refused(review(client, team["sup1"], visit_id, **body), 409,
                           "already_reviewed")
        detail = conflict["detail"]
        assert datetime.fromisoformat(detail.pop("decided_at")) == decided
        assert detail == {"decision": "returned", "reviewer_name": "张主任",
                          "review_id": first.json()["id"], "comment": "补充库存照片"}


# --- item 5: the OpenAPI document lists the real error answers ----------------------------


def raised_codes(module: Path) -> set[tuple[int, str]]:
    """(status, code) of every ApiError a module raises by name, and its forbidden() and
    not_found() calls."""
    text = module.read_text(encoding="utf-8")
    codes = {(int(status), code) for status, code in
             re.findall(r'ApiError\(\s*(\d{3}),\s*"(\w+)"', text)}
    codes |= {(403, "forbidden")} if "forbidden(" in text else set()
    codes |= {(404, "not_found")} if "not_found(" in text else set()
    return codes


def documented(client, path: str, method: str) -> dict[int, str]:
    spec = client.get("/openapi.json").json()
    answers = spec["paths"][path][method]["responses"]
    out = {}
    for status, answer in answers.items():
        if status.startswith(("4", "5")):
            # An ErrorBody; a 422 may be FastAPI's own (InvalidRequestBody, an ErrorBody too).
            schema = answer["content"]["application/json"]["schema"]
            assert {"$ref": "#/components/schemas/ErrorBody"} in [schema, *schema.get(
                "anyOf", [])], (path, status)
            out[int(status)] = answer["description"]
    return out


def test_the_review_route_documents_each_error_it_answers(client) -> None:
    answers = documented(client, f"{API}/visits/{{visit_id}}/review", "post")
    assert set(answers) == {400, 401, 403, 404, 409, 413, 422}
    codes = raised_codes(Path(review_module.__file__)) | {
        (401, "unauthorized"), (403, "device_revoked"), (403, "user_inactive"),
        (422, "invalid_request")}
    assert {(409, "already_reviewed"), (403, "own_visit"), (422, "reason_required"),
            (422, "unknown_comment_target")} <= codes
    for status, code in sorted(codes):
        assert re.search(rf"\b{code}\b", answers[status]), (status, code)
