"""Which of the policy's classification rules fire on a visit's facts, each with what it found.

The order of the rules that fire is the order they are weighed in when two ask for the same
classification (the first of the worst one decides): a loan's repayment record (the
regulation's floors), then the findings the templates give a floor, then the warning signals and
collateral observations, then the rules that make one classification of a company's loans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from inspector_app.common.text import Text
from inspector_app.domain.classification_rules import (
    LOAN_RULES,
    CollateralRule,
    LoanRule,
    OverdueRule,
    RefinancedRule,
    RestructuredRule,
    RuleSource,
    SignalRule,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralStatus,
    Severity,
    SignalCategory,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.repayment import Repayment


@dataclass(frozen=True)
class LoanFacts:
    """One loan as the rules see it: its current classification and its repayment position
    (domain.repayment; the defaults, "no data yet", fire no rule). 展期 (rescheduled) is not a
    floor by itself: one granted for financial difficulty is a restructuring, recorded so."""

    contract_no: str = ""
    classification: Classification = Classification.NORMAL
    repayment: Repayment = field(default_factory=Repayment)


@dataclass(frozen=True)
class FindingFloor:
    """A checklist answer that carries its own minimum classification (a template's `floor:`)."""

    item_code: str
    at_least: Classification
    finding: Text  # the question and the answer given
    source: RuleSource


@dataclass(frozen=True)
class FiredRule:
    """One rule that fired: the minimum it sets, what it found, and where the rule comes from."""

    at_least: Classification
    reason: Text  # what was found ⇒ at least …
    source: RuleSource
    loan: str = ""  # the contract number, for a rule about one loan
    item_code: str = ""  # the checklist item, for a template floor


@dataclass(frozen=True)
class LoanOutcome:
    """One loan's classification before and after the rules."""

    contract_no: str
    current: Classification
    recommended: Classification


def fire_rules(
    policy: Policy,
    signals: Sequence[tuple[Severity, SignalCategory]],
    statuses: Sequence[CollateralStatus],
    findings: Sequence[FindingFloor],
    loans: Sequence[LoanFacts],
    borrower_kind: BorrowerKind,
    as_of: date | None,
) -> tuple[list[FiredRule], tuple[LoanOutcome, ...]]:
    """The rules that fire, in the order they are weighed, and each loan's outcome."""
    fired: list[FiredRule] = []
    floors = [loan.classification for loan in loans]
    loan_rules: list[LoanRule] = [
        r for r in policy.classification_rules if isinstance(r, LOAN_RULES)
    ]
    for index, loan in enumerate(loans):
        for loan_rule, reason in _loan_rules_firing(loan_rules, loan, as_of):
            fired.append(FiredRule(loan_rule.then, _at_least(reason, loan_rule.then),
                                   loan_rule.source, loan=loan.contract_no))
            floors[index] = floors[index].at_least(loan_rule.then)

    # What the visit found is about the borrower, so it weighs on every one of its loans.
    borrower_floor = Classification.NORMAL
    for finding in findings:
        fired.append(FiredRule(finding.at_least, _at_least(finding.finding, finding.at_least),
                               finding.source, item_code=finding.item_code))
        borrower_floor = borrower_floor.at_least(finding.at_least)
    for rule in policy.classification_rules:
        if isinstance(rule, SignalRule):
            count = sum(1 for severity, category in signals if _counts_for(rule, severity,
                                                                           category))
            if count < rule.min_count:
                continue
            reason = _signal_rule_reason(rule, count)
        elif isinstance(rule, CollateralRule):
            count = statuses.count(rule.collateral_status)
            if count == 0:
                continue
            reason = _collateral_rule_reason(rule, count)
        else:
            continue
        fired.append(FiredRule(rule.then, reason, rule.source))
        borrower_floor = borrower_floor.at_least(rule.then)
    floors = [floor.at_least(borrower_floor) for floor in floors]

    fired += _borrower_rules(policy, loans, floors, borrower_kind)
    outcomes = tuple(LoanOutcome(loan.contract_no, loan.classification, floor)
                     for loan, floor in zip(loans, floors, strict=True))
    return fired, outcomes


def _loan_rules_firing(
    rules: list[LoanRule], loan: LoanFacts, as_of: date | None
) -> list[tuple[LoanRule, Text]]:
    found: list[tuple[LoanRule, Text]] = []
    name, paid = _loan_name(loan), loan.repayment
    # Of the overdue rules only the highest threshold passed speaks: "95 days, over 90" says
    # all that "95 days, over 7" would.
    overdue = [r for r in rules if isinstance(r, OverdueRule) and paid.days_past_due > r.days_over]
    if overdue:
        rule = max(overdue, key=lambda r: r.days_over)
        found.append((rule, Text(
            f"{name.zh}逾期{paid.days_past_due}天（超过{rule.days_over}天）",
            f"{name.en} is {paid.days_past_due} days past due (over {rule.days_over})",
        )))
    for other in rules:
        if isinstance(other, RefinancedRule) and paid.refinanced:
            found.append((other, Text(f"{name.zh}以借新还旧方式偿还",
                                      f"{name.en} was repaid by a new loan (借新还旧)")))
        elif isinstance(other, RestructuredRule) and paid.restructured:
            reason = _in_observation(other, loan, as_of, name)
            if reason is not None:
                found.append((other, reason))
    return found


def _in_observation(
    rule: RestructuredRule, loan: LoanFacts, as_of: date | None, name: Text
) -> Text | None:
    """Why the restructured loan is still in its observation period, or None if it is over."""
    restructured_on = loan.repayment.restructured_on
    if restructured_on is None:
        return Text(f"{name.zh}为重组贷款，重组日期未记录，按观察期内处理",
                    f"{name.en} is restructured, with no restructuring date on record: taken "
                    "as in its observation period")
    ends = restructured_on + timedelta(days=rule.observation_days)
    on = loan.repayment.repayment_as_of or as_of
    if on is not None and on >= ends:
        return None
    return Text(
        f"{name.zh}于{restructured_on.isoformat()}重组，观察期（{rule.observation_days}天）"
        f"至{ends.isoformat()}",
        f"{name.en} was restructured on {restructured_on.isoformat()}; its "
        f"{rule.observation_days}-day observation period runs to {ends.isoformat()}",
    )


def _borrower_rules(
    policy: Policy, loans: Sequence[LoanFacts], floors: list[Classification],
    borrower_kind: BorrowerKind,
) -> list[FiredRule]:
    """Make one classification of a company's loans; the floors are updated in place. A rule
    fires only when it raises a loan: one that changes nothing has nothing to say."""
    fired: list[FiredRule] = []
    one = policy.borrower_rules.one_classification
    if one is not None and borrower_kind in one.borrower_kinds and floors:
        worst = max(floors, key=lambda c: c.rank)
        raised = [loan for loan, floor in zip(loans, floors, strict=True) if floor is not worst]
        if raised:
            fired.append(FiredRule(worst, _at_least(Text(
                f"企业借款人统一分类：{_contracts(raised)}随同一借款人最差的贷款（{worst.zh}）",
                f"One classification per company: {_contracts(raised)} follow the borrower's "
                f"worst loan ({worst.en})",
            ), worst), one.source))
            floors[:] = [worst] * len(floors)
    share = policy.borrower_rules.nonperforming_share
    if share is not None and borrower_kind in share.borrower_kinds and floors:
        total = sum(loan.repayment.outstanding_fen for loan in loans)
        bad = sum(loan.repayment.outstanding_fen for loan, floor in zip(loans, floors, strict=True)
                  if floor.rank >= Classification.SUBSTANDARD.rank)
        raised = [loan for loan, floor in zip(loans, floors, strict=True)
                  if floor.rank < share.then.rank]
        if total > 0 and Decimal(bad) / Decimal(total) > share.share_over and raised:
            percent = (Decimal(bad) * 100 / Decimal(total)).quantize(Decimal("0.1"))
            limit = (share.share_over * 100).normalize()
            fired.append(FiredRule(share.then, _at_least(Text(
                f"不良贷款占该借款人在本行贷款余额的{percent}%（超过{limit:f}%）",
                f"{percent}% of the borrower's balance with us is non-performing (over "
                f"{limit:f}%)",
            ), share.then), share.source))
            floors[:] = [floor.at_least(share.then) for floor in floors]
    return fired


def _loan_name(loan: LoanFacts) -> Text:
    if loan.contract_no:
        return Text(f"贷款{loan.contract_no}", f"Loan {loan.contract_no}")
    return Text("贷款", "The loan")


def _contracts(loans: list[LoanFacts]) -> str:
    return "、".join(loan.contract_no or "?" for loan in loans)


def _at_least(finding: Text, then: Classification) -> Text:
    return finding + Text(f" ⇒ 至少{then.zh}", f" ⇒ at least {then.en}")


def _counts_for(rule: SignalRule, severity: Severity, category: SignalCategory) -> bool:
    # "Severity S" in a rule means S or worse: a red signal is at least as alarming as an
    # orange one, and it keeps the rules monotone (more or graver signals never help).
    if severity.rank < rule.severity.rank:
        return False
    return rule.category is None or category is rule.category


def _signal_rule_reason(rule: SignalRule, count: int) -> Text:
    # Only the gravest severity needs no "or worse".
    has_graver = rule.severity.rank < len(Severity) - 1
    severity_zh = f"{rule.severity.zh}{'及以上' if has_graver else ''}"
    severity_en = f"{rule.severity.en.lower()}{'-or-worse' if has_graver else ''}"
    category_zh = "" if rule.category is None else f"{rule.category.zh}类"
    category_en = "" if rule.category is None else f" in category {rule.category.en}"
    plural = "" if count == 1 else "s"
    threshold_zh = "" if rule.min_count == 1 else f"（规则：不少于{rule.min_count}个）"
    threshold_en = "" if rule.min_count == 1 else f" (rule: {rule.min_count} or more)"
    return Text(
        f"存在{count}个{category_zh}{severity_zh}预警信号{threshold_zh} ⇒ 至少{rule.then.zh}",
        f"{count} {severity_en} warning signal{plural}{category_en}{threshold_en}"
        f" ⇒ at least {rule.then.en}",
    )


def _collateral_rule_reason(rule: CollateralRule, count: int) -> Text:
    status = rule.collateral_status
    plural = "" if count == 1 else "s"
    return Text(
        f"{count}项抵质押物状态为{status.zh} ⇒ 至少{rule.then.zh}",
        f"{count} collateral item{plural} {status.en.lower()} ⇒ at least {rule.then.en}",
    )
