"""The handover record's signatures at headquarters: the old officer's certified PDF, the new
officer's countersigned one, and the supervisor's confirmed one, each verified as the visit
report is (hq.report_check): it verifies (every signature intact, chained to the trust roots
when the server has them, nothing changed after a signature but the signatures that follow),
names this handover in /Keywords, and is signed with a certificate headquarters holds for the
poster (or that becomes theirs on first use, if the server allows it). Each later file must be
the one before it, byte for byte, with one signature added.

The supervisor's confirmation completes the handover (hq.handover.complete_handover) in the
transaction that keeps it: a confirmation completion refuses (the laptop not let go, a visit
changed since) is not kept either, and the supervisor is told why.

The same file posted again is answered as the first time, even once the handover completed:
a laptop that lost the answer (or queued the signature offline and syncs again) asks again.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import Role
from inspector_app.hq.audit import audit
from inspector_app.hq.blob_access import unusable
from inspector_app.hq.certificates import Whose, certifier, claim, countersigner, signer_problem
from inspector_app.hq.context import Hq
from inspector_app.hq.handover import (
    HandoverRefused,
    _announce,
    _pending,
    complete_handover,
    handover_record,
)
from inspector_app.hq.models import Handover, User
from inspector_app.hq.report_check import check_countersigned, check_report, report_signers
from inspector_app.hq.schemas import ReportRecord
from inspector_app.hq.scope import Principal
from inspector_app.wire import HandoverRecord, HandoverSignature

GIVERS = Whose("移交清单上移交人的签名", "the handing-over officer's signature on the record")
TAKERS = Whose("移交清单上接收人的签名", "the taking-over officer's signature on the record")
SUPERVISORS = Whose("移交清单上监交人的确认签名", "the supervisor's confirmation on the record")
MISSING = "移交清单文件尚未完整上传 / the signed record has not been fully uploaded yet"
PREVIOUS = {"countersigned": "signed", "confirmed": "countersigned"}
CHANGED = ("您签署的移交清单已被更换（此前的签署人重新签署了），请按现在的清单重新签署 / "
           "the record you signed has been replaced meanwhile (the one who signed it before "
           "you signed again); sign the current one")


def _report(body: HandoverSignature, sha256: str | None = None, stage: str | None = None
            ) -> ReportRecord:
    return ReportRecord(id=str(uuid.uuid4()), stage=stage or body.stage,
                        sha256=sha256 or body.sha256, size_bytes=body.size_bytes, lang="zh",
                        signer_name="", signed_at=utcnow())


def _kept(h: Handover, stage: str) -> str | None:
    return {"signed": h.signed_sha256, "countersigned": h.countersigned_sha256,
            "confirmed": h.confirmed_sha256}[stage]


def _extends(hq: Hq, sha256: str, previous: str) -> bool:
    """Whether the file is the previous one, byte for byte, with more after it (an
    incremental update of it): else it was made on a record since replaced."""
    with hq.blobs.open(previous) as f:
        original = f.read()
    with hq.blobs.open(sha256) as f:
        head = f.read(len(original) + 1)
    return len(head) > len(original) and head.startswith(original)


def _signer_of(s: Session, p: Principal, h: Handover, stage: str) -> bool:
    """Whether p signs this stage: the old officer, the new one, or the old officer's
    supervisor (or an administrator) who confirms."""
    if stage == "signed":
        return p.user_id == h.from_officer_id
    if stage == "countersigned":
        return p.user_id == h.to_officer_id
    if p.role is Role.ADMIN:
        return True
    return p.role is Role.SUPERVISOR and s.get_one(User, h.from_officer_id).supervisor_id \
        == p.user_id


def record_signature(hq: Hq, p: Principal, handover_id: str, body: HandoverSignature
                     ) -> HandoverRecord:
    """Keep the old officer's certified record or the new officer's countersigned one, or
    complete the handover on the supervisor's confirmed one."""
    with hq.db.read() as s:
        h = s.get(Handover, handover_id)
        if h is None or not (p.user_id in (h.from_officer_id, h.to_officer_id)
                             or _signer_of(s, p, h, "confirmed")):
            raise HandoverRefused(404, "not_found", [f"没有该移交 / no handover {handover_id}"])
        if _kept(h, body.stage) == body.sha256:
            return handover_record(s, h)  # the same again
        h = _pending(s, handover_id)
        if body.stage == "signed" and h.countersigned_sha256 is not None:
            raise HandoverRefused(409, "already_countersigned", [
                "接收人已会签，移交清单不能再更换 / the taking-over officer has countersigned; "
                "the record can no longer be replaced"])
        previous = _kept(h, PREVIOUS[body.stage]) if body.stage in PREVIOUS else None
        allowed = _signer_of(s, p, h, body.stage)
    if not allowed:
        raise HandoverRefused(403, "forbidden", [
            "移交人先签署，接收人再会签，监交人（部门负责人）最后确认 / the officer handing over "
            "signs, the one taking over countersigns, the supervisor confirms"])
    if body.stage in PREVIOUS and previous is None:
        raise HandoverRefused(409, "not_signed", [
            "移交人尚未签署 / the officer handing over has not signed the record yet"
            if body.stage == "countersigned" else
            "移交清单尚未由移交人和接收人双方签署 / the record has not been signed by both "
            "officers yet"])
    if unusable(hq, p, [body.sha256]):
        raise HandoverRefused(422, "missing_blobs", [MISSING])
    if previous is not None and not _extends(hq, body.sha256, previous):
        raise HandoverRefused(409, "record_changed", [CHANGED])
    report = _report(body)
    reason = None
    if previous is not None:
        reason = check_countersigned(hq, report, _report(body, previous, PREVIOUS[body.stage]))
    reason = reason or check_report(hq, report, handover_id)  # /Keywords: the id
    if reason is not None:
        raise HandoverRefused(422, "rejected", [reason])
    signers = report_signers(hq, body.sha256)
    signer = certifier(signers) if body.stage == "signed" else countersigner(signers)
    whose = {"signed": GIVERS, "countersigned": TAKERS, "confirmed": SUPERVISORS}[body.stage]
    if signer is None:
        raise HandoverRefused(422, "rejected", [f"{whose.zh}缺失 / {whose.en} is missing"])

    def keep(s: Session, h: Handover) -> None:
        """In the transaction that keeps it: the certificate is the poster's, and the file
        before it is still the one kept."""
        conn = s.connection()
        problem = signer_problem(conn, hq.settings, p.user_id, signer, whose) or claim(
            conn, hq.settings, p.user_id, signer, whose, actor=p.username,
            device_id=p.device_id, handover_id=handover_id)
        if problem is not None:
            raise HandoverRefused(422, "wrong_signer", [problem])
        if body.stage in PREVIOUS and _kept(h, PREVIOUS[body.stage]) != previous:
            raise HandoverRefused(409, "record_changed", [CHANGED])  # replaced meanwhile
        detail = {"sha256": body.sha256, "certificate": signer.fingerprint,
                  "subject": signer.subject}
        if body.stage == "confirmed":
            h.confirmed_sha256 = body.sha256
            audit(s, p.username, "handover.confirm", "handover", h.id, user_id=p.user_id,
                  device_id=p.device_id, **detail)
            return
        if body.stage == "signed":
            h.signed_sha256 = body.sha256
        else:
            h.countersigned_sha256 = body.sha256
        h.version += 1
        _announce(s, h)
        audit(s, p.username, f"handover.{'sign' if body.stage == 'signed' else 'countersign'}",
              "handover", h.id, user_id=p.user_id, device_id=p.device_id, **detail)

    if body.stage == "confirmed":
        return complete_handover(hq.db, handover_id, p.username, p, confirm=keep)
    with hq.db.write() as s:
        h = _pending(s, handover_id, lock=True)
        keep(s, h)
        return handover_record(s, h)
