"""When a borrower's next inspection is due, and why (domain.md "Kinds of inspection").

Every rule gives a latest acceptable date (a due entry); the earliest of them wins. A signal, a
downgrade or arrears can therefore only pull the due date in: the policy guarantees that worse
classifications, graver signals and longer arrears never have longer intervals.

One function serves every screen: the due list (store.schedule_cache), the brief, and the
conclusion of a visit, which asks what is due once that visit is done. So the date offered at
the end of a visit is the date the due list shows after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, LoanType, Severity, VisitKind
from inspector_app.domain.policy import Policy


@dataclass(frozen=True)
class DueItem:
    """An inspection due: by when, what kind, and the rule that set the date."""

    due_on: date
    kind: VisitKind
    reason: Text
    special_handling: bool = False
    # A special inspection an event signal proposes (not a signal's ordinary pull-in).
    proposed: bool = False

    # Each language on its own, as the schedule tests read them.
    @property
    def reason_zh(self) -> str:
        return self.reason.zh

    @property
    def reason_en(self) -> str:
        return self.reason.en


@dataclass(frozen=True)
class OwedFirstInspection:
    """A loan with no inspection since it was disbursed: it owes its own first inspection,
    even when the borrower was inspected before (a new loan to a known borrower)."""

    loan_type: LoanType
    disbursed_on: date
    contract_no: str = ""


@dataclass(frozen=True)
class OpenSignal:
    """An open warning signal as the schedule sees it.

    ``event`` marks a signal that proposes a special inspection (the legal representative died,
    was jailed or absconded; major litigation): it stays due until a special inspection on or
    after the day it was raised, where an ordinary signal counts as examined by any later visit.
    """

    severity: Severity
    raised_on: date
    title: Text | None = None
    event: bool = False


def first_inspection_due(loan_type: LoanType, disbursed_on: date, policy: Policy) -> date:
    """The latest date for the first inspection after a loan is disbursed."""
    return disbursed_on + timedelta(days=policy.first_inspection_days[loan_type])


def routine_interval(classification: Classification, policy: Policy) -> int:
    """Days from one routine inspection to the next for a loan of this classification."""
    return policy.routine_interval_days[classification]


def overdue_interval(days_past_due: int, policy: Policy) -> tuple[int, int] | None:
    """(threshold, days) of the policy's overdue rule for this many days past due: the
    inspection interval an overdue loan may not exceed; None when no rule applies."""
    applicable = [(threshold, days) for threshold, days in policy.overdue_interval_days.items()
                  if days_past_due >= threshold]
    return min(applicable, key=lambda rule: (rule[1], -rule[0]), default=None)


def needs_special_handling(classification: Classification, policy: Policy) -> bool:
    """Whether the policy flags this classification for special handling (特别处理)."""
    return classification in policy.special_handling


# Ties go to the lower rank. An event's special inspection covers whatever else is due that
# day; an ordinary signal only "sets" the date when strictly earlier than what the
# first-inspection, routine or overdue rule would have given anyway.
_EVENT, _FIRST, _ROUTINE, _OVERDUE, _SIGNAL = range(5)


@dataclass(frozen=True)
class _Entry:
    due_on: date
    kind: VisitKind
    rank: int
    # Worded only for the entry that is shown: the due list recomputes 20,000 borrowers.
    reason: Callable[[], Text]

    def item(self) -> DueItem:
        return DueItem(self.due_on, self.kind, self.reason(), proposed=self.rank == _EVENT)


def _entries(
    *,
    last_visit_on: date | None,
    classification: Classification,
    owed_first: Iterable[OwedFirstInspection],
    open_signals: Iterable[OpenSignal],
    policy: Policy,
    days_past_due: int,
    last_special_on: date | None,
) -> list[_Entry]:
    entries: list[_Entry] = []
    for loan in owed_first:
        entries.append(_Entry(
            first_inspection_due(loan.loan_type, loan.disbursed_on, policy), VisitKind.FIRST,
            _FIRST, partial(_first_reason, loan, policy.first_inspection_days[loan.loan_type])))
    if last_visit_on is not None:
        days = routine_interval(classification, policy)
        entries.append(_Entry(
            last_visit_on + timedelta(days=days), VisitKind.ROUTINE, _ROUTINE,
            partial(_routine_reason, last_visit_on, classification, days)))
        overdue = overdue_interval(days_past_due, policy)
        if overdue is not None:
            threshold, days = overdue
            entries.append(_Entry(
                last_visit_on + timedelta(days=days), VisitKind.ROUTINE, _OVERDUE,
                partial(_overdue_reason, last_visit_on, days_past_due, threshold, days)))
    for signal in open_signals:
        days = policy.signal_pull_in_days[signal.severity]
        due_on = signal.raised_on + timedelta(days=days)
        if signal.event and (last_special_on is None or last_special_on < signal.raised_on):
            entries.append(_Entry(due_on, VisitKind.SPECIAL, _EVENT,
                                  partial(_event_reason, signal, days)))
            continue
        if last_visit_on is not None and signal.raised_on < last_visit_on:
            # Raised before the last visit: taken as examined there. One raised on the visit
            # day (usually by that visit) still asks for a follow-up. Without this, an open
            # signal's old deadline would keep the borrower overdue however often it is visited.
            continue
        entries.append(_Entry(due_on, VisitKind.SPECIAL, _SIGNAL,
                              partial(_signal_reason, signal, days)))
    entries.sort(key=lambda e: (e.due_on, e.rank))
    return entries


def _first_reason(loan: OwedFirstInspection, days: int) -> Text:
    contract = f" {loan.contract_no}" if loan.contract_no else ""
    on = loan.disbursed_on.isoformat()
    return Text(f"{loan.loan_type.zh}{contract}于{on}发放，须在{days}天内完成首次贷后检查",
                f"{loan.loan_type.en} loan{contract} disbursed {on}:"
                f" first inspection within {days} days")


def _routine_reason(last_visit_on: date, classification: Classification, days: int) -> Text:
    return Text(f"上次检查{last_visit_on.isoformat()}，当前分类{classification.zh}，"
                f"常规检查间隔{days}天",
                f"Last inspection {last_visit_on.isoformat()}, classification"
                f" {classification.en}: routine interval {days} days")


def _overdue_reason(last_visit_on: date, days_past_due: int, threshold: int, days: int
                    ) -> Text:
    return Text(f"贷款逾期{days_past_due}天（逾期{threshold}天起检查间隔不超过{days}天），"
                f"上次检查{last_visit_on.isoformat()}",
                f"Loan {days_past_due} days past due ({threshold} days or more: at most"
                f" {days} days between inspections), last inspection {last_visit_on.isoformat()}")


def _event_reason(signal: OpenSignal, days: int) -> Text:
    title, raised = signal.title or signal.severity.text, signal.raised_on.isoformat()
    return Text(f"{raised}发起事件类预警信号「{title.zh}」，建议在{days}天内进行专项检查",
                f"Event signal “{title.en}” raised {raised}: special inspection proposed"
                f" within {days} days")


def _signal_reason(signal: OpenSignal, days: int) -> Text:
    raised = signal.raised_on.isoformat()
    return Text(f"{raised}发起{signal.severity.zh}预警信号，须在{days}天内检查",
                f"{signal.severity.en} warning signal raised {raised}: inspect within {days} days")


def due_entries(
    *,
    last_visit_on: date | None,
    classification: Classification,
    owed_first: Iterable[OwedFirstInspection],
    open_signals: Iterable[OpenSignal],
    policy: Policy,
    days_past_due: int = 0,
    last_special_on: date | None = None,
) -> tuple[DueItem, ...]:
    """Every inspection the rules ask for, earliest first: a first inspection per loan not yet
    inspected, the routine one (the overdue rule may shorten its interval), a special one per
    event signal awaiting it, and each newer signal's pull-in. The brief lists them all."""
    return tuple(e.item() for e in _entries(
        last_visit_on=last_visit_on, classification=classification, owed_first=owed_first,
        open_signals=open_signals, policy=policy, days_past_due=days_past_due,
        last_special_on=last_special_on,
    ))


def next_due_date(
    *,
    last_visit_on: date | None,
    classification: Classification,
    owed_first: Iterable[OwedFirstInspection],
    open_signals: Iterable[OpenSignal],
    policy: Policy,
    days_past_due: int = 0,
    last_special_on: date | None = None,
    promised_on: date | None = None,
) -> DueItem:
    """The next inspection: the earliest due entry (see due_entries).

    ``days_past_due`` is the borrower's worst loan's arrears; ``last_special_on`` the date of
    the last special inspection (it answers the event signals raised up to that day);
    ``promised_on`` the date the last visit's conclusion set, which may only be sooner than the
    rules allow, and then is the date.
    """
    owed_first = tuple(owed_first)
    if last_visit_on is None and not owed_first:
        raise ValueError("nothing to count from: no last visit and no first inspection owed")
    entries = _entries(
        last_visit_on=last_visit_on, classification=classification, owed_first=owed_first,
        open_signals=open_signals, policy=policy, days_past_due=days_past_due,
        last_special_on=last_special_on,
    )
    chosen = entries[0]
    reason, kind = chosen.reason(), chosen.kind
    if owed_first and chosen.rank != _FIRST:
        # A first inspection is still owed; it is simply due sooner for another reason.
        kind = VisitKind.FIRST
        reason = Text("首次贷后检查尚未完成；", "First inspection not yet done; ") + reason
    due_on = chosen.due_on
    if promised_on is not None and promised_on < due_on:
        reason = Text(f"上次检查结论确定的下次检查日期（规则最迟{due_on.isoformat()}：",
                      f"Set by the last inspection's conclusion (the rules allow until"
                      f" {due_on.isoformat()}: ") + reason + Text("）", ")")
        due_on = promised_on
    special = needs_special_handling(classification, policy)
    if special:
        reason += Text(f"；{classification.zh}类贷款须特别处理",
                       f"; {classification.en} loans are flagged for special handling")
    return DueItem(due_on, kind, reason, special, proposed=chosen.rank == _EVENT)


def is_overdue(due_on: date, today: date) -> bool:
    """Overdue from the day after the due date: the due date itself is still on time."""
    return today > due_on


def days_until(due_on: date, today: date) -> int:
    """Days left until the due date; negative once overdue, 0 on the day."""
    return (due_on - today).days


def next_date_range(visit_date: date, due: DueItem) -> tuple[date, date]:
    """The (earliest, latest) next inspection date an officer may set at the end of a visit:
    the day after it at the soonest, and at the latest what the schedule rules give once the
    visit is done (``due``). Sooner is allowed, later is not. When a rule's date has already
    passed (a special inspection owed since before this visit), the day after is the latest."""
    earliest = visit_date + timedelta(days=1)
    return earliest, max(earliest, due.due_on)
