"""The loans' repayment position through the store's facade: what each work-list row says the
borrower still owes, and each loan's figures in the brief."""

from __future__ import annotations

from datetime import date

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    Role,
)
from inspector_app.domain.repayment import Repayment
from inspector_app.store.facade import DueRow, LocalStore, WorkFilter
from inspector_app.store.models import Borrower, Loan

AS_OF = date(2026, 12, 6)


def _loan(borrower: Borrower, contract_no: str, amount_fen: int, **repayment: object) -> Loan:
    return Loan(borrower_id=borrower.id, contract_no=contract_no,
                loan_type=LoanType.WORKING_CAPITAL, amount_fen=amount_fen,
                disbursed_on=date(2026, 1, 5), matures_on=date(2027, 1, 5),
                classification=Classification.NORMAL, **repayment)


def test_each_row_says_what_the_borrower_still_owes(store: LocalStore) -> None:
    officer = store.create_user("wang", "pass-word-1", "王明", Role.OFFICER)
    with store.write() as s:
        owing, unreported, no_loans = (
            Borrower(code=code, name=name, kind=BorrowerKind.COMPANY,
                     industry=Industry.MANUFACTURING, id_number=f"9132{code}",
                     officer_id=officer.id)
            for code, name in (("C1", "恒达精密"), ("C2", "德炎水产"), ("C3", "巨源油业")))
        s.add_all([owing, unreported, no_loans])
        s.flush()
        s.add_all([
            _loan(owing, "L-1", 5_000_000_00, outstanding_fen=4_200_000_00,
                  repayment_as_of=AS_OF),
            _loan(owing, "L-2", 1_000_000_00, outstanding_fen=1_000_000_00, days_past_due=95,
                  overdue_principal_fen=1_000_000_00, arrears_interest_fen=34_093_94,
                  refinanced=True, repayment_as_of=AS_OF),
            # A loan no extract has named yet: its zero balance is no balance.
            _loan(owing, "L-3", 300_000_00),
            _loan(unreported, "L-4", 800_000_00),
        ])

    rows = {r.code: r for r in store.work_list(WorkFilter(), officer_id=officer.id)}

    assert all(isinstance(r, DueRow) for r in rows.values())
    assert rows["C1"].outstanding_fen == 5_200_000_00
    assert rows["C2"].outstanding_fen is None and rows["C3"].outstanding_fen is None
    # A limited page reads the sums for its own rows.
    [first] = store.work_list(WorkFilter(text="恒达"), officer_id=officer.id, limit=1)
    assert first.outstanding_fen == 5_200_000_00

    brief = store.visit_brief(owing.id)
    assert (brief.amount_fen, brief.outstanding_fen, brief.repayment_as_of) == (
        6_300_000_00, 5_200_000_00, AS_OF)
    figures = {loan.contract_no: loan.repayment for loan in brief.loans}
    assert figures["L-2"] == Repayment(
        outstanding_fen=1_000_000_00, overdue_principal_fen=1_000_000_00, days_past_due=95,
        arrears_interest_fen=34_093_94, refinanced=True, repayment_as_of=AS_OF)
    assert figures["L-2"].overdue and [m.en for m in figures["L-2"].marks] == ["Refinanced"]
    assert not figures["L-3"].known and figures["L-3"] == Repayment()
