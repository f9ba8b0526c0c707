"""Plain values of the supervisor's review, as the store hands them to a screen.

The review queue, a decision and its item comments, the audit trail of a visit and the
differences between a resubmitted revision and the one that was returned. Frozen, no database
behind them (see rows.py); exported through store.facade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, VisitKind, VisitStatus


class QueueTab(StrEnum):
    """Which part of the queue: waiting for a decision, or decided."""

    WAITING = "waiting"  # submitted (or resubmitted after a return), no decision yet
    DECIDED = "decided"  # approved or returned (here or at headquarters)


class ClassificationChange(StrEnum):
    """The officer's recommended classification against the borrower's current one."""

    ANY = "any"
    DOWNGRADE = "downgrade"  # recommended is worse than current (higher risk)
    SAME = "same"
    UPGRADE = "upgrade"


@dataclass(frozen=True)
class QueueFilter:
    tab: QueueTab = QueueTab.WAITING
    officer_id: str | None = None
    kind: VisitKind | None = None
    change: ClassificationChange = ClassificationChange.ANY
    with_signals: bool = False  # only visits with a red or orange signal
    search: str = ""  # borrower name or code, officer name


@dataclass(frozen=True)
class QueueRow:
    """One visit in the supervisor's queue."""

    visit_id: str
    borrower_id: str
    borrower_code: str
    borrower_name: str
    officer_id: str
    officer_name: str
    kind: VisitKind
    status: VisitStatus
    visit_date: date
    waiting_since: datetime | None  # when it reached this laptop as submitted
    days_waiting: int
    recommended: Classification | None  # the officer's recommendation (final if overridden)
    current: Classification  # the borrower's classification now
    red_signals: int
    orange_signals: int
    revision: int
    previous_revision_id: str | None  # a resubmission after a return: "what changed" exists
    decision: ReviewRow | None = None  # the decided tab: the decision that stands (or waits)

    @property
    def downgrade(self) -> bool:
        return self.recommended is not None and self.recommended.rank > self.current.rank


class ReviewState(StrEnum):
    """Where a decision stands between this laptop and headquarters."""

    PENDING = "pending"  # decided here, not yet sent
    CONFIRMED = "confirmed"  # headquarters holds it (sent from here, or decided elsewhere)
    CONFLICT = "conflict"  # headquarters refused it: another decision stands there


@dataclass(frozen=True)
class ReviewCommentRow:
    """A supervisor's comment on one part of a returned visit (wire.ReviewComment's target
    and ref: an answer by item code, a photo by SHA-256, an observation by collateral item,
    a signal by id)."""

    target: str  # "answer", "photo", "observation", "signal"
    ref: str
    text: str
    label: str = ""  # what the comment is on, in words ("实际用途与合同约定一致"), if known
    label_en: str = ""  # the same in English, where the words have an English version

    def label_in(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label


@dataclass(frozen=True)
class ReviewRow:
    """A supervisor's decision on a visit."""

    id: str
    visit_id: str
    reviewer_id: str
    reviewer_name: str
    decision: str  # "approved" or "returned"
    comment: str  # returned: the comment on the whole visit; approved: 复核意见
    final_classification: Classification | None
    classification_reason: str
    decided_at: datetime
    state: ReviewState
    conflict: str = ""  # CONFLICT: what headquarters said, in words
    comments: tuple[ReviewCommentRow, ...] = ()


@dataclass(frozen=True)
class AuditRow:
    """One step in a visit's history: who, when, what and why."""

    at: datetime
    user_name: str  # "" when the step came from headquarters without a user known here
    action: str  # the audit action, e.g. "visit.transition", "visit.review", "report.signed"
    summary: Text  # what happened, in words, both languages (the screen shows one)
    reason: str = ""  # the reason or comment given with it, as typed


_NOTHING = Text("", "")


@dataclass(frozen=True)
class DiffRow:
    """One difference between the returned revision and its resubmission. The label and both
    sides are said as the officer saw them (a choice's label, 是/否, money in yuan, a status's
    name; an answer's note on a line of its own), in both languages: the screen shows one."""

    area: str  # "answer", "note", "photo", "observation", "signal", "classification", "header"
    ref: str  # the item code / photo sha / collateral item id / signal id / field name
    label: Text  # what it is, in words
    change: str  # "added", "removed", "changed"
    before: Text = _NOTHING  # empty when added
    after: Text = _NOTHING  # empty when removed
    commented: bool = False  # the supervisor commented on this item when returning


@dataclass(frozen=True)
class RevisionDiff:
    """What changed between a returned revision and the one that replaced it."""

    visit_id: str
    previous_id: str
    previous_revision: int
    revision: int
    rows: tuple[DiffRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Approval:
    """What a supervisor decides when approving (签字认定), besides countersigning."""

    comment: str  # 复核意见
    final_classification: Classification
    classification_reason: str = ""  # required when it differs from the officer's
