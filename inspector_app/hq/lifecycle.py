"""Headquarters owns the visit life cycle: a laptop's word on a visit's status is a claim.

A push carries what the officer may decide: the content, its completion (draft ⇄ completed)
and the signed report. The status headquarters stores is derived from what it verified:

- draft / completed: as the officer says, while headquarters holds no signed state of it;
- a visit that arrives signed (its status signed or later) must carry a signed report, which
  the push verifies (report_check) and which must not be the report of the visit it
  corrects: it is stored as "submitted" — it has reached headquarters;
- approved / returned: only through a supervisor's review (review.py sets the stored visit's
  status with the decision). A push may say so only when the review says so; a push saying
  "signed" or "submitted" about a reviewed visit (a laptop that has not pulled the decision
  yet) is stored with the review's status, so an honest laptop is never refused;
- a signed visit never goes back to draft or completed; a returned one is corrected only as a
  new revision: another visit whose previous_revision_id names it, of the same borrower and
  officer, with revision = the old one's + 1 — and only one (a second revision of the same
  visit would fork its history; the unique visits.previous_revision_id holds that against
  concurrent pushes too). "Same officer" is whoever holds the old visit now: after a
  handover, the officer who took the borrower over (hq.visit_holder), not the one who signed
  it.

Illegal steps are refused with 409 "illegal_transition" or "already_revised", or 422 ("not_signed",
"invalid_revision", "previous_revision_missing", "not_this_visits_report"), each with the
reason in Chinese and English.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update

from inspector_app.domain.enums import VisitStatus
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError
from inspector_app.hq.models import Review, Visit
from inspector_app.hq.visit_holder import latest_taker
from inspector_app.wire import VisitRecord

SIGNED_OR_LATER = frozenset({"signed", "submitted", "approved", "returned"})
DECIDED = frozenset({"approved", "returned"})
# A report that carries the officer's certifying signature (check_report requires it of both).
SIGNED_STAGES = frozenset({"signed", "countersigned"})
# What headquarters stores for a visit that arrives signed and is not reviewed yet.
ARRIVED = "submitted"
# What a new revision may correct (as the laptop's domain.lifecycle.REVISABLE).
REVISABLE = frozenset({"signed", "submitted", "returned"})

NOT_SIGNED = ("总行只有在收到已签署的报告后才将检查记录记为已签署 / headquarters stores a visit "
              "as signed only with its signed report, and this push carries none")
ONLY_BY_REVIEW = ("检查记录只能由部门负责人复核为“{target_zh}” / a visit becomes {target} only "
                  "through a supervisor's review ({review})")
NO_REVIEW = "总行尚无复核决定 / headquarters holds no review of it"
REVIEW_SAYS = "复核决定为“{zh}” / the review decided {decision}"
NO_WAY_BACK = ("检查记录不能从“{source_zh}”改为“{target_zh}”，请新建修订版 / a visit cannot go "
               "from {source} to {target}; correct it as a new revision")
NOT_REVISABLE = ("“{source_zh}”的检查记录不能修订 / a visit that is {source} cannot be revised "
                 "(only a signed, submitted or returned one)")
PREVIOUS_MISSING = ("被修订的检查记录（{id}）尚未上传到总行 / the visit this revision corrects "
                    "({id}) is not at headquarters yet")
NOT_ITS_REVISION = ("修订版须针对同一客户经理、同一客户的检查记录，版本号为原版本加一 / a "
                    "revision corrects a visit of the same officer and borrower, and its revision "
                    "number is the old one's + 1 ({problem})")
FIRST_REVISION = ("未注明所修订的检查记录时，版本号应为 1 / a visit that names no previous "
                  "revision is revision 1 (this one says {revision})")
ALREADY_REVISED = ("该检查记录已有修订版（{id}），请继续修改该版本 / the visit already has a "
                   "revision ({id}); continue with that one")
NOT_THIS_VISITS = ("签名报告属于被修订的检查记录 / the signed report is the one of the visit this "
                   "revision corrects ({sha}…), not this revision's")


def _zh(status: str) -> str:
    try:
        return VisitStatus(status).zh
    except ValueError:
        return status


def _illegal(message: str, **detail: Any) -> ApiError:
    return ApiError(409, "illegal_transition", message, detail)


def stored_status(visit: VisitRecord, seen_status: str | None, decision: str | None) -> str:
    """The status headquarters stores for this pushed visit, given the stored one's status
    (None: new) and the decision of its review (None: none); ApiError 409/422 if the push
    asks for a step the life cycle does not allow."""
    claimed = visit.status
    decided = decision if decision in DECIDED else None
    if claimed not in SIGNED_OR_LATER:
        if seen_status in SIGNED_OR_LATER or decided is not None:
            source = decided or seen_status or ""
            raise _illegal(NO_WAY_BACK.format(source=source, target=claimed,
                                              source_zh=_zh(source), target_zh=_zh(claimed)),
                           server_status=source, status=claimed)
        return claimed
    if not any(r.stage in SIGNED_STAGES for r in visit.reports):
        raise ApiError(422, "not_signed", NOT_SIGNED, {"status": claimed})
    if claimed in DECIDED and claimed != decided:
        review = (NO_REVIEW if decided is None
                  else REVIEW_SAYS.format(zh=_zh(decided), decision=decided))
        raise _illegal(ONLY_BY_REVIEW.format(target=claimed, target_zh=_zh(claimed),
                                             review=review),
                       server_status=decided or seen_status, status=claimed)
    return decided or ARRIVED


_PREVIOUS = (select(Visit.officer_id, Visit.borrower_id, Visit.revision, Visit.status,
                    Visit.payload, Review.decision,
                    latest_taker(Visit.id).correlate(Visit).label("taker_id"))
             .outerjoin(Review, Review.visit_id == Visit.id)
             .where(Visit.id == bindparam("previous_id")))
_OTHER_REVISION = select(Visit.id).where(Visit.previous_revision_id == bindparam("previous_id"),
                                         Visit.id != bindparam("visit_id"))


def check_revision(hq: Hq, visit: VisitRecord) -> None:
    """A revision names the visit it corrects, which headquarters holds, of the same borrower
    and held by the same officer (its own, or the one a handover passed it to), one revision
    before, and still revisable; a signed report is this visit's own (not the corrected
    visit's). ApiError 409/422 if not. (A first revision reads nothing.)"""
    signed = sorted({r.sha256 for r in visit.reports if r.stage in SIGNED_STAGES})
    if visit.previous_revision_id is None and visit.revision == 1:
        return
    with hq.db.read_core() as conn:
        _check_revision(conn, visit, signed)


def _check_revision(conn: Connection, visit: VisitRecord, signed: list[str]) -> None:
    if visit.previous_revision_id is None:
        if visit.revision != 1:
            raise ApiError(422, "invalid_revision",
                           FIRST_REVISION.format(revision=visit.revision),
                           {"revision": visit.revision})
        return
    if visit.previous_revision_id == visit.id:
        raise _not_its_revision("it names itself")
    previous = conn.execute(_PREVIOUS, {"previous_id": visit.previous_revision_id}).first()
    if previous is None:
        raise ApiError(422, "previous_revision_missing",
                       PREVIOUS_MISSING.format(id=visit.previous_revision_id),
                       {"previous_revision_id": visit.previous_revision_id})
    holder = previous.taker_id or previous.officer_id
    if holder != visit.officer_id or previous.borrower_id != visit.borrower_id:
        raise _not_its_revision("another officer's or borrower's visit")
    if visit.revision != previous.revision + 1:
        raise _not_its_revision(f"revision {visit.revision} after {previous.revision}")
    status = previous.decision or previous.status
    if status not in REVISABLE:
        raise _illegal(NOT_REVISABLE.format(source=status, source_zh=_zh(status)),
                       previous_status=status)
    other = conn.scalar(_OTHER_REVISION, {"previous_id": visit.previous_revision_id,
                                          "visit_id": visit.id})
    if other is not None:
        raise ApiError(409, "already_revised", ALREADY_REVISED.format(id=other),
                       {"revision_id": other})
    # The report signed for the visit corrected is not this revision's.
    old = {r.get("sha256") for r in (previous.payload or {}).get("reports", [])}
    reused = sorted(old.intersection(signed))
    if reused:
        raise ApiError(422, "not_this_visits_report",
                       NOT_THIS_VISITS.format(sha=reused[0][:12]), {"sha256": reused[0]})


def _not_its_revision(problem: str) -> ApiError:
    return ApiError(422, "invalid_revision", NOT_ITS_REVISION.format(problem=problem),
                    {"problem": problem})


def fingerprint(payload: dict[str, Any]) -> str:
    """The stored document's SHA-256, as push.canonical (and the laptop) compute it."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


_SET_STATUS = (update(Visit.__table__)
               .where(and_(Visit.__table__.c.id == bindparam("visit_id"),
                           Visit.__table__.c.version == bindparam("seen_version")))
               .values(**{c: bindparam(f"new_{c}", type_=Visit.__table__.c[c].type)
                          for c in ("status", "payload", "payload_sha256")}))


def set_reviewed_status(conn: Connection, visit: Visit, decision: str) -> None:
    """A review's decision becomes the stored visit's status, in its column and its document
    (what GET /visits/{id} and the feed send). The server version stays: the officer's laptop
    is not put in conflict by a decision it did not make; its next push of the same content
    is "unchanged" (stored_status answers the review's status)."""
    payload = {**visit.payload, "status": decision}
    conn.execute(_SET_STATUS, {"visit_id": visit.id, "seen_version": visit.version,
                               "new_status": decision, "new_payload": payload,
                               "new_payload_sha256": fingerprint(payload)})
