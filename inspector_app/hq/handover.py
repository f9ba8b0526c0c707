"""Handover (责任移交, "先移交，后离岗"): some or all of officer A's borrowers move to officer B.

1. start (a supervisor of A's team, or an administrator): the handover and its record
   (handover_record) are stored as pending; A, B and their supervisors pull it. Nothing
   moves yet: A still owns the borrowers and may push.
2. release (A's laptop, at its next sync, after it has uploaded everything): it names every
   visit of those borrowers it holds, by fingerprint; headquarters checks it holds each one
   as sent (the unsigned ones exactly), and keeps that manifest.
3. complete: the supervisor of A's team confirms by signing the record both officers signed
   (handover_signatures: the third signature, verified, completes it), or an administrator
   completes it without that signature giving a reason (the override, said on the record
   and in the audit trail); only after the release, and only if A's unsigned visits at
   headquarters are still what the laptop released. In one
   transaction the borrowers are assigned to B, A's unsigned visits become B's (the document
   keeps every answer, note and photo; the audit trail says who wrote it), and B may read the
   borrowers' signed visits. A's laptop then lets go; B's takes them (sync.handover).

Every step writes an audit entry; refusals change nothing and say why in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import Role
from inspector_app.hq.admin import assign_borrower
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import record_change
from inspector_app.hq.db import Database
from inspector_app.hq.handover_record import (
    SIGNED_OR_LATER,
    UNSIGNED,
    build_record,
    counts,
)
from inspector_app.hq.lifecycle import fingerprint
from inspector_app.hq.models import (
    Assignment,
    Blob,
    Borrower,
    Handover,
    HandoverBorrower,
    HandoverVisit,
    SignalEntry,
    User,
    Visit,
    VisitBlob,
)
from inspector_app.hq.scope import Principal
from inspector_app.wire import HandoverRecord, HandoverRelease, HandoverStart

PENDING, COMPLETED = "pending", "completed"
CONTINUED, FILE = "continued", "file"


class HandoverRefused(Exception):
    """A handover step refused (nothing changed): the HTTP status and code the API answers,
    and the problems, one bilingual line each."""

    def __init__(self, status: int, code: str, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.status, self.code, self.problems = status, code, problems


def _refused(code: str, *problems: str, status: int = 422) -> HandoverRefused:
    return HandoverRefused(status, code, list(problems))


# --- reading -------------------------------------------------------------------------------


def handover_record(s: Session, h: Handover) -> HandoverRecord:
    borrowers = list(s.scalars(select(HandoverBorrower.borrower_id)
                               .where(HandoverBorrower.handover_id == h.id)
                               .order_by(HandoverBorrower.borrower_id)))
    given = s.execute(select(HandoverVisit.visit_id, HandoverVisit.kind)
                      .where(HandoverVisit.handover_id == h.id)
                      .order_by(HandoverVisit.visit_id)).all()
    return HandoverRecord(
        id=h.id, status=h.status,  # type: ignore[arg-type]  # only ever PENDING or COMPLETED
        from_officer_id=h.from_officer_id, to_officer_id=h.to_officer_id,
        borrower_ids=borrowers, started_by=h.started_by, started_at=h.started_at,
        released_at=h.released_at, release=h.release, completed_at=h.completed_at,
        completed_by=h.completed_by, signed_sha256=h.signed_sha256,
        countersigned_sha256=h.countersigned_sha256, confirmed_sha256=h.confirmed_sha256,
        override_reason=h.override_reason, record=h.record,
        continued_visit_ids=[v for v, k in given if k == CONTINUED],
        file_visit_ids=[v for v, k in given if k == FILE], version=h.version)


def handover_data(s: Session, h: Handover) -> dict[str, Any]:
    """The `data` of a "handover" Change."""
    return handover_record(s, h).model_dump(mode="json")


def _audience(s: Session, h: Handover) -> set[str]:
    """Who pulls the handover: both officers and their supervisors."""
    ids = {h.from_officer_id, h.to_officer_id}
    for officer in (h.from_officer_id, h.to_officer_id):
        supervisor = s.scalar(select(User.supervisor_id).where(User.id == officer))
        if supervisor:
            ids.add(supervisor)
    return ids


def _announce(s: Session, h: Handover) -> None:
    """A change-log row per person concerned, so each pulls the handover's new version."""
    s.flush()
    for user_id in sorted(_audience(s, h)):
        record_change(s, "handover", h.id, h.version, audience_user_id=user_id)


def may_see(s: Session, p: Principal, h: Handover) -> bool:
    return p.role is Role.ADMIN or p.user_id in _audience(s, h)


def _may_manage(s: Session, p: Principal | None, from_officer: User) -> bool:
    """An administrator (the CLI is one), or the supervisor of the old officer's team."""
    if p is None or p.role is Role.ADMIN:
        return True
    return p.role is Role.SUPERVISOR and from_officer.supervisor_id == p.user_id


NOT_ALLOWED = ("只有该客户经理的部门负责人或管理员可以办理移交 / only the officer's supervisor or "
               "an administrator can hand over their borrowers")


def get_handover(db: Database, handover_id: str, p: Principal | None = None) -> HandoverRecord:
    with db.read() as s:
        h = s.get(Handover, handover_id)
        if h is None or (p is not None and not may_see(s, p, h)):
            raise _refused("not_found", f"没有该移交 / no handover {handover_id}", status=404)
        return handover_record(s, h)


def list_handovers(db: Database, p: Principal | None = None) -> list[HandoverRecord]:
    """Every handover the caller may see (the CLI: all), newest first."""
    with db.read() as s:
        rows = s.scalars(select(Handover).order_by(Handover.started_at.desc()))
        return [handover_record(s, h) for h in rows if p is None or may_see(s, p, h)]


# --- 1. start ------------------------------------------------------------------------------


def _officer(s: Session, username: str, which: tuple[str, str]) -> User:
    zh, en = which
    user = s.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise _refused("unknown_officer", f"{zh}“{username}”不存在 / no user {username} ({en})")
    if user.role is not Role.OFFICER or not user.active:
        raise _refused("unknown_officer", f"{zh}“{username}”不是在职客户经理 / {username} is "
                       f"not an active officer ({en})")
    return user


def _borrowers(s: Session, req: HandoverStart, officer: User) -> list[Borrower]:
    owned = list(s.scalars(select(Borrower).join(Assignment, Assignment.borrower_id == Borrower.id)
                           .where(Assignment.officer_id == officer.id)))
    if req.all_borrowers == bool(req.borrower_codes):
        raise _refused("borrowers_required", "请指定要移交的客户，或选择全部移交 / name the "
                       "borrowers to hand over (--borrowers), or hand over all (--all)")
    if req.all_borrowers:
        if not owned:
            raise _refused("no_borrowers", f"{officer.username} 名下没有客户 / "
                           f"{officer.username} has no borrowers")
        return owned
    by_code = {b.code: b for b in owned}
    codes = list(dict.fromkeys(c.strip() for c in req.borrower_codes))
    known = set(s.scalars(select(Borrower.code).where(Borrower.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    not_theirs = [c for c in codes if c in known and c not in by_code]
    problems = [f"没有客户 {c} / no borrower {c}" for c in unknown]
    problems += [f"客户 {c} 不是 {officer.username} 的客户 / borrower {c} is not "
                 f"{officer.username}'s" for c in not_theirs]
    if problems:
        raise _refused("not_their_borrowers", *problems)
    return [by_code[c] for c in codes]


def start_handover(db: Database, req: HandoverStart, actor: str,
                   p: Principal | None = None) -> HandoverRecord:
    """Start a handover (pending) with its record; HandoverRefused if it cannot be."""
    with db.write() as s:
        a = _officer(s, req.from_officer, ("移交人", "the officer handing over"))
        b = _officer(s, req.to_officer, ("接收人", "the officer taking over"))
        if not _may_manage(s, p, a):
            raise _refused("forbidden", NOT_ALLOWED, status=403)
        if a.id == b.id:
            raise _refused("same_officer", "移交人和接收人不能是同一人 / an officer cannot hand "
                           "over to themselves")
        borrowers = _borrowers(s, req, a)
        busy = s.scalars(select(Borrower.code)
                         .join(HandoverBorrower, HandoverBorrower.borrower_id == Borrower.id)
                         .join(Handover, Handover.id == HandoverBorrower.handover_id)
                         .where(Handover.status == PENDING,
                                Borrower.id.in_([x.id for x in borrowers]))).all()
        if busy:
            raise _refused("already_handing_over", *(
                f"客户 {c} 已在另一项未完成的移交中 / borrower {c} is already in a pending "
                "handover" for c in sorted(busy)), status=409)
        h = Handover(from_officer_id=a.id, to_officer_id=b.id, status=PENDING, started_by=actor,
                     record=build_record(s, a, b, borrowers), version=1)
        s.add(h)
        s.flush()
        for x in borrowers:
            s.add(HandoverBorrower(handover_id=h.id, borrower_id=x.id))
        _announce(s, h)
        audit(s, actor, "handover.start", "handover", h.id,
              user_id=p.user_id if p else None, device_id=p.device_id if p else None,
              from_officer=a.username, to_officer=b.username,
              borrowers=sorted(x.code for x in borrowers), totals=h.record["totals"])
        return handover_record(s, h)


# --- 2. release (the old officer's laptop) -------------------------------------------------


def _pending(s: Session, handover_id: str, *, lock: bool = False) -> Handover:
    h = s.get(Handover, handover_id, with_for_update=lock)
    if h is None:
        raise _refused("not_found", f"没有该移交 / no handover {handover_id}", status=404)
    if h.status != PENDING:
        raise _refused("not_pending", "该移交已完成 / this handover is already completed",
                       status=409)
    return h


def _borrower_ids(s: Session, h: Handover) -> list[str]:
    return list(s.scalars(select(HandoverBorrower.borrower_id)
                          .where(HandoverBorrower.handover_id == h.id)))


def release_handover(db: Database, p: Principal, handover_id: str,
                     body: HandoverRelease) -> HandoverRecord:
    """The old officer's laptop let go: every visit it names is at headquarters as sent."""
    with db.write() as s:
        h = s.get(Handover, handover_id)
        if h is None or h.from_officer_id != p.user_id:
            raise _refused("not_found", f"没有该移交 / no handover {handover_id}", status=404)
        h = _pending(s, handover_id, lock=True)
        borrowers = set(_borrower_ids(s, h))
        stored = {v.id: v for v in s.scalars(select(Visit).where(
            Visit.id.in_([x.id for x in body.visits])))}
        problems = []
        manifest = {}
        for x in body.visits:
            v = stored.get(x.id)
            if v is None or v.officer_id != p.user_id or v.borrower_id not in borrowers:
                problems.append(f"检查记录 {x.id} 尚未上传到总行 / visit {x.id} has not reached "
                                "headquarters")
            elif v.status in UNSIGNED and v.payload_sha256 != x.payload_sha256:
                problems.append(f"检查记录 {x.id} 在总行的版本与本机不同 / headquarters' copy of "
                                f"visit {x.id} is not the laptop's")
            else:
                manifest[x.id] = {"payload_sha256": v.payload_sha256, "status": v.status,
                                  **counts(v.payload)}
        if problems:
            raise _refused("not_received", *problems, status=409)
        h.release = {"device_id": p.device_id, "visits": manifest}
        h.released_at = utcnow()
        h.version += 1
        _announce(s, h)
        audit(s, p.username, "handover.release", "handover", h.id, user_id=p.user_id,
              device_id=p.device_id, visits=len(manifest),
              answers=sum(m["answers"] for m in manifest.values()),
              photos=sum(m["photos"] for m in manifest.values()))
        return handover_record(s, h)


# --- 3. complete ---------------------------------------------------------------------------


# The supervisor's confirmation, checked and kept in completion's transaction (it raises
# HandoverRefused to refuse): handover_signatures makes one from the verified record.
Confirmation = Callable[[Session, Handover], None]


def complete_handover(db: Database, handover_id: str, actor: str,
                      p: Principal | None = None, *, confirm: Confirmation | None = None,
                      override_reason: str | None = None) -> HandoverRecord:
    """Move the borrowers, A's unsigned visits and the borrowers' file to B, in one go, on
    the supervisor's confirmation (``confirm``) or an administrator's ``override_reason``."""
    with db.write() as s:
        h = _pending(s, handover_id, lock=True)
        a, b = s.get_one(User, h.from_officer_id), s.get_one(User, h.to_officer_id)
        if not _may_manage(s, p, a):
            raise _refused("forbidden", NOT_ALLOWED, status=403)
        if not b.active:
            raise _refused("unknown_officer", f"{b.username} 已停用 / {b.username} is no longer "
                           "active")
        ids = _borrower_ids(s, h)
        moved = s.scalars(select(Borrower.code).join(Assignment,
                                                     Assignment.borrower_id == Borrower.id)
                          .where(Borrower.id.in_(ids), Assignment.officer_id != a.id)).all()
        if moved:  # reassigned by hand meanwhile (admin assign): not A's to hand over now
            raise _refused("not_their_borrowers", *(
                f"客户 {c} 已不再是 {a.username} 的客户 / borrower {c} is no longer "
                f"{a.username}'s" for c in sorted(moved)), status=409)
        visits = list(s.scalars(select(Visit).where(Visit.borrower_id.in_(ids))))
        unsigned = [v for v in visits if v.officer_id == a.id and v.status in UNSIGNED]
        _check_released(s, h, a, unsigned)
        how = _confirmed(s, h, p, confirm, override_reason)
        for borrower in s.scalars(select(Borrower).where(Borrower.id.in_(ids))):
            assign_borrower(s, borrower, b, actor)
        for v in unsigned:
            _continue(s, h, v, a, b, actor)
        for v in visits:
            if v.status in SIGNED_OR_LATER:
                s.add(HandoverVisit(handover_id=h.id, visit_id=v.id, kind=FILE, taker_id=b.id))
        # A signal someone handed to the old officer on these borrowers goes with them.
        s.execute(update(SignalEntry).where(SignalEntry.borrower_id.in_(ids),
                                            SignalEntry.handler_id == a.id)
                  .values(handler_id=b.id))
        h.status, h.completed_at, h.completed_by = COMPLETED, utcnow(), actor
        h.version += 1
        _announce(s, h)
        audit(s, actor, "handover.complete", "handover", h.id,
              user_id=p.user_id if p else None, device_id=p.device_id if p else None,
              from_officer=a.username, to_officer=b.username, borrowers=len(ids),
              continued=[v.id for v in unsigned],
              file=sum(v.status in SIGNED_OR_LATER for v in visits), **how)
        return handover_record(s, h)


NOT_CONFIRMED = ("监交人（部门负责人）尚未签章确认移交清单；管理员如需不经其签章完成移交，"
                 "须说明理由 / the supervisor has not confirmed the handover record with "
                 "their signature; an administrator may complete it without, giving the "
                 "reason (--without-signature --reason)")
ADMINS_ONLY = ("只有管理员可以不经监交人签章完成移交 / only an administrator may complete a "
               "handover without the supervisor's signature")


def _confirmed(s: Session, h: Handover, p: Principal | None, confirm: Confirmation | None,
               override_reason: str | None) -> dict[str, Any]:
    """The supervisor's signed confirmation kept, or the administrator's override recorded;
    what the completion's audit entry says of it. Neither: refused."""
    if confirm is not None:
        confirm(s, h)
        return {"confirmation": "signature", "confirmed_sha256": h.confirmed_sha256}
    if not (override_reason or "").strip():
        raise _refused("not_confirmed", NOT_CONFIRMED, status=409)
    if p is not None and p.role is not Role.ADMIN:
        raise _refused("forbidden", ADMINS_ONLY, status=403)
    h.override_reason = (override_reason or "").strip()
    # Why completion went without the third signature: kept with the handover, shown with it.
    return {"confirmation": "override", "reason": h.override_reason}


def _check_released(s: Session, h: Handover, a: User, unsigned: list[Visit]) -> None:
    """Both officers signed the record, A's laptop let go, and nothing of A's unsigned work
    changed since or is incomplete."""
    if h.released_at is None or h.release is None:
        raise _refused("not_released", f"{a.username} 的电脑尚未上传全部资料并交出（下次同步时"
                       "进行） / the laptop of " f"{a.username} has not yet uploaded everything "
                       "and let go (it does at its next sync)", status=409)
    if h.countersigned_sha256 is None:
        raise _refused("not_signed", "移交清单尚未由移交人和接收人双方签署 / the handover record "
                       "has not been signed by both officers yet (the one handing over, then "
                       "the one taking over)", status=409)
    released = h.release.get("visits", {})
    changed = [v.id for v in unsigned
               if released.get(v.id, {}).get("payload_sha256") != v.payload_sha256]
    if changed:
        raise _refused("changed_since_release", *(
            f"检查记录 {x} 在交出后又有修改，请 {a.username} 再同步一次 / visit {x} changed after "
            f"the laptop let go; {a.username} must sync again" for x in changed), status=409)
    incomplete = s.scalars(select(VisitBlob.sha256).outerjoin(Blob, Blob.sha256 == VisitBlob.sha256)
                           .where(VisitBlob.visit_id.in_([v.id for v in unsigned]),
                                  (Blob.complete.is_(None)) | (Blob.complete.is_(False)))).all()
    if incomplete:
        raise _refused("missing_files", f"{len(incomplete)} 个照片或报告尚未完整上传 / "
                       f"{len(incomplete)} photo(s) or report(s) have not fully arrived",
                       status=409)


def _continue(s: Session, h: Handover, v: Visit, a: User, b: User, actor: str) -> None:
    """A's unsigned visit becomes B's: the same document (every answer, note, photo), now
    B's to finish; the audit trail keeps who wrote it."""
    payload = {**v.payload, "officer_id": b.id}
    v.officer_id, v.payload = b.id, payload
    v.payload_sha256 = fingerprint(payload)
    v.updated_at = utcnow()
    s.flush()  # the version moves (version_id_col): B's laptop continues from the new one
    s.add(HandoverVisit(handover_id=h.id, visit_id=v.id, kind=CONTINUED, taker_id=b.id))
    record_change(s, "visit", v.id, v.version, borrower_id=v.borrower_id, officer_id=b.id)
    audit(s, actor, "visit.handover", "visit", v.id, handover_id=h.id, from_officer=a.username,
          to_officer=b.username, written_by=a.username, server_version=v.version,
          written=counts(payload))
