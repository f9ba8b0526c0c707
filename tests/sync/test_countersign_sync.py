"""End to end over real HTTP: the supervisor countersigns on their laptop, its sync sends the
countersigned report and the approval to headquarters, and the officer's laptop pulls the
countersigned report as the visit's latest. A tampered countersigned file or another team's
supervisor is refused with the server's reason, and nothing is marked sent."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import delete, select
from sync_helpers import outbox_rows
from test_e2e_hq import PASSWORD, _normal, serve

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import Role, VisitKind, VisitStatus
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.context import Hq
from inspector_app.reports import files as report_files
from inspector_app.reports import signing
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    OutboxEntry,
    Report,
    SyncState,
    User,
    Visit,
    VisitSync,
)
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import Reason, What


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        yield running


def _client(store: LocalStore, base: str) -> SyncClient:
    return SyncClient(store, base, chunk_bytes=8 * 1024, retries=2, backoff=0.05)


def _user(store: LocalStore, username: str) -> User:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


@pytest.fixture
def ca(tmp_path: Path) -> TestCA:
    return make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("sup1", "张主任"),
                                          ("sup2", "赵主任")])


@pytest.fixture
def signed_visit(store: LocalStore, server: tuple[str, Hq], ca: TestCA) -> str:
    """off_a's visit, signed on the officer's laptop and sent: submitted."""
    base, _hq = server
    with _client(store, base) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
        officer = _user(store, "off_a")
        with store.read() as s:
            borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == "C001"))
        visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                                  visit_date=date(2026, 11, 20), place="厂区")
        for item in visit_checklist(visit).items():
            store.set_answer(visit.id, officer, item.code, _normal(item))
        store.transition(visit.id, officer, VisitStatus.COMPLETED)
        report_files.sign_visit(store, visit.id, officer, ca.user("off_a").p12_path,
                                ca.user("off_a").password)
        sent = client.sync()
        assert sent.ok and sent.visits_sent == 1, sent.messages()
    return visit.id


def _laptop_copy(store: LocalStore, folder: Path) -> LocalStore:
    """Another laptop holding the same visit and signed report (how the supervisor's laptop
    receives a team member's visit is not part of this test), never registered."""
    folder.mkdir()
    with sqlite3.connect(database_path(store.data_dir)) as src, \
            sqlite3.connect(database_path(folder)) as dst:
        src.backup(dst)
    shutil.copytree(report_files.reports_dir(store.data_dir),
                    report_files.reports_dir(folder))
    copy = LocalStore.open(folder)
    with copy.write() as s:
        for table in (OutboxEntry, SyncState, VisitSync):
            s.execute(delete(table))
    return copy


@pytest.fixture
def supervisor_laptop(store: LocalStore, signed_visit: str, tmp_path: Path
                      ) -> Iterator[LocalStore]:
    copy = _laptop_copy(store, tmp_path / "supervisor-laptop")
    yield copy
    copy.close()


def _countersign(laptop: LocalStore, visit_id: str, username: str, ca: TestCA) -> Report:
    return report_files.countersign_visit(laptop, visit_id, _user(laptop, username),
                                          ca.user(username).p12_path, ca.user(username).password)


def _reviews(hq: Hq) -> list[hq_models.Review]:
    with hq.db.read() as s:
        return list(s.scalars(select(hq_models.Review)))


def test_the_countersigned_report_reaches_headquarters_and_the_officer(
        store: LocalStore, server: tuple[str, Hq], signed_visit: str,
        supervisor_laptop: LocalStore, ca: TestCA) -> None:
    base, hq = server
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        assert sup.sync().ok
        final = _countersign(supervisor_laptop, signed_visit, "sup1", ca)
        # Queued in the same transaction as the approval: the approval and its file.
        assert {("countersign", signed_visit), ("blob", final.sha256)} <= set(
            outbox_rows(supervisor_laptop))
        sent = sup.sync()
        assert sent.ok, sent.messages()
        assert (sent.approvals_sent, sent.reports_sent, sent.visits_sent) == (1, 1, 0)
        assert outbox_rows(supervisor_laptop) == []
        assert sup.sync().ok  # nothing left to send, nothing sent twice
    [review] = _reviews(hq)
    assert review.decision == "approved" and review.report is not None
    assert review.report["sha256"] == final.sha256
    assert hq.blobs.complete(final.sha256)

    with _client(store, base) as officer:
        back = officer.sync()
        assert back.ok and back.reports_received == 1, back.messages()
    latest = report_files.latest_report(store, signed_visit)
    assert latest is not None and latest.sha256 == final.sha256
    assert latest.stage == "countersigned" and latest.signer_user_id == review.reviewer_id
    assert (report_files.report_path(store.data_dir, final.sha256).read_bytes()
            == report_files.report_path(supervisor_laptop.data_dir, final.sha256).read_bytes())
    with store.read() as s:
        assert s.get_one(Visit, signed_visit).status is VisitStatus.APPROVED
    assert outbox_rows(store) == []


def _painted_over(original, out_path, *args, **kwargs):
    """countersign_report, then a white box drawn over the page: a forgery after signing."""
    info = _REAL_COUNTERSIGN(original, out_path, *args, **kwargs)
    writer = IncrementalPdfFileWriter(BytesIO(Path(out_path).read_bytes()))
    cover = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 50 745 500 40 re f Q"))
    writer.add_stream_to_page(0, cover)
    buffer = BytesIO()
    writer.write(buffer)
    Path(out_path).write_bytes(buffer.getvalue())
    return info


_REAL_COUNTERSIGN = signing.countersign_report


def test_a_tampered_countersigned_report_is_refused_and_stays_queued(
        server: tuple[str, Hq], signed_visit: str, supervisor_laptop: LocalStore, ca: TestCA,
        monkeypatch: pytest.MonkeyPatch) -> None:
    base, hq = server
    monkeypatch.setattr(report_files, "countersign_report", _painted_over)
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        _countersign(supervisor_laptop, signed_visit, "sup1", ca)
        refused = sup.sync()
    [issue] = refused.issues
    assert (issue.what, issue.reason, issue.ref) == (What.APPROVAL, Reason.REJECTED, signed_visit)
    assert "changed after signing" in issue.message, issue.message
    assert any("changed after signing" in line for line in refused.messages())
    assert refused.approvals_sent == 0
    assert ("countersign", signed_visit) in outbox_rows(supervisor_laptop)
    with supervisor_laptop.read() as s:
        [row] = [r for r in outbox.pending(s, outbox.COUNTERSIGN)]
        assert row.attempts == 1 and "changed after signing" in (row.last_error or "")
    assert _reviews(hq) == []


def test_another_teams_supervisor_cannot_send_an_approval(
        server: tuple[str, Hq], signed_visit: str, supervisor_laptop: LocalStore,
        ca: TestCA) -> None:
    base, hq = server
    admin.add_user(hq.db, "sup2", "赵主任", Role.SUPERVISOR, PASSWORD, "test",
                   branch_code="B01")
    with _client(supervisor_laptop, base) as sup:
        sup.register("sup2", PASSWORD, "另一位主任的笔记本")
        _countersign(supervisor_laptop, signed_visit, "sup2", ca)
        refused = sup.sync()
    assert [(i.what, i.reason) for i in refused.issues] == [(What.APPROVAL, Reason.REJECTED)]
    assert ("countersign", signed_visit) in outbox_rows(supervisor_laptop)
    assert _reviews(hq) == []
