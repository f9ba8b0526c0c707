"""A warning signal's life cycle: raised → handled → monitored → cleared, each step recorded."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.domain.enums import Severity, SignalCategory, SignalSource, SignalStatus
from inspector_app.domain.lifecycle import SIGNAL_STEPS, TransitionError, check_signal_step
from inspector_app.store.local import LocalStore
from inspector_app.store.models import RiskSignal

St = SignalStatus


def test_cleared_is_final_and_every_other_state_can_be_cleared() -> None:
    assert SIGNAL_STEPS[St.CLEARED] == frozenset()
    assert all(St.CLEARED in SIGNAL_STEPS[s] for s in (St.RAISED, St.HANDLED, St.MONITORED))


@pytest.mark.parametrize(
    ("source", "target"),
    [(St.CLEARED, St.HANDLED), (St.HANDLED, St.RAISED), (St.RAISED, St.RAISED)],
)
def test_illegal_steps_are_refused(source: St, target: St) -> None:
    with pytest.raises(TransitionError, match=f"from {source} to {target}"):
        check_signal_step(source, target, "reason")


def test_a_step_needs_a_reason() -> None:
    with pytest.raises(TransitionError, match="needs a reason"):
        check_signal_step(St.RAISED, St.CLEARED, " ")


def test_signal_steps_are_recorded_with_who_when_why(store: LocalStore, portfolio) -> None:
    p = portfolio
    signal = store.raise_signal(
        RiskSignal(borrower_id=p.borrower_id, visit_id=p.visit_id,
                   category=SignalCategory.COLLATERAL, severity=Severity.RED,
                   source=SignalSource.COLLATERAL, source_ref="c-1", title="质押存货未找到",
                   raised_on=date(2026, 11, 22)),
        p.officer, "现场未见质押钢材",
    )
    store.advance_signal(signal.id, p.officer, St.HANDLED, "已要求借款人补足质押物")
    store.advance_signal(signal.id, p.supervisor, St.MONITORED, "每周核对库存")
    store.advance_signal(signal.id, p.supervisor, St.CLEARED, "库存已补足并复核")
    with pytest.raises(TransitionError):
        store.advance_signal(signal.id, p.officer, St.HANDLED, "again")

    with store.read() as s:
        saved = s.get_one(RiskSignal, signal.id)
        steps = [(st.step, st.user_id, st.reason) for st in saved.steps]
        assert saved.status is St.CLEARED
        assert all(st.at is not None for st in saved.steps)
    assert steps == [
        (St.RAISED, p.officer.id, "现场未见质押钢材"),
        (St.HANDLED, p.officer.id, "已要求借款人补足质押物"),
        (St.MONITORED, p.supervisor.id, "每周核对库存"),
        (St.CLEARED, p.supervisor.id, "库存已补足并复核"),
    ]


def test_due_list_follows_signals(store: LocalStore, portfolio) -> None:
    """A red signal pulls the borrower's next inspection in; the list shows it at once."""
    p = portfolio
    with store.write() as s:
        from inspector_app.store.schedule_cache import refresh_schedule

        refresh_schedule(s, store.policy)
    before = store.due_list()[0]
    assert before.open_signals == 0
    raised_on = date(2026, 11, 22)
    store.raise_signal(
        RiskSignal(borrower_id=p.borrower_id, category=SignalCategory.FINANCIAL,
                   severity=Severity.RED, source=SignalSource.OFFICER, title="欠缴税款",
                   raised_on=raised_on),
        p.officer,
    )
    after = store.due_list()[0]
    assert after.open_signals == 1
    assert after.next_due_on is not None
    assert after.next_due_on <= raised_on.replace(day=29)  # red pull-in: 7 days
    assert before.next_due_on is None or after.next_due_on <= before.next_due_on
