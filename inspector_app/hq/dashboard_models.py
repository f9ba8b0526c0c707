"""The tables behind headquarters' whole-bank dashboard (HQ migration 0013).

borrower_due is headquarters' copy of what each borrower's loans, visits and signals imply
(the bank's classification and the next inspection's date, by the laptops' rules), so the
figures over the whole bank are GROUP BY queries; hq.due_cache keeps it. A write that may
change those facts (a push, a follow-up, an import, a new policy) marks the borrower in
borrower_due_stale, in its own transaction; the dashboard works the marked ones out again
before it counts. classification_moves keeps each change of a borrower's classification (the
day, from, to), written where loans are imported, for the migration matrix.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Identity, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import UTCDateTime
from inspector_app.hq.model_base import SEQ_TYPE, Base


class BorrowerDue(Base):
    """A borrower's classification (the worst of its loans') and next inspection date."""

    __tablename__ = "borrower_due"
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"), primary_key=True)
    classification: Mapped[str] = mapped_column(String(32))
    next_due_on: Mapped[date | None] = mapped_column(Date)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DueStale(Base):
    """A borrower whose borrower_due row is to be worked out again. ``mark`` changes with
    every marking, so a refresh clears only the marks it saw (one made meanwhile stays)."""

    __tablename__ = "borrower_due_stale"
    borrower_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    mark: Mapped[str] = mapped_column(String(36))


class ClassificationMove(Base):
    """One change of a borrower's classification at headquarters, on the day it was made."""

    __tablename__ = "classification_moves"
    id: Mapped[int] = mapped_column(SEQ_TYPE, Identity(), primary_key=True)
    borrower_id: Mapped[str] = mapped_column(ForeignKey("borrowers.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    from_classification: Mapped[str] = mapped_column(String(32))
    to_classification: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


Index("ix_borrower_due_next_due_on", BorrowerDue.next_due_on)
Index("ix_borrower_due_classification", BorrowerDue.classification)
# A borrower's classification on a day is the first move after it: (borrower, day, id).
Index("ix_classification_moves_borrower_moved_on", ClassificationMove.borrower_id,
      ClassificationMove.moved_on, ClassificationMove.id)
# The matrix looks only at borrowers that moved since the period began.
Index("ix_classification_moves_moved_on", ClassificationMove.moved_on)
