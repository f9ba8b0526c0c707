"""The demo loans' repayment position, as the core system's extract of yesterday's close would
give it: every loan current unless its borrower's story says otherwise, and the stories the
classification rules are about (loans 15, 95, 280 and 400 days overdue, one rescheduled, one
refinanced, one restructured).

Worked out from the loan's own dates and amount, with no random draw: adding the figures
leaves the rest of a seed's portfolio exactly as it was.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from inspector_app.domain.enums import LoanType

# The demo's contract rate, for the interest a late borrower owes.
ANNUAL_RATE = 0.0435
# Penalty interest (罚息) on overdue amounts: half the contract rate again, as is usual.
PENALTY = 1.5
# A fixed-asset loan repays its principal in equal half-yearly instalments after a year.
_GRACE_DAYS = 365
_INSTALMENT_DAYS = 182


def extract_date(today: date) -> date:
    """The core system's extract is of yesterday's close."""
    return today - timedelta(days=1)


def current(loan: dict[str, Any], as_of: date) -> dict[str, Any]:
    """A loan paid as agreed: its balance, nothing overdue, terms as signed."""
    return {
        "outstanding_fen": _balance(loan, as_of), "overdue_principal_fen": 0,
        "overdue_interest_fen": 0, "days_past_due": 0, "arrears_interest_fen": 0,
        "rescheduled": False, "refinanced": False, "restructured": False,
        "restructured_on": None, "repayment_as_of": as_of,
    }


def _balance(loan: dict[str, Any], as_of: date) -> int:
    amount: int = loan["amount_fen"]
    if loan["loan_type"] is not LoanType.FIXED_ASSET:
        return amount  # working capital and personal loans repay at maturity
    disbursed: date = loan["disbursed_on"]
    matures: date = loan["matures_on"]
    term = (matures - disbursed).days - _GRACE_DAYS
    paid_days = (as_of - disbursed).days - _GRACE_DAYS
    if term <= 0 or paid_days < _INSTALMENT_DAYS:
        return amount
    instalments = max(1, term // _INSTALMENT_DAYS)
    paid = min(instalments - 1, paid_days // _INSTALMENT_DAYS)
    return amount - amount * paid // instalments // 10_000 * 10_000  # whole hundred yuan


def _interest(fen: int, days: int, rate: float = ANNUAL_RATE) -> int:
    return round(fen * rate * days / 365)


def overdue(loan: dict[str, Any], days: int, as_of: date) -> None:
    """The loan `days` past due. Up to 90 days, the monthly interest has gone unpaid since
    then; past that, the loan matured that many days ago and nothing was repaid, so its dates
    are moved to fit (disbursed at least a year before that maturity)."""
    matured = days > 90
    if matured:
        loan["matures_on"] = as_of - timedelta(days=days)
        disbursed = min(loan["disbursed_on"], loan["matures_on"] - timedelta(days=365))
        # The contract number carries the year it was signed in.
        loan["contract_no"] = str(disbursed.year) + loan["contract_no"][4:]
        loan["disbursed_on"] = disbursed
    balance = loan["amount_fen"] if matured else _balance(loan, as_of)
    principal = balance if matured else 0
    unpaid = _interest(balance, days) if matured else _interest(balance, 30) * (days // 30 + 1)
    penalty = _interest(principal + unpaid, days, ANNUAL_RATE * (PENALTY - 1))
    loan.update(outstanding_fen=balance, overdue_principal_fen=principal,
                overdue_interest_fen=unpaid, days_past_due=days,
                arrears_interest_fen=unpaid + penalty)


def rescheduled(loan: dict[str, Any]) -> None:
    """展期: the maturity pushed out a year, the loan current on its new terms."""
    loan["matures_on"] += timedelta(days=365)
    loan["rescheduled"] = True


def refinanced(loan: dict[str, Any]) -> None:
    """借新还旧: this loan was lent to repay an earlier one of the borrower's."""
    loan["refinanced"] = True


def restructured(loan: dict[str, Any], on: date) -> None:
    """重组 on `on` (the observation period starts there), current on its new terms."""
    loan["restructured"] = True
    loan["restructured_on"] = max(on, loan["disbursed_on"])
