"""A supervisor's approval by countersigning reaches headquarters: verified, kept once, pulled
by the officer; a tampered countersigned report or the wrong person is refused."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import World, pull_all, register, upload, visit_push
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select, update
from test_hq_signed_reports import (
    SIGNED_AT,
    TITLE_POSITION,
    Reports,
    make_reports,
    report_record,
)

from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.models import AuditEntry, ChangeLogEntry, ReportCheck, Review, User
from inspector_app.reports.signing import countersign_report, load_signer
from inspector_app.wire import API


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return make_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture
def settings(reports: Reports) -> HqSettings:
    return HqSettings(trust_roots=(reports.ca.ca_cert_path,))


def countersigned_record(data: bytes, sha: str) -> dict[str, Any]:
    record = report_record(sha, data, "countersigned")
    record["signer_name"] = "张主任"
    record["signed_at"] = (SIGNED_AT + timedelta(seconds=30)).astimezone(UTC).isoformat()
    return record


def signed_visit(client, world: World, reports: Reports) -> str:
    """off_a's visit, signed with the certified report, stored at headquarters."""
    a = register(client, "off_a")
    sha = upload(client, a, reports.certified)
    body = visit_push(world.users["off_a"], world.borrowers["C001"], status="signed",
                      reports=[report_record(sha, reports.certified)],
                      visit_id=reports.visit_id)
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 200, r.text
    return str(body["visit"]["id"])


def countersign(client, visit_id: str, headers: dict[str, str], data: bytes):
    sha = upload(client, headers, data)
    return client.post(f"{API}/visits/{visit_id}/review", headers=headers,
                       json={"decision": "approved", "report": countersigned_record(data, sha)})


def reviews_in(hq: Hq) -> tuple[int, int]:
    with hq.db.read() as s:
        return (s.scalar(select(func.count()).select_from(Review)) or 0,
                s.scalar(select(func.count()).select_from(ChangeLogEntry)
                         .where(ChangeLogEntry.entity == "review")) or 0)


def test_a_countersigned_approval_is_stored_once_and_the_officer_pulls_it(
        client, hq: Hq, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    first = countersign(client, visit_id, sup1, reports.countersigned)
    assert first.status_code == 201, first.text
    again = countersign(client, visit_id, sup1, reports.countersigned)
    assert again.status_code == 201 and again.json() == first.json()
    assert reviews_in(hq) == (1, 1)
    sha = first.json()["report"]["sha256"]
    assert first.json()["decision"] == "approved"

    a = register(client, "off_a", device_name="另一台")
    [review] = [ch for ch in pull_all(client, a)[1] if ch["entity"] == "review"]
    assert review["data"]["visit_id"] == visit_id
    assert review["data"]["report"]["sha256"] == sha
    assert review["data"]["report"]["stage"] == "countersigned"
    download = client.get(f"{API}/blobs/{sha}", headers=a)
    assert download.status_code == 200 and download.content == reports.countersigned
    stored = client.get(f"{API}/visits/{visit_id}", headers=a).json()
    assert stored["review"]["report"]["sha256"] == sha


def test_a_countersigned_report_not_uploaded_yet_is_answered_with_its_hash(
        client, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    sha = hashlib.sha256(reports.countersigned).hexdigest()
    r = client.post(f"{API}/visits/{visit_id}/review", headers=sup1, json={
        "decision": "approved", "report": countersigned_record(reports.countersigned, sha)})
    assert r.status_code == 422 and r.json()["detail"]["missing_blobs"] == [sha]


def painted_over(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    cover = writer.add_object(generic.StreamObject(
        stream_data=b"q 1 1 1 rg 50 745 500 40 re f Q"))
    writer.add_stream_to_page(0, cover)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_tampered_countersigned_report_is_refused_with_the_reason(
        client, hq: Hq, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")

    # Page content painted over after the countersignature: every digest still holds.
    r = countersign(client, visit_id, sup1, painted_over(reports.countersigned))
    assert r.status_code == 422 and r.json()["code"] == "rejected"
    assert "changed after signing" in r.json()["message"], r.text

    # A byte of the officer's signed part flipped: not the officer's report any more.
    data = bytearray(reports.countersigned)
    at = data.index(TITLE_POSITION) + len(b"1 0 0 1 ")
    data[at] = ord("9")
    r = countersign(client, visit_id, sup1, bytes(data))
    assert r.status_code == 422 and "not the officer's signed report" in r.json()["message"]

    # Only one signature: the officer's report sent back as if countersigned.
    r = countersign(client, visit_id, sup1, reports.certified)
    assert r.status_code == 422 and "not the officer's signed report" in r.json()["message"]
    assert reviews_in(hq) == (0, 0)

    # The genuine one still goes through afterwards.
    assert countersign(client, visit_id, sup1, reports.countersigned).status_code == 201


def test_only_a_supervisor_of_the_officers_team_may_countersign(
        client, hq: Hq, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    a = register(client, "off_a", device_name="另一台")
    r = countersign(client, visit_id, a, reports.countersigned)
    assert r.status_code == 403
    r = countersign(client, visit_id, register(client, "off_c"), reports.countersigned)
    assert r.status_code == 403
    # Another team's supervisor is answered as if the visit did not exist.
    r = countersign(client, visit_id, register(client, "sup2"), reports.countersigned)
    assert r.status_code == 404
    r = countersign(client, visit_id, register(client, "admin"), reports.countersigned)
    assert r.status_code == 403
    assert reviews_in(hq) == (0, 0)
    # A countersigned report only comes with an approval.
    sup1 = register(client, "sup1")
    sha = upload(client, sup1, reports.countersigned)
    r = client.post(f"{API}/visits/{visit_id}/review", headers=sup1, json={
        "decision": "returned", "comment": "补充照片",
        "report": countersigned_record(reports.countersigned, sha)})
    assert r.status_code == 422 and r.json()["code"] == "report_needs_approval"
    for bad in ({"sha256": "../../etc/passwd"}, {"stage": "signed"}):
        r = client.post(f"{API}/visits/{visit_id}/review", headers=sup1, json={
            "decision": "approved",
            "report": {**countersigned_record(reports.countersigned, sha), **bad}})
        assert r.status_code == 422 and r.json()["code"] == "invalid_report", r.text
    assert reviews_in(hq) == (0, 0)


def countersigned_again(reports: Reports, folder: Path) -> bytes:
    """The officer's report countersigned by sup1 a minute later: another valid file."""
    supervisor = load_signer(reports.ca.user("sup1").p12_path, reports.ca.user("sup1").password)
    countersign_report(reports.certified, folder / "again.pdf", supervisor,
                       signed_at=SIGNED_AT + timedelta(seconds=60))
    return (folder / "again.pdf").read_bytes()


def audit_actions(hq: Hq, action: str) -> list[AuditEntry]:
    with hq.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_plain_approval_countersigned_afterwards_carries_the_report_to_the_officer(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    visit_id = signed_visit(client, world, reports)
    a = register(client, "off_a", device_name="另一台")
    sup1 = register(client, "sup1")
    plain = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                        json={"decision": "approved"})
    assert plain.status_code == 201 and plain.json()["report"] is None
    cursor, changes = pull_all(client, a)
    [review] = [ch for ch in changes if ch["entity"] == "review"]
    assert review["data"]["report"] is None

    countersigned = countersign(client, visit_id, sup1, reports.countersigned)
    assert countersigned.status_code == 201, countersigned.text
    sha = hashlib.sha256(reports.countersigned).hexdigest()
    body = countersigned.json()
    assert (body["id"], body["decision"], body["reviewer_name"]) == (
        plain.json()["id"], "approved", "张主任")
    assert body["decided_at"] == plain.json()["decided_at"]
    assert body["report"]["sha256"] == sha
    assert reviews_in(hq) == (1, 2)  # the same review, a new version of it in the change log
    [entry] = audit_actions(hq, "visit.countersign")
    assert entry.entity_id == visit_id and entry.actor == "sup1"
    assert entry.detail["report_sha256"] == sha and entry.detail["review_id"] == body["id"]

    # The officer pulls the review again, now naming the report, and may download it.
    _, changes = pull_all(client, a, cursor)
    [review] = [ch for ch in changes if ch["entity"] == "review"]
    assert review["version"] == 2 and review["data"]["report"]["sha256"] == sha
    download = client.get(f"{API}/blobs/{sha}", headers=a)
    assert download.status_code == 200 and download.content == reports.countersigned

    # Asked again (a lost answer), plainly or countersigned: the same answer, nothing new.
    again = countersign(client, visit_id, sup1, reports.countersigned)
    assert again.status_code == 201 and again.json() == body
    plain_again = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                              json={"decision": "approved"})
    assert plain_again.status_code == 201 and plain_again.json() == body
    assert reviews_in(hq) == (1, 2) and len(audit_actions(hq, "visit.countersign")) == 1

    # Another countersigned report of the same approval, or a return, conflicts with it.
    r = countersign(client, visit_id, sup1, countersigned_again(reports, tmp_path))
    assert r.status_code == 409 and r.json()["code"] == "already_countersigned", r.text
    assert sha[:12] in r.json()["message"]
    r = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                    json={"decision": "returned", "comment": "补充照片"})
    assert r.status_code == 409 and r.json()["code"] == "already_reviewed"
    assert "already approved by 张主任" in r.json()["message"]
    assert r.json()["detail"]["decision"] == "approved"
    assert reviews_in(hq) == (1, 2)


def test_a_returned_visit_is_not_approved_by_countersigning_it(
        client, hq: Hq, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    returned = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                           json={"decision": "returned", "comment": "补充库存照片"})
    assert returned.status_code == 201
    r = countersign(client, visit_id, sup1, reports.countersigned)
    assert r.status_code == 409 and r.json()["code"] == "already_reviewed"
    assert "already returned by 张主任" in r.json()["message"]
    assert "new revision" in r.json()["message"]
    # Refused before the report was verified (nothing learnt about it).
    sha = hashlib.sha256(reports.countersigned).hexdigest()
    with hq.db.read() as s:
        assert s.get(ReportCheck, sha) is None
    # The same return again is answered as it stands; another comment is a conflict.
    again = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                        json={"decision": "returned", "comment": "补充库存照片"})
    assert again.status_code == 201 and again.json() == returned.json()
    other = client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                        json={"decision": "returned", "comment": "另一意见"})
    assert other.status_code == 409 and other.json()["code"] == "already_reviewed"
    assert reviews_in(hq) == (1, 1)


def test_only_the_approving_supervisor_countersigns_a_plain_approval(
        client, hq: Hq, world: World, reports: Reports) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    assert client.post(f"{API}/visits/{visit_id}/review", headers=sup1,
                       json={"decision": "approved"}).status_code == 201
    # off_a moves to sup2's team: sup2 now sees the visit, but the approval is sup1's.
    with hq.db.write() as s:
        s.execute(update(User).where(User.id == world.users["off_a"])
                  .values(supervisor_id=world.users["sup2"]))
    r = countersign(client, visit_id, register(client, "sup2"), reports.countersigned)
    assert r.status_code == 409 and r.json()["code"] == "already_reviewed", r.text
    zh, en = r.json()["message"].split(" / ")
    assert "由张主任复核（通过）" in zh and "already reviewed (approved) by 张主任" in en
    assert reviews_in(hq) == (1, 1)
    assert audit_actions(hq, "visit.countersign") == []
