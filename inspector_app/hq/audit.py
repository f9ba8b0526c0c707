"""The headquarters audit trail: one row per thing done, in the same transaction as the deed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.hq.models import AuditEntry


def audit(session: Session, actor: str, action: str, entity: str, entity_id: str, *,
          user_id: str | None = None, device_id: str | None = None,
          **detail: Any) -> None:
    session.add(AuditEntry(actor=actor, user_id=user_id, device_id=device_id, action=action,
                           entity=entity, entity_id=entity_id, detail=detail))


def audit_row(actor: str, action: str, entity: str, entity_id: str, *,
              user_id: str | None = None, device_id: str | None = None,
              **detail: Any) -> dict[str, Any]:
    """The same entry as values for a Core insert (the hot push path has no ORM session)."""
    return {"at": utcnow(), "actor": actor, "user_id": user_id, "device_id": device_id,
            "action": action, "entity": entity, "entity_id": entity_id, "detail": detail}
