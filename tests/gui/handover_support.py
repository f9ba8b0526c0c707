"""A handover as a laptop holds it after a sync: the "handover" document headquarters sends
(wire.HandoverRecord), written into the store the way sync.handover keeps it, so the screens
can be tested without a server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.store import outbox
from inspector_app.store.handovers import HANDOVER_ENTITY
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ReferenceDoc, User

SHA = "a" * 64


def pull_handover(store: LocalStore, giver: User, taker: User, codes: list[str], *,
                  released: bool = False, signed: bool = False, countersigned: bool = False,
                  completed: bool = False, started: datetime | None = None,
                  signed_sha: str = SHA, countersigned_sha: str = SHA.replace("a", "b"),
                  override_reason: str | None = None) -> wire.HandoverRecord:
    with store.read() as s:
        ids = {c: i for c, i in s.execute(select(Borrower.code, Borrower.id)
                                           .where(Borrower.code.in_(codes)))}
    assert set(ids) == set(codes)
    when = started or datetime(2025, 3, 8, 9, 30, tzinfo=UTC)
    record = wire.HandoverRecord(
        id=str(uuid.uuid4()), status="completed" if completed else "pending",
        from_officer_id=giver.id, to_officer_id=taker.id, borrower_ids=sorted(ids.values()),
        started_by="zhang", started_at=when, released_at=when if released else None,
        signed_sha256=signed_sha if signed else None,
        countersigned_sha256=countersigned_sha if countersigned else None,
        confirmed_sha256=SHA.replace("a", "c") if completed and not override_reason else None,
        override_reason=override_reason,
        record={"from_officer": {"display_name": giver.display_name,
                                 "supervisor_id": giver.supervisor_id},
                "to_officer": {"display_name": taker.display_name}, "made_on": "2025-03-08",
                "borrowers": [{"code": c, "name": f"借款人{c}"} for c in codes],
                "totals": {"borrowers": len(codes)}},
        version=1)
    with outbox.quiet_write(store) as s:
        s.add(ReferenceDoc(entity=HANDOVER_ENTITY, id=record.id, version=record.version,
                           deleted=False, data=record.model_dump(mode="json"),
                           received_at=utcnow()))
    return record
