"""A signature counts only with a certificate headquarters holds for the user who posts it:
registered by an administrator, or by the user's first accepted signature (trust on first
use); the officer's certification on a pushed report, the supervisor's countersignature."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from hq_helpers import ACTOR, World, certificate_pem, register, upload, visit_push
from sqlalchemy import select
from test_hq_countersign import countersign, reviews_in, signed_visit
from test_hq_signed_reports import (
    OFFICER_BOX,
    SIGNED_AT,
    SUPERVISOR_BOX,
    Reports,
    make_reports,
    named,
    report_record,
    tiny_report,
)

from inspector_app.hq import admin
from inspector_app.hq.cli import main as hq_main
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.models import AuditEntry, User, UserCertificate
from inspector_app.reports.certs import UserCert, make_user_cert
from inspector_app.reports.signing import certify_report, countersign_report, load_signer
from inspector_app.wire import API


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return make_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture
def settings(reports: Reports) -> HqSettings:
    return HqSettings(trust_roots=(reports.ca.ca_cert_path,))


def second_cert(reports: Reports, username: str, name: str, folder: Path) -> UserCert:
    """Another certificate from the bank's CA for the same user (a renewal, or a spare)."""
    now = datetime.now(UTC)
    return make_user_cert(reports.ca, username, name, not_before=now - timedelta(hours=1),
                          not_after=now + timedelta(days=30), out=folder / f"{username}-2.p12")


def certified_with(issued: UserCert, folder: Path) -> bytes:
    """A report of a new visit certified with ``issued``."""
    signer = load_signer(issued.p12_path, issued.password)
    out = folder / f"certified-{issued.p12_path.stem}.pdf"
    certify_report(tiny_report(str(uuid.uuid4())), out, signer, page=0, officer_box=OFFICER_BOX,
                   supervisor_box=SUPERVISOR_BOX, signed_at=SIGNED_AT)
    return out.read_bytes()


def countersigned_with(issued: UserCert, certified: bytes, folder: Path) -> bytes:
    signer = load_signer(issued.p12_path, issued.password)
    out = folder / f"countersigned-{issued.p12_path.stem}.pdf"
    countersign_report(certified, out, signer, signed_at=SIGNED_AT + timedelta(seconds=30))
    return out.read_bytes()


def push(client, world: World, headers: dict[str, str], officer: str, borrower: str,
         data: bytes, stage: str = "signed") -> tuple[int, dict]:
    sha = upload(client, headers, data)
    body = visit_push(world.users[officer], world.borrowers[borrower], status="signed",
                      reports=[report_record(sha, data, stage)], visit_id=named(data))
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    return r.status_code, r.json()


def held(hq: Hq) -> dict[str, tuple[str, str]]:
    """fingerprint -> (username, source)"""
    with hq.db.read() as s:
        rows = s.execute(select(UserCertificate.sha256, User.username, UserCertificate.source)
                         .join(User, User.id == UserCertificate.user_id)).all()
    return {sha: (user, source) for sha, user, source in rows}


def actions(hq: Hq, action: str) -> list[AuditEntry]:
    with hq.db.read() as s:
        # In the order written: without ORDER BY, PostgreSQL may hand them back in another
        # (a fresh-clone CI run did).
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)))


def fingerprint(issued: UserCert, folder: Path) -> str:
    pem = certificate_pem(issued, folder / f"{issued.p12_path.stem}.pem").read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def test_the_officers_first_signature_registers_the_certificate_and_no_other_counts(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    a = register(client, "off_a")
    status, result = push(client, world, a, "off_a", "C001", reports.certified)
    assert (status, result["status"]) == (200, "stored"), result
    first = fingerprint(reports.ca.user("off_a"), tmp_path)
    assert held(hq) == {first: ("off_a", "first_use")}
    [entry] = actions(hq, "certificate.first_use")
    assert entry.user_id == world.users["off_a"] and entry.detail["sha256"] == first

    # A second certificate of the same CA for off_a: valid and trusted, but not the one
    # headquarters holds for them.
    renewed = second_cert(reports, "off_a", "李明", tmp_path)
    other = certified_with(renewed, tmp_path)
    status, result = push(client, world, a, "off_a", "C001", other)
    assert (status, result["status"]) == (422, "rejected")
    assert "not one headquarters holds for you" in result["message"]
    assert "admin set-certificate" in result["message"]
    assert len(held(hq)) == 1

    # The administrator registers the renewed certificate beside the first: both count.
    admin.set_certificate(hq.db, "off_a", certificate_pem(renewed, tmp_path / "r.pem"), ACTOR)
    status, result = push(client, world, a, "off_a", "C001", other)
    assert (status, result["status"]) == (200, "stored"), result
    another = reports.of(str(uuid.uuid4())).certified
    status, result = push(client, world, a, "off_a", "C001", another)
    assert (status, result["status"]) == (200, "stored"), result
    assert held(hq)[fingerprint(renewed, tmp_path)] == ("off_a", "admin")


def test_a_certificate_held_for_one_user_signs_for_nobody_else(
        client, hq: Hq, world: World, reports: Reports) -> None:
    a, c = register(client, "off_a"), register(client, "off_c")
    assert push(client, world, a, "off_a", "C001", reports.certified)[0] == 200
    # off_c, in the same team, pushes a report certified with off_a's certificate.
    status, result = push(client, world, c, "off_c", "C002",
                          reports.of(str(uuid.uuid4())).certified)
    assert (status, result["status"]) == (422, "rejected")
    assert "holds for another user" in result["message"]
    assert {user for user, _ in held(hq).values()} == {"off_a"}


def test_the_countersignature_must_be_the_posting_supervisors(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    # The administrator registered another certificate for sup1: the one that countersigned
    # is not it.
    spare = second_cert(reports, "sup1", "张主任", tmp_path)
    admin.set_certificate(hq.db, "sup1", certificate_pem(spare, tmp_path / "s.pem"), ACTOR)
    r = countersign(client, visit_id, sup1, reports.countersigned)
    assert r.status_code == 422 and r.json()["code"] == "wrong_signer", r.text
    assert "the countersignature was made with a certificate" in r.json()["message"]
    assert reviews_in(hq) == (0, 0)

    # A certificate held for the officer cannot countersign either, whoever posts it.
    officer_spare = second_cert(reports, "off_a", "李明（备用）", tmp_path)
    admin.set_certificate(hq.db, "off_a", certificate_pem(officer_spare, tmp_path / "o.pem"),
                          ACTOR)
    by_officer = countersigned_with(officer_spare, reports.certified, tmp_path)
    r = countersign(client, visit_id, sup1, by_officer)
    assert r.status_code == 422 and "holds for another user" in r.json()["message"]
    assert reviews_in(hq) == (0, 0)

    # Registered (beside the spare), sup1's real certificate countersigns.
    admin.set_certificate(hq.db, "sup1", certificate_pem(reports.ca.user("sup1"),
                                                         tmp_path / "sup1.pem"), ACTOR)
    r = countersign(client, visit_id, sup1, reports.countersigned)
    assert r.status_code == 201, r.text
    assert reviews_in(hq) == (1, 1)


def test_a_supervisors_first_countersignature_registers_their_certificate(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    visit_id = signed_visit(client, world, reports)
    sup1 = register(client, "sup1")
    assert countersign(client, visit_id, sup1, reports.countersigned).status_code == 201
    assert held(hq)[fingerprint(reports.ca.user("sup1"), tmp_path)] == ("sup1", "first_use")
    [entry] = [e for e in actions(hq, "certificate.first_use") if e.actor == "sup1"]
    assert entry.detail["visit_id"] == visit_id


def test_an_officer_cannot_pass_off_a_countersignature_not_their_supervisors(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    a = register(client, "off_a")
    # off_a countersigns their own report with a second certificate of theirs and pushes it.
    spare = second_cert(reports, "off_a", "李明（备用）", tmp_path)
    own = countersigned_with(spare, reports.certified, tmp_path)
    status, result = push(client, world, a, "off_a", "C001", own, "countersigned")
    assert (status, result["status"]) == (422, "rejected")
    assert "does not hold for your supervisor" in result["message"]

    # The countersigned report of the visit's own review is the supervisor's, checked when
    # it was posted: the officer's laptop may push it with the visit.
    visit_id = signed_visit(client, world, reports)
    assert countersign(client, visit_id, register(client, "sup1"),
                       reports.countersigned).status_code == 201
    stored = client.get(f"{API}/visits/{visit_id}", headers=a).json()
    body = {"base_version": stored["server_version"], "visit": stored["visit"]}
    sha = upload(client, a, reports.countersigned)
    body["visit"]["reports"].append(report_record(sha, reports.countersigned, "countersigned"))
    r = client.put(f"{API}/visits/{visit_id}", json=body, headers=a)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text


def test_with_registered_certificates_only_nothing_is_trusted_on_first_use(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    # The app holds this Hq: what `serve --registered-certificates-only` sets.
    hq.settings = HqSettings(trust_roots=(reports.ca.ca_cert_path,),
                             certificate_first_use=False)
    a = register(client, "off_a")
    status, result = push(client, world, a, "off_a", "C001", reports.certified)
    assert (status, result["status"]) == (422, "rejected")
    assert "holds no signing certificate for you" in result["message"]
    assert held(hq) == {}
    admin.set_certificate(hq.db, "off_a", certificate_pem(reports.ca.user("off_a"),
                                                          tmp_path / "a.pem"), ACTOR)
    status, result = push(client, world, a, "off_a", "C001", reports.certified)
    assert (status, result["status"]) == (200, "stored"), result


def test_admin_set_certificate(hq: Hq, world: World, reports: Reports, tmp_path: Path,
                               db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    off_a_pem = certificate_pem(reports.ca.user("off_a"), tmp_path / "off_a.pem")
    spare = second_cert(reports, "off_a", "李明", tmp_path)
    spare_pem = certificate_pem(spare, tmp_path / "spare.pem")

    def run(*args: str) -> tuple[int, str, str]:
        code = hq_main(["admin", "--db", db_url, "set-certificate", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("off_a", str(off_a_pem))
    first = fingerprint(reports.ca.user("off_a"), tmp_path)
    assert code == 0 and first in out and "registered for off_a" in out
    code, out, _ = run("off_a", str(spare_pem))
    assert code == 0 and set(held(hq)) == {first, fingerprint(spare, tmp_path)}
    # --replace: the only one (a lost key's certificate no longer counts).
    code, out, _ = run("off_a", str(spare_pem), "--replace")
    assert code == 0 and "1 other certificate(s) removed" in out
    assert set(held(hq)) == {fingerprint(spare, tmp_path)}
    # Registered to another user, it moves, and says from whom.
    code, out, _ = run("off_c", str(spare_pem))
    assert code == 0 and "it was off_a's before" in out
    assert held(hq) == {fingerprint(spare, tmp_path): ("off_c", "admin")}
    entries = actions(hq, "certificate.set")
    assert [e.detail["username"] for e in entries] == ["off_a", "off_a", "off_a", "off_c"]
    assert entries[-1].detail["previous_owner"] == "off_a" and entries[-1].actor.startswith("cli:")

    # Refusals: an unknown user, an administrator, a file that is not a certificate.
    assert run("nobody", str(spare_pem))[0] == 1
    code, _, err = run("admin", str(spare_pem))
    assert code == 1 and "signs no reports" in err
    (tmp_path / "key.p12").write_bytes(reports.ca.user("off_a").p12_path.read_bytes())
    code, _, err = run("off_a", str(tmp_path / "key.p12"))
    assert code == 1 and "not a certificate file" in err
    assert len(actions(hq, "certificate.set")) == 4
