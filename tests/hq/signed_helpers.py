"""Signed report PDFs for tests that need a visit headquarters stores as signed (issue #12: a
visit is signed at headquarters only with its own verified signed report): one test CA for the
session, each officer's PDFs of each visit certified on first use and kept (a report names its
visit: one for most visits, others for a report added later)."""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path
from typing import Any

from hq_helpers import upload
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from test_hq_signed_reports import (
    OFFICER_BOX,
    SIGNED_AT,
    SUPERVISOR_BOX,
    report_record,
)

from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.signing import certify_report, load_signer
from inspector_app.resources import cjk_font_path

OFFICERS = (("off_a", "李明"), ("off_b", "王芳"), ("off_c", "陈静"))


@functools.cache
def _register_font() -> None:
    # Once: reading the CJK font takes a third of a second, and a test signs hundreds.
    pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path())))


def _report(label: str, visit_id: str) -> bytes:
    """A one-page report of the visit (named in its /Keywords, as headquarters requires)
    whose text names it (so each label makes another PDF)."""
    _register_font()
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, initialFontName="WQY")
    page.setKeywords(visit_id)
    page.setFont("WQY", 16)
    page.drawString(60, 760, f"贷后检查报告 检查结论：正常 {label}")
    page.showPage()
    page.save()
    return out.getvalue()


class SignedReports:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca: TestCA = make_test_ca(folder / "ca", list(OFFICERS))
        self._pdfs: dict[tuple[str, int, str], bytes] = {}

    def pdf(self, username: str, n: int, visit_id: str) -> bytes:
        key = (username, n, visit_id)
        if key not in self._pdfs:
            user = self.ca.user(username)
            out = self.folder / f"{username}-{n}-{visit_id}.pdf"
            source = _report(f"{username} #{n}", visit_id)
            certify_report(source, out, load_signer(user.p12_path, user.password), page=0,
                           officer_box=OFFICER_BOX, supervisor_box=SUPERVISOR_BOX,
                           signed_at=SIGNED_AT)
            self._pdfs[key] = out.read_bytes()
        return self._pdfs[key]

    def attach(self, client: Any, headers: dict[str, str], body: dict[str, Any],
               username: str, n: int = 0, *, again: bool = False) -> dict[str, Any]:
        """body's visit with the officer's signed report n (uploaded), unless it has one
        (``again``: added beside the one it has)."""
        reports = body["visit"].get("reports", [])
        if not again and any(r["stage"] == "signed" for r in reports):
            return body
        data = self.pdf(username, n, body["visit"]["id"])
        sha = upload(client, headers, data)
        record = report_record(sha, data)
        record["id"] = f"report-{n}-{sha[:8]}"
        body["visit"]["reports"] = [*reports, record]
        return body
