"""What one borrower's loans, visits and signals say about its next inspection.

The laptop's due list (store.schedule_cache, over its own tables) and headquarters' (hq.due_list,
over its database) gather these facts each from their own data and ask the same functions
here, so both say the same date for the same borrower.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from inspector_app.domain.enums import Classification, LoanType
from inspector_app.domain.policy import Policy
from inspector_app.domain.schedule import (
    DueItem,
    OpenSignal,
    OwedFirstInspection,
    next_due_date,
)

_RANK = {c: c.rank for c in Classification}


@dataclass
class BorrowerFacts:
    """A borrower's facts the schedule reads."""

    # (type, disbursed on, classification, contract no.) per loan
    loans: list[tuple[LoanType, date, Classification, str]] = field(default_factory=list)
    signals: list[OpenSignal] = field(default_factory=list)
    # The latest visit that is not a draft: its date, its concluded classification and the
    # next date its conclusion set. A loan disbursed on or before that date has been inspected
    # since, so it owes no first inspection any more.
    last_visit_on: date | None = None
    last_concluded: Classification | None = None
    promised_on: date | None = None
    last_special_on: date | None = None
    days_past_due: int = 0


def worst(classifications: Iterable[Classification | None]) -> Classification:
    """The worst of these (normal if none)."""
    # A rank table, since Classification.rank rebuilds the member list per call and this runs
    # once per loan of 20,000 borrowers.
    return max((c for c in classifications if c is not None), key=_RANK.__getitem__,
               default=Classification.NORMAL)


def owed_and_class(facts: BorrowerFacts) -> tuple[list[OwedFirstInspection], Classification]:
    """The loans owing a first inspection, and the classification the schedule follows."""
    owed = [
        OwedFirstInspection(loan_type, disbursed, contract)
        for loan_type, disbursed, _c, contract in facts.loans
        if facts.last_visit_on is None or disbursed > facts.last_visit_on
    ]
    # The worse of the bank's record and the last visit's conclusion: a downgrade the officer
    # concluded pulls the date in before headquarters confirms it.
    return owed, worst([*(c for _t, _d, c, _n in facts.loans), facts.last_concluded])


def due_for(facts: BorrowerFacts, policy: Policy, *, promised: bool = True) -> DueItem | None:
    """The next inspection these facts ask for; None when nothing is owed (no loan yet)."""
    owed, classification = owed_and_class(facts)
    if facts.last_visit_on is None and not owed:
        # No loan has been disbursed, so no inspection is owed yet.
        return None
    return next_due_date(
        last_visit_on=facts.last_visit_on, classification=classification, owed_first=owed,
        open_signals=facts.signals, policy=policy, days_past_due=facts.days_past_due,
        last_special_on=facts.last_special_on,
        promised_on=facts.promised_on if promised else None,
    )
