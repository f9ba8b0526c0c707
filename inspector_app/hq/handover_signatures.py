"""The handover record's signatures at headquarters: the old officer's certified PDF, then the
new officer's countersigned one, each verified as the visit report is (hq.report_check): it
verifies, names this handover in /Keywords, and is signed with a certificate headquarters
holds for that officer (or that becomes theirs on first use, if the server allows it). The
countersigned file must be the certified one with a signature added. Completion (hq.handover)
waits for the countersigned record.
"""

from __future__ import annotations

import uuid

from inspector_app.common.clock import utcnow
from inspector_app.hq.audit import audit
from inspector_app.hq.blob_access import unusable
from inspector_app.hq.certificates import Whose, certifier, claim, countersigner, signer_problem
from inspector_app.hq.context import Hq
from inspector_app.hq.handover import HandoverRefused, _announce, _pending, handover_record
from inspector_app.hq.models import Handover
from inspector_app.hq.report_check import check_countersigned, check_report, report_signers
from inspector_app.hq.schemas import ReportRecord
from inspector_app.hq.scope import Principal
from inspector_app.wire import HandoverRecord, HandoverSignature

GIVERS = Whose("移交清单上移交人的签名", "the handing-over officer's signature on the record")
TAKERS = Whose("移交清单上接收人的签名", "the taking-over officer's signature on the record")
MISSING = "移交清单文件尚未完整上传 / the signed record has not been fully uploaded yet"


def _report(body: HandoverSignature, sha256: str | None = None, stage: str | None = None
            ) -> ReportRecord:
    return ReportRecord(id=str(uuid.uuid4()), stage=stage or body.stage,
                        sha256=sha256 or body.sha256, size_bytes=body.size_bytes, lang="zh",
                        signer_name="", signed_at=utcnow())


def record_signature(hq: Hq, p: Principal, handover_id: str, body: HandoverSignature
                     ) -> HandoverRecord:
    """Keep the old officer's certified record, or the new officer's countersigned one."""
    with hq.db.read() as s:
        h = s.get(Handover, handover_id)
        mine = h is not None and p.user_id in (h.from_officer_id, h.to_officer_id)
        if h is None or not mine:
            raise HandoverRefused(404, "not_found", [f"没有该移交 / no handover {handover_id}"])
        h = _pending(s, handover_id)
        if (body.stage, body.sha256) in (("signed", h.signed_sha256),
                                         ("countersigned", h.countersigned_sha256)):
            return handover_record(s, h)  # the same again
        if body.stage == "signed" and h.countersigned_sha256 is not None:
            raise HandoverRefused(409, "already_countersigned", [
                "接收人已会签，移交清单不能再更换 / the taking-over officer has countersigned; "
                "the record can no longer be replaced"])
        signed = h.signed_sha256
        expected = h.from_officer_id if body.stage == "signed" else h.to_officer_id
    if p.user_id != expected:
        raise HandoverRefused(403, "forbidden", [
            "移交人先签署，接收人再会签 / the officer handing over signs, the one taking over "
            "countersigns"])
    if body.stage == "countersigned" and signed is None:
        raise HandoverRefused(409, "not_signed", ["移交人尚未签署 / the officer handing over "
                                                  "has not signed the record yet"])
    if unusable(hq, p, [body.sha256]):
        raise HandoverRefused(422, "missing_blobs", [MISSING])
    report = _report(body)
    reason = None
    if body.stage == "countersigned" and signed is not None:
        reason = check_countersigned(hq, report, _report(body, signed, "signed"))
    reason = reason or check_report(hq, report, handover_id)  # /Keywords: the id
    if reason is not None:
        raise HandoverRefused(422, "rejected", [reason])
    signers = report_signers(hq, body.sha256)
    signer = certifier(signers) if body.stage == "signed" else countersigner(signers)
    whose = GIVERS if body.stage == "signed" else TAKERS
    if signer is None:
        raise HandoverRefused(422, "rejected", [f"{whose.zh}缺失 / {whose.en} is missing"])
    with hq.db.write() as s:
        conn = s.connection()
        problem = signer_problem(conn, hq.settings, p.user_id, signer, whose) or claim(
            conn, hq.settings, p.user_id, signer, whose, actor=p.username,
            device_id=p.device_id, handover_id=handover_id)
        if problem is not None:
            raise HandoverRefused(422, "wrong_signer", [problem])
        h = _pending(s, handover_id, lock=True)
        if body.stage == "signed":
            h.signed_sha256 = body.sha256
        else:
            h.countersigned_sha256 = body.sha256
        h.version += 1
        _announce(s, h)
        audit(s, p.username, f"handover.{'sign' if body.stage == 'signed' else 'countersign'}",
              "handover", h.id, user_id=p.user_id, device_id=p.device_id, sha256=body.sha256,
              certificate=signer.fingerprint, subject=signer.subject)
        return handover_record(s, h)
