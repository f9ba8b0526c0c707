"""Headquarters tables, as SQLAlchemy 2 typed models (the server's own; not the laptop's).

Reference records (branches, users, borrowers and their loans, collateral and guarantors)
carry a version that SQLAlchemy bumps on every UPDATE; the change log records each new
version so devices can pull what changed after their cursor. Visits are kept as the JSON
document the laptop pushed, plus the columns authorisation and listing need.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import EnumText, UTCDateTime, new_id
from inspector_app.domain.enums import Role

# The declarative base is model_base's (the dashboard's tables in dashboard_models share it);
# found here, where every module has always imported it.
from inspector_app.hq.model_base import SEQ_TYPE as SEQ_TYPE
from inspector_app.hq.model_base import Base as Base
from inspector_app.hq.model_base import Record as Record


class Branch(Record):
    __tablename__ = "branches"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Record):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(EnumText(Role))
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branches.id"))
    # The officer's supervisor: a supervisor's team is every user pointing at them.
    supervisor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Device(Base):
    """A laptop registered by a user; only the SHA-256 of its bearer token is kept."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Borrower(Record):
    __tablename__ = "borrowers"
    code: Mapped[str] = mapped_column(String(32), unique=True)  # the bank's customer number
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    industry: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(32))
    legal_representative: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branches.id"))


class Assignment(Base):
    """Which officer a borrower is assigned to now (history is in the audit log)."""

    __tablename__ = "assignments"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Loan(Record):
    __tablename__ = "loans"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    loan_type: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    disbursed_on: Mapped[date] = mapped_column(Date)
    matures_on: Mapped[date] = mapped_column(Date)
    classification: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(300), default="")
    # The repayment position from the core system's daily extract (domain.repayment says
    # what each is); repayment_as_of None: no extract has named the loan yet.
    outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    overdue_principal_fen: Mapped[int] = mapped_column(BigInteger, default=0,
                                                       server_default="0")
    overdue_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0,
                                                      server_default="0")
    days_past_due: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    arrears_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0,
                                                      server_default="0")
    rescheduled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    refinanced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    restructured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    restructured_on: Mapped[date | None] = mapped_column(Date)
    repayment_as_of: Mapped[date | None] = mapped_column(Date)


class CollateralItem(Record):
    __tablename__ = "collateral_items"
    # The bank's collateral register number (押品编号): the key an import updates by.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    loan_id: Mapped[str | None] = mapped_column(ForeignKey("loans.id"))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(300), default="")
    appraised_value_fen: Mapped[int] = mapped_column(BigInteger)
    pledged_value_fen: Mapped[int] = mapped_column(BigInteger)
    certificate_no: Mapped[str] = mapped_column(String(100), default="")


class Guarantor(Record):
    __tablename__ = "guarantors"
    # The guarantee contract number (保证合同编号): the key an import updates by.
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(32), default="")
    relation: Mapped[str] = mapped_column(String(100), default="")
    guaranteed_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class BorrowerLink(Record):
    """One direction of a link between two borrowers (A -> B and B -> A are two rows, each
    pulled by whoever sees its borrower_id), or a borrower's link to a fund recipient that
    several borrowers' visits named (party_id None, party_key the recipient's key)."""

    __tablename__ = "borrower_links"
    __table_args__ = (UniqueConstraint("borrower_id", "kind", "party_key"),)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    party_id: Mapped[str | None] = mapped_column(ForeignKey("borrowers.id"), index=True)
    # The party borrower's id, or the fund recipient's key (domain.fund_recipient).
    party_key: Mapped[str] = mapped_column(String(250))
    party_name: Mapped[str] = mapped_column(String(200), default="")  # a recipient's name
    note: Mapped[str] = mapped_column(String(300), default="")
    named_by: Mapped[int] = mapped_column(Integer, default=0)  # borrowers naming a recipient


class Template(Base):
    """One published version of a checklist template, kept as the YAML that was validated."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("code", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    yaml_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PolicyVersion(Base):
    """One published version of the inspection policy, as Policy.to_dict() data."""

    __tablename__ = "policy"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    yaml_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Visit(Base):
    """A pushed visit: the document as sent, plus columns for authorisation and listing."""

    __tablename__ = "visits"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the laptop's UUID
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer)
    # The visit this revision corrects (its document's previous_revision_id): unique, as a
    # visit is corrected by one revision only (lifecycle.check_revision).
    previous_revision_id: Mapped[str | None] = mapped_column(String(36), unique=True,
                                                             index=True)
    visit_date: Mapped[date] = mapped_column(Date)
    # The server version: 1 when first stored, +1 on every stored change (never on a re-push).
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When headquarters first stored it signed, i.e. submitted (a draft may come long before).
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own protocol


class VisitBlob(Base):
    """Which blobs a visit references, so a download can be authorised by visit visibility."""

    __tablename__ = "visit_blobs"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "photo" or "report"


class Blob(Base):
    """A blob the server holds or is receiving; the bytes live in the BlobStore."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BlobHolder(Base):
    """A user who sent headquarters every byte of a blob (from the device named): they hold
    it, so they may be told it is here and may name it in what they post, as anyone may who
    can read a visit that references it. Kept for good: a blob never changes."""

    __tablename__ = "blob_holders"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportCheck(Base):
    """A signed PDF that passed verification; a blob never changes, so once is enough."""

    __tablename__ = "report_checks"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signatures: Mapped[int] = mapped_column(Integer)
    # Whose certificates signed it (certificates.Signer as data), so who may post it is
    # decided without reading the PDF again; None for a row checked before it was kept.
    signers: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The visit the report names (its /Keywords in the revision the officer certified), so a
    # push cannot pass another visit's report off as its own; None for a row checked before
    # it was kept (read again from the PDF on first use).
    visit_id: Mapped[str | None] = mapped_column(String(36))


class UserCertificate(Base):
    """A signing certificate headquarters holds for a user, by the SHA-256 of its DER bytes.

    A certificate belongs to one user. Registered by an administrator (`admin
    set-certificate`), or by the user's first accepted signature when they had none
    (trust on first use, if the server allows it)."""

    __tablename__ = "user_certificates"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    not_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))  # "admin" or "first_use"
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Review(Base):
    """A supervisor's decision on one visit: approved, or returned with comments."""

    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), unique=True)
    visit_version: Mapped[int] = mapped_column(Integer)  # the version the supervisor read
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    # When the supervisor decided, as their laptop says (maybe offline, hours before it
    # synced); received_at is when headquarters stored the decision.
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # An approval made by countersigning on the supervisor's laptop: the countersigned
    # report (a wire ReportRecord, its PDF a verified blob), which the officer then pulls.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Approved: the classification that stands (None: the officer's), and why it differs.
    final_classification: Mapped[str | None] = mapped_column(String(32))
    classification_reason: Mapped[str] = mapped_column(Text, default="")
    # Returned: comments on single items, wire ReviewComment data ({target, ref, text}).
    comments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class SignalEntry(Base):
    """A warning signal of a pushed visit, indexed so a follow-up finds it by id: filled on
    push (the visit's borrower's own signals only), its severity and status then moved by
    follow-ups (after which a push no longer overwrites them)."""

    __tablename__ = "signal_index"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)  # the laptop's signal id
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    borrower_id: Mapped[str] = mapped_column(String(36), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    # As the document says (the dashboard counts by them without reading documents).
    category: Mapped[str] = mapped_column(String(32), default="", server_default="")
    raised_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Reassigned: the officer who handles it now (None: the borrower's officer).
    handler_id: Mapped[str | None] = mapped_column(String(36))
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignalFollowUpRow(Base):
    """A supervisor's follow-up on a signal (wire SignalFollowUpRecord), keyed by the
    client's id; never changed once stored."""

    __tablename__ = "signal_follow_ups"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    signal_id: Mapped[str] = mapped_column(String(100), index=True)
    visit_id: Mapped[str] = mapped_column(String(36))
    borrower_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(String(16))
    officer_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Handover(Base):
    """A handover (责任移交) of some of an officer's borrowers to another officer: pending
    until completed; the record is what headquarters knew when it was started."""

    __tablename__ = "handovers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    from_officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    to_officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # "pending" or "completed"
    started_by: Mapped[str] = mapped_column(String(100))  # a username, or "cli:<os user>"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The old officer's laptop uploaded everything and let go (the manifest of what it held).
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    release: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(100))
    # The record as a PDF: certified by the old officer, then countersigned by the new one
    # (each a verified blob).
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    countersigned_sha256: Mapped[str | None] = mapped_column(String(64))
    # The supervisor's confirmation: the countersigned record with their signature added,
    # kept as the handover completes; or, completed by an administrator without it, why.
    confirmed_sha256: Mapped[str | None] = mapped_column(String(64))
    override_reason: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)


class HandoverBorrower(Base):
    """A borrower a handover moves."""

    __tablename__ = "handover_borrowers"
    handover_id: Mapped[str] = mapped_column(ForeignKey("handovers.id"), primary_key=True)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), primary_key=True,
                                             index=True)


class HandoverVisit(Base):
    """A visit a completed handover gave the new officer: "continued" (an unsigned visit of
    the old officer, now the new one's) or "file" (a signed one, the borrower's file, which
    the new officer may read)."""

    __tablename__ = "handover_visits"
    handover_id: Mapped[str] = mapped_column(ForeignKey("handovers.id"), primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True,
                                          index=True)
    kind: Mapped[str] = mapped_column(String(16))
    taker_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)


class ChangeLogEntry(Base):
    """One new version of one record; `seq` orders everything and is the devices' cursor.

    The scope columns say who may pull the row: `borrower_id` for a borrower's records,
    `officer_id` for a visit and its review. A row with `audience_user_id` is a tombstone
    meant for that user alone (a borrower moved away from them).
    """

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - never reuse a seq
    seq: Mapped[int] = mapped_column(SEQ_TYPE, Identity(), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    borrower_id: Mapped[str | None] = mapped_column(String(36), index=True)
    officer_id: Mapped[str | None] = mapped_column(String(36), index=True)
    audience_user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LoginFailure(Base):
    """A failed (or still being checked) sign-in at POST /devices/register: login_limit counts
    these per username and per client address over a sliding window."""

    __tablename__ = "login_failures"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012
    id: Mapped[int] = mapped_column(SEQ_TYPE, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    # The user signed in since (from elsewhere): no longer counted for the username, still
    # for the address it came from.
    user_cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """Who did what at headquarters: admin commands, registrations, pushes, reviews."""

    __tablename__ = "audit_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012
    id: Mapped[int] = mapped_column(SEQ_TYPE, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))  # a username, or "cli:<os user>"
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


Index("ix_change_log_entity_seq", ChangeLogEntry.entity, ChangeLogEntry.seq)
Index("ix_login_failures_username_at", LoginFailure.username, LoginFailure.at)
Index("ix_login_failures_address_at", LoginFailure.address, LoginFailure.at)
# The audit trail's filters (hq.audit_trail), each ending in (at, id): newest first within
# the filter, and a period of it, read off one index.
Index("ix_audit_log_actor_at_id", AuditEntry.actor, AuditEntry.at, AuditEntry.id)
Index("ix_audit_log_action_at_id", AuditEntry.action, AuditEntry.at, AuditEntry.id)
Index("ix_audit_log_entity_entity_id_at_id", AuditEntry.entity, AuditEntry.entity_id,
      AuditEntry.at, AuditEntry.id)
Index("ix_audit_log_at_id", AuditEntry.at, AuditEntry.id)
# The dashboard's (HQ migration 0013): what a visit's life, a review and a signal are
# counted by.
Index("ix_visits_visit_date", Visit.visit_date)
Index("ix_visits_submitted_at", Visit.submitted_at)
# The returns of a period are counted per officer from their reviews: the visit's officer
# read from the index alone, not from a million visits' rows.
Index("ix_visits_id_officer_id", Visit.id, Visit.officer_id)
Index("ix_reviews_decision_decided_at", Review.decision, Review.decided_at)

# The dashboard's own tables, in the same metadata: found here as every table is.
from inspector_app.hq.dashboard_models import BorrowerDue as BorrowerDue  # noqa: E402
from inspector_app.hq.dashboard_models import ClassificationMove as ClassificationMove  # noqa: E402
from inspector_app.hq.dashboard_models import DueStale as DueStale  # noqa: E402
