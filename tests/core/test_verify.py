"""Verification: what passes, and every kind of tampering that must fail."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.diff_analysis import ModificationLevel
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.signing import certify_report, countersign_report, load_signer
from inspector_app.reports.verify import (
    VerificationError,
    format_report,
    main_verify,
    verify_bytes,
    verify_pdf,
)
from inspector_app.resources import cjk_font_path

CST = timezone(timedelta(hours=8))
SIGNED_AT = datetime.now(CST).replace(second=0, microsecond=0)
OFFICER_BOX = (60.0, 80.0, 270.0, 150.0)
SUPERVISOR_BOX = (320.0, 80.0, 530.0, 150.0)
TITLE_POSITION = b"1 0 0 1 60 760 Tm"


def report_pdf() -> bytes:
    """A one-page report-like PDF, the CJK font embedded and made the canvas's initial font."""
    pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path())))
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, initialFontName="WQY", pageCompression=0)
    page.setFont("WQY", 16)
    page.drawString(60, 760, "贷后检查报告 检查结论：正常")
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"),
                        [("officer", "王芳"), ("supervisor", "李建国")])


@pytest.fixture(scope="module")
def signed(ca: TestCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report certified by the officer and countersigned by the supervisor."""
    folder = tmp_path_factory.mktemp("signed")
    officer = load_signer(ca.user("officer").p12_path, ca.user("officer").password)
    supervisor = load_signer(ca.user("supervisor").p12_path, ca.user("supervisor").password)
    certify_report(report_pdf(), folder / "certified.pdf", officer, page=0,
                   officer_box=OFFICER_BOX, supervisor_box=SUPERVISOR_BOX, signed_at=SIGNED_AT)
    countersign_report(folder / "certified.pdf", folder / "signed.pdf", supervisor,
                       signed_at=SIGNED_AT + timedelta(hours=1))
    return folder / "signed.pdf"


def append_update(pdf: bytes, change: str) -> bytes:
    """An incremental update, as anyone with a PDF library could append after signing."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    if change == "paint over":
        # A white box over the title and a black bar where it was: the page now says otherwise.
        stream = writer.add_object(generic.StreamObject(
            stream_data=b"q 1 1 1 rg 50 745 500 40 re f 0 0 0 rg 60 755 200 12 re f Q"))
        writer.add_stream_to_page(0, stream)
    elif change == "annotate":
        page_ref, _ = writer.find_page_for_modification(0)
        note = writer.add_object(generic.DictionaryObject({
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (400, 700, 420, 720)]),
            generic.pdf_name("/Contents"): generic.TextStringObject("已核实"),
        }))
        page = page_ref.get_object()
        page["/Annots"].append(note)
        writer.update_container(page["/Annots"])
    elif change == "retitle":
        # The document information: what a reader's title bar and a file index show.
        info = writer._info.get_object()
        info[generic.pdf_name("/Title")] = generic.TextStringObject("贷后检查报告（已核实无异常）")
        writer.update_container(info)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signed_report_passes(signed: Path, ca: TestCA) -> None:
    report = verify_pdf(signed, [ca.ca_cert_path])
    assert report.verdict and report.problems == ()
    assert [s.signer for s in report.signatures] == ["王芳", "李建国"]
    assert main_verify([str(signed), "--trust", str(ca.ca_cert_path)]) == 0


def test_one_flipped_byte_in_the_page_content_fails_both_signatures(
        signed: Path, ca: TestCA, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    at = data.index(TITLE_POSITION) + len(b"1 0 0 1 ")
    # In the first revision's page content, so inside both signatures' byte ranges, and not in
    # either signature's /Contents hex.
    assert data.count(TITLE_POSITION) == 1 and data[at:at + 2] == b"60"
    data[at] = ord("9")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    report = verify_pdf(tampered, [ca.ca_cert_path])
    assert not report.verdict
    assert len(report.signatures) == 2
    for sig in report.signatures:
        assert not sig.intact and not sig.verdict
        assert any("digest mismatch" in p for p in sig.problems)
    assert main_verify([str(tampered), "--trust", str(ca.ca_cert_path)]) == 1


def test_painting_over_the_page_after_signing_fails_though_the_digests_hold(
        signed: Path, ca: TestCA, tmp_path: Path) -> None:
    tampered = tmp_path / "painted.pdf"
    tampered.write_bytes(append_update(signed.read_bytes(), "paint over"))
    report = verify_pdf(tampered, [ca.ca_cert_path])
    assert not report.verdict and report.revisions == 4
    for sig in report.signatures:
        # A digest-only check would pass: the signed bytes are untouched...
        assert sig.intact and sig.valid and sig.trusted
        # ...but what came after is not form filling.
        assert sig.modification_level == ModificationLevel.OTHER
        assert not sig.docmdp_ok and not sig.verdict
        assert sig.problems == (
            "签名后文件被修改：第 1 页页面内容被修改 / the document was changed after signing: "
            "page content was modified on page 1",)
    assert "签名后文件被修改" in format_report(report)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_pdfsig_alone_does_not_see_the_painted_over_page(signed: Path, tmp_path: Path) -> None:
    """Why the difference analysis matters: the digest-only view calls the file valid."""
    tampered = tmp_path / "painted.pdf"
    tampered.write_bytes(append_update(signed.read_bytes(), "paint over"))
    done = subprocess.run(["pdfsig", str(tampered)], capture_output=True, text=True,
                          check=False)
    assert done.stdout.count("Signature is Valid.") == 2, done.stdout


def test_an_annotation_added_after_certification_is_not_allowed(
        signed: Path, ca: TestCA, tmp_path: Path) -> None:
    tampered = tmp_path / "annotated.pdf"
    tampered.write_bytes(append_update(signed.read_bytes(), "annotate"))
    report = verify_pdf(tampered, [ca.ca_cert_path])
    assert not report.verdict
    officer = report.signatures[0]
    assert officer.intact and officer.valid
    assert officer.modification_level in {ModificationLevel.ANNOTATIONS, ModificationLevel.OTHER}
    assert not officer.docmdp_ok
    assert "annotations were added or changed on page 1" in officer.problems[0]


def test_a_change_of_the_document_information_after_signing_is_reported_as_one(
        signed: Path, ca: TestCA, tmp_path: Path) -> None:
    tampered = tmp_path / "retitled.pdf"
    tampered.write_bytes(append_update(signed.read_bytes(), "retitle"))
    report = verify_pdf(tampered, [ca.ca_cert_path])
    assert not report.verdict
    for sig in report.signatures:
        assert sig.intact and sig.valid and sig.trusted
        assert sig.info_changes == ("/Title",) and not sig.docmdp_ok
        assert sig.problems == ("签名后文档信息被修改（/Title）/ the document information "
                                "(/Title) was changed after signing",)
    en, zh = format_report(report, "en"), format_report(report, "zh")
    assert "long-term validation data" not in en and "长期验证" not in zh
    assert "Changes after: the document information changed (/Title) (not permitted)" in en
    assert "签名后修改: 文档信息被修改（/Title） (不允许)" in zh
    assert main_verify([str(tampered), "--trust", str(ca.ca_cert_path)]) == 1


def test_a_signer_not_chained_to_a_trusted_root_fails_unless_allowed_explicitly(
        signed: Path, ca: TestCA, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stranger = make_test_ca(tmp_path / "other", [])
    # No trust root at all, or one that did not issue the signers' certificates.
    assert main_verify([str(signed), "--lang", "en"]) == 1
    said = capsys.readouterr().out
    assert "does not chain to a trusted root" in said and "--allow-untrusted" in said
    assert main_verify([str(signed), "--trust", str(stranger.ca_cert_path)]) == 1
    capsys.readouterr()
    # Told otherwise, explicitly: intact and unchanged is enough.
    assert main_verify([str(signed), "--allow-untrusted"]) == 0
    assert main_verify([str(signed), "--trust", str(stranger.ca_cert_path),
                        "--allow-untrusted"]) == 0
    # The flag never excuses a changed document.
    painted = tmp_path / "painted.pdf"
    painted.write_bytes(append_update(signed.read_bytes(), "paint over"))
    assert main_verify([str(painted), "--allow-untrusted"]) == 1


def test_a_file_cut_short_is_not_read_as_a_report(signed: Path, ca: TestCA) -> None:
    data = signed.read_bytes()
    with pytest.raises(VerificationError, match="not a readable PDF"):
        verify_bytes(data[: len(data) - 2000], [ca.ca_cert_path])


def test_a_certificate_from_another_ca_is_not_trusted(
        signed: Path, tmp_path: Path) -> None:
    stranger = make_test_ca(tmp_path / "other", [])
    report = verify_pdf(signed, [stranger.ca_cert_path])
    assert not report.verdict
    for sig in report.signatures:
        assert sig.intact and sig.valid and sig.trusted is False
        assert any("not trusted" in p for p in sig.problems)


def test_an_expired_certificate_is_not_trusted_without_a_timestamp(
        signed: Path, ca: TestCA) -> None:
    later = datetime.now(UTC) + timedelta(days=3 * 365)
    report = verify_pdf(signed, [ca.ca_cert_path], validation_time=later)
    assert not report.verdict
    assert all(sig.trusted is False for sig in report.signatures)


def test_without_trust_roots_trust_is_unknown_and_said_so(signed: Path) -> None:
    report = verify_pdf(signed)
    assert not report.trust_checked
    assert all(sig.trusted is None for sig in report.signatures)
    assert report.verdict  # intact, valid and unmodified; only the chain is unchecked
    assert "未指定信任根" in format_report(report, "zh")
    assert "no trust root given" in format_report(report, "en")


def test_an_unsigned_pdf_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "unsigned.pdf"
    path.write_bytes(report_pdf())
    report = verify_pdf(path)
    assert not report.verdict and report.signatures == ()
    assert report.problems == ("文件没有签名 / the document has no signatures",)
    assert main_verify([str(path), "--lang", "en"]) == 1
    assert "the document has no signatures" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj\n<<"])
def test_a_corrupt_file_gives_a_clear_error_and_no_traceback(
        content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(VerificationError, match="不是有效的 PDF 文件 / not a readable PDF"):
        verify_pdf(path)
    assert main_verify([str(path)]) == 2
    err = capsys.readouterr().err
    assert "not a readable PDF" in err and "Traceback" not in err


def test_a_missing_file_gives_a_clear_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main_verify([str(tmp_path / "nope.pdf")]) == 2
    assert "文件不存在 / file not found" in capsys.readouterr().err


def test_the_report_reads_in_both_languages(signed: Path, ca: TestCA) -> None:
    report = verify_pdf(signed, [ca.ca_cert_path])
    zh, en = format_report(report, "zh"), format_report(report, "en")
    assert "结论: 全部签名验证通过" in zh and "覆盖第 2 版（共 3 版）" in zh
    assert "签名后修改: 仅签名和填写表单 (允许)" in zh
    assert "Verdict: all signatures verified" in en
    assert "covers revision 2 of 3" in en and "covers the entire document" in en
    assert "Changes after: signing and form filling only (permitted)" in en
