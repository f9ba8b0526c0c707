"""The handovers (责任移交) this laptop has pulled, as the screens list them: who hands over to
whom, how many borrowers, and which step the handover waits for.

Headquarters sends a handover to both officers and their supervisors (hq.handover._audience),
so every one pulled concerns the signed-in user or their team. sync.handover acts on them;
this only reads. A LocalStore mixin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from inspector_app.store.base import StoreBase
from inspector_app.store.models import ReferenceDoc, User

if TYPE_CHECKING:
    from inspector_app import wire

# The pulled document's entity, as sync.handover stores it (the store cannot import sync).
HANDOVER_ENTITY = "handover"


class HandoverState(StrEnum):
    """The step a handover waits for, in the order they usually come."""

    RELEASE = "release"  # the old officer's laptop has not uploaded everything and let go
    GIVER_SIGNATURE = "giver_signature"  # the old officer has not signed the record
    TAKER_SIGNATURE = "taker_signature"  # the new officer has not countersigned it
    CONFIRMATION = "confirmation"  # both signed; the supervisor completes it
    COMPLETE = "complete"


@dataclass(frozen=True)
class HandoverRow:
    """One handover as the list shows it."""

    id: str
    from_officer_id: str
    from_name: str
    to_officer_id: str
    to_name: str
    borrower_ids: frozenset[str]
    started_at: datetime
    released: bool
    signed: bool  # the old officer certified the record
    countersigned: bool  # the new officer countersigned it
    completed: bool

    @property
    def state(self) -> HandoverState:
        if self.completed:
            return HandoverState.COMPLETE
        if not self.released:
            return HandoverState.RELEASE
        if not self.signed:
            return HandoverState.GIVER_SIGNATURE
        if not self.countersigned:
            return HandoverState.TAKER_SIGNATURE
        return HandoverState.CONFIRMATION

    @property
    def pending(self) -> bool:
        return not self.completed

    def may_sign(self, user_id: str) -> bool:
        """The old officer signs while the handover is pending and they have not yet (before
        or after their laptop let go: headquarters takes the signature either way)."""
        return self.pending and user_id == self.from_officer_id and not self.signed

    def may_countersign(self, user_id: str) -> bool:
        return (self.pending and user_id == self.to_officer_id and self.signed
                and not self.countersigned)


def _name(names: dict[str, str], record: wire.HandoverRecord, side: str, user_id: str) -> str:
    """The name on this laptop, else the one headquarters wrote into the record."""
    summary = record.record.get(side) or {}
    return names.get(user_id) or str(summary.get("display_name") or user_id)


class Handovers(StoreBase):
    """LocalStore's part for reading the pulled handovers."""

    def handovers(self) -> list[HandoverRow]:
        """Every handover pulled, pending first, the newest first within each."""
        with self.read() as s:
            docs = list(s.scalars(select(ReferenceDoc).where(
                ReferenceDoc.entity == HANDOVER_ENTITY, ReferenceDoc.deleted.is_(False))))
            names = {uid: name for uid, name in s.execute(select(User.id, User.display_name))}
        if not docs:
            return []
        # Only now: the wire models (pydantic) are a sixth of the store's import, and the
        # sign-in waits for that import while most laptops have no handover at all.
        from pydantic import ValidationError

        from inspector_app import wire

        rows = []
        for doc in docs:
            try:
                r = wire.HandoverRecord.model_validate(doc.data)
            except ValidationError:
                continue  # a document of a newer shape: the next sync brings an app that reads it
            rows.append(HandoverRow(
                id=r.id, from_officer_id=r.from_officer_id,
                from_name=_name(names, r, "from_officer", r.from_officer_id),
                to_officer_id=r.to_officer_id,
                to_name=_name(names, r, "to_officer", r.to_officer_id),
                borrower_ids=frozenset(r.borrower_ids), started_at=r.started_at,
                released=r.released_at is not None, signed=r.signed_sha256 is not None,
                countersigned=r.countersigned_sha256 is not None,
                completed=r.status == "completed"))
        rows.sort(key=lambda h: h.started_at, reverse=True)
        rows.sort(key=lambda h: h.completed)
        return rows
