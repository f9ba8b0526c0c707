"""The local store's tables, as SQLAlchemy 2 typed models.

Every record has a UUID made on the client, created/updated timestamps and a version number
that SQLAlchemy bumps on each update (optimistic locking now, and what sync compares later).
Money is stored in fen (integer cents of a yuan) so no float ever touches an amount.
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
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import EnumText, UTCDateTime, new_id
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    Industry,
    LoanType,
    RelationKind,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.model_base import Base as Base
from inspector_app.store.model_base import Record as Record
from inspector_app.store.search_key import search_key_default
from inspector_app.store.sync_models import OutboxEntry as OutboxEntry
from inspector_app.store.sync_models import ReferenceDoc as ReferenceDoc
from inspector_app.store.sync_models import SyncState as SyncState
from inspector_app.store.sync_models import VisitSync as VisitSync


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
    supervisor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    branch: Mapped[Branch | None] = relationship()


class Borrower(Record):
    __tablename__ = "borrowers"
    code: Mapped[str] = mapped_column(String(32), unique=True)  # the bank's customer number
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[BorrowerKind] = mapped_column(EnumText(BorrowerKind))
    industry: Mapped[Industry] = mapped_column(EnumText(Industry))
    id_number: Mapped[str] = mapped_column(String(32))  # 统一社会信用代码 or ID card number
    legal_representative: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branches.id"))
    # Derived from loans, visits and signals by LocalStore.refresh_schedule() and kept here so
    # the officer's due list over 20,000 borrowers is one indexed query, not 20,000 computations.
    classification: Mapped[Classification] = mapped_column(
        EnumText(Classification), default=Classification.NORMAL
    )
    open_signals: Mapped[int] = mapped_column(Integer, default=0)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    next_due_kind: Mapped[VisitKind | None] = mapped_column(EnumText(VisitKind))
    # The name in pinyin, full and initials (store.search_key), for the work list's search.
    # Made on this laptop from the name whenever a borrower is written; never synced.
    search_key: Mapped[str] = mapped_column(String(1000), default=search_key_default)
    # Why: the rule that set next_due_on, {"zh": ..., "en": ...} (domain.schedule.DueItem).
    next_due_reason: Mapped[dict[str, str] | None] = mapped_column(JSON)

    loans: Mapped[list[Loan]] = relationship(
        back_populates="borrower", order_by="Loan.disbursed_on"
    )
    collateral: Mapped[list[CollateralItem]] = relationship(back_populates="borrower")
    guarantors: Mapped[list[Guarantor]] = relationship(back_populates="borrower")
    officer: Mapped[User | None] = relationship()


class Loan(Record):
    __tablename__ = "loans"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    loan_type: Mapped[LoanType] = mapped_column(EnumText(LoanType))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    disbursed_on: Mapped[date] = mapped_column(Date)
    matures_on: Mapped[date] = mapped_column(Date)
    classification: Mapped[Classification] = mapped_column(EnumText(Classification))
    purpose: Mapped[str] = mapped_column(String(300), default="")
    # The repayment position headquarters imported from the core system (domain.repayment
    # says what each is); repayment_as_of None: no extract has named the loan yet.
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

    borrower: Mapped[Borrower] = relationship(back_populates="loans")


class CollateralItem(Record):
    __tablename__ = "collateral_items"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    loan_id: Mapped[str | None] = mapped_column(ForeignKey("loans.id"))
    kind: Mapped[CollateralKind] = mapped_column(EnumText(CollateralKind))
    description: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(300), default="")
    appraised_value_fen: Mapped[int] = mapped_column(BigInteger)
    pledged_value_fen: Mapped[int] = mapped_column(BigInteger)
    certificate_no: Mapped[str] = mapped_column(String(100), default="")  # 他项权证 / registration
    # True for an item the officer found on site that was not in the register.
    found_on_site: Mapped[bool] = mapped_column(Boolean, default=False)

    borrower: Mapped[Borrower] = relationship(back_populates="collateral")


class Guarantor(Record):
    __tablename__ = "guarantors"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[BorrowerKind] = mapped_column(EnumText(BorrowerKind))
    id_number: Mapped[str] = mapped_column(String(32), default="")
    relation: Mapped[str] = mapped_column(String(100), default="")
    guaranteed_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    borrower: Mapped[Borrower] = relationship(back_populates="guarantors")


class RelatedParty(Record):
    """A link headquarters keeps from this borrower to another party (store.related_parties):
    a borrower under the same actual controller, a mutual guarantor, a related company, or a
    fund recipient several borrowers' funds went to. The party need not be on this laptop (it
    may be another officer's), so its code and name come with the link, and so does what
    headquarters knows of its open red and orange signals."""

    __tablename__ = "related_parties"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    kind: Mapped[RelationKind] = mapped_column(EnumText(RelationKind))
    party_id: Mapped[str | None] = mapped_column(String(36), index=True)  # a borrower's id
    party_code: Mapped[str] = mapped_column(String(32), default="")
    party_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(300), default="")
    party_red_signals: Mapped[int] = mapped_column(Integer, default=0)
    party_orange_signals: Mapped[int] = mapped_column(Integer, default=0)
    # A shared fund recipient: how many borrowers named it (headquarters' count).
    named_by: Mapped[int] = mapped_column(Integer, default=0)


class Visit(Record):
    __tablename__ = "visits"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[VisitKind] = mapped_column(EnumText(VisitKind))
    status: Mapped[VisitStatus] = mapped_column(EnumText(VisitStatus), default=VisitStatus.DRAFT)
    # "code@version" of the base template and each supplement the checklist was filled with.
    template_code: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    template_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # A correction of a signed visit is a new revision pointing at the one it corrects.
    previous_revision_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    people_met: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    general_note: Mapped[str] = mapped_column(Text, default="")
    recommended_classification: Mapped[Classification | None] = mapped_column(
        EnumText(Classification)
    )
    final_classification: Mapped[Classification | None] = mapped_column(EnumText(Classification))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    next_due_on: Mapped[date | None] = mapped_column(Date)
    # The officer's handwritten signature as drawn in the app (PNG), placed in the report.
    officer_signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    # When the visit became submitted on this laptop (confirmed by headquarters, or arrived
    # submitted in the team feed): the supervisor's queue counts days waiting from it. Set by
    # an attribute event (store.review), never by hand; not content, so a locked visit takes it.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    borrower: Mapped[Borrower] = relationship()
    officer: Mapped[User] = relationship()
    answers: Mapped[list[ChecklistAnswer]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(back_populates="visit", cascade="all, delete-orphan")
    photos: Mapped[list[Photo]] = relationship(back_populates="visit", cascade="all, delete-orphan")
    observations: Mapped[list[CollateralObservation]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )


@event.listens_for(Visit.status, "set")
def _stamp_submitted(visit: Visit, value: Any, _old: Any, _initiator: Any) -> None:
    """A visit becoming submitted here (however it gets there: the push's confirmation, the
    team feed, a test) starts its wait in the supervisor's queue. Once: a visit is submitted
    only once (a correction is a new revision)."""
    if value == VisitStatus.SUBMITTED and visit.submitted_at is None:
        visit.submitted_at = utcnow()


class ChecklistAnswer(Record):
    __tablename__ = "checklist_answers"
    __table_args__ = (UniqueConstraint("visit_id", "item_code"),)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)  # checklist.format_answer(); None = unanswered
    note: Mapped[str] = mapped_column(Text, default="")

    visit: Mapped[Visit] = relationship(back_populates="answers")


class Note(Record):
    __tablename__ = "notes"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)

    visit: Mapped[Visit] = relationship(back_populates="notes")


class Photo(Record):
    __tablename__ = "photos"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    caption: Mapped[str] = mapped_column(Text, default="")
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    gps_lat: Mapped[float | None]
    gps_lon: Mapped[float | None]
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    item_code: Mapped[str | None] = mapped_column(String(64))
    collateral_item_id: Mapped[str | None] = mapped_column(ForeignKey("collateral_items.id"))
    # Arrows, circles and text drawn over the photo in the app (photo_editing.validate_shapes);
    # the original file is evidence and is never changed.
    annotations: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )

    visit: Mapped[Visit] = relationship(back_populates="photos")


class CollateralObservation(Record):
    __tablename__ = "collateral_observations"
    __table_args__ = (UniqueConstraint("visit_id", "collateral_item_id"),)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    collateral_item_id: Mapped[str] = mapped_column(ForeignKey("collateral_items.id"))
    status: Mapped[CollateralStatus] = mapped_column(EnumText(CollateralStatus))
    condition: Mapped[str] = mapped_column(Text, default="")
    location_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    estimated_value_fen: Mapped[int | None] = mapped_column(BigInteger)
    insurance_valid: Mapped[bool | None] = mapped_column(Boolean)
    certificate_held: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    # A partial shortage: the quantity registered (from the pledge list; the register has no
    # quantity column) and found on site, in thousandths of ``quantity_unit`` (800 t of 2,459 t).
    registered_quantity_milli: Mapped[int | None] = mapped_column(BigInteger)
    found_quantity_milli: Mapped[int | None] = mapped_column(BigInteger)
    quantity_unit: Mapped[str] = mapped_column(String(20), default="", server_default="")

    visit: Mapped[Visit] = relationship(back_populates="observations")
    collateral_item: Mapped[CollateralItem] = relationship()


class RiskSignal(Record):
    __tablename__ = "risk_signals"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), index=True)
    category: Mapped[SignalCategory] = mapped_column(EnumText(SignalCategory))
    severity: Mapped[Severity] = mapped_column(EnumText(Severity))
    source: Mapped[SignalSource] = mapped_column(EnumText(SignalSource))
    # The checklist item code or collateral item id the signal came from.
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SignalStatus] = mapped_column(
        EnumText(SignalStatus), default=SignalStatus.RAISED
    )
    raised_on: Mapped[date] = mapped_column(Date)
    # An event (legal representative died, jailed, absconded; litigation) that proposes a
    # special inspection until one is done (domain.schedule.OpenSignal).
    event: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    steps: Mapped[list[RiskSignalStep]] = relationship(
        back_populates="signal", order_by="RiskSignalStep.at", cascade="all, delete-orphan"
    )


class RiskSignalStep(Record):
    """One step of a signal's life cycle: raised → handled → monitored → cleared."""

    __tablename__ = "risk_signal_steps"
    signal_id: Mapped[str] = mapped_column(ForeignKey("risk_signals.id"), index=True)
    step: Mapped[SignalStatus] = mapped_column(EnumText(SignalStatus))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")

    signal: Mapped[RiskSignal] = relationship(back_populates="steps")


class Report(Record):
    """A generated report file kept for a visit: the officer's signed one, then countersigned.

    The PDF itself lives in the data directory under reports/, named by its SHA-256.
    """

    __tablename__ = "reports"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # "signed" or "countersigned"
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(8))
    signer_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))  # the certificate's subject
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # For a revision: the hash of the report it corrects, printed in the new report.
    supersedes_sha256: Mapped[str | None] = mapped_column(String(64))


class Review(Record):
    """A supervisor's decision on a visit, or their draft of one (item comments gathered while
    reading a submitted visit). state: "draft" while it is one, then a ReviewState value
    (pending here, confirmed by headquarters, or in conflict with headquarters' decision)."""

    __tablename__ = "reviews"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    # None when the reviewer is not a user on this laptop (decided at headquarters by someone
    # who left); reviewer_name still says who.
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str] = mapped_column(String(16))  # "draft", "approved" or "returned"
    comment: Mapped[str] = mapped_column(Text, default="")
    final_classification: Mapped[Classification | None] = mapped_column(
        EnumText(Classification)
    )
    classification_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="draft")
    conflict: Mapped[str] = mapped_column(Text, default="")  # CONFLICT: headquarters' message
    server_id: Mapped[str | None] = mapped_column(String(64))  # headquarters' review id

    comments: Mapped[list[ReviewComment]] = relationship(
        back_populates="review", order_by="ReviewComment.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class ReviewComment(Record):
    """A comment on one part of a visit (wire.ReviewComment: target and ref)."""

    __tablename__ = "review_comments"
    __table_args__ = (UniqueConstraint("review_id", "target", "ref"),)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(16))  # "answer", "photo", "observation", "signal"
    ref: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    review: Mapped[Review] = relationship(back_populates="comments")


class ClassificationMove(Base):
    """A change of a borrower's classification as this laptop derived it (schedule_cache):
    the supervisor's migration matrix reads each borrower's classification on any day from
    these. Local, never synced: each laptop dates what it saw when it saw it."""

    __tablename__ = "classification_moves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    from_classification: Mapped[Classification] = mapped_column(EnumText(Classification))
    to_classification: Mapped[Classification] = mapped_column(EnumText(Classification))


class AuditEntry(Base):
    """Append-only: a database trigger refuses UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # order of writing on this device
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppState(Base):
    """Small key/value facts about this database (last opened visit and page, demo flag)."""

    __tablename__ = "app_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_visits_borrower_date", Visit.borrower_id, Visit.visit_date)
# The work list and the supervisor's queue: one officer's visits in one status.
Index("ix_visits_officer_status", Visit.officer_id, Visit.status)
# The work list's order with the columns a search reads: a supervisor's list over 20,000
# borrowers walks this narrow index in order and stops at the list's limit, instead of
# reading and sorting every (wide) row on each keystroke. Officers' lists use officer_id's.
Index(
    "ix_borrowers_work_list", Borrower.next_due_on.is_(None), Borrower.next_due_on,
    Borrower.name, Borrower.code, Borrower.id_number, Borrower.industry, Borrower.search_key,
)
# A supervisor's work list over everyone's visits: drafts, returned and submitted visits of
# the borrowers shown (100,000 visits were scanned per keystroke without it).
Index("ix_visits_status_borrower", Visit.status, Visit.borrower_id)
# A visit's draft review is one per reviewer; decided reviews newest first (the decided tab).
Index(
    "uq_reviews_draft", Review.visit_id, Review.reviewer_id, unique=True,
    sqlite_where=Review.decision == "draft",
)
Index("ix_reviews_decided_at", Review.decided_at)
# A borrower's first move after a day (the migration matrix, store.dashboard).
Index("ix_classification_moves_borrower", ClassificationMove.borrower_id,
      ClassificationMove.moved_on, ClassificationMove.id)
# A visit's history (its audit entries), and whether a visit has a newer revision.
Index("ix_audit_log_entity_id", AuditEntry.entity_id)
Index("ix_visits_previous_revision_id", Visit.previous_revision_id)
