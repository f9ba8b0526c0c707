"""Small building blocks for store tests: a branch, users of each role, a borrower, a visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    Role,
    VisitKind,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Branch, Loan, User, Visit


@dataclass
class Portfolio:
    officer: User
    supervisor: User
    admin: User
    borrower_id: str
    visit_id: str


@pytest.fixture
def portfolio(store: LocalStore) -> Portfolio:
    with store.write() as s:
        branch = Branch(code="B01", name="城东支行")
        s.add(branch)
    supervisor = store.create_user("zhang", "sup-pass-1", "张主任", Role.SUPERVISOR,
                                   branch_id=branch.id)
    officer = store.create_user("li", "off-pass-1", "李明", Role.OFFICER, branch_id=branch.id,
                                supervisor_id=supervisor.id)
    admin = store.create_user("admin", "adm-pass-1", "管理员", Role.ADMIN)
    with store.write() as s:
        borrower = Borrower(
            code="C0001", name="江苏恒达精密机械有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.MANUFACTURING, id_number="91320000MA1X000001",
            officer_id=officer.id, branch_id=branch.id,
        )
        s.add(borrower)
        s.flush()
        s.add(Loan(borrower_id=borrower.id, contract_no="L-2026-001",
                   loan_type=LoanType.WORKING_CAPITAL, amount_fen=500_000_00,
                   disbursed_on=date(2026, 3, 1), matures_on=date(2027, 3, 1),
                   classification=Classification.NORMAL))
        visit = Visit(borrower_id=borrower.id, officer_id=officer.id, kind=VisitKind.ROUTINE,
                      template_code="routine", template_version=1, template_refs=["routine@1"],
                      visit_date=date(2026, 11, 20))
        s.add(visit)
    return Portfolio(officer, supervisor, admin, borrower.id, visit.id)
