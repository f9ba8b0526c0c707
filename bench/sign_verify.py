"""Benchmark: signing and verifying report-sized PDFs.

Times certify_report (the officer's certification with the visible seal), countersign_report
(the supervisor's signature, which first verifies the officer's) and verify_pdf (both
signatures, with difference analysis) on a ~2 MB and a ~20 MB report-like PDF: Chinese text
and embedded JPEG "photos" of random noise (noise does not compress, so the sizes are real).

Each is set against a baseline measured in the same run on the same file: pyHanko's plain
invisible signature for the two signing steps, and pyHanko's digest-only validation (no
difference analysis, no trust) for verification; SHA-256 of the file is the I/O floor. Medians
over the runs. Not a test: it prints figures, asserts nothing.

    python bench/sign_verify.py [--runs 5] [--sizes 2,20] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.signing import (
    Signer,
    certify_report,
    countersign_report,
    load_signer,
)
from inspector_app.reports.verify import verify_pdf
from inspector_app.resources import cjk_font_path

CST = timezone(timedelta(hours=8))
OFFICER_BOX = (60.0, 80.0, 270.0, 150.0)
SUPERVISOR_BOX = (320.0, 80.0, 530.0, 150.0)
PHOTO_PIXELS = (800, 600)


def noise_jpeg(seed: int) -> bytes:
    """A distinct JPEG of noise (~0.4 MB): reportlab stores identical images once."""
    pixels = hashlib.shake_256(seed.to_bytes(4, "big")).digest(PHOTO_PIXELS[0] * PHOTO_PIXELS[1])
    image = Image.frombytes("L", PHOTO_PIXELS, pixels).convert("RGB")
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def report_like_pdf(target_mb: float) -> bytes:
    """Pages of two captioned photos each until the file is about ``target_mb``, then a page
    with the signature boxes."""
    pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path())))
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, initialFontName="WQY")
    written, seed = 0, 0
    # reportlab stores images ASCII85-encoded by default, 5 bytes for every 4.
    while written * 5 / 4 < target_mb * 1_000_000:
        page.setFont("WQY", 14)
        page.drawString(60, 800, f"贷后检查报告 现场照片 第 {seed // 2 + 1} 页")
        for slot in range(2):
            photo = noise_jpeg(seed)
            written += len(photo)
            y = 440 - slot * 360
            page.drawImage(ImageReader(BytesIO(photo)), 60, y, width=400, height=300)
            page.setFont("WQY", 9)
            page.drawString(60, y - 14, f"照片 {seed + 1}：厂房外景  SHA-256 "
                            f"{hashlib.sha256(photo).hexdigest()[:32]}…")
            seed += 1
        page.showPage()
    page.setFont("WQY", 12)
    page.drawString(60, 200, "客户经理签章                          部门负责人复核")
    page.showPage()
    page.save()
    return out.getvalue()


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_pyhanko_sign(data: bytes, signer: Signer, field: str, certify: bool) -> bytes:
    """The baseline: pyHanko's own invisible signature, no seal, no checks, no temp file."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=field, certify=certify, subfilter=fields.SigSeedSubFilter.PADES,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS)
    return signers.PdfSigner(meta, signer).sign_pdf(writer).getvalue()


def digest_only_validation(data: bytes) -> None:
    reader = PdfFileReader(BytesIO(data))
    for sig in reader.embedded_signatures:
        validate_pdf_signature(sig, ValidationContext(trust_roots=[]), skip_diff=True)


def bench_size(target_mb: float, folder: Path, officer: Signer, supervisor: Signer,
               ca_cert: Path, runs: int) -> None:
    start = time.perf_counter()
    data = report_like_pdf(target_mb)
    report = folder / f"report-{target_mb:g}mb.pdf"
    report.write_bytes(data)
    made = time.perf_counter() - start
    print(f"\n~{target_mb:g} MB report: {len(data) / 1e6:.1f} MB, "
          f"{_pages(data)} pages (made in {made:.1f} s)")
    at = datetime.now(CST).replace(microsecond=0)
    certified, countersigned = folder / "certified.pdf", folder / "countersigned.pdf"
    last_page = _pages(data) - 1

    def certify() -> object:
        return certify_report(report, certified, officer, page=last_page,
                              officer_box=OFFICER_BOX, supervisor_box=SUPERVISOR_BOX,
                              signed_at=at)

    def countersign() -> object:
        return countersign_report(certified, countersigned, supervisor,
                                  signed_at=at + timedelta(hours=1))

    def write_and_fsync() -> None:
        with open(folder / "copy.pdf", "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    rows = [
        ("read + sha256 (floor)", median_time(lambda: hashlib.sha256(
            report.read_bytes()).digest(), runs), None),
        ("write + fsync (floor)", median_time(write_and_fsync, runs), None),
        ("certify_report", median_time(certify, runs),
         median_time(lambda: plain_pyhanko_sign(data, officer, "Sig1", True), runs)),
    ]
    certified_data = certified.read_bytes()
    rows.append(("countersign_report", median_time(countersign, runs),
                 median_time(lambda: plain_pyhanko_sign(
                     certified_data, supervisor, "SupervisorSignature", False), runs)))
    final = countersigned.read_bytes()
    rows.append(("verify_pdf (2 signatures)",
                 median_time(lambda: verify_pdf(countersigned, [ca_cert]), runs),
                 median_time(lambda: digest_only_validation(final), runs)))
    assert verify_pdf(countersigned, [ca_cert]).verdict, "the benchmark's own output must verify"
    print(f"  {'':28} {'median':>9} {'baseline':>9} {'ratio':>6}")
    for name, ours, baseline in rows:
        if baseline is None:
            print(f"  {name:28} {ours * 1000:7.0f} ms")
        else:
            print(f"  {name:28} {ours * 1000:7.0f} ms {baseline * 1000:6.0f} ms "
                  f"{ours / baseline:5.1f}x")


def _pages(data: bytes) -> int:
    return int(PdfFileReader(BytesIO(data)).root["/Pages"]["/Count"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="2,20", help="target sizes in MB, comma-separated")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ca = make_test_ca(Path(tmp) / "ca", [("officer", "王芳"), ("supervisor", "李建国")])
        officer = load_signer(ca.user("officer").p12_path, ca.user("officer").password)
        supervisor = load_signer(ca.user("supervisor").p12_path, ca.user("supervisor").password)
        print(f"runs per figure: {args.runs}; baseline: pyHanko's plain invisible signature "
              "(signing), digest-only validation (verifying)")
        for size in (float(s) for s in args.sizes.split(",")):
            bench_size(size, folder, officer, supervisor, ca.ca_cert_path, args.runs)


if __name__ == "__main__":
    main()
