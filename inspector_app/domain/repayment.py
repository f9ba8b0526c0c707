"""A loan's repayment position (还款情况), as the bank's core-banking system reports it.

Headquarters imports it from the core system's daily extract (keyed by contract number) and
devices pull it with the loan; the laptop never edits it. The same names are the columns of
the loan tables on both sides and the fields of the wire's loan record, so the
classification rules, the brief and the report read one vocabulary:

outstanding_fen         贷款余额: principal still owed
overdue_principal_fen   逾期本金: principal past its due date
overdue_interest_fen    逾期利息: interest instalments past their due date
days_past_due           逾期天数: days since the oldest unpaid due amount (0: current)
arrears_interest_fen    欠息: all interest owed and unpaid (on and off balance sheet, penalty
                        and compound interest included), as the core system totals it
rescheduled             展期: the maturity was extended
refinanced              借新还旧: a new loan repaid an old one
restructured            重组: the terms were restructured for a borrower in difficulty
restructured_on         the restructuring's date: its observation period starts there
repayment_as_of         the extract's date; None: no repayment data yet for the loan
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from inspector_app.common.text import Text

RESCHEDULED = Text("展期", "Rescheduled")
REFINANCED = Text("借新还旧", "Refinanced")
RESTRUCTURED = Text("重组", "Restructured")


@dataclass(frozen=True)
class Repayment:
    """One loan's repayment position on repayment_as_of (the defaults: no data yet)."""

    outstanding_fen: int = 0
    overdue_principal_fen: int = 0
    overdue_interest_fen: int = 0
    days_past_due: int = 0
    arrears_interest_fen: int = 0
    rescheduled: bool = False
    refinanced: bool = False
    restructured: bool = False
    restructured_on: date | None = None
    repayment_as_of: date | None = None

    @classmethod
    def of(cls, loan: Any) -> Repayment:
        """The repayment fields of a loan record (either side's model, or a row)."""
        return cls(**{f.name: getattr(loan, f.name) for f in fields(cls)})

    @property
    def known(self) -> bool:
        """Whether the core system has reported on the loan at all."""
        return self.repayment_as_of is not None

    @property
    def overdue(self) -> bool:
        return self.days_past_due > 0

    @property
    def marks(self) -> tuple[Text, ...]:
        """展期, 借新还旧, 重组: what was done to the loan's terms, as the report marks it."""
        flagged = ((self.rescheduled, RESCHEDULED), (self.refinanced, REFINANCED),
                   (self.restructured, RESTRUCTURED))
        return tuple(text for on, text in flagged if on)


REPAYMENT_FIELDS = tuple(f.name for f in fields(Repayment))
