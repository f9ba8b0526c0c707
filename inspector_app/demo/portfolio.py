"""The hand-shaped default demo portfolio: about fifty borrowers, visits in every state.

Which borrower gets which history is decided here; writing each visit, with the signals and
audit entries it leaves, is visits.VisitWriter's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from inspector_app.demo import repayment
from inspector_app.demo import words as words
from inspector_app.demo.shared import (
    PORTFOLIO_SHARE,
    loan_types_for,
)
from inspector_app.demo.visits import BorrowerCase, VisitWriter
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    Industry,
    LoanType,
    Severity,
    VisitKind,
    VisitStatus,
)

# --- the default portfolio -----------------------------------------------------------------

_COMPANY_INDUSTRIES = (
    [Industry.MANUFACTURING] * 9 + [Industry.WHOLESALE_TRADE] * 7 + [Industry.REAL_ESTATE] * 4
    + [Industry.INFRASTRUCTURE] * 4 + [Industry.AGRICULTURE] * 4 + [Industry.SERVICES] * 5
    + [Industry.OTHER] * 3
)  # fmt: skip
_PERSON_INDUSTRIES = (
    [Industry.WHOLESALE_TRADE] * 4 + [Industry.SERVICES] * 4 + [Industry.AGRICULTURE] * 2
    + [Industry.MANUFACTURING, Industry.OTHER]
)  # fmt: skip

# How the borrowers with a visit history end up; the rest are new loans (first inspection).
# (target classification, how many days from today the next routine inspection falls due)
_NORMAL_DUE_OFFSETS = (-25, -12, -6, -2, 0, 1, 3, 5, 6, 9, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77)
_WATCH = (
    (Classification.SPECIAL_MENTION, -4),
    (Classification.SPECIAL_MENTION, 2),
    (Classification.SPECIAL_MENTION, 12),
    (Classification.SPECIAL_MENTION, 20),
    (Classification.SPECIAL_MENTION, 26),
    (Classification.SUBSTANDARD, -8),
    (Classification.SUBSTANDARD, 15),
    (Classification.DOUBTFUL, 4),
    (Classification.DOUBTFUL, 18),
)
# Latest visits that stopped short of approval: (status, days ago), on normal borrowers.
_UNFINISHED = (
    (VisitStatus.COMPLETED, 1),
    (VisitStatus.COMPLETED, 3),
    (VisitStatus.SIGNED, 2),
    (VisitStatus.SUBMITTED, 4),
    (VisitStatus.SUBMITTED, 6),
    (VisitStatus.RETURNED, 9),
)


class DefaultPortfolio(VisitWriter):
    """The default demo: ~50 borrowers, each with a story the screens can show."""

    def build(self) -> None:
        rng = self.rng
        cases = self._borrowers()
        order = list(range(len(cases)))
        rng.shuffle(order)
        shuffled = [cases[i] for i in order]
        # New loans awaiting their first inspection: due soon, overdue, and one being visited.
        for case, ago in zip(shuffled[:8], (3, 5, 8, 10, 12, 22, 28, 6), strict=True):
            self._new_loans(case, self.today - timedelta(days=ago))
        self._first_visit_in_progress(shuffled[7])
        history = shuffled[8:]
        watch, normal = history[: len(_WATCH)], history[len(_WATCH) :]
        for case, (target, offset) in zip(watch, _WATCH, strict=True):
            self._watch_history(case, target, offset)
        offsets = list(_NORMAL_DUE_OFFSETS)
        rng.shuffle(offsets)
        for n, case in enumerate(normal):
            unfinished = _UNFINISHED[n] if n < len(_UNFINISHED) else None
            self._normal_history(case, offsets[n % len(offsets)], unfinished)
        self._repayment_stories(watch)
        # Signals that arrived between visits, from the officer's own sources.
        self._officer_signal(watch[1], 0, days_ago=3)  # red, SM borrower: due this week
        self._officer_signal(normal[-1], 1, days_ago=20)  # orange: overdue special inspection
        self._officer_signal(normal[-2], 2, days_ago=1)  # yellow
        # An officer out on a routine visit right now: today's draft.
        self._draft_routine(normal[-3])

    # -- borrowers, loans, collateral -------------------------------------------------------

    def _borrowers(self) -> list[BorrowerCase]:
        rng = self.rng
        brands = list(words.BRANDS)
        rng.shuffle(brands)
        officers = [u for u, n in PORTFOLIO_SHARE.items() for _ in range(n)]
        rng.shuffle(officers)
        cases: list[BorrowerCase] = []
        seen_industry: set[Industry] = set()
        kinds = [(BorrowerKind.COMPANY, i) for i in _COMPANY_INDUSTRIES] + [
            (BorrowerKind.PERSON, i) for i in _PERSON_INDUSTRIES
        ]
        for seq, (kind, industry) in enumerate(kinds, start=1):
            if kind is BorrowerKind.COMPANY:
                name = words.company_name(rng, industry, brands[seq - 1])
            else:
                name = words.person_name(rng)
            officer = officers[seq - 1]
            case = BorrowerCase(self.borrower(seq, name, kind, industry, officer), officer)
            case.both_collateral = kind is BorrowerKind.COMPANY and industry not in seen_industry
            seen_industry.add(industry)
            cases.append(case)
        return cases

    def _lend(self, case: BorrowerCase, first_disbursed: date, last_disbursed: date) -> None:
        b = case.borrower
        types = loan_types_for(self.rng, b["industry"], b["kind"])
        span = max(0, (last_disbursed - first_disbursed).days)
        for n, loan_type in enumerate(types):
            on = (
                first_disbursed
                if n == 0
                else first_disbursed + timedelta(days=self.rng.randint(0, span))
            )
            case.loans.append(self.loan(b["id"], loan_type, on, case.classification))
        self._secure(case)

    def _secure(self, case: BorrowerCase) -> None:
        rng, b = self.rng, case.borrower
        if b["kind"] is BorrowerKind.PERSON:
            kinds = [rng.choice((CollateralKind.PROPERTY, CollateralKind.DEPOSIT_PLEDGE))]
        else:
            usual = words.INDUSTRY_COLLATERAL[b["industry"]]
            kinds = list(usual) if case.both_collateral or rng.random() < 0.4 else [usual[0]]
        for kind in kinds:
            case.collateral.append(self.collateral(b, kind, case.loans[0]))
        if rng.random() < 0.7:
            total = sum(loan["amount_fen"] for loan in case.loans)
            for _ in range(rng.choice((1, 1, 2))):
                self.guarantor(b, total)
                case.guarantors += 1

    def _new_loans(self, case: BorrowerCase, disbursed: date) -> None:
        self._lend(case, disbursed, disbursed)

    # -- visit histories ----------------------------------------------------------------------

    def _normal_history(
        self, case: BorrowerCase, due_offset: int, unfinished: tuple[VisitStatus, int] | None
    ) -> None:
        interval = self.policy.routine_interval_days[Classification.NORMAL]
        if unfinished is not None:
            last = self.today - timedelta(days=unfinished[1])
        else:
            last = self.today + timedelta(days=due_offset - interval)
        dates = self._dates_back(last, interval, self.rng.randint(2, 4))
        self._lend(case, dates[0] - timedelta(days=self.rng.randint(4, 10)), dates[-1])
        # One normal borrower in three had a yellow signal once, cleared at the next visit.
        cleared_at = self.rng.randrange(len(dates) - 1) if self.rng.random() < 0.35 else None
        for n, on in enumerate(dates):
            status = VisitStatus.APPROVED
            if unfinished is not None and n == len(dates) - 1:
                status = unfinished[0]
            kind = VisitKind.FIRST if n == 0 else VisitKind.ROUTINE
            raise_yellow = [Severity.YELLOW] if n == cleared_at else []
            visit = self._visit(case, kind, on, status, raise_yellow)
            if n == cleared_at:
                self._close_signals(visit, dates[n + 1])

    def _watch_history(self, case: BorrowerCase, target: Classification, due_offset: int) -> None:
        """Normal at first; signals at one visit, a special follow-up visit a week later."""
        rng, policy = self.rng, self.policy
        last = self.today + timedelta(days=due_offset - policy.routine_interval_days[target])
        turned = last - timedelta(days=rng.randint(5, 7))
        normal = policy.routine_interval_days[Classification.NORMAL]
        dates = self._dates_back(turned, normal, rng.randint(2, 3))
        self._lend(case, dates[0] - timedelta(days=rng.randint(4, 10)), dates[-1])
        for n, on in enumerate(dates[:-1]):
            self._visit(case, VisitKind.FIRST if n == 0 else VisitKind.ROUTINE, on,
                        VisitStatus.APPROVED, [])  # fmt: skip
        severities = {
            Classification.SPECIAL_MENTION: [Severity.RED],
            Classification.SUBSTANDARD: [Severity.RED, Severity.RED],
            Classification.DOUBTFUL: [Severity.RED, Severity.RED],
        }[target]
        turning = self._visit(
            case, VisitKind.ROUTINE, turned, VisitStatus.APPROVED, severities,
            target=target, value_drop=target is Classification.DOUBTFUL,
        )  # fmt: skip
        case.classification = target
        for loan in case.loans:
            loan["classification"] = target
        self._visit(case, VisitKind.SPECIAL, last, VisitStatus.APPROVED, [])
        self._follow_signals(turning, last)

    def _repayment_stories(self, watch: list[BorrowerCase]) -> None:
        """What the core system says of the watched borrowers' loans (the order of _WATCH):
        a special-mention one 15 days late, one rescheduled, one refinanced; substandard 95
        days late and restructured; doubtful 280 and 400 days late. The officers' grades of
        the last two are milder than the rules require: that is for the rules to find."""
        as_of = repayment.extract_date(self.today)
        for case, days in ((watch[0], 15), (watch[5], 95), (watch[7], 280), (watch[8], 400)):
            repayment.overdue(_bullet_loan(case), days, as_of)
        repayment.rescheduled(watch[2].loans[0])
        repayment.refinanced(watch[3].loans[0])
        repayment.restructured(watch[6].loans[0], as_of - timedelta(days=45))

    def _dates_back(self, last: date, interval: int, count: int) -> list[date]:
        """`count` visit dates ending at `last`, each a little inside the interval before."""
        dates = [last]
        for _ in range(count - 1):
            dates.append(dates[-1] - timedelta(days=interval - self.rng.randint(0, 10)))
        return dates[::-1]

    def _first_visit_in_progress(self, case: BorrowerCase) -> None:
        self._visit(case, VisitKind.FIRST, self.today, VisitStatus.DRAFT, [])

    def _draft_routine(self, case: BorrowerCase) -> None:
        self._visit(case, VisitKind.ROUTINE, self.today, VisitStatus.DRAFT, [])


def _bullet_loan(case: BorrowerCase) -> dict[str, Any]:
    """The loan a late payment is told on: one repaid at maturity if the borrower has one."""
    bullet = [loan for loan in case.loans if loan["loan_type"] is not LoanType.FIXED_ASSET]
    return (bullet or case.loans)[0]
