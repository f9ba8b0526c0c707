"""When the next inspection is due, against the shipped policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, LoanType, Severity, VisitKind
from inspector_app.domain.policy import load_policy
from inspector_app.domain.schedule import (
    DueItem,
    OpenSignal,
    OwedFirstInspection,
    days_until,
    due_entries,
    first_inspection_due,
    is_overdue,
    needs_special_handling,
    next_date_range,
    next_due_date,
    routine_interval,
)

POLICY = load_policy()
D = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("loan_type", "days"),
    [
        (LoanType.WORKING_CAPITAL, 15),
        (LoanType.FIXED_ASSET, 30),
        (LoanType.PERSONAL_BUSINESS, 15),
    ],
)
def test_first_inspection_deadline_by_loan_type(loan_type: LoanType, days: int) -> None:
    assert first_inspection_due(loan_type, D, POLICY) == D + timedelta(days=days)


@pytest.mark.parametrize(
    ("classification", "days", "special"),
    [
        (Classification.NORMAL, 90, False),
        (Classification.SPECIAL_MENTION, 30, False),
        (Classification.SUBSTANDARD, 30, True),
        (Classification.DOUBTFUL, 30, True),
        (Classification.LOSS, 30, True),
    ],
)
def test_routine_interval_and_special_handling(
    classification: Classification, days: int, special: bool
) -> None:
    assert routine_interval(classification, POLICY) == days
    assert needs_special_handling(classification, POLICY) is special


def due(
    *,
    last: date | None = D,
    classification: Classification = Classification.NORMAL,
    loans: list[tuple[LoanType, date]] | None = None,
    signals: list[tuple[Severity, date]] | None = None,
    events: list[OpenSignal] | None = None,
    days_past_due: int = 0,
    last_special: date | None = None,
    promised: date | None = None,
) -> DueItem:
    """``loans``: those owing their first inspection."""
    return next_due_date(
        last_visit_on=last,
        classification=classification,
        owed_first=[OwedFirstInspection(t, d) for t, d in loans or []],
        open_signals=[OpenSignal(sev, on) for sev, on in signals or []] + (events or []),
        policy=POLICY,
        days_past_due=days_past_due,
        last_special_on=last_special,
        promised_on=promised,
    )


def test_first_inspection_pending_takes_the_earliest_loan() -> None:
    item = due(
        last=None,
        loans=[(LoanType.FIXED_ASSET, D), (LoanType.WORKING_CAPITAL, D + timedelta(days=5))],
    )
    assert item.due_on == date(2024, 3, 21)  # working capital: 6 Mar + 15 days
    assert item.kind is VisitKind.FIRST
    assert item.reason_zh == "流动资金贷款于2024-03-06发放，须在15天内完成首次贷后检查"
    assert (
        item.reason_en
        == "Working capital loan disbursed 2024-03-06: first inspection within 15 days"
    )


def test_nothing_to_count_from_is_an_error() -> None:
    with pytest.raises(ValueError, match="no last visit and no first inspection owed"):
        due(last=None, loans=[])


def test_routine_after_last_visit() -> None:
    item = due()
    assert item.due_on == D + timedelta(days=90)
    assert item.kind is VisitKind.ROUTINE
    assert not item.special_handling
    assert item.reason_zh == "上次检查2024-03-01，当前分类正常，常规检查间隔90天"


def test_downgrade_pulls_the_due_date_in() -> None:
    before = due(classification=Classification.NORMAL)
    after = due(classification=Classification.SPECIAL_MENTION)
    assert after.due_on == D + timedelta(days=30)
    assert after.due_on < before.due_on
    assert after.kind is VisitKind.ROUTINE


def test_substandard_is_flagged_for_special_handling() -> None:
    item = due(classification=Classification.SUBSTANDARD)
    assert item.special_handling
    assert item.reason_zh.endswith("；次级类贷款须特别处理")
    assert item.reason_en.endswith("; Substandard loans are flagged for special handling")


@pytest.mark.parametrize(("severity", "days"), [(Severity.RED, 7), (Severity.ORANGE, 15)])
def test_signal_pulls_in_by_severity(severity: Severity, days: int) -> None:
    raised = D + timedelta(days=10)
    item = due(signals=[(severity, raised)])
    assert item.due_on == raised + timedelta(days=days)
    assert item.kind is VisitKind.SPECIAL
    assert f"须在{days}天内检查" in item.reason_zh


def test_yellow_signal_pulls_in_when_earlier_than_routine() -> None:
    item = due(signals=[(Severity.YELLOW, D + timedelta(days=1))])
    assert item.due_on == D + timedelta(days=31)
    assert item.kind is VisitKind.SPECIAL


def test_earliest_pull_in_wins() -> None:
    # An older orange signal can be due before a newer red one.
    signals = [
        (Severity.YELLOW, D + timedelta(days=2)),  # due +32
        (Severity.RED, D + timedelta(days=20)),  # due +27
        (Severity.ORANGE, D + timedelta(days=5)),  # due +20
    ]
    item = due(signals=signals)
    assert item.due_on == D + timedelta(days=20)
    assert item.reason_en == "Orange warning signal raised 2024-03-06: inspect within 15 days"


def test_signal_never_pushes_the_date_out() -> None:
    item = due(classification=Classification.SPECIAL_MENTION, signals=[(Severity.YELLOW, D)])
    assert item.due_on == D + timedelta(days=30)
    assert item.kind is VisitKind.ROUTINE  # a tie: the routine rule set the date anyway


def test_signal_raised_before_last_visit_was_examined_there() -> None:
    item = due(signals=[(Severity.RED, D - timedelta(days=1))])
    assert item.due_on == D + timedelta(days=90)
    assert item.kind is VisitKind.ROUTINE


def test_signal_raised_at_the_visit_asks_for_a_follow_up() -> None:
    item = due(signals=[(Severity.RED, D)])
    assert item.due_on == D + timedelta(days=7)
    assert item.kind is VisitKind.SPECIAL


def test_signal_before_first_inspection_keeps_kind_first() -> None:
    item = due(
        last=None,
        loans=[(LoanType.FIXED_ASSET, D)],
        signals=[(Severity.RED, D + timedelta(days=2))],
    )
    assert item.due_on == D + timedelta(days=9)
    assert item.kind is VisitKind.FIRST
    assert item.reason_zh.startswith("首次贷后检查尚未完成；")


def test_new_loan_for_a_visited_borrower_needs_its_first_inspection() -> None:
    item = due(loans=[(LoanType.WORKING_CAPITAL, D + timedelta(days=40))])
    assert item.due_on == D + timedelta(days=55)
    assert item.kind is VisitKind.FIRST


def test_each_loan_owing_a_first_inspection_is_its_own_entry() -> None:
    entries = due_entries(
        last_visit_on=D, classification=Classification.NORMAL,
        owed_first=[OwedFirstInspection(LoanType.WORKING_CAPITAL, D + timedelta(days=40), "L2"),
                    OwedFirstInspection(LoanType.FIXED_ASSET, D + timedelta(days=50), "L3")],
        open_signals=[], policy=POLICY,
    )
    assert [(e.due_on, e.kind) for e in entries] == [
        (D + timedelta(days=55), VisitKind.FIRST),
        (D + timedelta(days=80), VisitKind.FIRST),
        (D + timedelta(days=90), VisitKind.ROUTINE),
    ]
    assert "L2" in entries[0].reason_zh and "L3" in entries[1].reason_en


LR_DIED = OpenSignal(Severity.RED, D, Text("法定代表人出现重大变故", "Legal representative dead"),
                     event=True)


def test_an_event_signal_proposes_a_special_inspection_with_its_reason() -> None:
    item = due(events=[LR_DIED])
    assert (item.due_on, item.kind) == (D + timedelta(days=7), VisitKind.SPECIAL)
    assert "专项检查" in item.reason_zh and "法定代表人出现重大变故" in item.reason_zh
    assert item.reason_en.startswith("Event signal “Legal representative dead” raised")


def test_an_event_stays_due_after_a_routine_visit_until_a_special_one() -> None:
    # An ordinary signal raised before the last visit counts as examined there; an event
    # waits for its special inspection, however many routine visits come first.
    later = D + timedelta(days=20)
    item = due(last=later, events=[LR_DIED])
    assert (item.due_on, item.kind) == (D + timedelta(days=7), VisitKind.SPECIAL)
    done = due(last=later, events=[LR_DIED], last_special=later)
    assert (done.due_on, done.kind) == (later + timedelta(days=90), VisitKind.ROUTINE)


@pytest.mark.parametrize(("past_due", "days"), [(0, 90), (1, 30), (9, 30), (10, 15), (400, 15)])
def test_arrears_pull_the_next_inspection_in(past_due: int, days: int) -> None:
    item = due(days_past_due=past_due)
    assert item.due_on == D + timedelta(days=days)
    if past_due:
        assert f"贷款逾期{past_due}天" in item.reason_zh


def test_a_sooner_date_promised_at_the_last_visit_is_the_date() -> None:
    item = due(signals=[(Severity.RED, D)], promised=D + timedelta(days=3))
    assert (item.due_on, item.kind) == (D + timedelta(days=3), VisitKind.SPECIAL)
    assert "上次检查结论确定的下次检查日期" in item.reason_zh
    # A promise later than the rules allow changes nothing.
    assert due(promised=D + timedelta(days=200)).due_on == D + timedelta(days=90)


@pytest.mark.parametrize(
    ("today", "overdue", "left"),
    [(D - timedelta(days=3), False, 3), (D, False, 0), (D + timedelta(days=1), True, -1)],
)
def test_overdue_and_days_until(today: date, overdue: bool, left: int) -> None:
    assert is_overdue(D, today) is overdue
    assert days_until(D, today) == left


@pytest.mark.parametrize(
    ("classification", "latest"),
    [(Classification.NORMAL, date(2024, 5, 30)), (Classification.DOUBTFUL, date(2024, 3, 31))],
)
def test_next_date_range(classification: Classification, latest: date) -> None:
    after = due(classification=classification)
    assert next_date_range(D, after) == (date(2024, 3, 2), latest)


def test_next_date_range_after_a_red_signal_ends_at_its_pull_in() -> None:
    assert next_date_range(D, due(signals=[(Severity.RED, D)]))[1] == D + timedelta(days=7)


def test_next_date_range_when_a_rule_is_already_past_is_the_next_day() -> None:
    overdue_event = OpenSignal(Severity.RED, D - timedelta(days=30), event=True)
    assert next_date_range(D, due(events=[overdue_event])) == (D + timedelta(days=1),) * 2


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
signals_st = st.lists(st.tuples(st.sampled_from(Severity), dates), max_size=5)
loans_st = st.lists(st.tuples(st.sampled_from(LoanType), dates), min_size=1, max_size=3)


@given(
    st.one_of(st.none(), dates),
    st.sampled_from(Classification),
    loans_st,
    st.booleans(),
    signals_st,
    st.integers(min_value=0, max_value=400),
)
def test_property_signals_never_push_the_due_date_out(
    last: date | None,
    classification: Classification,
    loans: list[tuple[LoanType, date]],
    first_owed: bool,
    signals: list[tuple[Severity, date]],
    days_past_due: int,
) -> None:
    if last is None:
        first_owed = True
    kwargs = {
        "last_visit_on": last,
        "classification": classification,
        "owed_first": [OwedFirstInspection(t, d) for t, d in loans] if first_owed else [],
        "policy": POLICY,
    }
    without = next_due_date(open_signals=[], **kwargs)
    with_signals = next_due_date(
        open_signals=[OpenSignal(sev, on) for sev, on in signals], **kwargs)
    overdue = next_due_date(open_signals=[], days_past_due=days_past_due, **kwargs)
    assert with_signals.due_on <= without.due_on
    assert overdue.due_on <= without.due_on
    if with_signals.due_on < without.due_on:
        assert with_signals.kind is (VisitKind.FIRST if first_owed else VisitKind.SPECIAL)


@given(dates, st.sampled_from(Classification), st.sampled_from(Classification), signals_st)
def test_property_worse_classification_never_later(
    last: date, one: Classification, other: Classification, signals: list[tuple[Severity, date]]
) -> None:
    better, worse = sorted([one, other], key=lambda c: c.rank)

    def on(classification: Classification) -> date:
        return due(last=last, classification=classification, signals=signals).due_on

    assert on(worse) <= on(better)
