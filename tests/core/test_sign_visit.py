"""Signing a visit: the report is certified, kept by its hash, and the visit locked."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.data import REPORT_TZ, load_report_data
from inspector_app.reports.signing import SigningError
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.local import LocalStore, VisitLockedError
from inspector_app.store.models import AuditEntry, Report, Visit
from inspector_app.store.visit_checks import visit_checklist

SIGNED_AT = datetime(2026, 11, 22, 16, 30, tzinfo=REPORT_TZ)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory):
    return make_test_ca(tmp_path_factory.mktemp("ca"), [("li", "李明"), ("zhang", "张主任")],
                        now=datetime(2026, 1, 1, tzinfo=REPORT_TZ))


def _complete(store: LocalStore, p) -> str:
    from test_visit_store import normal_answer

    visit = store.start_visit(p.borrower_id, p.officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 22), place="厂区")
    for item in visit_checklist(visit).items():
        store.set_answer(visit.id, p.officer, item.code, normal_answer(item))
    store.transition(visit.id, p.officer, VisitStatus.COMPLETED)
    return visit.id


def _cert(ca, username: str) -> tuple[Path, str]:
    user = ca.user(username)
    return user.p12_path, user.password


def test_sign_keeps_a_verifiable_report_and_locks_the_visit(store, portfolio, ca) -> None:
    p = portfolio
    visit_id = _complete(store, p)
    p12, password = _cert(ca, "li")
    report = report_files.sign_visit(store, visit_id, p.officer, p12, password,
                                     handwritten_png=_png(), signed_at=SIGNED_AT)

    path = report_files.report_path(store.data_dir, report.sha256)
    assert path.exists()
    checked = verify_pdf(path, [ca.ca_cert_path], validation_time=SIGNED_AT)
    assert checked.verdict, checked.problems
    assert [s.signer for s in checked.signatures] == ["李明"]
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        assert visit.status is VisitStatus.SIGNED
        assert visit.officer_signature_png == _png()
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.user_id == p.officer.id))
        assert "report.signed" in list(actions)
    with pytest.raises(VisitLockedError), store.write() as s:
        s.get_one(Visit, visit_id).measures = "改动"


def test_wrong_password_changes_nothing(store, portfolio, ca) -> None:
    p = portfolio
    visit_id = _complete(store, p)
    p12, _ = _cert(ca, "li")
    with pytest.raises(SigningError, match="密码"):
        report_files.sign_visit(store, visit_id, p.officer, p12, "wrong", signed_at=SIGNED_AT)
    with store.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.COMPLETED
        assert s.scalars(select(Report)).all() == []
    reports = report_files.reports_dir(store.data_dir)
    assert not reports.exists() or list(reports.iterdir()) == []


def test_a_draft_cannot_be_signed(store, portfolio, ca) -> None:
    p12, password = _cert(ca, "li")
    with pytest.raises(TransitionError, match="completed"):
        report_files.sign_visit(store, portfolio.visit_id, portfolio.officer, p12, password,
                                signed_at=SIGNED_AT)


def test_supervisor_countersigns_and_both_signatures_hold(store, portfolio, ca) -> None:
    p = portfolio
    visit_id = _complete(store, p)
    report_files.sign_visit(store, visit_id, p.officer, *_cert(ca, "li"), signed_at=SIGNED_AT)
    store.transition(visit_id, p.officer, VisitStatus.SUBMITTED)
    later = SIGNED_AT.replace(day=23)
    final = report_files.countersign_visit(store, visit_id, p.supervisor, *_cert(ca, "zhang"),
                                           signed_at=later)
    checked = verify_pdf(report_files.report_path(store.data_dir, final.sha256),
                         [ca.ca_cert_path], validation_time=later)
    assert checked.verdict, checked.problems
    assert [s.signer for s in checked.signatures] == ["李明", "张主任"]
    assert report_files.latest_report(store, visit_id).sha256 == final.sha256
    with store.read() as s:
        assert s.get_one(Visit, visit_id).status is VisitStatus.APPROVED


def test_revision_names_the_report_it_corrects(store, portfolio, ca) -> None:
    p = portfolio
    visit_id = _complete(store, p)
    first = report_files.sign_visit(store, visit_id, p.officer, *_cert(ca, "li"),
                                    signed_at=SIGNED_AT)
    revised = store.new_revision(visit_id, p.officer, "补充说明")
    store.transition(revised.id, p.officer, VisitStatus.COMPLETED)
    second = report_files.sign_visit(store, revised.id, p.officer, *_cert(ca, "li"),
                                     signed_at=SIGNED_AT.replace(hour=17))
    assert second.supersedes_sha256 == first.sha256
    data = load_report_data(store, revised.id, "zh", supersedes_sha256=first.sha256)
    assert data.supersedes_sha256 == first.sha256


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (60, 20), (13, 42, 107, 255)).save(buf, "PNG")
    return buf.getvalue()


def test_latest_report_prefers_the_countersigned_file_on_a_tie(store, portfolio, ca) -> None:
    p = portfolio
    visit_id = _complete(store, p)
    report_files.sign_visit(store, visit_id, p.officer, *_cert(ca, "li"), signed_at=SIGNED_AT)
    store.transition(visit_id, p.officer, VisitStatus.SUBMITTED)
    final = report_files.countersign_visit(store, visit_id, p.supervisor, *_cert(ca, "zhang"),
                                           signed_at=SIGNED_AT)
    assert report_files.latest_report(store, visit_id).sha256 == final.sha256
