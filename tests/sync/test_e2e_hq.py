"""End to end: the sync client against the real headquarters server over real HTTP (uvicorn in
a thread): register on an empty laptop, pull the portfolio, send a visit with a photo, sign
it, have the supervisor approve it at headquarters, and pull the decision back."""

from __future__ import annotations

import csv
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sync_helpers import local_document, make_photo, outbox_rows

from inspector_app import wire
from inspector_app.domain.checklist import Item, is_abnormal, parse_answer
from inspector_app.domain.enums import AnswerType, Role, VisitKind, VisitStatus
from inspector_app.reports import files as report_files
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, CollateralItem, Loan, User, Visit
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient

hq_app = pytest.importorskip("inspector_app.hq.app")
uvicorn = pytest.importorskip("uvicorn")

from inspector_app.hq import admin  # noqa: E402
from inspector_app.hq import models as hq_models  # noqa: E402
from inspector_app.hq.context import Hq  # noqa: E402
from inspector_app.hq.csv_import import import_files  # noqa: E402

PASSWORD = "pass-1234"


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _portfolio(hq: Hq, folder: Path) -> None:
    admin.add_branch(hq.db, "B01", "城东支行", "test")
    admin.add_user(hq.db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, "test", branch_code="B01")
    admin.add_user(hq.db, "off_a", "李明", Role.OFFICER, PASSWORD, "test", branch_code="B01",
                   supervisor_username="sup1")
    import_files(hq.db, {
        "borrowers": _csv(folder / "b.csv", [{
            "code": "C001", "name": "江苏恒达精密机械有限公司", "kind": "company",
            "industry": "manufacturing", "id_number": "91320000MA1X000001", "branch": "B01",
            "officer": "off_a"}]),
        "loans": _csv(folder / "l.csv", [{
            "contract_no": "L-C001", "borrower_code": "C001", "loan_type": "working_capital",
            "amount_yuan": "5000000.00", "disbursed_on": "2026-03-01",
            "matures_on": "2027-03-01", "classification": "normal"}]),
        "collateral": _csv(folder / "c.csv", [{
            "code": "P-C001", "borrower_code": "C001", "loan_contract_no": "L-C001",
            "kind": "property", "description": "厂房", "appraised_value_yuan": "8000000",
            "pledged_value_yuan": "5000000"}]),
    }, "test")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        yield running


@contextmanager
def serve(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    """A headquarters with the portfolio, served by uvicorn in a thread: (base URL, Hq)."""
    hq = hq_app.open_hq(f"sqlite:///{tmp_path / 'hq.sqlite3'}", tmp_path / "hq-blobs")
    _portfolio(hq, tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(hq_app.create_app(hq), host="127.0.0.1",
                                            port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", hq
    finally:
        running.should_exit = True
        thread.join(10)
        hq.db.dispose()


def _normal(item: Item) -> str:
    candidates = {
        AnswerType.YES_NO: ["yes", "no", "na"], AnswerType.CHOICE: [c.code for c in item.choices],
        AnswerType.NUMBER: ["0", "1", "100"], AnswerType.MONEY: ["0", "50000"],
        AnswerType.DATE: ["2026-11-20"], AnswerType.TEXT: ["经营正常"],
        AnswerType.RECIPIENT: ["苏州恒信贸易有限公司"],
    }[item.type]
    return next(raw for raw in candidates if not is_abnormal(item, parse_answer(item, raw)))


def _stored(hq: Hq, visit_id: str) -> hq_models.Visit:
    with hq.db.read() as s:
        row = s.get(hq_models.Visit, visit_id)
        assert row is not None
        return row


def test_a_visit_goes_to_headquarters_and_its_approval_comes_back(
    store: LocalStore, server: tuple[str, Hq], tmp_path: Path
) -> None:
    from inspector_app.reports.certs import make_test_ca

    base, hq = server
    with SyncClient(store, base, chunk_bytes=8 * 1024, retries=2, backoff=0.05) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        first = client.sync()
        assert first.ok and first.pulled >= 6, first.messages()
        with store.read() as s:
            officer = s.scalar(select(User).where(User.username == "off_a"))
            borrower = s.scalar(select(Borrower).where(Borrower.code == "C001"))
            assert officer is not None and borrower is not None
            assert borrower.officer_id == officer.id and borrower.next_due_on is not None
            assert s.scalar(select(Loan.contract_no)) == "L-C001"
            assert s.scalar(select(CollateralItem.description)) == "厂房"
        assert store.authenticate("off_a", PASSWORD).id == officer.id  # offline login works

        # On site: a visit with its answers and a photo of several chunks.
        visit = store.start_visit(borrower.id, officer, VisitKind.ROUTINE,
                                  visit_date=date(2026, 11, 20), place="厂区")
        for item in visit_checklist(visit).items():
            store.set_answer(visit.id, officer, item.code, _normal(item))
        photo = store.add_photo(visit.id, officer, make_photo(tmp_path, 7, side=80))
        sent = client.sync()
        assert sent.ok and (sent.photos_sent, sent.visits_sent) == (1, 1), sent.messages()
        assert _stored(hq, visit.id).payload == local_document(store, visit.id)
        assert hq.blobs.complete(photo.sha256)

        # Signed at the branch: the PDF goes first, then the visit, then it is "submitted".
        ca = make_test_ca(tmp_path / "ca", [("off_a", "李明")])
        store.transition(visit.id, officer, VisitStatus.COMPLETED)
        report = report_files.sign_visit(store, visit.id, officer, ca.user("off_a").p12_path,
                                         ca.user("off_a").password)
        signed = client.sync()
        assert signed.ok and (signed.reports_sent, signed.visits_sent) == (1, 1), \
            signed.messages()
        assert hq.blobs.complete(report.sha256)
        # Headquarters verified the signed report: it holds the visit as submitted (issue #12).
        assert _stored(hq, visit.id).status == "submitted"
        with store.read() as s:
            assert s.get_one(Visit, visit.id).status is VisitStatus.SUBMITTED

        # The supervisor approves it at headquarters.
        with httpx.Client(base_url=base) as http:
            token = http.post(f"{wire.API}/devices/register", json={
                "username": "sup1", "password": PASSWORD, "device_name": "总行"}).json()["token"]
            r = http.post(f"{wire.API}/visits/{visit.id}/review",
                          json={"decision": "approved"},
                          headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 201, r.text

        back = client.sync()
        assert back.ok and back.visits_sent == 0, back.messages()
        with store.read() as s:
            assert s.get_one(Visit, visit.id).status is VisitStatus.APPROVED
        assert outbox_rows(store) == []
        assert _stored(hq, visit.id).version == 2  # the draft, then the signed visit
        # The review is the stored visit's status (its document too), at the same version.
        assert _stored(hq, visit.id).status == "approved"
        assert _stored(hq, visit.id).payload["status"] == "approved"
