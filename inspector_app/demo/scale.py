"""The --scale demo portfolio: N borrowers and 5·N visits, generated in bulk."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from inspector_app.demo import words as words
from inspector_app.demo.shared import (
    PortfolioBuilder,
    Progress,
    china_time,
    loan_types_for,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.models import (
    RiskSignal,
    RiskSignalStep,
)

# --- the --scale portfolio -----------------------------------------------------------------

_SCALE_CLASSES = (
    (Classification.NORMAL, 0.85),
    (Classification.SPECIAL_MENTION, 0.10),
    (Classification.SUBSTANDARD, 0.03),
    (Classification.DOUBTFUL, 0.015),
    (Classification.LOSS, 0.005),
)
_SCALE_LAST_STATUS = (
    (VisitStatus.APPROVED, 0.80),
    (VisitStatus.SUBMITTED, 0.08),
    (VisitStatus.SIGNED, 0.05),
    (VisitStatus.COMPLETED, 0.04),
    (VisitStatus.DRAFT, 0.03),
)
_VISITS_PER_BORROWER = 5


class ScalePortfolio(PortfolioBuilder):
    """N borrowers, 5·N visits: enough volume to measure the due list, no answers."""

    def __init__(self, n: int, *common: Any) -> None:
        super().__init__(*common)
        self.n = n

    def build(self, report: Progress) -> None:
        rng = self.rng
        # The named officers get a share too, so logging in as `officer` shows a full list.
        officers = self.users.officers()
        industries = list(Industry)
        # Unzipped by hand: zip(*pairs) loses the element types.
        classes = [c for c, _ in _SCALE_CLASSES]
        class_weights = [w for _, w in _SCALE_CLASSES]
        last_statuses = [s for s, _ in _SCALE_LAST_STATUS]
        last_weights = [w for _, w in _SCALE_LAST_STATUS]
        names: set[str] = set()
        for seq in range(1, self.n + 1):
            if seq % 2000 == 0:
                report("生成借款人 / generating borrowers", 0.05 + 0.1 * seq / self.n)
            kind = BorrowerKind.PERSON if rng.random() < 0.25 else BorrowerKind.COMPANY
            industry = rng.choice(industries)
            name = self._unique_name(kind, industry, names)
            b = self.borrower(seq, name, kind, industry, officers[(seq - 1) % len(officers)])
            target = rng.choices(classes, class_weights)[0]
            interval = self.policy.routine_interval_days[target]
            # Next routine inspection from 30 days overdue to a full interval away.
            last = self.today + timedelta(days=rng.randint(-30, interval - 1) - interval)
            dates = [last - timedelta(days=interval * k) for k in range(_VISITS_PER_BORROWER)]
            dates.reverse()
            disbursed = dates[0] - timedelta(days=rng.randint(3, 12))
            types = loan_types_for(rng, industry, kind)
            loans = [self.loan(b["id"], t, disbursed, target) for t in types]
            usual = words.INDUSTRY_COLLATERAL[industry]
            if kind is BorrowerKind.COMPANY or rng.random() < 0.5:
                self.collateral(b, usual[0], loans[0])
            if rng.random() < 0.5:
                self.guarantor(b, sum(loan["amount_fen"] for loan in loans))
            checklists = {
                k: self.checklist(k, set(types), industry)
                for k in (VisitKind.FIRST, VisitKind.ROUTINE)
            }
            last_status = rng.choices(last_statuses, last_weights)[0]
            for k, on in enumerate(dates):
                kind_k = VisitKind.FIRST if k == 0 else VisitKind.ROUTINE
                status = last_status if k == len(dates) - 1 else VisitStatus.APPROVED
                if status is VisitStatus.DRAFT:
                    on = self.today
                self.visit_row(
                    b, officers[(seq - 1) % len(officers)], kind_k, on, checklists[kind_k],
                    status, finished=status is not VisitStatus.DRAFT,
                    final_classification=None if status is VisitStatus.DRAFT else target,
                )  # fmt: skip
            if target is not Classification.NORMAL or rng.random() < 0.05:
                self._scale_signal(b["id"], officers[(seq - 1) % len(officers)], last)

    def _unique_name(self, kind: BorrowerKind, industry: Industry, names: set[str]) -> str:
        if kind is BorrowerKind.PERSON:
            return words.person_name(self.rng)  # people share names; that is realistic
        name = words.company_name(self.rng, industry, words.scale_brand(self.rng))
        for _attempt in range(20):  # two companies rarely share a registered name
            if name not in names:
                break
            name = words.company_name(self.rng, industry, words.scale_brand(self.rng))
        names.add(name)
        return name

    def _scale_signal(self, borrower_id: str, officer: str, on: date) -> None:
        rng = self.rng
        category, severity, title, description = rng.choice(words.OFFICER_SIGNALS)
        steps = [SignalStatus.RAISED, SignalStatus.HANDLED, SignalStatus.MONITORED,
                 SignalStatus.CLEARED][: rng.randint(1, 4)]  # fmt: skip
        at = china_time(on, 16)
        signal_id = self.rows.add(
            RiskSignal, created=at, borrower_id=borrower_id, visit_id=None,
            category=SignalCategory(category), severity=Severity(severity),
            source=SignalSource.OFFICER, source_ref="", title=title, description=description,
            status=steps[-1], raised_on=on,
        )  # fmt: skip
        for n, step in enumerate(steps):
            self.rows.add(
                RiskSignalStep, created=at, signal_id=signal_id, step=step,
                user_id=self.users.ids[officer], at=min(at + timedelta(days=2 * n), self.rows.now),
                reason=words.SIGNAL_STEP_REASONS[step.value],
            )  # fmt: skip
