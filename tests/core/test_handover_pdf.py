"""The handover record as a PDF (issue #15 item 3): the embedded font only, the handover named
in /Keywords, certified by the officer handing over, countersigned by the one taking over and
confirmed by their supervisor; all three signatures verify (pyHanko, and poppler's pdfsig
when installed), nobody signs twice, and no internal code shows in either language."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    LoanType,
    Severity,
    SignalCategory,
    SignalStatus,
    VisitStatus,
)
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.handover_pdf import LABELS, render_handover
from inspector_app.reports.handover_signing import (
    CONFIRM_FIELD,
    confirm_handover,
    countersign_handover,
    sign_handover,
)
from inspector_app.reports.signing import SigningError, certify_report, load_signer
from inspector_app.reports.verify import verify_bytes
from inspector_app.wire import HandoverRecord

NAMES = {"u-a": "李明", "u-b": "王芳"}


def _record() -> HandoverRecord:
    borrowers = [{
        "id": f"b{n}", "code": f"C{n:03d}", "name": f"江苏恒达精密机械有限公司{n}",
        "loans": [{"id": "l", "contract_no": f"L-C{n:03d}", "loan_type": "working_capital",
                   "amount_fen": 500_000_000, "outstanding_fen": 400_000_000,
                   "classification": "normal", "matures_on": "2027-03-01", "days_past_due": 0}],
        "collateral_items": [{"id": "c", "code": f"P-C{n:03d}", "kind": "property",
                              "description": "厂房", "pledged_value_fen": 500_000_000}],
        "open_signals": [{"id": "s", "visit_id": "v", "title": "主要客户流失", "category":
                          "operational", "severity": "orange", "status": "raised",
                          "raised_on": "2026-11-20", "event": False, "handler_id": None}]
        if n == 1 else [],
        "inspection": {"state": "overdue" if n % 2 else "pending", "due_on": "2026-12-01",
                       "kind": "routine", "reason_zh": "例行检查", "reason_en": "routine",
                       "last_visit_on": None},
        "unsigned_visits": [{"id": "v2", "status": "draft", "visit_date": "2026-12-01",
                             "server_version": 1, "payload_sha256": "0" * 64, "answers": 6,
                             "notes": 6, "photos": 1, "observations": 0, "signals": 1}]
        if n == 2 else [],
        "signed_visits": 0, "missing_files": [],
    } for n in range(1, 11)]
    return HandoverRecord(
        id="h-1", status="pending", from_officer_id="u-a", to_officer_id="u-b",
        borrower_ids=[b["id"] for b in borrowers], started_by="sup1",
        started_at=datetime(2026, 12, 7, 9, tzinfo=UTC), version=1,
        record={"made_on": "2026-12-07", "borrowers": borrowers,
                "totals": {"borrowers": 10, "loans": 10, "collateral_items": 10,
                           "open_signals": 1, "unsigned_visits": 1, "overdue_inspections": 5,
                           "missing_files": 0},
                "from_officer_devices": [{"id": "d", "name": "李明的笔记本",
                                          "last_sync_at": "2026-12-07T08:00:00+00:00"}]})


def _handwriting() -> bytes:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 70), (80, 20), (150, 80), (290, 40)], fill=(0, 0, 0, 255),
                               width=5)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_record_renders_with_the_embedded_font_and_names_the_handover() -> None:
    pdf, layout = render_handover(_record(), NAMES)
    again, _ = render_handover(_record(), NAMES)
    assert pdf == again  # the same record, the same file
    reader = PdfReader(BytesIO(pdf))
    assert layout.page_index == len(reader.pages) - 1 >= 1
    assert reader.metadata.get("/Keywords") == "h-1"  # the handover it is the record of
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("贷后管理责任移交清单", "C010", "主要客户流失", "移交人签章", "接收人签章",
                  "监交人确认签章"):
        assert words in text
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("+" in f for f in fonts), fonts  # subsets embedded, no standard-14


def test_both_officers_sign_and_both_signatures_verify(tmp_path: Path) -> None:
    ca = make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("off_b", "王芳")])
    when = datetime.now(UTC)
    signed = sign_handover(_record(), NAMES, ca.user("off_a").p12_path,
                           ca.user("off_a").password, tmp_path / "signed.pdf", signed_at=when)
    first = verify_bytes(signed.path.read_bytes())
    assert first.verdict and len(first.signatures) == 1
    both = countersign_handover(signed.path, ca.user("off_b").p12_path,
                                ca.user("off_b").password, tmp_path / "both.pdf",
                                signed_at=when + timedelta(hours=1))
    report = verify_bytes(both.path.read_bytes())
    assert report.verdict, report.problems
    assert [s.signer for s in report.signatures] == ["李明", "王芳"]
    with pytest.raises(SigningError):  # the field is taken: nobody signs it a second time
        countersign_handover(both.path, ca.user("off_b").p12_path, ca.user("off_b").password,
                             tmp_path / "again.pdf", signed_at=when + timedelta(hours=2))


def test_the_supervisor_confirms_with_a_third_signature_and_all_three_verify(
        tmp_path: Path) -> None:
    ca = make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("off_b", "王芳"), ("sup1", "张伟")])
    when = datetime.now(UTC)
    signed = sign_handover(_record(), NAMES, ca.user("off_a").p12_path,
                           ca.user("off_a").password, tmp_path / "signed.pdf", signed_at=when)
    both = countersign_handover(signed.path, ca.user("off_b").p12_path,
                                ca.user("off_b").password, tmp_path / "both.pdf",
                                signed_at=when + timedelta(hours=1))
    with pytest.raises(SigningError, match="复核人不能是报告签署人本人"):  # nobody signs twice
        confirm_handover(both.path, ca.user("off_b").p12_path, ca.user("off_b").password,
                         tmp_path / "self.pdf", signed_at=when + timedelta(hours=2))
    three = confirm_handover(both.path, ca.user("sup1").p12_path, ca.user("sup1").password,
                             tmp_path / "three.pdf", signed_at=when + timedelta(hours=2),
                             handwritten_png=_handwriting())
    data = three.path.read_bytes()
    assert data.startswith(both.path.read_bytes())  # an incremental update of the countersigned
    report = verify_bytes(data, [ca.ca_cert_path])
    assert report.verdict, report.problems
    assert [s.signer for s in report.signatures] == ["李明", "王芳", "张伟"]
    assert all(s.chains_to_trusted_root for s in report.signatures)
    assert [s.field_name for s in report.signatures][-1] == CONFIRM_FIELD
    assert report.signatures[-1].covers_entire_file
    if shutil.which("pdfsig"):  # poppler's verifier, when installed, agrees
        out = subprocess.run(["pdfsig", str(three.path)], capture_output=True, text=True,
                             timeout=60).stdout
        assert out.count("Signature Validation: Signature is Valid.") == 3, out
        assert "Total document signed" in out
    with pytest.raises(SigningError):  # the confirmation field is taken now
        confirm_handover(three.path, ca.user("sup1").p12_path, ca.user("sup1").password,
                         tmp_path / "again.pdf", signed_at=when + timedelta(hours=3))


def test_a_record_certified_without_the_confirmation_field_cannot_be_confirmed(
        tmp_path: Path) -> None:
    """A record certified by an earlier version has no place for the third signature (one
    made later would break the certification): refused, saying so; nothing written."""
    ca = make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("off_b", "王芳"), ("sup1", "张伟")])
    when = datetime.now(UTC)
    pdf, layout = render_handover(_record(), NAMES)
    old = certify_report(pdf, tmp_path / "old.pdf",
                         load_signer(ca.user("off_a").p12_path, ca.user("off_a").password),
                         page=layout.page_index, officer_box=layout.giver_box,
                         supervisor_box=layout.taker_box, signed_at=when)
    both = countersign_handover(old.path, ca.user("off_b").p12_path, ca.user("off_b").password,
                                tmp_path / "both.pdf", signed_at=when + timedelta(hours=1))
    with pytest.raises(SigningError, match=CONFIRM_FIELD):
        confirm_handover(both.path, ca.user("sup1").p12_path, ca.user("sup1").password,
                         tmp_path / "three.pdf", signed_at=when + timedelta(hours=2))
    assert not (tmp_path / "three.pdf").exists()


# Every code the record carries, from the domain's enums (the words the visit report says).
CODED = (LoanType, Classification, CollateralKind, Severity, SignalStatus, SignalCategory,
         VisitStatus)


def _every_code_record() -> HandoverRecord:
    """A record whose borrowers between them carry every loan type, classification,
    collateral kind, signal category, severity and state, and unsigned visit state."""
    record = _record()
    borrowers = record.record["borrowers"]
    for n, b in enumerate(borrowers):
        b["loans"][0]["loan_type"] = list(LoanType)[n % len(LoanType)].value
        b["loans"][0]["classification"] = list(Classification)[n % len(Classification)].value
        b["collateral_items"][0]["kind"] = list(CollateralKind)[n % len(CollateralKind)].value
        b["open_signals"] = [{
            "id": f"s{n}", "visit_id": "v", "title": "应收账款大幅增加",
            "category": list(SignalCategory)[n % len(SignalCategory)].value,
            "severity": list(Severity)[n % len(Severity)].value,
            "status": list(SignalStatus)[n % 3].value, "raised_on": "2026-11-20",
            "event": False, "handler_id": None}]
        b["unsigned_visits"] = [{"id": f"v{n}", "status": ("draft", "completed")[n % 2],
                                 "visit_date": "2026-12-01", "server_version": 1,
                                 "payload_sha256": "0" * 64, "answers": 6, "notes": 1,
                                 "photos": 1, "observations": 0, "signals": 1}]
    return record


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_code_in_the_record(lang: str) -> None:
    record = _every_code_record()
    pdf, _layout = render_handover(record, NAMES, lang)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    words = set(re.findall(r"[A-Za-z_]+", text))
    # The form's and the labels' own English words ("signed", "governance") are words, not
    # codes; a code as such ("orange", "working_capital") is none of them.
    form = {w for label in [*LABELS.values(), *(m.text for kind in CODED for m in kind)]
            for w in re.findall(r"[A-Za-z_]+", label.en)}
    codes = {m.value for kind in CODED for m in kind} - (form if lang == "en" else set())
    assert not words & codes, sorted(words & codes)
    flat = re.sub(r"\s+", "", text)  # a label a table cell wrapped is still found

    def said(label: str) -> bool:
        return re.sub(r"\s+", "", label) in flat

    for kind in CODED[:6]:  # each code said in words instead (unsigned visits: two states)
        for member in kind:
            if kind is SignalStatus and member is SignalStatus.CLEARED:
                continue  # a cleared signal is not open: never on the record
            assert said(member.label(lang)), (member, member.label(lang))
    for state in ("draft", "completed"):
        assert said(VisitStatus(state).label(lang))
    assert "T08:00:00" not in text  # a timestamp said to the minute, not in ISO form
