"""The verdict on a signed report, as the officer sees it, in Chinese and in English."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from test_screens import save, texts_fit

from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.i18n import in_language
from inspector_app.gui.reports.verdict import (
    SIGNATURE_FIELDS,
    ReportVerdict,
    ReportVerdictWidget,
    SignatureRow,
    from_verification_report,
    verify_in_background,
)
from inspector_app.gui.workers import TaskRunner
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.signing import (
    OFFICER_FIELD,
    SUPERVISOR_FIELD,
    certify_report,
    countersign_report,
    load_signer,
)
from inspector_app.reports.verify import verify_pdf

CHINA = timezone(timedelta(hours=8))
SIGNED_AT = datetime(2025, 3, 10, 15, 42, tzinfo=CHINA)


@dataclass(frozen=True)
class Reports:
    countersigned: Path  # officer certified, supervisor countersigned: all valid
    tampered: Path  # the officer's signed bytes changed afterwards
    ca_cert: Path


def plain_report() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 760, "Inspection report")
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    folder = tmp_path_factory.mktemp("verdict")
    now = datetime.now(CHINA).replace(microsecond=0)
    ca = make_test_ca(folder / "ca", [("wang", "王明"), ("zhang", "张华")])
    officer = ca.user("wang")
    supervisor = ca.user("zhang")
    certified = folder / "certified.pdf"
    certify_report(
        plain_report(), certified, load_signer(officer.p12_path, officer.password), page=0,
        officer_box=(330, 90, 530, 170), supervisor_box=(60, 90, 260, 170), signed_at=now,
    )
    countersigned = folder / "countersigned.pdf"
    countersign_report(
        certified, countersigned, load_signer(supervisor.p12_path, supervisor.password),
        signed_at=now + timedelta(minutes=5),
    )
    data = certified.read_bytes()
    assert data.count(b"ReportLab") >= 1
    tampered = folder / "tampered.pdf"
    # One byte inside the signed range (the document information): the digest no longer fits.
    tampered.write_bytes(data.replace(b"ReportLab", b"ReportLaX", 1))
    return Reports(countersigned, tampered, ca.ca_cert_path)


def row(**changes: object) -> SignatureRow:
    fields: dict[str, object] = dict(
        field_name="OfficerSignature", signer="王明", signing_time=SIGNED_AT, intact=True,
        valid=True, trusted=True, covers_entire_file=True, revision=2, revisions=2,
        modification_level="NONE", changes_allowed=True, verdict=True, problems=(),
    )
    fields.update(changes)
    return SignatureRow(**fields)  # type: ignore[arg-type]


@pytest.fixture
def widget(qtbot: QtBot, qapp: QApplication) -> ReportVerdictWidget:
    use_bundled_font(qapp)
    view = ReportVerdictWidget()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


# -- the adapter ---------------------------------------------------------------------------------


def test_adapter_reads_the_verifiers_report_by_name() -> None:
    check = SimpleNamespace(
        field_name="OfficerSignature", signer="王明", signer_subject="CN=王明",
        signed_at=SIGNED_AT, intact=True, valid=True, trusted=None, revision=2, revisions=3,
        covers_entire_file=False, modification_level=SimpleNamespace(name="FORM_FILLING"),
        docmdp_ok=True, problems=(), verdict=True,
    )
    report = SimpleNamespace(
        signatures=(check,), problems=(), verdict=True, trust_checked=False, revisions=3
    )

    verdict = from_verification_report(report)

    assert verdict.verdict and not verdict.trust_checked
    [only] = verdict.signatures
    assert only == SignatureRow(
        field_name="OfficerSignature", signer="王明", signing_time=SIGNED_AT, intact=True,
        valid=True, trusted=None, covers_entire_file=False, revision=2, revisions=3,
        modification_level="FORM_FILLING", changes_allowed=True, verdict=True,
    )


def test_adapter_is_never_greener_than_the_signatures() -> None:
    broken = SimpleNamespace(signer="王明", intact=False, valid=True, trusted=True)
    # A report object that says "fine" while a signature is not: the rows win.
    verdict = from_verification_report(SimpleNamespace(signatures=[broken], verdict=True))
    assert not verdict.verdict
    assert not verdict.signatures[0].verdict


def test_bilingual_messages_are_split_by_language() -> None:
    text = "签名证书不受信任 / the signer's certificate is not trusted (PATH)"
    assert in_language(text, "zh_CN") == "签名证书不受信任"
    assert in_language(text, "en") == "the signer's certificate is not trusted (PATH)"
    # No space before the slash after Chinese punctuation, as verify.py writes some of them.
    tight = "签名范围内的内容被改动（摘要不符）/ the signed bytes were altered (digest mismatch)"
    assert in_language(tight, "zh_CN") == "签名范围内的内容被改动（摘要不符）"
    assert in_language(tight, "en") == "the signed bytes were altered (digest mismatch)"
    assert in_language("a / b", "zh_CN") == "a / b"  # not a bilingual message
    assert in_language("报告 2025/03", "en") == "报告 2025/03"


# -- the widget ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "valid", "invalid", "yes", "whole"),
    [
        ("zh_CN", "✓ 签名有效", "✗ 签名无效", "是", "整份报告"),
        ("en", "✓ All signatures valid", "✗ Signatures not valid", "Yes", "The whole report"),
    ],
)
def test_valid_and_invalid_verdicts_in_both_languages(
    widget: ReportVerdictWidget, lang: str, valid: str, invalid: str, yes: str, whole: str
) -> None:
    i18n.install(lang)
    widget.show_verdict(ReportVerdict(True, (row(),)))
    assert widget.headline() == valid
    assert widget.problems() == []
    assert widget.row_texts(0) == ["✓ 王明", "2025-03-10 15:42 +08:00", yes, yes, whole,
                                   widget.tr("None")]

    problem = "签名范围内的内容被改动（摘要不符）/ the signed bytes were altered (digest mismatch)"
    widget.show_verdict(ReportVerdict(False, (row(intact=False, verdict=False,
                                                  problems=(problem,)),)))
    assert widget.headline() == invalid
    expected = "王明: " + in_language(problem, lang)
    assert widget.problems() == [expected]
    assert widget.row_texts(0)[0] == "✗ 王明"


def test_switching_language_retranslates_what_is_shown(widget: ReportVerdictWidget) -> None:
    i18n.install("en")
    widget.show_verdict(ReportVerdict(True, (row(),)))
    i18n.install("zh_CN")
    assert widget.headline() == "✓ 签名有效"
    assert widget.table.horizontalHeaderItem(0).text() == "签署人"


def test_unsigned_unchecked_and_failed_states(widget: ReportVerdictWidget) -> None:
    i18n.install("en")
    no_signatures = "文件没有签名 / the document has no signatures"
    widget.show_verdict(ReportVerdict(False, (), (no_signatures,)))
    assert widget.headline() == "✗ The report is not signed"

    widget.show_verdict(ReportVerdict(True, (row(trusted=None),), trust_checked=False))
    assert widget.headline() == "✓ All signatures valid"
    assert "not checked" in widget.note()
    assert widget.row_texts(0)[3] == "Not checked"

    widget.show_verdict(ReportVerdict.failed("文件不存在 / file not found: x.pdf"))
    assert widget.headline() == "✗ The report could not be checked"
    assert widget.problems() == ["file not found: x.pdf"]

    widget.show_busy()
    assert widget.busy and widget.headline() == "Checking the signatures…"


def test_changes_after_signing_say_whether_they_were_allowed(widget: ReportVerdictWidget) -> None:
    i18n.install("en")
    widget.show_verdict(ReportVerdict(False, (
        row(modification_level="FORM_FILLING"),
        row(signer="张华", modification_level="OTHER", changes_allowed=False, verdict=False),
    )))
    assert widget.row_texts(0)[5] == "The review and later signatures (allowed)"
    assert widget.row_texts(1)[5] == "Other changes (not allowed)"


def test_signatures_are_named_in_words_not_by_their_field(widget: ReportVerdictWidget) -> None:
    """The report's fields, by what they are: not "OfficerSignature", nor "version 2 of 3"."""
    assert set(SIGNATURE_FIELDS) == {OFFICER_FIELD, SUPERVISOR_FIELD}
    i18n.install("zh_CN")
    widget.show_verdict(ReportVerdict(True, (
        row(signer="", field_name=OFFICER_FIELD, covers_entire_file=False, revision=2,
            revisions=3, modification_level="FORM_FILLING"),
    )))
    cells = widget.row_texts(0)
    assert cells[0] == "✓ 客户经理签名"
    assert cells[4:] == ["签名时的报告内容", "复核意见及其后的签名（允许）"]
    assert widget.table.item(0, 0).toolTip().startswith("客户经理签名")


# -- with the real verifier, off the UI thread -------------------------------------------------


def test_a_countersigned_report_is_valid(
    qtbot: QtBot, widget: ReportVerdictWidget, reports: Reports
) -> None:
    i18n.install("en")
    widget.verify_file(reports.countersigned, [reports.ca_cert])
    assert widget.busy
    qtbot.waitUntil(lambda: not widget.busy, timeout=30_000)

    assert widget.headline() == "✓ All signatures valid"
    assert widget.problems() == [] and widget.note() == ""
    officer, supervisor = widget.row_texts(0), widget.row_texts(1)
    assert officer[0] == "✓ 王明" and supervisor[0] == "✓ 张华"
    assert officer[2:4] == ["Yes", "Yes"]
    assert officer[4] == "The report as it was signed"  # the supervisor's review came after
    assert officer[5] == "The review and later signatures (allowed)"
    assert supervisor[4] == "The whole report"


def test_a_tampered_report_is_not_valid(
    qtbot: QtBot, widget: ReportVerdictWidget, reports: Reports
) -> None:
    i18n.install("zh_CN")
    widget.verify_file(reports.tampered, [reports.ca_cert])
    qtbot.waitUntil(lambda: not widget.busy, timeout=30_000)

    assert widget.headline() == "✗ 签名无效"
    assert widget.problems()[0] == "王明: 签名范围内的内容被改动（摘要不符）"
    assert widget.row_texts(0)[0] == "✗ 王明"
    assert widget.row_texts(0)[2] == "否"


def test_verify_in_background_hands_failures_over_as_a_verdict(
    qtbot: QtBot, tmp_path: Path
) -> None:
    runner = TaskRunner()
    outcomes: list[ReportVerdict] = []
    verify_in_background(runner, tmp_path / "missing.pdf", [], outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    [outcome] = outcomes
    assert not outcome.verdict
    assert outcome.error is not None and "file not found" in outcome.error


def test_the_real_report_object_is_read_fully(reports: Reports) -> None:
    verdict = from_verification_report(verify_pdf(reports.countersigned, [reports.ca_cert]))
    assert verdict.verdict and verdict.trust_checked
    assert [r.signer for r in verdict.signatures] == ["王明", "张华"]
    assert all(r.signing_time is not None and r.trusted for r in verdict.signatures)
    assert verdict.signatures[0].modification_level == "FORM_FILLING"


# -- what it looks like --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_verdict_screens(
    qtbot: QtBot, widget: ReportVerdictWidget, reports: Reports, lang: str
) -> None:
    i18n.install(lang)
    for name, path in (("valid", reports.countersigned), ("invalid", reports.tampered)):
        widget.verify_file(path, [reports.ca_cert])
        qtbot.waitUntil(lambda: not widget.busy, timeout=30_000)
        widget.resize(widget.sizeHint())
        qtbot.wait(10)
        assert texts_fit(widget) == []
        header = widget.table.horizontalHeader()
        assert widget.table.horizontalScrollBar().maximum() == 0, "columns are cut off"
        assert header.length() <= widget.table.viewport().width()
        save(widget, f"verdict_{name}_{lang}")
