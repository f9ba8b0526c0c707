"""The pre-visit brief (访前准备): what the officer should know before driving out.

A part of LocalStore: ``store.visit_brief(borrower_id) -> VisitBrief``, read in one session.
Everything is kept as domain values (enums, fen, dates, two-language texts), so the dialog and
the one-page PDF (reports/brief_pdf.py) each label it in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.checklist import (
    ChecklistSelectionError,
    display_answer,
    is_abnormal,
    parse_answer,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    Industry,
    LoanType,
    Severity,
    SignalCategory,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.quantity import quantity_shortfall
from inspector_app.domain.repayment import Repayment
from inspector_app.domain.schedule import DueItem
from inspector_app.store.auto_signals import english_titles
from inspector_app.store.base import StoreBase
from inspector_app.store.models import (
    Borrower,
    Branch,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Guarantor,
    Loan,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.portfolio import returned_visits
from inspector_app.store.related_parties import related_notices
from inspector_app.store.rows import RelatedNotice, due_reason
from inspector_app.store.schedule_cache import borrower_due_entries
from inspector_app.store.visit_checks import visit_checklist


@dataclass(frozen=True)
class BriefBorrower:
    id: str
    code: str
    name: str
    kind: BorrowerKind
    industry: Industry
    id_number: str
    legal_representative: str
    address: str
    phone: str
    classification: Classification
    officer_name: str
    branch_name: str


@dataclass(frozen=True)
class BriefLoan:
    contract_no: str
    loan_type: LoanType
    amount_fen: int
    disbursed_on: date
    matures_on: date
    classification: Classification
    purpose: str
    repayment: Repayment  # as headquarters last imported it


@dataclass(frozen=True)
class BriefCollateral:
    kind: CollateralKind
    description: str
    location: str
    appraised_value_fen: int
    pledged_value_fen: int
    certificate_no: str
    found_on_site: bool
    # What the last visit saw (None: not observed then, or no earlier visit).
    last_status: CollateralStatus | None
    last_estimate_fen: int | None
    # The share found short then (0.675: 800 of 2,459 t), if quantities were recorded.
    last_shortfall: Decimal | None = None

    @property
    def last_status_abnormal(self) -> bool:
        """Not present, or found short: the officer checks it first."""
        short = self.last_shortfall is not None and self.last_shortfall > 0
        return short or (self.last_status is not None
                         and self.last_status is not CollateralStatus.PRESENT)


@dataclass(frozen=True)
class BriefGuarantor:
    name: str
    kind: BorrowerKind
    relation: str
    guaranteed_amount_fen: int


@dataclass(frozen=True)
class BriefFinding:
    """An abnormal answer of the last visit, with the officer's note on it."""

    item_code: str
    question: Text
    answer: Text
    note: str


@dataclass(frozen=True)
class BriefLastVisit:
    id: str
    kind: VisitKind
    status: VisitStatus
    visit_date: date
    officer_name: str
    classification: Classification | None  # the officer's final one, else the recommendation
    findings: tuple[BriefFinding, ...]
    general_note: str
    measures: str  # the rectification measures proposed, to follow up now


@dataclass(frozen=True)
class BriefSignal:
    title: str
    description: str
    category: SignalCategory
    severity: Severity
    status: SignalStatus
    raised_on: date
    last_reason: str  # why it was last handled or monitored; "" while only raised
    title_en: str = ""  # an automatic signal's title in English (see english_titles)

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True)
class VisitBrief:
    borrower: BriefBorrower
    loans: tuple[BriefLoan, ...]
    collateral: tuple[BriefCollateral, ...]
    guarantors: tuple[BriefGuarantor, ...]
    last_visit: BriefLastVisit | None
    open_signals: tuple[BriefSignal, ...]  # gravest first
    next_due_on: date | None
    next_due_kind: VisitKind | None
    prepared_on: date
    # Why next_due_on (the due list's reason), and every inspection due, earliest first:
    # first inspections per loan, the routine one, special ones proposed by event signals.
    next_due_reason: Text | None = None
    due: tuple[DueItem, ...] = ()
    # The borrower's visit a supervisor returned, not yet revised (the brief says "已退回：3 条
    # 意见" and offers Revise), and how many item comments came with the return.
    returned_visit_id: str | None = None
    returned_comments: int = 0
    # Its related parties (same controller, mutual guarantee, related company, a shared fund
    # recipient), the ones with an open red or orange signal first.
    related: tuple[RelatedNotice, ...] = ()

    @property
    def amount_fen(self) -> int:
        """What the borrower was lent: the loans' contract amounts."""
        return sum(loan.amount_fen for loan in self.loans)

    @property
    def outstanding_fen(self) -> int | None:
        """What the borrower still owes, by the repayment data; None if no loan has any."""
        known = [loan.repayment for loan in self.loans if loan.repayment.known]
        return sum(r.outstanding_fen for r in known) if known else None

    @property
    def repayment_as_of(self) -> date | None:
        """The newest extract date among the loans' repayment data."""
        return max((loan.repayment.repayment_as_of for loan in self.loans
                    if loan.repayment.repayment_as_of is not None), default=None)


# Visits whose findings are on record; a draft is still being written.
_RECORDED = (
    VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED,
    VisitStatus.RETURNED,
)


class VisitBriefs(StoreBase):
    """LocalStore's brief query."""

    def visit_brief(self, borrower_id: str, today: date | None = None) -> VisitBrief:
        """Everything the officer reads before visiting the borrower; KeyError-like
        sqlalchemy NoResultFound if there is no such borrower."""
        with self.read() as s:
            b = s.get_one(Borrower, borrower_id)
            last = _last_visit(s, borrower_id)
            returned_id, comments = returned_visits(s, None, borrower_id).get(
                borrower_id, (None, 0))
            return VisitBrief(
                borrower=_borrower(s, b),
                loans=tuple(
                    BriefLoan(loan.contract_no, loan.loan_type, loan.amount_fen,
                              loan.disbursed_on, loan.matures_on, loan.classification,
                              loan.purpose, Repayment.of(loan))
                    for loan in s.scalars(
                        select(Loan).where(Loan.borrower_id == borrower_id)
                        .order_by(Loan.disbursed_on, Loan.contract_no)
                    )
                ),
                collateral=_collateral(s, borrower_id, last),
                guarantors=tuple(
                    BriefGuarantor(g.name, g.kind, g.relation, g.guaranteed_amount_fen)
                    for g in s.scalars(
                        select(Guarantor).where(Guarantor.borrower_id == borrower_id)
                        .order_by(Guarantor.guaranteed_amount_fen.desc(), Guarantor.name)
                    )
                ),
                last_visit=None if last is None else _last_visit_brief(s, last),
                open_signals=_open_signals(s, borrower_id, self.policy),
                next_due_on=b.next_due_on,
                next_due_kind=b.next_due_kind,
                prepared_on=today or date.today(),
                next_due_reason=due_reason(b.next_due_reason),
                due=borrower_due_entries(s, self.policy, borrower_id),
                returned_visit_id=returned_id,
                returned_comments=comments,
                related=related_notices(s, [borrower_id]).get(borrower_id, ()),
            )


def _borrower(s: Session, b: Borrower) -> BriefBorrower:
    officer = s.get(User, b.officer_id) if b.officer_id else None
    branch = s.get(Branch, b.branch_id) if b.branch_id else None
    return BriefBorrower(
        id=b.id, code=b.code, name=b.name, kind=b.kind, industry=b.industry,
        id_number=b.id_number, legal_representative=b.legal_representative, address=b.address,
        phone=b.phone, classification=b.classification,
        officer_name=officer.display_name if officer else "",
        branch_name=branch.name if branch else "",
    )


def _last_visit(s: Session, borrower_id: str) -> Visit | None:
    return s.scalar(
        select(Visit)
        .where(Visit.borrower_id == borrower_id, Visit.status.in_(_RECORDED))
        .order_by(Visit.visit_date.desc(), Visit.revision.desc(), Visit.created_at.desc())
        .limit(1)
    )


def _last_visit_brief(s: Session, visit: Visit) -> BriefLastVisit:
    officer = s.get(User, visit.officer_id)
    return BriefLastVisit(
        id=visit.id, kind=visit.kind, status=visit.status, visit_date=visit.visit_date,
        officer_name=officer.display_name if officer else "",
        classification=visit.final_classification or visit.recommended_classification,
        findings=_findings(s, visit), general_note=visit.general_note, measures=visit.measures,
    )


def _findings(s: Session, visit: Visit) -> tuple[BriefFinding, ...]:
    """The abnormal answers, in checklist order."""
    try:
        checklist = visit_checklist(visit)
    except ChecklistSelectionError:
        return ()  # a template this laptop no longer has: the brief goes on without findings
    answers = {
        a.item_code: a
        for a in s.scalars(select(ChecklistAnswer).where(ChecklistAnswer.visit_id == visit.id))
    }
    found: list[BriefFinding] = []
    for item in checklist.items():
        row = answers.get(item.code)
        if row is None or row.value is None:
            continue
        value = parse_answer(item, row.value)
        if is_abnormal(item, value):
            shown = Text(display_answer(item, value, "zh"), display_answer(item, value, "en"))
            found.append(BriefFinding(item.code, item.question, shown, row.note))
    return tuple(found)


def _collateral(
    s: Session, borrower_id: str, last: Visit | None
) -> tuple[BriefCollateral, ...]:
    seen: dict[str, CollateralObservation] = {}
    if last is not None:
        seen = {
            o.collateral_item_id: o
            for o in s.scalars(
                select(CollateralObservation).where(CollateralObservation.visit_id == last.id)
            )
        }
    items = s.scalars(
        select(CollateralItem).where(CollateralItem.borrower_id == borrower_id)
        .order_by(CollateralItem.appraised_value_fen.desc(), CollateralItem.description)
    )
    out = []
    for c in items:
        obs = seen.get(c.id)
        out.append(BriefCollateral(
            kind=c.kind, description=c.description, location=c.location,
            appraised_value_fen=c.appraised_value_fen, pledged_value_fen=c.pledged_value_fen,
            certificate_no=c.certificate_no, found_on_site=c.found_on_site,
            last_status=obs.status if obs else None,
            last_estimate_fen=obs.estimated_value_fen if obs else None,
            last_shortfall=None if obs is None else quantity_shortfall(
                obs.registered_quantity_milli, obs.found_quantity_milli),
        ))
    return tuple(out)


def _open_signals(s: Session, borrower_id: str, policy: Policy) -> tuple[BriefSignal, ...]:
    signals = list(s.scalars(
        select(RiskSignal).where(
            RiskSignal.borrower_id == borrower_id, RiskSignal.status != SignalStatus.CLEARED
        )
    ))
    # Gravest first, then the oldest: what has waited longest matters most.
    signals.sort(key=lambda r: (-r.severity.rank, r.raised_on, r.title))
    english = english_titles(s, signals, policy)
    return tuple(
        BriefSignal(
            title=r.title, description=r.description, category=r.category,
            severity=r.severity, status=r.status, raised_on=r.raised_on,
            last_reason=r.steps[-1].reason if r.steps and len(r.steps) > 1 else "",
            title_en=english.get(r.id, ""),
        )
        for r in signals
    )
