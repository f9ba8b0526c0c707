"""The report's 复核确认 block: empty text fields made by the officer's certification, filled by
the supervisor's countersignature (with the handwritten signature in the seal), both signatures
valid to the app's verification and to poppler; anything beyond form filling still fails."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from sqlalchemy import select
from test_sign_visit import _cert, _complete, _png
from test_signing import certify, report_pdf

from inspector_app.domain.enums import Classification, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.reports import files as report_files
from inspector_app.reports import signing
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.data import REPORT_TZ
from inspector_app.reports.review_block import (
    CLASSIFICATION_FIELD,
    DECISION_FIELD,
    MULTILINE_FIELDS,
    OPINION_FIELD,
    REVIEW_DATE_FIELD,
    REVIEW_FIELDS,
    REVIEWER_FIELD,
    ReviewBlock,
)
from inspector_app.reports.signing import OFFICER_FIELD, SUPERVISOR_FIELD, SigningError
from inspector_app.reports.verify import verify_bytes, verify_pdf
from inspector_app.store.local import LocalStore
from inspector_app.store.models import AuditEntry, Report, Review, Visit
from inspector_app.store.review_rows import Approval

SIGNED_AT = datetime(2026, 11, 22, 16, 30, tzinfo=REPORT_TZ)
LATER = datetime(2026, 11, 23, 9, 45, tzinfo=REPORT_TZ)
OPINION = {
    "zh": "经复核，借款人库存积压、应收账款回收放缓，同意客户经理的检查结论，按月跟踪回款。",
    "en": "Reviewed: inventory is building up and collections are slowing; I agree with the "
          "officer and ask for monthly follow-up of collections.",
}
REASON = {"zh": "主要客户回款逾期九十天", "en": "the main customer is 90 days late"}
READ_ONLY = 1  # field flag bit 1
MULTILINE = 1 << 12


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"), [("li", "李明"), ("zhang", "张主任")],
                        now=datetime(2026, 1, 1, tzinfo=REPORT_TZ))


def handwriting() -> bytes:
    """A pen stroke on a transparent background, as the signature pad gives it."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (60, 20), (110, 70), (170, 15), (230, 75)],
                               fill=(10, 30, 90, 255), width=6)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass
class Signed:
    store: LocalStore
    visit_id: str
    lang: str
    certified: Path
    countersigned: Path | None = None


def sign(store: LocalStore, portfolio: Any, ca: TestCA, lang: str) -> Signed:
    visit_id = _complete(store, portfolio)
    report = report_files.sign_visit(store, visit_id, portfolio.officer, *_cert(ca, "li"),
                                     lang=lang, handwritten_png=_png(), signed_at=SIGNED_AT)
    store.transition(visit_id, portfolio.officer, VisitStatus.SUBMITTED)
    return Signed(store, visit_id, lang, report_files.report_path(store.data_dir, report.sha256))


def approve(signed: Signed, portfolio: Any, ca: TestCA, **kwargs: Any) -> Path:
    kwargs.setdefault("approval", Approval(OPINION[signed.lang], Classification.SPECIAL_MENTION,
                                           REASON[signed.lang]))
    kwargs.setdefault("handwritten_png", handwriting())
    final = report_files.countersign_visit(signed.store, signed.visit_id, portfolio.supervisor,
                                           *_cert(ca, "zhang"), signed_at=LATER, **kwargs)
    signed.countersigned = report_files.report_path(signed.store.data_dir, final.sha256)
    return signed.countersigned


def text_fields(pdf: Path | bytes) -> dict[str, generic.DictionaryObject]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    reader = PdfFileReader(BytesIO(data))
    fields = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") == "/Tx":
            fields[str(field["/T"])] = field
    return fields


def pdftotext(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfsig") is None,
    reason="poppler-utils is not installed")


# --- the officer's certification -----------------------------------------------------------


def test_the_certification_makes_the_empty_review_fields(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    checked = verify_pdf(signed.certified, [ca.ca_cert_path], validation_time=SIGNED_AT)
    assert checked.verdict, checked.problems
    assert [s.field_name for s in checked.signatures] == [OFFICER_FIELD]
    # Made in the certification's own update: covered by the officer's signature.
    assert checked.revisions == 2 and checked.signatures[0].covers_entire_file

    fields = text_fields(signed.certified)
    assert sorted(fields) == sorted(REVIEW_FIELDS)
    reader = PdfFileReader(BytesIO(signed.certified.read_bytes()))
    last = reader.root["/Pages"]["/Kids"][-1].get_object()
    media = [float(v) for v in last["/MediaBox"]]
    on_page = {annot.get_object().get("/T") for annot in last["/Annots"]}
    assert set(REVIEW_FIELDS) | {OFFICER_FIELD, SUPERVISOR_FIELD} <= on_page
    supervisor = next(a.get_object() for a in last["/Annots"]
                      if a.get_object().get("/T") == SUPERVISOR_FIELD)
    seal_top = float(supervisor["/Rect"][3])
    for name, field in fields.items():
        assert "/V" not in field  # empty
        flags = int(field["/Ff"])
        assert not flags & READ_ONLY  # filling it later is form filling
        assert bool(flags & MULTILINE) == (name in MULTILINE_FIELDS)
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        assert media[0] <= x1 < x2 <= media[2] and media[1] <= y1 < y2 <= media[3]
        assert y2 <= seal_top  # in the supervisor's part of the block, below the officer's
        assert field["/AP"]["/N"].get_object().data == b""  # nothing drawn yet
    opinion = [float(v) for v in fields[OPINION_FIELD]["/Rect"]]
    assert opinion[2] - opinion[0] > 400 and opinion[3] - opinion[1] > 50  # room to write


# --- the supervisor's countersignature -----------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_countersignature_fills_the_block_and_both_signatures_hold(
        store, portfolio, ca, lang: str) -> None:
    signed = sign(store, portfolio, ca, lang)
    path = approve(signed, portfolio, ca)

    checked = verify_pdf(path, [ca.ca_cert_path], validation_time=LATER)
    assert checked.verdict, [s.problems for s in checked.signatures]
    officer, supervisor = checked.signatures
    assert (officer.signer, supervisor.signer) == ("李明", "张主任")
    assert officer.modification_level == ModificationLevel.FORM_FILLING
    assert supervisor.covers_entire_file and checked.revisions == 3

    values = {name: str(field["/V"]) for name, field in text_fields(path).items()}
    assert values[REVIEWER_FIELD] == "张主任"
    assert values[REVIEW_DATE_FIELD] == "2026-11-23"
    assert values[DECISION_FIELD] == {"zh": "同意", "en": "Approved"}[lang]
    assert values[CLASSIFICATION_FIELD] == Classification.SPECIAL_MENTION.label(lang)
    reason_label = {"zh": "分类调整理由：", "en": "Reason for the classification: "}[lang]
    assert values[OPINION_FIELD] == f"{OPINION[lang]}\n{reason_label}{REASON[lang]}"


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_poppler_sees_two_valid_signatures_and_reads_the_block(
        store, portfolio, ca, lang: str) -> None:
    signed = sign(store, portfolio, ca, lang)
    before = pdftotext(signed.certified)
    path = approve(signed, portfolio, ca)

    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert sig.stdout.count("Signature is Valid.") == 2, sig.stdout
    assert "Signer Certificate Common Name: 张主任" in sig.stdout

    text = pdftotext(path)
    flat = " ".join(text.split())  # the opinion wraps in its box
    for shown in ("张主任", "2026-11-23", {"zh": "同意", "en": "Approved"}[lang],
                  Classification.SPECIAL_MENTION.label(lang), " ".join(OPINION[lang].split()),
                  REASON[lang]):
        assert shown in flat, shown
        if shown != "2026-11-23" or lang == "en":
            assert shown not in " ".join(before.split())  # written by the countersignature


def test_the_handwritten_signature_is_in_the_supervisors_seal(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    path = approve(signed, portfolio, ca)
    reader = PdfFileReader(BytesIO(path.read_bytes()))
    last = reader.root["/Pages"]["/Kids"][-1].get_object()
    widget = next(a.get_object() for a in last["/Annots"]
                  if a.get_object().get("/T") == SUPERVISOR_FIELD)

    def images(xobject: generic.StreamObject, depth: int = 0) -> list[generic.StreamObject]:
        found = []
        for ref in xobject.get("/Resources", {}).get("/XObject", {}).values():
            inner = ref.get_object()
            if inner.get("/Subtype") == "/Image":
                found.append(inner)
            elif depth < 5:
                found += images(inner, depth + 1)
        return found

    [image] = images(widget["/AP"]["/N"].get_object())
    assert (int(image["/Width"]), int(image["/Height"])) == (300, 100)
    assert "/SMask" in image  # the pad's transparent background stays transparent
    officer = next(a.get_object() for a in last["/Annots"]
                   if a.get_object().get("/T") == OFFICER_FIELD)
    assert images(officer["/AP"]["/N"].get_object()) == []  # the officer's is on the page


def test_countersigning_is_reproducible(store, portfolio, ca, tmp_path: Path) -> None:
    signed = sign(store, portfolio, ca, "zh")
    supervisor = signing.load_signer(*_cert(ca, "zhang"))
    block = ReviewBlock("张主任", date(2026, 11, 23), "同意", "正常类", OPINION["zh"])
    outs = [signing.countersign_report(signed.certified, tmp_path / f"{n}.pdf", supervisor,
                                       signed_at=LATER, review=block,
                                       handwritten_png=handwriting()) for n in range(2)]
    assert outs[0].sha256 == outs[1].sha256


def test_a_long_opinion_stays_inside_its_box(store, portfolio, ca, tmp_path: Path) -> None:
    signed = sign(store, portfolio, ca, "zh")
    supervisor = signing.load_signer(*_cert(ca, "zhang"))
    long = "借款人经营正常，" * 400 + "结尾"
    block = ReviewBlock("张主任", date(2026, 11, 23), "同意", "正常类", long)
    info = signing.countersign_report(signed.certified, tmp_path / "long.pdf", supervisor,
                                      signed_at=LATER, review=block)
    assert verify_bytes(info.path.read_bytes()).verdict
    field = text_fields(info.path)[OPINION_FIELD]
    assert str(field["/V"]) == long  # the value is whole; the appearance shows what fits
    appearance = field["/AP"]["/N"].get_object()
    assert b" 6 Tf" in appearance.data  # shrunk to the smallest size, then cut
    if shutil.which("pdftotext"):
        text = pdftotext(info.path)
        assert "…" in text and "结尾" not in text


# --- a report certified before the block had fields ----------------------------------------


def test_an_old_report_without_fields_still_countersigns(ca, tmp_path: Path) -> None:
    officer = signing.load_signer(*_cert(ca, "li"))
    supervisor = signing.load_signer(*_cert(ca, "zhang"))
    old = certify(report_pdf(), tmp_path / "old.pdf", officer, signed_at=SIGNED_AT).path
    assert b"/FT /Tx" not in old.read_bytes()
    block = ReviewBlock("张主任", LATER.date(), "同意", "关注类", "旧报告的复核意见")
    out = signing.countersign_report(old, tmp_path / "countersigned.pdf", supervisor,
                                     signed_at=LATER, review=block,
                                     handwritten_png=handwriting()).path
    checked = verify_pdf(out, [ca.ca_cert_path], validation_time=LATER)
    assert checked.verdict, checked.problems
    assert [s.signer for s in checked.signatures] == ["李明", "张主任"]
    assert b"/FT /Tx" not in out.read_bytes()  # nothing made up: the block stays unfilled
    if shutil.which("pdftotext"):
        assert "旧报告的复核意见" not in pdftotext(out)


# --- changes beyond form filling still fail ------------------------------------------------


def _update(pdf: Path, change: Any) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf.read_bytes()))
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_page_content_added_after_the_countersignature_fails(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    path = approve(signed, portfolio, ca)

    def paint_over(writer: IncrementalPdfFileWriter) -> None:
        last = int(writer.root["/Pages"]["/Count"]) - 1
        cover = writer.add_object(generic.StreamObject(stream_data=b"1 g 0 0 600 400 re f"))
        writer.add_stream_to_page(last, cover)

    checked = verify_bytes(_update(path, paint_over))
    assert not checked.verdict
    assert all(not s.docmdp_ok for s in checked.signatures)


def test_moving_a_review_field_is_not_form_filling(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")

    def move(writer: IncrementalPdfFileWriter) -> None:
        for ref in writer.root["/AcroForm"]["/Fields"]:
            field = ref.get_object()
            if field.get("/T") == OPINION_FIELD:
                field["/Rect"] = generic.ArrayObject(
                    [generic.FloatObject(v) for v in (50, 600, 550, 700)])
                writer.update_container(field)

    checked = verify_bytes(_update(signed.certified, move))
    assert not checked.verdict
    [officer] = checked.signatures
    assert not officer.docmdp_ok and officer.problems


def test_filling_the_fields_alone_is_form_filling(store, portfolio, ca) -> None:
    """The same fill without a signature (another tool, say) is still within the DocMDP."""
    from inspector_app.reports import review_fields

    signed = sign(store, portfolio, ca, "en")
    block = ReviewBlock("Zhang", date(2026, 11, 23), "Approved", "Normal", "Fine.")
    checked = verify_bytes(_update(signed.certified,
                                   lambda w: review_fields.fill_review_fields(w, block)))
    assert checked.verdict, checked.signatures[0].problems
    assert checked.signatures[0].modification_level == ModificationLevel.FORM_FILLING


# --- the approval: refusals change nothing; the decision is recorded ------------------------


def _nothing_changed(signed: Signed) -> None:
    with signed.store.read() as s:
        assert s.get_one(Visit, signed.visit_id).status is VisitStatus.SUBMITTED
        stages = s.scalars(select(Report.stage).where(Report.visit_id == signed.visit_id))
        assert list(stages) == ["signed"]
    kept = {p.name for p in report_files.reports_dir(signed.store.data_dir).iterdir()}
    assert kept == {signed.certified.name}


def test_a_changed_classification_needs_a_reason(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    with pytest.raises(TransitionError, match=r"请说明理由 / .*give a reason"):
        approve(signed, portfolio, ca,
                approval=Approval("同意", Classification.SUBSTANDARD, "  "))
    _nothing_changed(signed)
    # The officer's own classification needs none.
    with signed.store.read() as s:
        visit = s.get_one(Visit, signed.visit_id)
        officers = visit.final_classification or visit.recommended_classification
    assert officers is not None
    approve(signed, portfolio, ca, approval=Approval("同意", officers))
    fields = text_fields(signed.countersigned)
    assert str(fields[CLASSIFICATION_FIELD]["/V"]) == officers.zh
    assert str(fields[OPINION_FIELD]["/V"]) == "同意"


def test_an_unreadable_handwriting_image_is_refused(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    with pytest.raises(SigningError, match="手写签名图片无法读取"):
        approve(signed, portfolio, ca, handwritten_png=b"\x89PNG not really")
    _nothing_changed(signed)


def test_the_officer_cannot_approve_as_reviewer(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    with pytest.raises(TransitionError, match="只有主管可以复核检查"):
        report_files.countersign_visit(store, signed.visit_id, portfolio.officer,
                                       *_cert(ca, "zhang"), signed_at=LATER,
                                       approval=Approval("", Classification.NORMAL))
    _nothing_changed(signed)


def test_the_decision_is_recorded_with_the_countersignature(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    approve(signed, portfolio, ca)
    with store.read() as s:
        [review] = s.scalars(select(Review).where(Review.visit_id == signed.visit_id)).all()
        assert (review.decision, review.state, review.reviewer_id) == (
            "approved", "pending", portfolio.supervisor.id)
        assert (review.comment, review.final_classification, review.classification_reason) == (
            OPINION["zh"], Classification.SPECIAL_MENTION, REASON["zh"])
        assert review.decided_at == LATER
        assert s.get_one(Visit, signed.visit_id).status is VisitStatus.APPROVED
        actions = list(s.scalars(select(AuditEntry.action)
                                 .where(AuditEntry.user_id == portfolio.supervisor.id)))
        assert "visit.review" in actions and "report.countersigned" in actions


def test_a_decision_the_store_refuses_keeps_nothing(store, portfolio, ca) -> None:
    signed = sign(store, portfolio, ca, "zh")
    # Refused by store.review.record_review_in (too long), after the report was signed:
    # the transaction rolls back and the new file goes with it.
    with pytest.raises(TransitionError):
        approve(signed, portfolio, ca,
                approval=Approval("意" * 2001, Classification.SPECIAL_MENTION, "理由"))
    _nothing_changed(signed)
    with store.read() as s:
        assert s.scalars(select(Review)).all() == []
