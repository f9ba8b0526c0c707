"""`inspector-hq admin handover start|list|show|complete`: the handover at the command line,
printed for a person (the record's totals and, per borrower, what moves)."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from inspector_app.hq.db import Database
from inspector_app.hq.handover import (
    HandoverRefused,
    complete_handover,
    get_handover,
    list_handovers,
    start_handover,
)
from inspector_app.hq.models import User
from inspector_app.wire import HandoverRecord, HandoverStart

STATE = {"pending": "待完成 / pending", "completed": "已完成 / completed"}
INSPECTION = {"overdue": "已逾期 / overdue", "pending": "待检查 / pending", "none": "-"}


def handover_command(args: argparse.Namespace, db: Database, actor: str) -> None:
    """Run one handover subcommand; HandoverRefused for a refusal (the caller prints it)."""
    sub = args.handover_command
    if sub == "start":
        codes = [c.strip() for c in (args.borrowers or "").split(",") if c.strip()]
        try:
            req = HandoverStart(from_officer=args.from_officer, to_officer=args.to_officer,
                                borrower_codes=codes, all_borrowers=args.all)
        except ValidationError as exc:
            raise HandoverRefused(422, "invalid", [
                f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
            ]) from None
        record = start_handover(db, req, actor)
        print(f"handover {record.id} started ({STATE[record.status]})")
        print("\n".join(describe(record, _names(db))))
    elif sub == "list":
        names = _names(db)
        for r in list_handovers(db):
            print(f"{r.id}  {STATE[r.status]:<22} {names.get(r.from_officer_id, '?')} -> "
                  f"{names.get(r.to_officer_id, '?')}  {len(r.borrower_ids)} borrower(s)  "
                  f"started {r.started_at.isoformat(timespec='seconds')} by {r.started_by}")
    elif sub == "show":
        print("\n".join(describe(get_handover(db, args.handover_id), _names(db))))
    elif sub == "complete":
        reason = args.reason.strip()
        if len(reason) < 2:
            raise HandoverRefused(422, "invalid", [
                "--reason: 请说明不经监交人签章完成移交的理由 / say why the handover is completed "
                "without the supervisor's signature"])
        record = complete_handover(db, args.handover_id, actor, override_reason=reason)
        print(f"handover {record.id} completed WITHOUT the supervisor's confirmation signature "
              f"(reason: {reason}): {len(record.borrower_ids)} borrower(s), "
              f"{len(record.continued_visit_ids)} unsigned visit(s) now "
              f"{_names(db).get(record.to_officer_id, '?')}'s")


def _names(db: Database) -> dict[str, str]:
    with db.read() as s:
        return {user_id: name for user_id, name in s.execute(select(User.id, User.username))}


def describe(r: HandoverRecord, names: dict[str, str]) -> list[str]:
    """The handover and its record, a few lines for a person."""
    rec: dict[str, Any] = r.record
    totals = rec.get("totals", {})
    lines = [
        f"移交 / handover {r.id}: {names.get(r.from_officer_id, '?')} -> "
        f"{names.get(r.to_officer_id, '?')}, {STATE[r.status]}",
        f"  started {r.started_at.isoformat(timespec='seconds')} by {r.started_by}",
        "  released by the laptop: " + (r.released_at.isoformat(timespec="seconds")
                                         if r.released_at else "not yet (at its next sync)"),
        "  record signed by the officer handing over: " + ("yes" if r.signed_sha256 else "no")
        + "; countersigned by the officer taking over: "
        + ("yes" if r.countersigned_sha256 else "no")
        + "; confirmed by the supervisor: " + ("yes" if r.confirmed_sha256 else "no"),
        "  " + ", ".join(f"{k}: {v}" for k, v in totals.items()),
    ]
    if r.completed_at is not None:
        lines.append(f"  completed {r.completed_at.isoformat(timespec='seconds')} by "
                     f"{r.completed_by}")
    if r.override_reason is not None:
        lines.append("  不经监交人签章完成（管理员） / completed by an administrator WITHOUT the "
                     f"supervisor's confirmation signature; reason: {r.override_reason}")
    for b in rec.get("borrowers", []):
        due = b["inspection"]
        lines.append(
            f"  {b['code']} {b['name']}: {len(b['loans'])} loan(s), "
            f"{len(b['collateral_items'])} collateral, {len(b['open_signals'])} open signal(s), "
            f"{len(b['unsigned_visits'])} unsigned visit(s); next inspection "
            f"{due['due_on'] or '-'} ({INSPECTION.get(due['state'], due['state'])})"
            + (f"; {len(b['missing_files'])} file(s) not received" if b["missing_files"] else ""))
    for d in rec.get("from_officer_devices", []):
        lines.append(f"  laptop {d['name']}: last sync {d['last_sync_at'] or 'never'}")
    return lines
