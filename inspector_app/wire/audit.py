"""The audit trail's wire models (administrators only): GET /api/v1/audit, the entries'
export table. Re-exported by inspector_app.wire, where both ends have always found them.

    GET  /api/v1/audit?[user=&borrower=&visit=&action=&since=&until=&cursor=&limit=]
                                              -> AuditPage  (administrators only; others 403)
        Headquarters' audit trail, newest first, filtered (hq.audit_trail); ask again with
        cursor=next_cursor while it is not null.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from inspector_app.common.export_table import ColumnKind, ExportColumn, ExportTable
from inspector_app.common.text import Text

# Every action headquarters writes (hq.audit's callers), and their families ("handover" is
# every "handover.*"): what an administrator filters the trail by.
AUDIT_ACTIONS = (
    "blob.hash_mismatch", "blob.purge_uploads", "borrower.assign", "branch.add",
    "certificate.first_use", "certificate.set", "device.register", "device.register_locked",
    "device.register_refused", "device.revoke", "fund_recipients.flag", "handover.complete",
    "handover.confirm", "handover.countersign",
    "handover.release", "handover.sign", "handover.start", "policy.publish",
    "portfolio.import", "signal.follow_up", "template.publish", "user.add", "visit.countersign",
    "visit.handover", "visit.push", "visit.review",
)
AUDIT_FAMILIES = tuple(sorted({a.split(".", 1)[0] for a in AUDIT_ACTIONS}))


class AuditEntryRecord(BaseModel):
    """One entry of headquarters' audit trail: who (actor: a username, or "cli:<os user>" for
    a command run on the server) did what (action) to which record (entity, entity_id), with
    the borrower and visit it concerns where headquarters knows them."""

    id: int
    at: datetime
    actor: str
    user_id: str | None = None
    device_id: str | None = None
    action: str
    entity: str
    entity_id: str
    borrower_code: str | None = None
    visit_id: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class AuditPage(BaseModel):
    """A page of the audit trail, newest first (GET /audit); while `next_cursor` is not
    null, ask again with cursor=next_cursor for the older entries."""

    entries: list[AuditEntryRecord]
    next_cursor: int | None = None


# The trail as a typed table, the same from `inspector-hq admin audit -o` and the desktop
# app's Export… (common.export_files writes it).
AUDIT_COLUMNS = (
    ExportColumn("at", Text("时间", "Time"), ColumnKind.DATETIME),
    ExportColumn("actor", Text("用户", "User")),
    ExportColumn("action", Text("操作", "Action")),
    ExportColumn("entity", Text("对象", "Record")),
    ExportColumn("entity_id", Text("对象编号", "Record ID")),
    ExportColumn("borrower", Text("客户编号", "Borrower code")),
    ExportColumn("visit", Text("检查记录", "Visit")),
    ExportColumn("device", Text("设备", "Device")),
    ExportColumn("detail", Text("详情", "Detail")),
    ExportColumn("id", Text("序号", "Entry no."), ColumnKind.INT),
)


def detail_text(detail: dict[str, Any]) -> str:
    """An entry's detail as one line of JSON, Chinese kept readable."""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


def audit_table(entries: Iterable[AuditEntryRecord]) -> ExportTable:
    """The entries as a typed table for common.export_files.write_table."""
    return ExportTable.of(Text("审计日志", "Audit trail"), AUDIT_COLUMNS, (
        (e.at, e.actor, e.action, e.entity, e.entity_id, e.borrower_code, e.visit_id,
         e.device_id, detail_text(e.detail), e.id) for e in entries))
