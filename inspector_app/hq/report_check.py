"""Verifying a signed report PDF when a visit referring to it is pushed.

Every signature must be intact and valid (and trusted, when the server was given trust
roots), the officer's signature must certify the document, and nothing may have changed after
any signature beyond signing and form filling (pyHanko's difference analysis, through
inspector_app.reports.verify). A PDF that passed is remembered by its hash: a blob never
changes, so it is not verified again on the next push.
"""

from __future__ import annotations

from pyhanko.sign.diff_analysis import ModificationLevel
from sqlalchemy.exc import IntegrityError

from inspector_app.hq.context import Hq
from inspector_app.hq.models import ReportCheck
from inspector_app.reports.verify import VerificationError, verify_bytes
from inspector_app.sync.wire import ReportRecord

ALLOWED_AFTER_SIGNING = frozenset(
    {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}
)
MIN_SIGNATURES = {"signed": 1, "countersigned": 2}
REJECTED = "签名报告验证未通过 / the signed report failed verification"


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
    return problems, len(result.signatures)


def check_report(hq: Hq, report: ReportRecord) -> str | None:
    """None if the report's blob verifies, else the reason, for the officer."""
    with hq.db.read() as session:
        if session.get(ReportCheck, report.sha256) is not None:
            return None
    with hq.blobs.open(report.sha256) as f:
        data = f.read()
    problems, signatures = _problems(hq, report, data)
    if problems:
        return f"{REJECTED}: " + "; ".join(problems)
    try:
        with hq.db.write() as session:
            session.add(ReportCheck(sha256=report.sha256, signatures=signatures))
    except IntegrityError:
        pass  # verified concurrently by another push: the same answer
    return None
