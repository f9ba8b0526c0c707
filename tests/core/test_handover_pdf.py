"""The handover record as a PDF (issue #15 item 3): the embedded font only, the handover named
in /Keywords, certified by the officer handing over and countersigned by the one taking over;
both signatures verify, and a third party cannot countersign twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.handover_pdf import render_handover
from inspector_app.reports.handover_signing import countersign_handover, sign_handover
from inspector_app.reports.signing import SigningError
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


def test_the_record_renders_with_the_embedded_font_and_names_the_handover() -> None:
    pdf, layout = render_handover(_record(), NAMES)
    again, _ = render_handover(_record(), NAMES)
    assert pdf == again  # the same record, the same file
    reader = PdfReader(BytesIO(pdf))
    assert layout.page_index == len(reader.pages) - 1 >= 1
    assert reader.metadata.get("/Keywords") == "h-1"  # the handover it is the record of
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("贷后管理责任移交清单", "C010", "主要客户流失", "移交人签章", "接收人签章"):
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
