"""Two laptops and a real headquarters server process, for the review tests end to end.

The server is `inspector-hq serve` on a SQLite data directory (tests/e2e/e2e_support's
HqServer and world: supervisor sup1 张主任 over officer off_a 李明, borrowers C001–C004). Each
laptop is its own data directory, registered with the server and synced, so everything the
supervisor reviews came down the team feed, as on a real supervisor's laptop. A test CA
issues both users' certificates; each laptop imports its user's, as a user does in the
certificate settings.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from e2e_support import PASSWORD, HqServer, _normal, build_hq_world, free_port

from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.reports import files as report_files
from inspector_app.reports.certificate_files import (
    import_certificate,
    import_trusted_ca,
)
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store.local import LocalStore, user_row
from inspector_app.store.models import Borrower, User
from inspector_app.store.rows import UserRow
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import SyncReport

__all__ = ["PASSWORD", "ReviewWorld", "review_world_fixture"]


@dataclass
class ReviewWorld:
    server: HqServer
    officer_laptop: LocalStore
    supervisor_laptop: LocalStore
    ca: TestCA

    def sync(self, laptop: LocalStore) -> SyncReport:
        with SyncClient(laptop, self.server.url, retries=1, backoff=0.01) as client:
            report = client.sync()
        return report

    def synced(self, laptop: LocalStore) -> SyncReport:
        report = self.sync(laptop)
        assert report.ok, report.messages()
        return report

    def user(self, laptop: LocalStore, username: str) -> UserRow:
        with laptop.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            assert user is not None, f"{username} is not on this laptop"
            return user_row(user)

    def borrower_id(self, laptop: LocalStore, code: str) -> str:
        with laptop.read() as s:
            found = s.scalar(select(Borrower.id).where(Borrower.code == code))
        assert found is not None
        return found

    def officer_signs_visit(self, code: str = "C001", *, note: str = "") -> str:
        """off_a's visit on the borrower: every item answered normally, completed, signed
        with off_a's certificate (handwriting included) and sent: submitted at headquarters."""
        laptop = self.officer_laptop
        officer = self.user(laptop, "off_a")
        visit = laptop.start_visit(self.borrower_id(laptop, code), officer, VisitKind.ROUTINE,
                                   visit_date=date(2026, 11, 20), place="厂区")
        for item in visit_checklist(visit).items():
            laptop.set_answer(visit.id, officer, item.code, _normal(item), note=note)
        laptop.transition(visit.id, officer, VisitStatus.COMPLETED)
        self.sign(visit.id)
        self.synced(laptop)
        return visit.id

    def sign(self, visit_id: str) -> None:
        officer = self.user(self.officer_laptop, "off_a")
        cert = self.ca.user("off_a")
        report_files.sign_visit(self.officer_laptop, visit_id, officer, cert.p12_path,
                                cert.password)


def _laptop(root: Path, name: str, server: HqServer, username: str, ca: TestCA) -> LocalStore:
    data = root / name
    store = LocalStore.open(data)
    with SyncClient(store, server.url, retries=1, backoff=0.01) as client:
        client.register(username, PASSWORD, f"{name} 笔记本")
        first = client.sync()
        assert first.ok, first.messages()
    cert = ca.user(username)
    import_certificate(data, username, cert.p12_path, cert.password)
    import_trusted_ca(data, ca.ca_cert_path)
    return store


@pytest.fixture(name="review_world")  # imported as review_world_fixture: no name shadowed
def review_world_fixture(tmp_path: Path) -> Iterator[ReviewWorld]:
    hq_dir = tmp_path / "hq"
    build_hq_world(hq_dir)
    server = HqServer(hq_dir, free_port())
    ca = make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("sup1", "张主任")])
    laptops: list[LocalStore] = []
    try:
        server.start()
        laptops.append(_laptop(tmp_path, "officer", server, "off_a", ca))
        laptops.append(_laptop(tmp_path, "supervisor", server, "sup1", ca))
        yield ReviewWorld(server, laptops[0], laptops[1], ca)
        assert server.unexpected_errors() == []
    finally:
        server.kill()
        for laptop in laptops:
            laptop.close()
