"""The classification a visit's facts imply, read from the store: the warning signals and
collateral observations of the visit, the answers whose template gives them a floor, and the
borrower's loans with their repayment position (domain.classification does the weighing).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.domain.checklist import answer_floors
from inspector_app.domain.classification import (
    LoanFacts,
    Recommendation,
    SignalFact,
    recommend_classification,
)
from inspector_app.domain.enums import CollateralStatus
from inspector_app.domain.policy import Policy
from inspector_app.domain.repayment import Repayment
from inspector_app.store.models import CollateralObservation, Loan, RiskSignal, Visit
from inspector_app.store.visit_checks import answer_states, visit_checklist


def loan_facts(loan: Loan) -> LoanFacts:
    """A loan as the classification rules see it: its classification and repayment position."""
    return LoanFacts(loan.contract_no, loan.classification, Repayment.of(loan))


def recommend(session: Session, visit: Visit, policy: Policy) -> Recommendation:
    """The classification the rules derive for this visit, with every rule that fired."""
    signals = session.scalars(select(RiskSignal).where(RiskSignal.visit_id == visit.id))
    facts = [SignalFact(s.category, s.severity, s.source, s.title) for s in signals]
    statuses: list[CollateralStatus] = list(
        session.scalars(
            select(CollateralObservation.status).where(
                CollateralObservation.visit_id == visit.id
            )
        )
    )
    checklist = visit_checklist(visit)
    borrower = visit.borrower
    return recommend_classification(
        facts, borrower.classification, policy, statuses,
        findings=answer_floors(checklist, answer_states(session, visit, checklist)),
        loans=[loan_facts(loan) for loan in sorted(borrower.loans,
                                                   key=lambda x: (x.disbursed_on, x.contract_no))],
        borrower_kind=borrower.kind,
        as_of=visit.visit_date,
    )
