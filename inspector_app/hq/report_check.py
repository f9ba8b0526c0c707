"""Verifying a signed report PDF when a visit referring to it is pushed.

Every signature must be intact and valid (and trusted, when the server was given trust
roots), the officer's signature must certify the document, and nothing may have changed after
any signature beyond signing and form filling (pyHanko's difference analysis, through
inspector_app.reports.verify). A PDF that passed is remembered by its hash, with the
certificates that signed it and the visit it names: a blob never changes, so it is not verified
again on the next push. Whether those certificates are the poster's is certificates.py's
question, asked on every post; whether the visit named is the one pushed, too (a report
verified for one visit is no signed report of another).

A report names its visit in its /Keywords (reports.pdf writes the visit id there), as they stood
in the revision the officer's certification signed: what the officer signed, whatever a later
update wrote into the information dictionary.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from inspector_app.hq.certificates import Signer, signers_of
from inspector_app.hq.context import Hq
from inspector_app.hq.models import ReportCheck
from inspector_app.reports.verify import VerificationError, verify_bytes
from inspector_app.wire import ReportRecord

ALLOWED_AFTER_SIGNING = frozenset(
    {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}
)
# "confirmed": the handover record with the supervisor's confirmation after both officers'.
MIN_SIGNATURES = {"signed": 1, "countersigned": 2, "confirmed": 3}
REJECTED = "签名报告验证未通过 / the signed report failed verification"
NOT_THIS_VISIT = ("签名报告不是本次检查的报告（报告注明的检查为 {named}） / the signed report is "
                  "not this visit's report (it names {named})")
NAMES_NO_VISIT = "签名报告未注明所属检查 / the signed report does not name its visit"


def named_visit(data: bytes) -> str | None:
    """The visit id a signed report names: its /Keywords in the revision the first signature
    (the officer's certification) covers, when that is one id; None otherwise."""
    try:
        reader = PdfFileReader(BytesIO(data))
        first = min(reader.embedded_regular_signatures, key=lambda e: e.signed_revision,
                     default=None)
        if first is None:
            return None
        info = reader.get_historical_resolver(first.signed_revision).trailer_view["/Info"]
        keywords = str(info.get_object()["/Keywords"])
    except Exception:  # no information dictionary or keywords, or unreadable: names nothing
        return None
    named = {k.strip() for k in keywords.split(",") if k.strip()}
    return named.pop() if len(named) == 1 else None


def _problems(hq: Hq, report: ReportRecord, data: bytes) -> tuple[list[str], int]:
    """What is wrong with the PDF (nothing: []) and how many signatures it has."""
    if len(data) != report.size_bytes:
        return [f"文件大小不符 / the file is {len(data)} bytes, the visit says "
                f"{report.size_bytes}"], 0
    try:
        result = verify_bytes(data, hq.settings.trust_roots)
    except VerificationError as e:
        return [str(e)], 0
    problems = list(result.problems)
    for sig in result.signatures:
        problems += [f"{sig.field_name}: {p}" for p in sig.problems]
        if not sig.verdict and not sig.problems:
            problems.append(f"{sig.field_name}: 签名未通过验证 / the signature does not verify")
        if sig.modification_level not in ALLOWED_AFTER_SIGNING and not sig.problems:
            problems.append(f"{sig.field_name}: 签名后有填写表单以外的修改 / changed after "
                            "signing beyond form filling")
    if result.certification is None:
        problems.append("报告没有客户经理的认证签名 / the report has no certifying signature "
                        "by the officer")
    wanted = MIN_SIGNATURES.get(report.stage, 1)
    if len(result.signatures) < wanted:
        problems.append(f"“{report.stage}”报告应有 {wanted} 个签名 / a {report.stage} report "
                        f"needs {wanted} signature(s), this one has {len(result.signatures)}")
    elif report.stage in ("countersigned", "confirmed") and result.signatures:
        # The countersignature is the last revision and must cover everything before it,
        # the officer's signature included.
        last = max(result.signatures, key=lambda s: s.revision)
        if not last.covers_entire_file:
            problems.append(f"{last.field_name}: 会签未覆盖整个报告 / the countersignature does "
                            f"not cover the whole report ({last.coverage})")
    return problems, len(result.signatures)


def check_countersigned(hq: Hq, report: ReportRecord, signed: ReportRecord) -> str | None:
    """None if ``report`` is the officer's ``signed`` report, byte for byte, with the
    supervisor's countersignature added as an incremental update that passes check_report;
    else the reason, for the supervisor. (A "confirmed" handover record is so to its
    countersigned one.)"""
    if report.stage not in ("countersigned", "confirmed"):
        return (f"{REJECTED}: 复核报告的阶段应为 countersigned / the report's stage must be "
                f"countersigned, not {report.stage!r}")
    with hq.blobs.open(signed.sha256) as f:
        original = f.read()
    with hq.blobs.open(report.sha256) as f:
        head = f.read(len(original) + 1)
    # An incremental update leaves every byte of the signed file in place: anything else is
    # another document (or the officer's report rewritten), whatever its signatures say.
    if len(head) <= len(original) or not head.startswith(original):
        return (f"{REJECTED}: 会签报告不是在客户经理签署的报告上追加签名 / the countersigned "
                f"report is not the officer's signed report ({signed.sha256[:12]}…) with a "
                "signature added")
    return check_report(hq, report)


def check_report(hq: Hq, report: ReportRecord, visit_id: str | None = None) -> str | None:
    """None if the report's blob verifies (and names the visit ``visit_id``, when given),
    else the reason, for the officer."""
    with hq.db.read() as session:
        checked = session.get(ReportCheck, report.sha256)
        named = checked.visit_id if checked is not None else None
    if checked is not None:
        if named is None and visit_id is not None:
            named = _keep_named_visit(hq, report.sha256)
        return _not_this_visit(named, visit_id)
    with hq.blobs.open(report.sha256) as f:
        data = f.read()
    problems, signatures = _problems(hq, report, data)
    if problems:
        return f"{REJECTED}: " + "; ".join(problems)
    named = named_visit(data)
    signers = [s.data() for s in signers_of(data)]
    try:
        with hq.db.write() as session:
            session.add(ReportCheck(sha256=report.sha256, signatures=signatures,
                                    signers=signers, visit_id=named))
    except IntegrityError:
        pass  # verified concurrently by another push: the same answer
    return _not_this_visit(named, visit_id)


def _not_this_visit(named: str | None, visit_id: str | None) -> str | None:
    if visit_id is None or named == visit_id:
        return None
    if named is None:
        return f"{REJECTED}: {NAMES_NO_VISIT}"
    return f"{REJECTED}: " + NOT_THIS_VISIT.format(named=named)


def _keep_named_visit(hq: Hq, sha256: str) -> str | None:
    """A report verified before the visit it names was kept: read it once from the PDF."""
    with hq.blobs.open(sha256) as f:
        named = named_visit(f.read())
    with hq.db.write() as session:
        session.execute(update(ReportCheck).where(ReportCheck.sha256 == sha256)
                        .values(visit_id=named))
    return named


def report_signers(hq: Hq, sha256: str) -> list[Signer]:
    """The certificates that signed a report check_report passed."""
    with hq.db.read_core() as conn:
        kept = conn.scalar(select(ReportCheck.signers).where(ReportCheck.sha256 == sha256))
    if kept is not None:
        return [Signer.from_data(d) for d in kept]
    # Verified before the signers were kept: read them once from the PDF.
    with hq.blobs.open(sha256) as f:
        signers = signers_of(f.read())
    with hq.db.write() as session:
        session.execute(update(ReportCheck).where(ReportCheck.sha256 == sha256)
                        .values(signers=[s.data() for s in signers]))
    return signers
