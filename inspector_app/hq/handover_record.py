"""The handover record (交接清单): what headquarters knows of the borrowers a handover moves.

Per borrower: its loans, collateral items, open warning signals with their state, the next
inspection (pending, or overdue) as the schedule rules compute it, and the old officer's
visits still unsigned (as their laptop last pushed them). For the old officer: when each of
their laptops last synced, and the photos or reports their stored visits name that have not
fully arrived — what headquarters has not yet received. Plain JSON data, kept with the
handover and sent to the laptops and the desktop app as is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import Classification, LoanType, Severity, VisitKind
from inspector_app.domain.policy import Policy, PolicyError, load_policy
from inspector_app.domain.schedule import OpenSignal, OwedFirstInspection, next_due_date
from inspector_app.hq.models import (
    Blob,
    Borrower,
    CollateralItem,
    Device,
    Loan,
    PolicyVersion,
    SignalEntry,
    User,
    Visit,
    VisitBlob,
)

UNSIGNED = ("draft", "completed")
SIGNED_OR_LATER = ("signed", "submitted", "approved", "returned")
CLOSED_SIGNAL = "cleared"


def _policy(s: Session) -> Policy:
    """The published policy (headquarters' rules for every laptop), else the shipped one."""
    row = s.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()
    if row is not None:
        try:
            return Policy.from_dict(dict(row.data), source="headquarters")
        except PolicyError:
            pass
    return load_policy()


def counts(payload: dict[str, Any]) -> dict[str, int]:
    """What the officer typed in a visit document, counted: what a handover must not lose."""
    return {key: len(payload.get(key) or []) for key in
            ("answers", "notes", "photos", "observations", "signals")}


def user_summary(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role.value, "branch_id": user.branch_id,
            "supervisor_id": user.supervisor_id, "active": user.active}


def build_record(s: Session, from_officer: User, to_officer: User,
                 borrowers: list[Borrower]) -> dict[str, Any]:
    """The record of handing ``borrowers`` from ``from_officer`` to ``to_officer``, now."""
    policy = _policy(s)
    today = utcnow().date()
    ids = [b.id for b in borrowers]
    visits = list(s.scalars(select(Visit).where(Visit.borrower_id.in_(ids))
                            .order_by(Visit.visit_date, Visit.created_at)))
    missing = _missing_blobs(s, [v.id for v in visits if v.officer_id == from_officer.id])
    out = []
    for b in sorted(borrowers, key=lambda x: x.code):
        mine = [v for v in visits if v.borrower_id == b.id]
        out.append(_borrower(s, b, mine, from_officer, policy, today, missing))
    devices = s.scalars(select(Device).where(Device.user_id == from_officer.id,
                                             Device.revoked_at.is_(None))
                        .order_by(Device.created_at))
    # Who confirms it (监交人): the old officer's supervisor, named on the record's last page.
    supervisor = (s.get(User, from_officer.supervisor_id)
                  if from_officer.supervisor_id else None)
    return {
        "from_officer": user_summary(from_officer),
        "to_officer": user_summary(to_officer),
        "supervisor": user_summary(supervisor) if supervisor is not None else None,
        "made_on": today.isoformat(),
        "borrowers": out,
        # Anything typed on the old officer's laptop after its last sync is not here yet.
        "from_officer_devices": [
            {"id": d.id, "name": d.name,
             "last_sync_at": d.last_seen_at.isoformat() if d.last_seen_at else None}
            for d in devices],
        "totals": {
            "borrowers": len(out),
            "loans": sum(len(x["loans"]) for x in out),
            "collateral_items": sum(len(x["collateral_items"]) for x in out),
            "open_signals": sum(len(x["open_signals"]) for x in out),
            "unsigned_visits": sum(len(x["unsigned_visits"]) for x in out),
            "overdue_inspections": sum(x["inspection"]["state"] == "overdue" for x in out),
            "missing_files": sum(len(x["missing_files"]) for x in out),
        },
    }


def _missing_blobs(s: Session, visit_ids: list[str]) -> dict[str, list[str]]:
    """visit id -> the files it names that headquarters does not hold complete."""
    if not visit_ids:
        return {}
    rows = s.execute(select(VisitBlob.visit_id, VisitBlob.sha256, Blob.complete)
                     .outerjoin(Blob, Blob.sha256 == VisitBlob.sha256)
                     .where(VisitBlob.visit_id.in_(visit_ids)))
    out: dict[str, list[str]] = {}
    for visit_id, sha, complete in rows:
        if not complete:
            out.setdefault(visit_id, []).append(sha)
    return out


def _borrower(s: Session, b: Borrower, visits: list[Visit], from_officer: User, policy: Policy,
              today: date, missing: dict[str, list[str]]) -> dict[str, Any]:
    loans = list(s.scalars(select(Loan).where(Loan.borrower_id == b.id)
                           .order_by(Loan.contract_no)))
    collateral = list(s.scalars(select(CollateralItem).where(CollateralItem.borrower_id == b.id)
                                .order_by(CollateralItem.code)))
    signals = _open_signals(s, b.id, visits)
    unsigned = [v for v in visits if v.status in UNSIGNED and v.officer_id == from_officer.id]
    return {
        "id": b.id, "code": b.code, "name": b.name,
        "loans": [{"id": x.id, "contract_no": x.contract_no, "loan_type": x.loan_type,
                   "amount_fen": x.amount_fen, "outstanding_fen": x.outstanding_fen,
                   "classification": x.classification, "matures_on": x.matures_on.isoformat(),
                   "days_past_due": x.days_past_due} for x in loans],
        "collateral_items": [{"id": c.id, "code": c.code, "kind": c.kind,
                              "description": c.description,
                              "pledged_value_fen": c.pledged_value_fen} for c in collateral],
        "open_signals": signals,
        "inspection": _inspection(loans, visits, signals, policy, today),
        "unsigned_visits": [{"id": v.id, "status": v.status,
                             "visit_date": v.visit_date.isoformat(),
                             "server_version": v.version, "payload_sha256": v.payload_sha256,
                             **counts(v.payload)} for v in unsigned],
        "signed_visits": sum(v.status in SIGNED_OR_LATER for v in visits),
        "missing_files": sorted({sha for v in visits for sha in missing.get(v.id, [])}),
    }


def _open_signals(s: Session, borrower_id: str, visits: list[Visit]) -> list[dict[str, Any]]:
    """The borrower's signals not cleared, with headquarters' state (a follow-up may have
    moved it) and the title and date from the visit that raised it."""
    entries = {e.id: e for e in s.scalars(select(SignalEntry)
                                          .where(SignalEntry.borrower_id == borrower_id))}
    out = []
    for v in visits:
        for sig in v.payload.get("signals") or []:
            entry = entries.get(sig.get("id"))
            status = entry.status if entry is not None else sig.get("status")
            if status == CLOSED_SIGNAL or entry is None or entry.visit_id != v.id:
                continue
            out.append({"id": entry.id, "visit_id": v.id, "title": sig.get("title", ""),
                        "category": sig.get("category", ""), "severity": entry.severity,
                        "status": status, "raised_on": sig.get("raised_on"),
                        "event": bool(sig.get("event")),
                        "handler_id": entry.handler_id})
    return out


def _inspection(loans: list[Loan], visits: list[Visit], signals: list[dict[str, Any]],
                policy: Policy, today: date) -> dict[str, Any]:
    """The next inspection by the schedule rules: its date, kind, reason and whether it is
    overdue (from the borrower's signed visits, loans and open signals)."""
    done = [v for v in visits if v.status in SIGNED_OR_LATER]
    last = max(done, key=lambda v: v.visit_date) if done else None
    special = [v.visit_date for v in done if v.payload.get("kind") == VisitKind.SPECIAL.value]
    worst = Classification.NORMAL
    owed = []
    for x in loans:
        try:
            worst = worst.at_least(Classification(x.classification))
            if last is None or x.disbursed_on > last.visit_date:
                owed.append(OwedFirstInspection(LoanType(x.loan_type), x.disbursed_on,
                                                x.contract_no))
        except ValueError:
            continue
    open_signals = []
    for sig in signals:
        try:
            open_signals.append(OpenSignal(Severity(sig["severity"]),
                                           date.fromisoformat(str(sig["raised_on"])),
                                           event=bool(sig.get("event"))))
        except (ValueError, KeyError):
            continue
    promised = None
    if last is not None and last.payload.get("next_due_on"):
        promised = date.fromisoformat(str(last.payload["next_due_on"]))
    try:
        due = next_due_date(
            last_visit_on=last.visit_date if last else None, classification=worst,
            owed_first=owed, open_signals=open_signals, policy=policy,
            days_past_due=max((x.days_past_due for x in loans), default=0),
            last_special_on=max(special, default=None), promised_on=promised)
    except ValueError:  # no loan and never inspected: nothing to count from
        return {"state": "none", "due_on": None, "kind": None, "reason_zh": "", "reason_en": "",
                "last_visit_on": None}
    state = "overdue" if today > due.due_on else "pending"
    return {"state": state, "due_on": due.due_on.isoformat(), "kind": due.kind.value,
            "reason_zh": due.reason_zh, "reason_en": due.reason_en,
            "last_visit_on": last.visit_date.isoformat() if last else None}
