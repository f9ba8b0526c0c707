"""Plain values the store hands out: rows to show, and what an edit changed.

Frozen dataclasses with no database behind them, so a screen can keep them, pass them between
threads and compare them, and never reaches into a session. LocalStore returns these; the GUI
sees nothing else of the store (inspector_app.store.facade).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from inspector_app.common.text import Text
from inspector_app.domain.enums import RelationKind, Role, Severity, VisitKind, VisitStatus


class Actor(Protocol):
    """Who makes a change: what the store needs of the user for the audit log and the rules
    of the life cycle. A UserRow is one; so is the user's database record, which the sync and
    the CLI hold inside their own transactions."""

    @property
    def id(self) -> str: ...

    @property
    def role(self) -> Role: ...


@dataclass(frozen=True)
class UserRow:
    """A user as the app knows them after sign-in."""

    id: str
    username: str
    display_name: str
    role: Role
    branch_id: str | None
    supervisor_id: str | None


def _ids(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v for v in values if v)


@dataclass(frozen=True)
class Changes:
    """What one edit changed, so each view refreshes what it shows and nothing else.

    Ids are of the records touched; the flags name parts of a visit that have no id of their
    own. Empty (false) means the edit changed nothing a view shows.
    """

    visits: frozenset[str] = frozenset()  # visits whose stored content or status changed
    header: bool = False  # place, people met, dates, general note or templates
    items: frozenset[str] = frozenset()  # checklist items answered or noted (item codes)
    photos: frozenset[str] = frozenset()  # photos added, edited or taken off
    collateral: frozenset[str] = frozenset()  # collateral items observed or found on site
    signals: frozenset[str] = frozenset()  # signals raised, stepped or withdrawn by hand
    # The automatic signals or the recommended classification were derived again and moved.
    findings: bool = False
    conclusion: bool = False  # classification, its reason, measures or the next date
    status: bool = False  # a visit was started or moved along its life cycle (completed...)
    borrowers: frozenset[str] = frozenset()  # borrowers whose due-list line may have moved

    def __or__(self, other: Changes) -> Changes:
        """Both edits' changes (an edit that also re-derived the findings, say)."""
        return Changes(
            visits=self.visits | other.visits, header=self.header or other.header,
            items=self.items | other.items, photos=self.photos | other.photos,
            collateral=self.collateral | other.collateral, signals=self.signals | other.signals,
            findings=self.findings or other.findings,
            conclusion=self.conclusion or other.conclusion, status=self.status or other.status,
            borrowers=self.borrowers | other.borrowers,
        )

    def __bool__(self) -> bool:
        return self != NOTHING

    @staticmethod
    def of(
        visit_id: str | None = None,
        *,
        borrower_id: str | None = None,
        header: bool = False,
        items: Iterable[str] = (),
        photos: Iterable[str] = (),
        collateral: Iterable[str] = (),
        signals: Iterable[str] = (),
        findings: bool = False,
        conclusion: bool = False,
        status: bool = False,
    ) -> Changes:
        """The changes of one visit (and its borrower), written as the edit knows them."""
        return Changes(
            visits=_ids([visit_id]), header=header, items=_ids(items), photos=_ids(photos),
            collateral=_ids(collateral), signals=_ids(signals), findings=findings,
            conclusion=conclusion, status=status, borrowers=_ids([borrower_id]),
        )


NOTHING = Changes()


def changes_of(result: object) -> Changes:
    """What the edit that returned result changed: result itself if it is a Changes, the
    changes it carries (an edited photo's row, a created record), else nothing."""
    if isinstance(result, Changes):
        return result
    carried = getattr(result, "changes", None)
    return carried if isinstance(carried, Changes) else NOTHING


@dataclass(frozen=True)
class Created:
    """A record an edit created: its id, and what changed with it."""

    id: str
    changes: Changes


@dataclass(frozen=True)
class RelatedNotice:
    """One related party of a borrower, and the gravest open signal it has (if any)."""

    kind: RelationKind
    party_name: str
    party_code: str
    note: str
    severity: Severity | None  # the party's gravest open red/orange signal; None: none
    named_by: int = 0  # a shared fund recipient: how many borrowers named it

    @property
    def warns(self) -> bool:
        """Whether the officer should be told before the visit."""
        return self.severity is not None

    @property
    def text(self) -> Text:
        """The notice as the work list and the brief say it."""
        if self.kind is RelationKind.SHARED_FUND_RECIPIENT:
            return Text(f"贷款资金流向 {self.party_name}（{self.named_by} 户借款人指认）",
                        f"Loan funds went to {self.party_name} (named by {self.named_by} "
                        "borrowers)")
        if self.severity is None:
            return Text(f"关联方 {self.party_name}（{self.kind.zh}）",
                        f"Related party {self.party_name} ({self.kind.en.lower()})")
        article = "an" if self.severity is Severity.ORANGE else "a"
        return Text(f"关联方 {self.party_name} 有{self.severity.zh}预警",
                    f"Related party {self.party_name} has {article} "
                    f"{self.severity.en.lower()} signal")


@dataclass(frozen=True)
class DueRow:
    """One line of the officer's due list."""

    borrower_id: str
    code: str
    name: str
    industry: str
    classification: str
    open_signals: int
    next_due_on: date | None
    next_due_kind: str | None
    officer: str
    # The borrower's visit a supervisor returned and the officer has not revised yet (the work
    # list's "已退回：3 条意见"), and how many item comments came with it.
    returned_visit_id: str | None = None
    returned_comments: int = 0
    # What the borrower still owes: its loans' balances (outstanding_fen) by headquarters'
    # repayment data; None while no loan of the borrower has any.
    outstanding_fen: int | None = None
    last_visit_on: date | None = None  # the latest visit on record (not a draft)
    # Its visit not signed yet: DRAFT while being written, COMPLETED while it waits to be
    # signed (a draft first, if there are both).
    open_visit: VisitStatus | None = None
    # Why the inspection is due then (the rule that set the date) as stored, JSON of
    # {"zh", "en"}: read when shown (next_due_reason), so a list of 20,000 borrowers does not
    # decode 20,000 texts for the few tooltips anyone looks at.
    next_due_reason_json: str | None = None
    # The borrower's related parties (store.related_parties), the warning ones first.
    related: tuple[RelatedNotice, ...] = ()

    @property
    def related_warning(self) -> RelatedNotice | None:
        """The gravest related party with an open red or orange signal, if any."""
        return self.related[0] if self.related and self.related[0].warns else None

    @property
    def next_due_reason(self) -> Text | None:
        raw = self.next_due_reason_json
        return None if not raw else due_reason(json.loads(raw))


def due_reason(stored: dict[str, str] | None) -> Text | None:
    """Borrower.next_due_reason, stored as {"zh": ..., "en": ...}, as a Text."""
    if not stored:
        return None
    return Text(str(stored.get("zh", "")), str(stored.get("en", "")))


@dataclass(frozen=True)
class VisitRow:
    """One line of the list of all visits (the CLI's)."""

    id: str
    borrower: str
    kind: str
    status: str
    visit_date: date
    revision: int


@dataclass(frozen=True)
class VisitRecord:
    """A visit as stored when it was started or revised: who, what kind, which templates."""

    id: str
    borrower_id: str
    officer_id: str
    kind: VisitKind
    status: VisitStatus
    visit_date: date
    revision: int
    template_code: str
    template_version: int
    template_refs: list[str] = field(default_factory=list)  # base first, then supplements

    @property
    def changes(self) -> Changes:
        """A new visit: the visit itself, and its borrower's line (a draft to continue)."""
        return Changes.of(self.id, borrower_id=self.borrower_id, status=True)


@dataclass(frozen=True)
class ReportRow:
    """A report file kept for a visit: the officer's signed one, or the countersigned one."""

    id: str
    visit_id: str
    stage: str  # "signed" or "countersigned"
    sha256: str
    size_bytes: int
    lang: str
    signer_user_id: str
    signer_name: str  # the certificate's subject
    signed_at: datetime
    supersedes_sha256: str | None


@dataclass(frozen=True)
class VisitSummary:
    """One line of a borrower's visit list."""

    id: str
    visit_date: date
    kind: VisitKind
    status: VisitStatus
    revision: int
    officer_id: str
    officer_name: str
    report_sha256: str | None  # the newest stored (signed or countersigned) report
    report_stage: str | None
    # Who looks after the borrower now (after a handover, not the visit's officer): the one
    # who revises a returned visit. None: nobody on this laptop.
    borrower_officer_id: str | None = None


@dataclass(frozen=True)
class BorrowerVisits:
    """A borrower and their visits, newest first."""

    code: str
    name: str
    visits: tuple[VisitSummary, ...]


@dataclass(frozen=True)
class LaptopRegistration:
    """What this laptop's database says about its registration with headquarters."""

    registered: bool
    server_url: str
    revoked: bool
