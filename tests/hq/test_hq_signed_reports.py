"""Signed report PDFs are verified on arrival: tampered, painted-over or untrusted is refused."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hq_helpers import ACTOR, World, certificate_pem, register, upload, visit_push
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import select

from inspector_app.hq import admin
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.models import ReportCheck
from inspector_app.hq.report_check import named_visit
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.signing import certify_report, countersign_report, load_signer
from inspector_app.resources import cjk_font_path
from inspector_app.wire import API, PushResult

CST = timezone(timedelta(hours=8))
SIGNED_AT = datetime.now(CST).replace(second=0, microsecond=0) - timedelta(minutes=1)
OFFICER_BOX = (60.0, 80.0, 270.0, 150.0)
SUPERVISOR_BOX = (320.0, 80.0, 530.0, 150.0)
TITLE_POSITION = b"1 0 0 1 60 760 Tm"


def tiny_report(visit_id: str | None = None) -> bytes:
    """A one-page report; naming ``visit_id`` in its /Keywords, as the app's reports name
    their visit (headquarters takes a signed report only for the visit it names)."""
    pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path())))
    out = BytesIO()
    # Uncompressed page content, so a byte of it can be found and flipped.
    page = canvas.Canvas(out, pagesize=A4, initialFontName="WQY", pageCompression=0)
    if visit_id is not None:
        page.setKeywords(visit_id)
    page.setFont("WQY", 16)
    page.drawString(60, 760, "贷后检查报告 检查结论：正常")
    page.showPage()
    page.save()
    return out.getvalue()


@dataclass(frozen=True)
class Signed:
    """One visit's reports: certified, then countersigned; and one certified with a
    certificate of another CA."""

    visit_id: str
    certified: bytes
    countersigned: bytes
    foreign: bytes


class Reports:
    """A test CA with off_a and sup1 (and another CA's off_a), and each visit's reports, made
    on first use; certified / countersigned / foreign are those of the visit ``visit_id``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca: TestCA = make_test_ca(folder / "ca", [("off_a", "李明"), ("sup1", "张主任")])
        self._other = make_test_ca(folder / "other-ca", [("off_a", "李明")])
        self._made: dict[str, Signed] = {}
        self.visit_id = str(uuid.uuid4())

    def of(self, visit_id: str) -> Signed:
        if visit_id not in self._made:
            self._made[visit_id] = self._make(visit_id)
        return self._made[visit_id]

    def _make(self, visit_id: str) -> Signed:
        officer = load_signer(self.ca.user("off_a").p12_path, self.ca.user("off_a").password)
        supervisor = load_signer(self.ca.user("sup1").p12_path, self.ca.user("sup1").password)
        impostor = load_signer(self._other.user("off_a").p12_path,
                               self._other.user("off_a").password)
        folder = self.folder / visit_id
        folder.mkdir()
        pdf = tiny_report(visit_id)
        for name, signer in (("certified", officer), ("foreign", impostor)):
            certify_report(pdf, folder / f"{name}.pdf", signer, page=0,
                           officer_box=OFFICER_BOX, supervisor_box=SUPERVISOR_BOX,
                           signed_at=SIGNED_AT)
        countersign_report(folder / "certified.pdf", folder / "countersigned.pdf", supervisor,
                           signed_at=SIGNED_AT + timedelta(seconds=30))
        return Signed(visit_id, *((folder / f"{n}.pdf").read_bytes()
                                  for n in ("certified", "countersigned", "foreign")))

    def unnamed(self) -> bytes:
        """A report certified by off_a that names no visit."""
        out = self.folder / "unnamed.pdf"
        if not out.exists():
            officer = load_signer(self.ca.user("off_a").p12_path,
                                  self.ca.user("off_a").password)
            certify_report(tiny_report(), out, officer, page=0, officer_box=OFFICER_BOX,
                           supervisor_box=SUPERVISOR_BOX, signed_at=SIGNED_AT)
        return out.read_bytes()

    @property
    def certified(self) -> bytes:
        return self.of(self.visit_id).certified

    @property
    def countersigned(self) -> bytes:
        return self.of(self.visit_id).countersigned

    @property
    def foreign(self) -> bytes:
        return self.of(self.visit_id).foreign


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return make_reports(tmp_path_factory.mktemp("reports"))


def make_reports(folder: Path) -> Reports:
    return Reports(folder)


def named(data: bytes) -> str | None:
    """The visit a report names, read as headquarters reads it (None: no such file, none)."""
    return named_visit(data)


@pytest.fixture
def settings(reports: Reports) -> HqSettings:
    return HqSettings(trust_roots=(reports.ca.ca_cert_path,))


def report_record(sha: str, data: bytes, stage: str = "signed") -> dict[str, Any]:
    return {"id": f"report-{sha[:8]}", "stage": stage, "sha256": sha, "size_bytes": len(data),
            "lang": "zh", "signer_name": "李明", "signed_at": SIGNED_AT.astimezone(UTC).isoformat()}


def push_report(client, world: World, headers: dict[str, str], data: bytes,
                stage: str = "signed", size: int | None = None) -> tuple[int, PushResult]:
    """A signed visit of off_a's with this report: the visit it names (a new one if none)."""
    sha = upload(client, headers, data)
    record = report_record(sha, data, stage)
    if size is not None:
        record["size_bytes"] = size
    body = visit_push(world.users["off_a"], world.borrowers["C001"], status="signed",
                      reports=[record], visit_id=named(data))
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=headers)
    return r.status_code, PushResult.model_validate(r.json())


def test_a_properly_signed_report_is_accepted_and_remembered(
        client, hq: Hq, world: World, reports: Reports, tmp_path: Path) -> None:
    a = register(client, "off_a")
    status, result = push_report(client, world, a, reports.certified)
    assert (status, result.status) == (200, "stored"), result.message
    with hq.db.read() as s:
        [check] = s.scalars(select(ReportCheck)).all()
    assert check.signatures == 1
    # The countersigned version (a second signature: form filling, allowed) passes too, once
    # headquarters holds the countersigning certificate for off_a's supervisor.
    admin.set_certificate(hq.db, "sup1", certificate_pem(reports.ca.user("sup1"),
                                                         tmp_path / "sup1.pem"), ACTOR)
    # (The visit it names: stored, and now gaining its countersigned report.)
    stored = client.get(f"{API}/visits/{reports.visit_id}", headers=a).json()
    sha = upload(client, a, reports.countersigned)
    stored["visit"]["reports"].append(report_record(sha, reports.countersigned,
                                                    "countersigned"))
    r = client.put(f"{API}/visits/{reports.visit_id}", headers=a, json={
        "base_version": stored["server_version"], "visit": stored["visit"]})
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text


def test_a_flipped_byte_in_a_signed_report_is_refused(
        client, world: World, reports: Reports) -> None:
    data = bytearray(reports.certified)
    at = data.index(TITLE_POSITION) + len(b"1 0 0 1 ")
    assert data[at:at + 2] == b"60"
    data[at] = ord("9")  # the title moves: inside the signed byte range
    status, result = push_report(client, world, register(client, "off_a"), bytes(data))
    assert (status, result.status, result.server_version) == (422, "rejected", 0)
    assert "failed verification" in result.message and "digest mismatch" in result.message


def test_painting_over_a_signed_page_is_refused_though_every_digest_holds(
        client, world: World, reports: Reports) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(reports.certified))
    cover = writer.add_object(generic.StreamObject(
        stream_data=b"q 1 1 1 rg 50 745 500 40 re f Q"))
    writer.add_stream_to_page(0, cover)
    out = BytesIO()
    writer.write(out)
    status, result = push_report(client, world, register(client, "off_a"), out.getvalue())
    assert (status, result.status) == (422, "rejected")
    assert "changed after signing" in result.message


@pytest.mark.parametrize("which, expected", [
    ("unsigned", "no signatures"),
    ("foreign", "not trusted"),
    ("not a pdf", "not a readable PDF"),
    ("wrong size", "the visit says 1"),
    ("one signature, countersigned", "needs 2 signature"),
])
def test_other_bad_reports_are_refused_with_the_reason(
        client, world: World, reports: Reports, which: str, expected: str) -> None:
    data, stage, size = {
        "unsigned": (tiny_report(), "signed", None),
        "foreign": (reports.foreign, "signed", None),
        "not a pdf": (b"%PDF-1.7 this is not really a PDF", "signed", None),
        "wrong size": (reports.certified, "signed", 1),
        "one signature, countersigned": (reports.certified, "countersigned", None),
    }[which]
    status, result = push_report(client, world, register(client, "off_a"), data, stage, size)
    assert (status, result.status) == (422, "rejected")
    assert expected in result.message, result.message


def test_a_report_blob_must_be_uploaded_first(client, world: World, reports: Reports) -> None:
    a = register(client, "off_a")
    sha = hashlib.sha256(reports.certified).hexdigest()
    body = visit_push(world.users["off_a"], world.borrowers["C001"], status="signed",
                      reports=[report_record(sha, reports.certified)])
    r = client.put(f"{API}/visits/{body['visit']['id']}", json=body, headers=a)
    assert r.status_code == 422 and r.json()["missing_blobs"] == [sha]
