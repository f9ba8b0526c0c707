"""Certifying a report, countersigning it, and every way signing is refused."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from inspector_app.reports import signing
from inspector_app.reports.certs import TestCA, make_test_ca, make_user_cert
from inspector_app.reports.signing import (
    OFFICER_FIELD,
    SUPERVISOR_FIELD,
    SigningError,
    certify_report,
    countersign_report,
    load_signer,
)
from inspector_app.reports.verify import verify_bytes, verify_pdf
from inspector_app.resources import cjk_font_path

CST = timezone(timedelta(hours=8))
# Signing times must fall inside the certificates' validity, which starts when the tests run.
SIGNED_AT = datetime.now(CST).replace(second=0, microsecond=0)
COUNTERSIGNED_AT = SIGNED_AT + timedelta(hours=3)
OFFICER_BOX = (60.0, 80.0, 270.0, 150.0)
SUPERVISOR_BOX = (320.0, 80.0, 530.0, 150.0)


def report_pdf() -> bytes:
    """A one-page report-like PDF, the CJK font embedded and made the canvas's initial font."""
    pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path())))
    out = BytesIO()
    # Uncompressed page content, so a test can find and flip a byte in it.
    page = canvas.Canvas(out, pagesize=A4, initialFontName="WQY", initialFontSize=12,
                         pageCompression=0)
    page.setFont("WQY", 16)
    page.drawString(60, 760, "贷后检查报告 江苏恒达精密机械有限公司")
    page.setFont("WQY", 11)
    page.drawString(60, 730, "检查结论：正常；风险分类：正常类")
    for x1, y1, x2, y2 in (OFFICER_BOX, SUPERVISOR_BOX):
        page.rect(x1, y1, x2 - x1, y2 - y1)
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"),
                        [("officer", "王芳"), ("supervisor", "李建国")])


@pytest.fixture(scope="module")
def officer(ca: TestCA) -> signing.Signer:
    return load_signer(ca.user("officer").p12_path, ca.user("officer").password)


@pytest.fixture(scope="module")
def supervisor(ca: TestCA) -> signing.Signer:
    return load_signer(ca.user("supervisor").p12_path, ca.user("supervisor").password)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(report_pdf())
    return path


@pytest.fixture(scope="module")
def certified(report: Path, officer: signing.Signer) -> Path:
    out = report.with_name("certified.pdf")
    certify_report(report, out, officer, page=0, officer_box=OFFICER_BOX,
                   supervisor_box=SUPERVISOR_BOX, signed_at=SIGNED_AT, location="南京")
    return out


@pytest.fixture(scope="module")
def countersigned(certified: Path, supervisor: signing.Signer) -> Path:
    out = certified.with_name("countersigned.pdf")
    countersign_report(certified, out, supervisor, signed_at=COUNTERSIGNED_AT)
    return out


def certify(pdf_in: Path | bytes, out: Path, signer: signing.Signer,
            signed_at: datetime = SIGNED_AT) -> signing.SignedInfo:
    return certify_report(pdf_in, out, signer, page=0, officer_box=OFFICER_BOX,
                          supervisor_box=SUPERVISOR_BOX, signed_at=signed_at)


# --- the two signatures -----------------------------------------------------------------------


def test_certify_then_countersign_both_verify(countersigned: Path, ca: TestCA) -> None:
    report = verify_pdf(countersigned, [ca.ca_cert_path])
    assert report.verdict, report.problems
    assert report.certification == MDPPerm.FILL_FORMS
    assert report.revisions == 3  # the renderer's, the officer's and the supervisor's
    officer, supervisor = report.signatures
    assert (officer.field_name, officer.signer) == (OFFICER_FIELD, "王芳")
    assert (supervisor.field_name, supervisor.signer) == (SUPERVISOR_FIELD, "李建国")
    for sig in (officer, supervisor):
        assert sig.intact and sig.valid and sig.trusted and sig.docmdp_ok and sig.verdict
        assert sig.problems == ()
    # The supervisor's signature is form filling, which the certification allows.
    assert officer.certification == MDPPerm.FILL_FORMS
    assert officer.modification_level == ModificationLevel.FORM_FILLING
    assert officer.coverage == "covers revision 2 of 3"
    assert supervisor.certification is None
    assert supervisor.modification_level == ModificationLevel.NONE
    assert supervisor.coverage == "covers the entire document"
    assert officer.signed_at == SIGNED_AT and supervisor.signed_at == COUNTERSIGNED_AT


def test_the_certified_report_has_one_signature_and_an_empty_supervisor_field(
        certified: Path, ca: TestCA) -> None:
    report = verify_pdf(certified, [ca.ca_cert_path])
    assert report.verdict and report.revisions == 2
    [officer] = report.signatures
    assert officer.covers_entire_file and officer.modification_level == ModificationLevel.NONE
    reader = PdfFileReader(BytesIO(certified.read_bytes()))
    found = {name: (value, ref.get_object()) for name, value, ref in enumerate_sig_fields(reader)}
    value, widget = found[SUPERVISOR_FIELD]
    assert value is None
    assert [float(v) for v in widget["/Rect"]] == list(SUPERVISOR_BOX)
    assert [float(v) for v in found[OFFICER_FIELD][1]["/Rect"]] == list(OFFICER_BOX)
    sig = found[OFFICER_FIELD][0].get_object()
    assert sig["/Reason"] == signing.OFFICER_REASON and sig["/Location"] == "南京"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_pdfsig_sees_two_valid_signatures(countersigned: Path) -> None:
    done = subprocess.run(["pdfsig", str(countersigned)], capture_output=True, text=True,
                          check=False)
    assert done.stdout.count("Signature is Valid.") == 2, done.stdout
    assert "Signer Certificate Common Name: 王芳" in done.stdout
    assert "Signer Certificate Common Name: 李建国" in done.stdout


def test_signed_info_describes_the_written_file(report: Path, officer: signing.Signer,
                                                tmp_path: Path) -> None:
    import hashlib

    info = certify(report, tmp_path / "out.pdf", officer)
    assert info.path == tmp_path / "out.pdf"
    assert info.sha256 == hashlib.sha256(info.path.read_bytes()).hexdigest()
    assert (info.signer, info.signed_at, info.field_name) == ("王芳", SIGNED_AT, OFFICER_FIELD)


def test_same_input_key_and_time_give_identical_bytes(report: Path, officer: signing.Signer,
                                                      tmp_path: Path) -> None:
    first = certify(report, tmp_path / "a.pdf", officer)
    second = certify(report.read_bytes(), tmp_path / "b.pdf", officer)
    assert first.sha256 == second.sha256
    later = certify(report, tmp_path / "c.pdf", officer, SIGNED_AT + timedelta(minutes=1))
    assert later.sha256 != first.sha256


def test_the_signed_file_keeps_the_input_files_permissions(
        report: Path, officer: signing.Signer, tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    shutil.copyfile(report, source)
    source.chmod(0o640)
    assert (certify(source, tmp_path / "out.pdf", officer).path.stat().st_mode & 0o777) == 0o640


# --- the visible seal -------------------------------------------------------------------------


def officer_appearance(pdf: Path) -> tuple[PdfReader, object]:
    reader = PdfReader(pdf)
    for annot in reader.pages[0]["/Annots"]:
        widget = annot.get_object()
        if widget.get("/T") == OFFICER_FIELD:
            return reader, widget["/AP"]["/N"].get_object()
    raise AssertionError("no officer widget")


def test_the_seal_names_the_signer_and_the_time_in_chinese(certified: Path) -> None:
    reader, appearance = officer_appearance(certified)
    texts = []  # pyHanko marks each shaped line with its Unicode text (/ActualText)
    for operands, operator in ContentStream(appearance, reader).operations:
        if operator == b"BDC" and "/ActualText" in operands[1]:
            texts.append(str(operands[1]["/ActualText"]))
    offset = SIGNED_AT.strftime("%z")
    assert texts == ["客户经理签章", "签署人：王芳",
                     f"时间：{SIGNED_AT:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"]


def test_the_seal_font_is_embedded_with_correct_widths(certified: Path) -> None:
    _, appearance = officer_appearance(certified)
    [font] = appearance["/Resources"]["/Font"].values()
    font = font.get_object()
    cid_font = font["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in cid_font["/FontDescriptor"]  # embedded: prints the same anywhere
    assert "/ToUnicode" in font  # the seal's text can be copied and searched
    widths = [w for entry in cid_font["/W"] if isinstance(entry, list) for w in entry]
    # Widths are in 1/1000 em: a CJK glyph is 1000 wide, not the font's 2048 units.
    assert max(widths) == 1000


def test_the_seal_is_drawn_red_inside_the_officer_box(countersigned: Path) -> None:
    scale = 2  # pixels per point
    pdf = pdfium.PdfDocument(countersigned)
    pdf.init_forms()  # without it pdfium skips widget (signature field) appearances
    try:
        image = pdf[0].render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    finally:
        pdf.close()
    height = image.height

    def red_pixels(box: tuple[float, float, float, float], inset: float) -> int:
        x1, y1, x2, y2 = box
        region = image.crop((int((x1 + inset) * scale), int(height - (y2 - inset) * scale),
                             int((x2 - inset) * scale), int(height - (y1 + inset) * scale)))
        pixels = region.tobytes()
        return sum(1 for i in range(0, len(pixels), 3)
                   if pixels[i] > 150 and pixels[i + 1] < 110 and pixels[i + 2] < 110)

    for box in (OFFICER_BOX, SUPERVISOR_BOX):
        assert red_pixels(box, inset=-2) > red_pixels(box, inset=4) > 200  # border, then text
    assert red_pixels((300, 300, 500, 500), inset=0) == 0  # nothing red elsewhere


# --- refusals, and no file left behind --------------------------------------------------------


def test_missing_certificate_file(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match=r"证书文件不存在 / certificate file not found: .*nope"):
        load_signer(tmp_path / "nope.p12", "x")


def test_a_file_that_is_not_pkcs12(tmp_path: Path) -> None:
    bogus = tmp_path / "cert.p12"
    bogus.write_bytes(report_pdf()[:500])
    with pytest.raises(SigningError, match="不是 PKCS#12 证书文件 / not a PKCS#12"):
        load_signer(bogus, "x")


def test_a_p12_without_a_private_key(ca: TestCA, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    _, cert, _ = p12.load_key_and_certificates(
        ca.user("officer").p12_path.read_bytes(), ca.user("officer").password.encode())
    path = tmp_path / "cert-only.p12"
    path.write_bytes(p12.serialize_key_and_certificates(
        b"x", None, cert, None, BestAvailableEncryption(b"pw")))
    with pytest.raises(SigningError, match="没有私钥 / the certificate file has no private key"):
        load_signer(path, "pw")


@pytest.mark.parametrize("case", ["wrong password", "expired", "missing file"])
def test_a_refused_certificate_leaves_no_file(case: str, ca: TestCA, report: Path,
                                              tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    issued = ca.user("officer")
    p12, password, message = issued.p12_path, issued.password, ""
    if case == "wrong password":
        password, message = "wrong-password", "证书密码错误"
    elif case == "expired":
        p12, password = make_user_cert(
            ca, "old", "过期用户", out=tmp_path / "old.p12",
            not_before=datetime(2024, 1, 1, tzinfo=UTC),
            not_after=datetime(2025, 1, 1, tzinfo=UTC))[1:]
        message = "证书已过期 / the certificate expired on 2025-01-01"
    else:
        p12, message = tmp_path / "gone.p12", "证书文件不存在"

    def sign() -> None:
        signer = load_signer(p12, password)
        certify(report, out_dir / "signed.pdf", signer)

    with pytest.raises(SigningError, match=message):
        sign()
    assert list(out_dir.iterdir()) == []


def test_a_failure_while_writing_leaves_no_partial_file(
        report: Path, officer: signing.Signer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(signing.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        certify(report, tmp_path / "signed.pdf", officer)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_replace_keeps_the_previous_file(
        report: Path, officer: signing.Signer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "signed.pdf"
    out.write_bytes(b"previous")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(signing.os, "replace", refuse)
    with pytest.raises(PermissionError):
        certify(report, out, officer)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["signed.pdf"]


def test_signing_outside_the_certificates_validity_is_refused(
        report: Path, officer: signing.Signer, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="证书已过期"):
        certify(report, tmp_path / "late.pdf", officer, SIGNED_AT + timedelta(days=3650))
    with pytest.raises(SigningError, match="时区 / signed_at must carry a time zone"):
        certify(report, tmp_path / "naive.pdf", officer, SIGNED_AT.replace(tzinfo=None))
    assert list(tmp_path.iterdir()) == []


def test_a_page_outside_the_report_is_refused(report: Path, officer: signing.Signer,
                                              tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="page 3 is out of range"):
        certify_report(report, tmp_path / "x.pdf", officer, page=3, officer_box=OFFICER_BOX,
                       supervisor_box=SUPERVISOR_BOX, signed_at=SIGNED_AT)


def test_a_signed_report_is_not_certified_again(certified: Path, officer: signing.Signer,
                                                tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="报告已签署 / the report already has signature"):
        certify(certified, tmp_path / "again.pdf", officer)


def test_countersigning_needs_the_empty_supervisor_field(
        report: Path, supervisor: signing.Signer, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match=re.escape(
            "报告中没有复核签名栏 / the report has no empty supervisor signature field "
            f"({SUPERVISOR_FIELD})")):
        countersign_report(report, tmp_path / "x.pdf", supervisor, signed_at=COUNTERSIGNED_AT)
    assert list(tmp_path.iterdir()) == []


def test_countersigning_twice_is_refused(countersigned: Path, supervisor: signing.Signer,
                                         tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="复核签名栏已签署"):
        countersign_report(countersigned, tmp_path / "x.pdf", supervisor,
                           signed_at=COUNTERSIGNED_AT)


def test_the_officer_cannot_countersign_their_own_report(
        certified: Path, officer: signing.Signer, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="复核人不能是报告签署人本人"):
        countersign_report(certified, tmp_path / "x.pdf", officer, signed_at=COUNTERSIGNED_AT)


def test_a_countersignature_cannot_predate_the_officers_signature(
        certified: Path, supervisor: signing.Signer, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="复核时间早于报告签署时间"):
        countersign_report(certified, tmp_path / "x.pdf", supervisor,
                           signed_at=SIGNED_AT - timedelta(minutes=1))


def test_a_report_changed_after_the_officer_signed_is_not_countersigned(
        certified: Path, supervisor: signing.Signer, tmp_path: Path) -> None:
    data = bytearray(certified.read_bytes())
    at = data.index(b"1 0 0 1 60 730 Tm") + 8  # a text position in the page content
    data[at:at + 1] = b"9"  # 60 -> 90: the line moves
    assert not verify_bytes(bytes(data)).verdict
    with pytest.raises(SigningError, match=r"原签名校验未通过.*digest mismatch"):
        countersign_report(bytes(data), tmp_path / "x.pdf", supervisor,
                           signed_at=COUNTERSIGNED_AT)
    assert list(tmp_path.iterdir()) == []


def test_the_output_may_replace_the_input(certified: Path, supervisor: signing.Signer,
                                          tmp_path: Path, ca: TestCA) -> None:
    path = tmp_path / "report.pdf"
    shutil.copyfile(certified, path)
    countersign_report(path, path, supervisor, signed_at=COUNTERSIGNED_AT)
    assert verify_pdf(path, [ca.ca_cert_path]).verdict
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
