"""A signed visit's report: the kept signed file itself, or an unsigned copy that says so.

`report` gives the signed file byte for byte; another language (or any rendering of a signed
visit) is a copy watermarked "副本 · 非签署件 / COPY — NOT THE SIGNED ORIGINAL" that names the
original by its SHA-256. Signing with a certificate that is not the visit officer's is refused
before anything is signed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from inspector_app.cli import main
from inspector_app.domain.enums import Role, VisitKind, VisitStatus
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.data import REPORT_TZ, load_report_data
from inspector_app.reports.pdf import render_report
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Report, Visit
from inspector_app.store.visit_checks import visit_checklist

SIGNED_AT = datetime(2026, 11, 22, 16, 30, tzinfo=REPORT_TZ)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"),
                        [("li", "李明"), ("wang", "王强"), ("zhang", "张主任")],
                        now=datetime(2026, 1, 1, tzinfo=REPORT_TZ))


def _completed(store: LocalStore, portfolio) -> str:
    from test_visit_store import normal_answer

    visit = store.start_visit(portfolio.borrower_id, portfolio.officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 22), place="厂区")
    for item in visit_checklist(visit).items():
        store.set_answer(visit.id, portfolio.officer, item.code, normal_answer(item))
    store.transition(visit.id, portfolio.officer, VisitStatus.COMPLETED)
    return visit.id


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(pdf).pages))


def _report(store: LocalStore, visit_id: str, out: Path, *extra: str) -> int:
    return main(["report", visit_id, "--data-dir", str(store.data_dir), "--out", str(out),
                 *extra])


@pytest.fixture
def signed_in_english(store: LocalStore, portfolio, ca: TestCA) -> tuple[str, Path]:
    """A visit signed by its officer in English: its id and the kept signed file."""
    visit_id = _completed(store, portfolio)
    li = ca.user("li")
    report = report_files.sign_visit(store, visit_id, portfolio.officer, li.p12_path,
                                     li.password, lang="en", signed_at=SIGNED_AT)
    return visit_id, report_files.report_path(store.data_dir, report.sha256)


def test_report_of_a_signed_visit_is_the_signed_file_byte_for_byte(
        store: LocalStore, signed_in_english: tuple[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    visit_id, kept = signed_in_english
    # No language asked: the signed one, whatever language it was signed in.
    assert _report(store, visit_id, tmp_path / "plain.pdf") == 0
    assert (tmp_path / "plain.pdf").read_bytes() == kept.read_bytes()
    assert _report(store, visit_id, tmp_path / "en.pdf", "--lang", "en") == 0
    assert (tmp_path / "en.pdf").read_bytes() == kept.read_bytes()
    assert f"signed report written to {tmp_path / 'en.pdf'}" in capsys.readouterr().out


def test_another_language_is_an_unsigned_copy_naming_the_original(
        store: LocalStore, signed_in_english: tuple[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    visit_id, kept = signed_in_english
    sha = kept.name.removesuffix(".pdf")
    copy = tmp_path / "zh.pdf"
    assert _report(store, visit_id, copy, "--lang", "zh") == 0
    said = capsys.readouterr().out
    assert "unsigned copy" in said and sha in said

    text = _text(copy)
    assert "副本·非签署件" in text  # on every page, with the original's hash
    assert f"签署原件SHA-256：{sha}" in text
    assert "本件是已签署检查报告的副本，不是签署件" in text
    assert "COPY—NOTTHESIGNEDORIGINAL" in text
    assert text.count("副本·非签署件") >= len(PdfReader(copy).pages)
    assert verify_pdf(copy).signatures == ()  # nothing in it is signed


def test_a_rendering_in_the_signed_language_is_a_copy_too(
        store: LocalStore, signed_in_english: tuple[str, Path], tmp_path: Path) -> None:
    visit_id, kept = signed_in_english
    again = tmp_path / "again.pdf"
    render_report(load_report_data(store, visit_id, "en"), store.photos, again)
    text = _text(again)
    assert again.read_bytes() != kept.read_bytes()
    assert "COPY—NOTTHESIGNEDORIGINAL" in text
    assert f"SHA-256{kept.name.removesuffix('.pdf')}" in text
    assert "Seethesignedoriginal" in text  # in the seal boxes, where the signatures were


def test_signing_with_another_officers_certificate_is_refused(
        store: LocalStore, portfolio, ca: TestCA, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    store.create_user("wang", "off-pass-2", "王强", Role.OFFICER)
    visit_id = _completed(store, portfolio)
    wang = ca.user("wang")
    (tmp_path / "pw").write_text(wang.password + "\n", encoding="utf-8")
    out = tmp_path / "signed.pdf"
    code = _report(store, visit_id, out, "--sign", "--cert", str(wang.p12_path),
                   "--password-file", str(tmp_path / "pw"))

    assert code == 2
    err = capsys.readouterr().err
    assert "not the visit's officer 李明's (li) signing certificate" in err
    assert "不是本次检查的客户经理李明（li）的签名证书" in err
    assert "Traceback" not in err
    assert not out.exists()
    with store.read() as s:  # nothing signed, nothing locked
        assert s.get_one(Visit, visit_id).status is VisitStatus.COMPLETED
        assert s.scalars(select(Report)).all() == []


def test_the_officers_own_certificate_still_signs(
        store: LocalStore, portfolio, ca: TestCA, tmp_path: Path) -> None:
    visit_id = _completed(store, portfolio)
    li = ca.user("li")
    (tmp_path / "pw").write_text(li.password + "\n", encoding="utf-8")
    assert _report(store, visit_id, tmp_path / "signed.pdf", "--sign", "--cert",
                   str(li.p12_path), "--password-file", str(tmp_path / "pw")) == 0
    checked = verify_pdf(tmp_path / "signed.pdf", [ca.ca_cert_path])
    assert checked.verdict and [s.signer for s in checked.signatures] == ["李明"]
