"""When a borrower's next inspection is due, and why (domain.md "Kinds of inspection").

Every rule gives a latest acceptable date; the earliest of them wins. A signal or a downgrade
can therefore only pull the due date in: the policy guarantees that worse classifications and
graver signals never have longer intervals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, LoanType, Severity, VisitKind
from inspector_app.domain.policy import Policy


@dataclass(frozen=True)
class DueItem:
    """The next inspection: by when, what kind, and the rule that set the date."""

    due_on: date
    kind: VisitKind
    reason: Text
    special_handling: bool = False

    # Each language on its own, as the schedule tests read them.
    @property
    def reason_zh(self) -> str:
        return self.reason.zh

    @property
    def reason_en(self) -> str:
        return self.reason.en


def first_inspection_due(loan_type: LoanType, disbursed_on: date, policy: Policy) -> date:
    """The latest date for the first inspection after a loan is disbursed."""
    return disbursed_on + timedelta(days=policy.first_inspection_days[loan_type])


def routine_interval(classification: Classification, policy: Policy) -> int:
    """Days from one routine inspection to the next for a loan of this classification."""
    return policy.routine_interval_days[classification]


def needs_special_handling(classification: Classification, policy: Policy) -> bool:
    """Whether the policy flags this classification for special handling (特别处理)."""
    return classification in policy.special_handling


@dataclass(frozen=True)
class _Deadline:
    due_on: date
    # Ties go to the lower rank: a signal only "sets" the date when it is strictly earlier
    # than what the first-inspection or routine rule would have given anyway.
    rank: int
    reason: Text


def next_due_date(
    *,
    last_visit_on: date | None,
    classification: Classification,
    loans: Iterable[tuple[LoanType, date]],
    first_inspection_done: bool,
    open_signals: Iterable[tuple[Severity, date]],
    policy: Policy,
) -> DueItem:
    """The earliest of: first-inspection deadlines (while the first inspection is not done),
    the routine interval from the last visit, and each open signal's pull-in.

    A signal raised before the last visit is taken as examined by that visit and pulls
    nothing in; one raised on the visit day (usually by that visit) still asks for a
    follow-up. Without this, an open signal's old deadline would keep the borrower overdue
    however often it is visited.
    """
    deadlines: list[_Deadline] = []
    loans = tuple(loans)
    if not first_inspection_done:
        if not loans:
            raise ValueError("a first inspection is pending, so at least one loan is needed")
        for loan_type, disbursed_on in loans:
            days = policy.first_inspection_days[loan_type]
            deadlines.append(
                _Deadline(
                    first_inspection_due(loan_type, disbursed_on, policy),
                    0,
                    Text(
                        f"{loan_type.zh}于{disbursed_on.isoformat()}发放，"
                        f"须在{days}天内完成首次贷后检查",
                        f"{loan_type.en} loan disbursed {disbursed_on.isoformat()}:"
                        f" first inspection within {days} days",
                    ),
                )
            )
    if last_visit_on is not None:
        days = routine_interval(classification, policy)
        deadlines.append(
            _Deadline(
                last_visit_on + timedelta(days=days),
                1,
                Text(
                    f"上次检查{last_visit_on.isoformat()}，当前分类{classification.zh}，"
                    f"常规检查间隔{days}天",
                    f"Last inspection {last_visit_on.isoformat()}, classification"
                    f" {classification.en}: routine interval {days} days",
                ),
            )
        )
    elif first_inspection_done:
        # Without a last visit there is nothing to count the routine interval from.
        raise ValueError("the first inspection is done, so last_visit_on is needed")
    for severity, raised_on in open_signals:
        if last_visit_on is not None and raised_on < last_visit_on:
            continue
        days = policy.signal_pull_in_days[severity]
        deadlines.append(
            _Deadline(
                raised_on + timedelta(days=days),
                2,
                Text(
                    f"{raised_on.isoformat()}发起{severity.zh}预警信号，须在{days}天内检查",
                    f"{severity.en} warning signal raised {raised_on.isoformat()}:"
                    f" inspect within {days} days",
                ),
            )
        )

    chosen = min(deadlines, key=lambda d: (d.due_on, d.rank))
    reason = chosen.reason
    if not first_inspection_done:
        kind = VisitKind.FIRST
        if chosen.rank != 0:
            # The first inspection is still owed; it is simply due sooner for another reason.
            reason = Text("首次贷后检查尚未完成；", "First inspection not yet done; ") + reason
    else:
        kind = VisitKind.SPECIAL if chosen.rank == 2 else VisitKind.ROUTINE
    special = needs_special_handling(classification, policy)
    if special:
        reason += Text(f"；{classification.zh}类贷款须特别处理",
                       f"; {classification.en} loans are flagged for special handling")
    return DueItem(chosen.due_on, kind, reason, special)


def is_overdue(due_on: date, today: date) -> bool:
    """Overdue from the day after the due date: the due date itself is still on time."""
    return today > due_on


def days_until(due_on: date, today: date) -> int:
    """Days left until the due date; negative once overdue, 0 on the day."""
    return (due_on - today).days


def allowed_next_date_range(
    visit_date: date, classification: Classification, policy: Policy
) -> tuple[date, date]:
    """The (earliest, latest) next inspection date an officer may set at the end of a visit:
    sooner than policy is allowed, later is not."""
    return (
        visit_date + timedelta(days=1),
        visit_date + timedelta(days=routine_interval(classification, policy)),
    )
