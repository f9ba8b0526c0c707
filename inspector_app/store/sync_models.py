"""The sync bookkeeping tables (inspector_app.sync): the outbox, this laptop's registration,
what headquarters confirmed of each visit, and the reference records pulled. Not Records:
these rows describe this laptop's relation to headquarters and never travel. Re-exported by
store.models, where the store's code has always found every table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import UTCDateTime
from inspector_app.store.model_base import Base


class OutboxEntry(Base):
    """Something headquarters has not confirmed yet: a visit to push or a blob to upload.

    Written by the before_flush hook in inspector_app.store.outbox in the same transaction as
    the change itself, and deleted only once the server confirmed it.
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("entity", "ref"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(8))  # "visit" or "blob"
    ref: Mapped[str] = mapped_column(String(64))  # the visit id, or the blob's SHA-256
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The server's message when it refused the push as a conflict; shown to the officer.
    conflict: Mapped[str | None] = mapped_column(Text)


class SyncState(Base):
    """This laptop's registration with headquarters (one row, id 1)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str] = mapped_column(String(300))
    device_id: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(36))
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    # The visit feed's own sequence (a supervisor's laptop reads the team's visits from it).
    team_cursor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class VisitSync(Base):
    """What headquarters last confirmed for a visit (its version there and the hash of what
    was sent), and a push whose answer never came back."""

    __tablename__ = "visit_sync"
    # No foreign key: the server's acknowledgement is a fact about the server, kept even if
    # the local row were ever removed.
    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    acked_version: Mapped[int] = mapped_column(Integer, default=0)  # 0: never confirmed
    acked_payload_sha256: Mapped[str | None] = mapped_column(String(64))
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The document of a push whose answer was lost: the server may hold it as a newer version
    # than acked_version, so it is sent again (answer "unchanged") before any later edit.
    unanswered: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReferenceDoc(Base):
    """A record pulled from headquarters that has no table of its own here (templates,
    policy, review decisions), kept as the server sent it."""

    __tablename__ = "reference_docs"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
