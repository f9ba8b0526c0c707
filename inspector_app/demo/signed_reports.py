"""The demo's signed reports: really signed, with certificates of the demo's own test CA.

A visit the demo shows as signed carries a report signed as the app signs one: rendered when
the visit was completed, certified by its officer and, once approved, countersigned by the
supervisor, each at the time the demo's story says. Signing takes about a second a visit, so
only the visits a demo user works with get one: every signed, submitted and returned visit
and the approvals of the last RECENT_DAYS. Older approved visits keep no signed file on this
laptop; a report of one is an unsigned copy saying so (reports/pdf.py), never a signed look-alike.

The CA (``demo-ca/`` in the data directory) issues each demo user a certificate with the demo
password; each is imported as that user's signing certificate and the CA as the trusted root,
so the demo's users can sign and verify in the app straight away.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from PIL import Image, ImageDraw
from sqlalchemy import select

from inspector_app.demo.shared import CHINA, DEMO_PASSWORD, DEMO_USERS
from inspector_app.domain.enums import VisitStatus
from inspector_app.reports import files as report_files
from inspector_app.reports.certificate_files import import_certificate, import_trusted_ca
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.data import REPORT_TZ, load_report_data
from inspector_app.reports.signing import load_signer
from inspector_app.store.local import LocalStore
from inspector_app.store.models import User, Visit
from inspector_app.store.review_rows import Approval

CA_DIR: Final = "demo-ca"
RECENT_DAYS: Final = 10
_SIGNED_AT_LEAST: Final = frozenset(
    {VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.RETURNED})


@dataclass(frozen=True)
class DemoSigning:
    """A visit of the demo's story whose report is signed, and by whom when."""

    visit_id: str
    officer: str  # username
    signed_at: datetime
    supervisor: str
    approved_at: datetime | None  # countersigned then; None: not approved


def signs_report(status: VisitStatus, on: date, today: date) -> bool:
    """Whether the demo signs the report of a visit of ``on`` that reached ``status``."""
    if status in _SIGNED_AT_LEAST:
        return True
    return status is VisitStatus.APPROVED and (today - on).days <= RECENT_DAYS


def handwriting_png(username: str) -> bytes:
    """A scribbled signature, the same for a user every time (drawn on the signature pad in
    the app; here, a stand-in)."""
    rng = random.Random(f"handwriting/{username}")
    im = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    phase, loops = rng.uniform(0, math.pi), rng.randint(3, 5)
    points = [(20 + x, 62 + 30 * math.sin(phase + loops * math.pi * x / 300)
               + 10 * math.sin(x / 9) + rng.uniform(-3, 3)) for x in range(0, 320, 6)]
    draw = ImageDraw.Draw(im)
    draw.line(points, fill=(25, 35, 110, 255), width=4, joint="curve")
    draw.line([(40, 100), (300, 92)], fill=(25, 35, 110, 255), width=3)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def sign_demo_reports(store: LocalStore, signings: list[DemoSigning], today: date) -> TestCA:
    """The demo CA (made again), its certificates imported, and each signing done."""
    folder = store.data_dir / CA_DIR
    shutil.rmtree(folder, ignore_errors=True)  # the demo's own, from an earlier build
    # Valid from before the first signing of the story (and before now, when the story's
    # today lies ahead of the clock) until well after today.
    floor = datetime.combine(today - timedelta(days=RECENT_DAYS + 30), time(), CHINA)
    start = min([floor, datetime.now(CHINA) - timedelta(days=1),
                 *(s.signed_at - timedelta(days=1) for s in signings)])
    ca = make_test_ca(folder, [(u, name) for u, _role, name, *_ in DEMO_USERS], now=start,
                      validity_days=(today - start.date()).days + 730, password=DEMO_PASSWORD)
    for issued in ca.users:
        import_certificate(store.data_dir, issued.username, issued.p12_path, DEMO_PASSWORD)
    import_trusted_ca(store.data_dir, ca.ca_cert_path)
    with store.read() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        for user in users.values():
            s.expunge(user)
    for signing in sorted(signings, key=lambda s: s.signed_at):
        _sign(store, ca, users, signing)
    return ca


def _sign(store: LocalStore, ca: TestCA, users: dict[str, User], signing: DemoSigning) -> None:
    # Seals show China time, as a signing in the app does.
    signing = dataclasses.replace(
        signing, signed_at=signing.signed_at.astimezone(REPORT_TZ),
        approved_at=signing.approved_at and signing.approved_at.astimezone(REPORT_TZ))
    officer, supervisor = users[signing.officer], users[signing.supervisor]
    signer = load_signer(ca.user(officer.username).p12_path, DEMO_PASSWORD,
                         now=signing.signed_at)
    # The report as the officer signed it: rendered while the visit was completed.
    data = dataclasses.replace(
        load_report_data(store, signing.visit_id, "zh"), status=VisitStatus.COMPLETED,
        status_label=VisitStatus.COMPLETED.label("zh"), signed_original_sha256=None)
    out, info = report_files.certify_rendered(store, data, signer, signing.signed_at)
    signed = report_files.keep_report(store, out, signing.visit_id, officer,
                                      report_files.SIGNED, "zh", info.signer,
                                      signing.signed_at, None, None)
    if signing.approved_at is None:
        return
    with store.read() as s:
        visit = s.get_one(Visit, signing.visit_id)
        officers = visit.final_classification or visit.recommended_classification
    approval = Approval("", officers) if officers is not None else None
    review = report_files.review_block("zh", supervisor.display_name, signing.approved_at,
                                       approval, officers)
    countersigner = load_signer(ca.user(supervisor.username).p12_path, DEMO_PASSWORD,
                                now=signing.approved_at)
    out, info = report_files.countersign_file(store, signed.sha256, countersigner,
                                              signing.approved_at, review,
                                              handwriting_png(supervisor.username))
    report_files.keep_report(store, out, signing.visit_id, supervisor,
                             report_files.COUNTERSIGNED, "zh", info.signer, signing.approved_at,
                             None, None)

