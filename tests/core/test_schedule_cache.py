"""refresh_schedule keeps Borrower's derived due-list columns in step with its records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.policy import load_policy
from inspector_app.store.models import Borrower, Loan, RiskSignal, User, Visit
from inspector_app.store.schedule_cache import refresh_schedule

POLICY = load_policy()
DISBURSED = date(2026, 3, 2)


@pytest.fixture
def ids(store: Any) -> dict[str, str]:
    """One officer and one borrower without loans, visits or signals."""
    with store.write() as s:
        # A placeholder hash: these tests never log in, and Argon2 would only slow them.
        officer = User(
            username="o", display_name="王芳", role=Role.OFFICER, password_hash="x"
        )
        borrower = Borrower(
            code="C0001", name="江苏恒达精密机械有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.MANUFACTURING, id_number="91320500MA1X0000X1",
        )
        s.add_all([officer, borrower])
        s.flush()
        return {"officer": officer.id, "borrower": borrower.id}


def _add(store: Any, *records: Any) -> int:
    with store.write() as s:
        s.add_all(records)
        s.flush()
        return refresh_schedule(s, POLICY)


def _borrower(store: Any, borrower_id: str) -> Borrower:
    with store.read() as s:
        return s.get_one(Borrower, borrower_id)


def _loan(borrower_id: str, no: str, loan_type: LoanType, cls: Classification) -> Loan:
    return Loan(
        borrower_id=borrower_id, contract_no=no, loan_type=loan_type, amount_fen=500_000_00,
        disbursed_on=DISBURSED, matures_on=DISBURSED + timedelta(days=365), classification=cls,
    )


def _visit(ids: dict[str, str], on: date, kind: VisitKind, status: VisitStatus) -> Visit:
    return Visit(
        borrower_id=ids["borrower"], officer_id=ids["officer"], kind=kind, status=status,
        template_code="base", template_version=1, visit_date=on,
    )


def _signal(ids: dict[str, str], severity: Severity, on: date, status: SignalStatus) -> RiskSignal:
    return RiskSignal(
        borrower_id=ids["borrower"], category=SignalCategory.FINANCIAL, severity=severity,
        source=SignalSource.OFFICER, title="资金回笼明显减少", status=status, raised_on=on,
    )


def test_borrower_without_loans_has_nothing_due(store: Any, ids: dict[str, str]) -> None:
    assert _add(store) == 0
    b = _borrower(store, ids["borrower"])
    assert (b.classification, b.open_signals, b.next_due_on, b.next_due_kind) == (
        Classification.NORMAL, 0, None, None,
    )


def test_a_new_loan_makes_a_first_inspection_due(store: Any, ids: dict[str, str]) -> None:
    loan = _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL)
    assert _add(store, loan) == 1
    b = _borrower(store, ids["borrower"])
    assert b.next_due_kind is VisitKind.FIRST
    assert b.next_due_on == DISBURSED + timedelta(days=15)
    assert b.version == 2  # the bulk update bumps the version like any ORM update


def test_classification_is_the_worst_loan(store: Any, ids: dict[str, str]) -> None:
    _add(
        store,
        _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL),
        _loan(ids["borrower"], "L2", LoanType.FIXED_ASSET, Classification.SUBSTANDARD),
    )
    assert _borrower(store, ids["borrower"]).classification is Classification.SUBSTANDARD


def test_a_draft_visit_changes_nothing(store: Any, ids: dict[str, str]) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.FIXED_ASSET, Classification.NORMAL))
    before = _borrower(store, ids["borrower"])
    assert _add(store, _visit(ids, date(2026, 3, 20), VisitKind.FIRST, VisitStatus.DRAFT)) == 0
    after = _borrower(store, ids["borrower"])
    assert (after.next_due_on, after.next_due_kind, after.version) == (
        before.next_due_on, VisitKind.FIRST, before.version,
    )


def test_a_completed_first_visit_starts_the_routine_interval(
    store: Any, ids: dict[str, str]
) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.FIXED_ASSET, Classification.SPECIAL_MENTION))
    visited = date(2026, 3, 20)
    _add(store, _visit(ids, visited, VisitKind.FIRST, VisitStatus.COMPLETED))
    b = _borrower(store, ids["borrower"])
    assert b.next_due_kind is VisitKind.ROUTINE
    assert b.next_due_on == visited + timedelta(days=30)  # 关注: 30-day interval


def test_latest_non_draft_visit_counts(store: Any, ids: dict[str, str]) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    _add(
        store,
        _visit(ids, date(2026, 3, 10), VisitKind.FIRST, VisitStatus.APPROVED),
        _visit(ids, date(2026, 6, 1), VisitKind.ROUTINE, VisitStatus.SIGNED),
        _visit(ids, date(2026, 8, 1), VisitKind.ROUTINE, VisitStatus.DRAFT),
    )
    assert _borrower(store, ids["borrower"]).next_due_on == date(2026, 6, 1) + timedelta(days=90)


def test_a_routine_visit_after_disbursement_counts_as_the_first_inspection(
    store: Any, ids: dict[str, str]
) -> None:
    # The first finished visit after a disbursement is that loan's first inspection, whatever
    # kind the officer chose (the work list proposes "first"): counting it only once signed
    # would make the due list disagree with the date its conclusion offered.
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    _add(store, _visit(ids, date(2026, 3, 10), VisitKind.ROUTINE, VisitStatus.COMPLETED))
    b = _borrower(store, ids["borrower"])
    assert b.next_due_kind is VisitKind.ROUTINE
    assert b.next_due_on == date(2026, 3, 10) + timedelta(days=90)


def test_a_new_loan_after_the_last_visit_owes_its_own_first_inspection(
    store: Any, ids: dict[str, str]
) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    _add(store, _visit(ids, date(2026, 3, 10), VisitKind.FIRST, VisitStatus.APPROVED))
    new = _loan(ids["borrower"], "L2", LoanType.FIXED_ASSET, Classification.NORMAL)
    new.disbursed_on = date(2026, 4, 1)
    _add(store, new)
    b = _borrower(store, ids["borrower"])
    assert (b.next_due_kind, b.next_due_on) == (VisitKind.FIRST, date(2026, 5, 1))  # +30 days
    assert b.next_due_reason is not None and "L2" in b.next_due_reason["zh"]


def test_a_red_signal_pulls_the_due_date_in(store: Any, ids: dict[str, str]) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    visited = date(2026, 3, 10)
    _add(store, _visit(ids, visited, VisitKind.FIRST, VisitStatus.APPROVED))
    assert _borrower(store, ids["borrower"]).next_due_on == visited + timedelta(days=90)

    raised = date(2026, 4, 1)
    assert _add(store, _signal(ids, Severity.RED, raised, SignalStatus.RAISED)) == 1
    b = _borrower(store, ids["borrower"])
    assert b.open_signals == 1
    assert b.next_due_on == raised + timedelta(days=7)
    assert b.next_due_kind is VisitKind.SPECIAL


def test_cleared_signals_are_not_counted(store: Any, ids: dict[str, str]) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    visited = date(2026, 3, 10)
    _add(
        store,
        _visit(ids, visited, VisitKind.FIRST, VisitStatus.APPROVED),
        _signal(ids, Severity.RED, date(2026, 4, 1), SignalStatus.CLEARED),
        _signal(ids, Severity.YELLOW, date(2026, 4, 2), SignalStatus.MONITORED),
        _signal(ids, Severity.ORANGE, date(2026, 4, 3), SignalStatus.HANDLED),
    )
    b = _borrower(store, ids["borrower"])
    assert b.open_signals == 2
    assert b.next_due_on == date(2026, 4, 3) + timedelta(days=15)  # the orange, not the red


def test_clearing_a_signal_lets_the_due_date_go_back(store: Any, ids: dict[str, str]) -> None:
    _add(store, _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
    visited = date(2026, 3, 10)
    signal = _signal(ids, Severity.RED, date(2026, 4, 1), SignalStatus.RAISED)
    _add(store, _visit(ids, visited, VisitKind.FIRST, VisitStatus.APPROVED), signal)
    with store.write() as s:
        s.get_one(RiskSignal, signal.id).status = SignalStatus.CLEARED
        assert refresh_schedule(s, POLICY) == 1
    b = _borrower(store, ids["borrower"])
    assert (b.open_signals, b.next_due_on) == (0, visited + timedelta(days=90))


def test_refresh_reports_only_changes_and_touches_only_the_given_ids(
    store: Any, ids: dict[str, str]
) -> None:
    with store.write() as s:
        other = Borrower(
            code="C0002", name="浙江德炎水产贸易有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.WHOLESALE_TRADE, id_number="91330200MA2B0000X2",
        )
        s.add(other)
        s.flush()
        s.add_all(
            [
                _loan(ids["borrower"], "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL),
                _loan(other.id, "L2", LoanType.WORKING_CAPITAL, Classification.DOUBTFUL),
            ]
        )
        s.flush()
        assert refresh_schedule(s, POLICY, [ids["borrower"]]) == 1
        assert s.scalar(select(Borrower.next_due_on).where(Borrower.id == other.id)) is None
        assert refresh_schedule(s, POLICY) == 1  # now the other one
        assert refresh_schedule(s, POLICY) == 0  # nothing left to change
    assert _borrower(store, other.id).classification is Classification.DOUBTFUL


def test_loaded_borrowers_stay_usable_after_a_refresh(store: Any, ids: dict[str, str]) -> None:
    with store.write() as s:
        borrower = s.get_one(Borrower, ids["borrower"])
        s.add(_loan(borrower.id, "L1", LoanType.WORKING_CAPITAL, Classification.NORMAL))
        refresh_schedule(s, POLICY)
        assert borrower.next_due_kind is VisitKind.FIRST  # the loaded object sees the update
        # Without expiring it, the object's stale version would fail this flush.
        borrower.phone = "0512-66880000"
        s.flush()
        assert borrower.version == 3
