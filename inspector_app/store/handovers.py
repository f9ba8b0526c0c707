"""The handovers (责任移交) this laptop has pulled, as the screens list them: who hands over to
whom, how many borrowers, and which step the handover waits for — and the signature made on
this laptop that has not reached headquarters yet.

Headquarters sends a handover to both officers and their supervisors (hq.handover._audience),
so every one pulled concerns the signed-in user or their team. sync.handover acts on them.

A signature (the old officer's, the new one's countersignature, the supervisor's
confirmation) is made on the laptop, network or not: the signed file is kept under the data
directory, described by a "handover_signing" document and queued as a "handover_signature"
outbox row (one per handover: a laptop has one user, who signs one step of it), in one
transaction. Sync sends it; headquarters keeping it removes both, refusing it removes the
outbox row and keeps the reason on the document, which the list says until the user signs
again. A LocalStore mixin and these few functions over a session (the sync's own writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.store import outbox
from inspector_app.store.base import StoreBase
from inspector_app.store.models import ReferenceDoc, User

if TYPE_CHECKING:
    from inspector_app import wire

# The pulled document's entity, as sync.handover stores it (the store cannot import sync).
HANDOVER_ENTITY = "handover"
SIGNING_ENTITY = "handover_signing"  # a signature made here, until headquarters answered
SIGNATURE_OUTBOX = "handover_signature"  # the outbox row that sends it (ref: handover id)


class HandoverState(StrEnum):
    """The step a handover waits for, in the order they usually come."""

    RELEASE = "release"  # the old officer's laptop has not uploaded everything and let go
    GIVER_SIGNATURE = "giver_signature"  # the old officer has not signed the record
    TAKER_SIGNATURE = "taker_signature"  # the new officer has not countersigned it
    CONFIRMATION = "confirmation"  # both signed; the supervisor confirms (and completes) it
    COMPLETE = "complete"


@dataclass(frozen=True)
class QueuedSignature:
    """A signature made on this laptop: its file (under the data directory's handovers/),
    the step it signs, and, once headquarters refused it, why (its words, "中文 / English")."""

    handover_id: str
    stage: str  # "signed", "countersigned" or "confirmed" (wire.HandoverSignature)
    file: str
    sha256: str
    size_bytes: int
    signed_at: datetime
    refusal: str | None = None

    def data(self) -> dict[str, Any]:
        return {"stage": self.stage, "file": self.file, "sha256": self.sha256,
                "size_bytes": self.size_bytes, "signed_at": self.signed_at.isoformat(),
                "refusal": self.refusal}

    @classmethod
    def from_doc(cls, doc: ReferenceDoc) -> QueuedSignature:
        d = doc.data
        return cls(doc.id, str(d["stage"]), str(d["file"]), str(d["sha256"]),
                   int(d["size_bytes"]), datetime.fromisoformat(str(d["signed_at"])),
                   d.get("refusal"))


def queue_signature(s: Session, signature: QueuedSignature) -> None:
    """Keep the signature and queue it for sending (a refusal before is forgotten)."""
    s.merge(ReferenceDoc(entity=SIGNING_ENTITY, id=signature.handover_id, version=0,
                         deleted=False, data=signature.data(), received_at=utcnow()))
    outbox.enqueue(s, SIGNATURE_OUTBOX, [signature.handover_id])


def queued_signature(s: Session, handover_id: str) -> QueuedSignature | None:
    doc = s.get(ReferenceDoc, (SIGNING_ENTITY, handover_id))
    return None if doc is None else QueuedSignature.from_doc(doc)


def signature_kept(s: Session, handover_id: str) -> None:
    """Headquarters kept it: nothing left to send or say."""
    s.execute(delete(ReferenceDoc).where(ReferenceDoc.entity == SIGNING_ENTITY,
                                         ReferenceDoc.id == handover_id))
    outbox.remove(s, SIGNATURE_OUTBOX, handover_id)


def signature_refused(s: Session, handover_id: str, reason: str) -> None:
    """Headquarters refused it: not sent again; the reason kept for the list."""
    doc = s.get(ReferenceDoc, (SIGNING_ENTITY, handover_id))
    if doc is not None:
        doc.data = {**doc.data, "refusal": reason}
    outbox.remove(s, SIGNATURE_OUTBOX, handover_id)


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
    supervisor_id: str | None = None  # the old officer's supervisor, who confirms it
    confirmed: bool = False  # completed on the supervisor's signature
    override_reason: str | None = None  # completed by an administrator without it: why
    queued: bool = False  # this laptop's signature waits for the next sync
    refusal: str | None = None  # headquarters refused this laptop's signature: why

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
        return (self.pending and user_id == self.from_officer_id and not self.signed
                and not self.queued)

    def may_countersign(self, user_id: str) -> bool:
        return (self.pending and user_id == self.to_officer_id and self.signed
                and not self.countersigned and not self.queued)

    def may_confirm(self, user_id: str) -> bool:
        """The old officer's supervisor, once both officers signed and the laptop let go."""
        return (self.state is HandoverState.CONFIRMATION and user_id == self.supervisor_id
                and not self.queued)

    def turn(self, user_id: str) -> bool:
        """Whether the user's signature is what the handover waits for."""
        return (self.may_sign(user_id) or self.may_countersign(user_id)
                or self.may_confirm(user_id))


def _name(names: dict[str, str], record: wire.HandoverRecord, side: str, user_id: str) -> str:
    """The name on this laptop, else the one headquarters wrote into the record."""
    summary = record.record.get(side) or {}
    return names.get(user_id) or str(summary.get("display_name") or user_id)


class Handovers(StoreBase):
    """LocalStore's part for reading the pulled handovers."""

    def handover_signature_waiting(self, handover_id: str) -> bool:
        """Whether this laptop's signature of the handover waits to be sent."""
        with self.read() as s:
            return any(r.ref == handover_id for r in outbox.pending(s, SIGNATURE_OUTBOX))

    def handovers(self) -> list[HandoverRow]:
        """Every handover pulled, pending first, the newest first within each."""
        with self.read() as s:
            docs = list(s.scalars(select(ReferenceDoc).where(
                ReferenceDoc.entity == HANDOVER_ENTITY, ReferenceDoc.deleted.is_(False))))
            names = {uid: name for uid, name in s.execute(select(User.id, User.display_name))}
            mine = {d.id: QueuedSignature.from_doc(d) for d in s.scalars(
                select(ReferenceDoc).where(ReferenceDoc.entity == SIGNING_ENTITY))}
            sending = {r.ref for r in outbox.pending(s, SIGNATURE_OUTBOX)}
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
            signature = mine.get(r.id)
            rows.append(HandoverRow(
                id=r.id, from_officer_id=r.from_officer_id,
                from_name=_name(names, r, "from_officer", r.from_officer_id),
                to_officer_id=r.to_officer_id,
                to_name=_name(names, r, "to_officer", r.to_officer_id),
                borrower_ids=frozenset(r.borrower_ids), started_at=r.started_at,
                released=r.released_at is not None, signed=r.signed_sha256 is not None,
                countersigned=r.countersigned_sha256 is not None,
                completed=r.status == "completed",
                supervisor_id=(r.record.get("from_officer") or {}).get("supervisor_id"),
                confirmed=r.confirmed_sha256 is not None, override_reason=r.override_reason,
                queued=r.status != "completed" and r.id in sending,
                refusal=signature.refusal if signature is not None and r.id not in sending
                and r.status != "completed" else None))
        rows.sort(key=lambda h: h.started_at, reverse=True)
        rows.sort(key=lambda h: h.completed)
        return rows
