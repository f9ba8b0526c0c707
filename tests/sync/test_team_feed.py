"""End to end over real HTTP: a supervisor's laptop receives the team's signed visits through
sync — the record, its photos and the officer's signed report, checked against their hashes —
and reviews them there: countersigning goes up as an approval, returning goes up as a
"returned" review with the supervisor's comment, and the officer's laptop pulls either back.
Drafts stay the officer's; nothing arrives twice, and a lost answer is not a second decision."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sync_helpers import local_document, make_photo, outbox_rows
from test_e2e_hq import PASSWORD, _normal, serve

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import Role, VisitKind, VisitStatus
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.context import Hq
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import AuditEntry, Borrower, Photo, User, Visit
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import SyncReport, What
from inspector_app.sync.team_apply import TEAM_FILE


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        yield running


@pytest.fixture
def ca(tmp_path: Path) -> TestCA:
    return make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("sup1", "张主任")])


@pytest.fixture
def supervisor_laptop(tmp_path: Path, _migrated_db: Path) -> Iterator[LocalStore]:
    """A fresh laptop, nothing on it yet."""
    data = tmp_path / "supervisor-laptop"
    data.mkdir()
    shutil.copyfile(_migrated_db, database_path(data))
    laptop = LocalStore.open(data)
    yield laptop
    laptop.close()


def _client(store: LocalStore, base: str, **kwargs: object) -> SyncClient:
    return SyncClient(store, base, chunk_bytes=8 * 1024, retries=2, backoff=0.05,
                      **kwargs)  # type: ignore[arg-type]


def _user(store: LocalStore, username: str) -> User:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def _visit_on_site(store: LocalStore, tmp_path: Path, seed: int) -> str:
    """off_a's visit with every answer and two photos, one of them linked to an item."""
    officer = _user(store, "off_a")
    with store.read() as s:
        borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == "C001"))
    assert borrower_id is not None
    visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 20), place="厂区")
    items = list(visit_checklist(visit).items())
    for item in items:
        store.set_answer(visit.id, officer, item.code, _normal(item))
    store.set_item_note(visit.id, officer, items[0].code, "库存与账面一致")
    first = store.add_photo(visit.id, officer, make_photo(tmp_path, seed, side=90))
    store.add_photo(visit.id, officer, make_photo(tmp_path, seed + 1, side=40))
    store.link_photo(first.id, officer, item_code=items[0].code)
    return visit.id


def _sign(store: LocalStore, visit_id: str, ca: TestCA) -> str:
    officer = _user(store, "off_a")
    store.transition(visit_id, officer, VisitStatus.COMPLETED)
    report = report_files.sign_visit(store, visit_id, officer, ca.user("off_a").p12_path,
                                     ca.user("off_a").password)
    return report.sha256


@pytest.fixture
def officer_laptop(store: LocalStore, server: tuple[str, Hq]) -> LocalStore:
    base, _hq = server
    with _client(store, base) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
    return store


def _sync(store: LocalStore, base: str) -> SyncReport:
    with _client(store, base) as client:
        return client.sync()


@pytest.fixture
def submitted_visit(officer_laptop: LocalStore, server: tuple[str, Hq], ca: TestCA,
                    tmp_path: Path) -> str:
    """off_a's visit, signed and sent: submitted at headquarters."""
    visit_id = _visit_on_site(officer_laptop, tmp_path, 1)
    _sign(officer_laptop, visit_id, ca)
    assert _sync(officer_laptop, base=server[0]).ok
    return visit_id


@pytest.fixture
def sup(supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str) -> Iterator[SyncClient]:
    """sup1's laptop, registered and synced once: the submitted visit is on it."""
    with _client(supervisor_laptop, server[0]) as client:
        client.register("sup1", PASSWORD, "主任的笔记本")
        assert client.sync().ok
        yield client


def test_the_supervisor_receives_the_signed_visit_with_its_files_and_never_a_draft(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        ca: TestCA, tmp_path: Path) -> None:
    base, _hq = server
    signed = _visit_on_site(officer_laptop, tmp_path, 1)
    report_sha = _sign(officer_laptop, signed, ca)
    draft = _visit_on_site(officer_laptop, tmp_path, 5)
    sent = _sync(officer_laptop, base)
    assert sent.ok and sent.visits_sent == 2, sent.messages()

    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        first = sup.sync()
    assert first.ok, first.messages()
    assert (first.team_visits_received, first.team_files_received) == (1, 3)
    assert any("收到团队待复核检查1次" in line for line in first.messages())
    with supervisor_laptop.read() as s:
        assert s.get(Visit, draft) is None  # the officer's draft is not for review
        visit = s.get_one(Visit, signed)
        assert visit.status is VisitStatus.SUBMITTED
        assert visit.officer_id == _user(supervisor_laptop, "off_a").id
        photos = list(s.scalars(select(Photo).where(Photo.visit_id == signed)))
    # The same content as on the officer's laptop, field for field (status aside: the
    # officer's copy moved to "submitted" once headquarters confirmed it).
    mine = local_document(officer_laptop, signed)
    theirs = local_document(supervisor_laptop, signed)
    assert {**theirs, "status": None} == {**mine, "status": None}
    # Every file is here, byte for byte, and checked.
    for photo in photos:
        data = supervisor_laptop.photos.original_path(photo.sha256).read_bytes()
        assert hashlib.sha256(data).hexdigest() == photo.sha256
    assert report_files.report_path(supervisor_laptop.data_dir, report_sha).read_bytes() == \
        report_files.report_path(officer_laptop.data_dir, report_sha).read_bytes()
    assert outbox_rows(supervisor_laptop) == []  # nothing to send back: it is not theirs

    again = _sync(supervisor_laptop, base)
    assert again.ok and again.team_visits_received == 0 and again.team_files_received == 0
    with supervisor_laptop.read() as s:
        assert len(list(s.scalars(select(Visit)))) == 1


def test_countersigning_on_the_supervisor_laptop_reaches_the_officer(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        ca: TestCA, submitted_visit: str, sup: SyncClient) -> None:
    base, hq = server
    visit_id = submitted_visit
    final = report_files.countersign_visit(
        supervisor_laptop, visit_id, _user(supervisor_laptop, "sup1"),
        ca.user("sup1").p12_path, ca.user("sup1").password)
    up = sup.sync()
    assert up.ok and up.approvals_sent == 1, up.messages()
    with hq.db.read() as s:
        [review] = s.scalars(select(hq_models.Review))
        assert review.decision == "approved" and review.report["sha256"] == final.sha256

    back = _sync(officer_laptop, base)
    assert back.ok and back.reports_received == 1, back.messages()
    with officer_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.APPROVED
    latest = report_files.latest_report(officer_laptop, visit_id)
    assert latest is not None and latest.sha256 == final.sha256


def _return(laptop: LocalStore, visit_id: str, comment: str) -> None:
    laptop.transition(visit_id, _user(laptop, "sup1"), VisitStatus.RETURNED, comment)


def test_a_return_with_comments_reaches_the_officer(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str, sup: SyncClient) -> None:
    base, hq = server
    visit_id = submitted_visit
    _return(supervisor_laptop, visit_id, "抵押物照片不清晰，请补拍")
    assert (outbox.VISIT, visit_id) in outbox_rows(supervisor_laptop)
    up = sup.sync()
    assert up.ok and up.returns_sent == 1 and up.visits_sent == 0, up.messages()
    assert outbox_rows(supervisor_laptop) == []
    assert sup.sync().returns_sent == 0  # nothing sent twice
    with hq.db.read() as s:
        [review] = s.scalars(select(hq_models.Review))
        assert (review.decision, review.comment) == ("returned", "抵押物照片不清晰，请补拍")

    back = _sync(officer_laptop, base)
    assert back.ok, back.messages()
    with officer_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.RETURNED
        comments = [e.detail.get("comment") for e in s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == visit_id,
                                     AuditEntry.action == "visit.review"))]
    assert comments == ["抵押物照片不清晰，请补拍"]


def test_a_lost_answer_to_a_return_is_not_a_second_decision(
        supervisor_laptop: LocalStore, server: tuple[str, Hq], submitted_visit: str,
        sup: SyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _base, hq = server
    visit_id = submitted_visit
    _return(supervisor_laptop, visit_id, "请补充财务报表")
    real = sup._http.request

    def answer_lost(method: str, url: object, **kwargs: object) -> httpx.Response:
        response = real(method, url, **kwargs)  # type: ignore[arg-type]
        if method == "POST" and str(url).endswith("/review"):
            raise httpx.ReadError("connection reset after the server stored")
        return response

    monkeypatch.setattr(sup._http, "request", answer_lost)
    lost = sup.sync()
    assert not lost.ok and lost.returns_sent == 0
    assert (outbox.VISIT, visit_id) in outbox_rows(supervisor_laptop)
    monkeypatch.undo()
    settled = sup.sync()
    # The pull brought the stored review first: the queued return is settled, not re-sent.
    assert settled.ok and settled.returns_sent == 0 and settled.pulled >= 1, settled.messages()
    assert outbox_rows(supervisor_laptop) == []
    with supervisor_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.RETURNED
    with hq.db.read() as s:
        assert len(list(s.scalars(select(hq_models.Review)))) == 1


def test_a_corrupted_download_is_refused_and_fetched_again(
        officer_laptop: LocalStore, supervisor_laptop: LocalStore, server: tuple[str, Hq],
        submitted_visit: str) -> None:
    base, hq = server
    report = report_files.latest_report(officer_laptop, submitted_visit)
    assert report is not None
    report_sha = report.sha256
    # Headquarters' copy of the report goes bad on disk (same size, one byte flipped).
    stored = hq.blobs.open(report_sha)
    with stored:
        good = stored.read()
    blob_file = _blob_file(hq, report_sha)
    blob_file.write_bytes(good[:100] + bytes([good[100] ^ 0xFF]) + good[101:])
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        bad = sup.sync()
        assert not bad.ok and bad.team_visits_received == 1
        assert [i.what for i in bad.issues] == [What.UPDATES]
        assert any("未能全部下载" in line for line in bad.messages())
        assert not report_files.report_path(supervisor_laptop.data_dir, report_sha).exists()
        assert (TEAM_FILE, report_sha) in outbox_rows(supervisor_laptop)
        blob_file.write_bytes(good)
        fixed = sup.sync()
    assert fixed.ok and fixed.team_files_received == 1, fixed.messages()
    assert report_files.report_path(supervisor_laptop.data_dir, report_sha).read_bytes() == good
    assert outbox_rows(supervisor_laptop) == []


def _blob_file(hq: Hq, sha: str) -> Path:
    found = [p for p in Path(hq.blobs.root).rglob(f"*{sha}*") if p.is_file()]
    assert len(found) == 1, found
    return found[0]


def test_an_officer_laptop_reads_no_team_feed(
        officer_laptop: LocalStore, server: tuple[str, Hq], ca: TestCA, tmp_path: Path) -> None:
    base, hq = server
    admin.add_user(hq.db, "off_b", "王芳", Role.OFFICER, PASSWORD, "test", branch_code="B01",
                   supervisor_username="sup1")
    visit_id = _visit_on_site(officer_laptop, tmp_path, 1)
    _sign(officer_laptop, visit_id, ca)
    report = _sync(officer_laptop, base)
    assert report.ok and report.team_visits_received == 0
    with officer_laptop.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.SUBMITTED
