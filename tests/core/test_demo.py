"""The demo portfolio: complete, believable, deterministic, and never written over real data."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from inspector_app.common.passwords import LoginError
from inspector_app.demo.build import DemoResult, build_demo, print_demo_summary
from inspector_app.domain.checklist import checklist_from_refs
from inspector_app.domain.enums import (
    CollateralKind,
    Industry,
    LoanType,
    Role,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.reports.certificate_files import certificate_info, trusted_ca_path
from inspector_app.reports.data import load_report_data
from inspector_app.reports.files import report_path
from inspector_app.reports.pdf import render_report
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    AuditEntry,
    Borrower,
    ChecklistAnswer,
    CollateralItem,
    Guarantor,
    Loan,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
)
from inspector_app.store.templates_in_force import shipped_templates
from inspector_app.store.visit_checks import unmet_requirements

TODAY = date(2026, 6, 15)
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Demo:
    store: LocalStore
    result: DemoResult


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The default demo, built once for the module (Argon2 makes every build cost seconds)."""
    data_dir = tmp_path_factory.mktemp("demo")
    result = build_demo(data_dir, today=TODAY)
    store = LocalStore.open(data_dir)
    yield Demo(store, result)
    store.close()


def _names(data_dir: Path) -> list[str]:
    store = LocalStore.open(data_dir)
    try:
        with store.read() as s:
            return list(s.scalars(select(Borrower.name).order_by(Borrower.code)))
    finally:
        store.close()


def test_portfolio_covers_every_industry_loan_type_and_collateral_kind(demo: Demo) -> None:
    with demo.store.read() as s:
        borrowers = list(s.scalars(select(Borrower)))
        loans = list(s.scalars(select(Loan)))
        collateral = list(s.scalars(select(CollateralItem)))
        guarantors = s.scalar(select(func.count()).select_from(Guarantor))
    assert len(borrowers) >= 40 and demo.result.borrowers == len(borrowers)
    assert {b.industry for b in borrowers} == set(Industry)
    assert {loan.loan_type for loan in loans} == set(LoanType)
    assert {c.kind for c in collateral} == set(CollateralKind)
    assert guarantors and guarantors > 0
    assert len({loan.classification for loan in loans}) >= 3  # mostly 正常, some worse


def test_borrowers_look_real(demo: Demo) -> None:
    with demo.store.read() as s:
        borrowers = list(s.scalars(select(Borrower)))
        loans = list(s.scalars(select(Loan)))
        collateral = list(s.scalars(select(CollateralItem)))
    for b in borrowers:
        assert CJK.search(b.name) and CJK.search(b.address) and CJK.search(b.legal_representative)
        assert len(b.id_number) == 18 and b.phone
        assert b.officer_id is not None
    assert len({b.code for b in borrowers}) == len(borrowers)
    assert any(b.name.endswith("公司") for b in borrowers)
    assert any(not b.name.endswith("公司") for b in borrowers)  # 个体工商户
    for loan in loans:
        assert loan.amount_fen > 0 and loan.amount_fen % 100 == 0
        assert loan.disbursed_on <= TODAY
        # Running still, or matured and overdue ever since (the core system's story).
        assert loan.matures_on > TODAY or (
            loan.days_past_due == (loan.repayment_as_of - loan.matures_on).days)
        assert loan.contract_no.startswith(str(loan.disbursed_on.year))
    for item in collateral:
        assert item.appraised_value_fen > item.pledged_value_fen > 0
        assert item.certificate_no
    assert any("不动产权第" in c.certificate_no for c in collateral)


def test_loans_carry_the_core_systems_repayment_position(demo: Demo) -> None:
    """Every loan as of yesterday's extract; loans 15, 95, 280 and 400 days overdue with their
    arrears, one rescheduled, one refinanced, one restructured; the rest current."""
    with demo.store.read() as s:
        loans = list(s.scalars(select(Loan)))
        grade = dict(s.execute(select(Borrower.id, Borrower.classification)).all())
    assert {loan.repayment_as_of for loan in loans} == {TODAY - timedelta(days=1)}
    late = sorted((loan for loan in loans if loan.days_past_due), key=lambda x: x.days_past_due)
    assert [loan.days_past_due for loan in late] == [15, 95, 280, 400]
    for loan in late:
        assert loan.overdue_interest_fen > 0 and loan.arrears_interest_fen > 0
        assert loan.arrears_interest_fen >= loan.overdue_interest_fen
        # Over 90 days: matured and unpaid, so all the principal is overdue.
        assert loan.overdue_principal_fen == (loan.outstanding_fen if loan.days_past_due > 90
                                              else 0)
    assert [grade[loan.borrower_id].value for loan in late] == [
        "special_mention", "substandard", "doubtful", "doubtful"]
    for flag in ("rescheduled", "refinanced", "restructured"):
        assert sum(getattr(loan, flag) for loan in loans) == 1, flag
    [restructured] = [loan for loan in loans if loan.restructured]
    assert restructured.disbursed_on <= restructured.restructured_on < TODAY
    for loan in loans:
        assert 0 < loan.outstanding_fen <= loan.amount_fen
        if not loan.days_past_due:
            assert (loan.overdue_principal_fen, loan.overdue_interest_fen,
                    loan.arrears_interest_fen) == (0, 0, 0)


def test_visits_in_every_needed_state_with_real_checklist_answers(demo: Demo) -> None:
    templates = shipped_templates()
    with demo.store.read() as s:
        visits = list(s.scalars(select(Visit)))
        statuses = Counter(v.status for v in visits)
        assert statuses[VisitStatus.APPROVED] >= 3
        assert statuses[VisitStatus.COMPLETED] >= 1
        assert statuses[VisitStatus.DRAFT] >= 1
        assert {v.kind for v in visits} == set(VisitKind)
        for visit in visits:
            checklist = checklist_from_refs(templates, visit.template_refs)
            codes = set(s.scalars(select(ChecklistAnswer.item_code).where(
                ChecklistAnswer.visit_id == visit.id)))  # fmt: skip
            assert codes and codes <= {item.code for item in checklist.items()}
            if visit.status is not VisitStatus.DRAFT:
                assert unmet_requirements(s, visit) == []
                assert visit.final_classification is not None


def test_every_status_reached_has_an_audit_entry(demo: Demo) -> None:
    with demo.store.read() as s:
        approved = s.scalars(select(Visit).where(Visit.status == VisitStatus.APPROVED)).first()
        assert approved is not None
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity_id == approved.id)))
        supervisor = s.get_one(User, entries[-1].user_id)
    targets = [e.detail.get("target") for e in entries if e.action == "visit.transition"]
    assert targets == ["completed", "signed", "submitted", "approved"]
    assert supervisor.role is Role.SUPERVISOR
    assert [e.at for e in sorted(entries, key=lambda e: e.seq)] == sorted(e.at for e in entries)


def test_signals_carry_their_life_cycle(demo: Demo) -> None:
    with demo.store.read() as s:
        signals = list(s.scalars(select(RiskSignal)))
        steps = {
            sig.id: [st.step for st in s.scalars(
                select(RiskSignalStep).where(RiskSignalStep.signal_id == sig.id)
                .order_by(RiskSignalStep.at))]
            for sig in signals
        }  # fmt: skip
    assert signals
    for sig in signals:
        assert steps[sig.id][0] is SignalStatus.RAISED
        assert steps[sig.id][-1] is sig.status
    assert any(len(path) == 4 for path in steps.values())  # raised → … → cleared
    assert {sig.status for sig in signals} >= {SignalStatus.CLEARED, SignalStatus.MONITORED}


def test_due_list_has_overdue_this_week_and_first_inspections(demo: Demo) -> None:
    rows = demo.store.due_list()
    dues = [r for r in rows if r.next_due_on is not None]
    assert len(dues) == len(rows)  # every demo borrower has a loan, so something is due
    assert any(r.next_due_on < TODAY for r in dues)
    assert any(TODAY <= r.next_due_on <= TODAY + timedelta(days=6) for r in dues)
    assert any(r.next_due_kind == VisitKind.FIRST and r.next_due_on >= TODAY for r in dues)
    assert any(r.next_due_kind == VisitKind.FIRST and r.next_due_on < TODAY for r in dues)
    assert any(r.open_signals for r in rows)


def test_every_demo_user_logs_in_with_the_printed_password(demo: Demo) -> None:
    roles = {role for _u, _p, role, _n in demo.result.users}
    assert roles == set(Role)
    assert sum(role is Role.OFFICER for _u, _p, role, _n in demo.result.users) >= 2
    for username, password, role, name in demo.result.users:
        user = demo.store.authenticate(username, password)
        assert (user.role, user.display_name) == (role, name)
        if role is Role.OFFICER:
            assert user.supervisor_id is not None
    with pytest.raises(LoginError):
        demo.store.authenticate("officer", "wrong-password")
    summary = print_demo_summary(demo.result)
    for username, password, _role, _name in demo.result.users:
        assert username in summary and password in summary
    assert "密码" in summary and "password" in summary


def test_borrowers_belong_to_officers(demo: Demo) -> None:
    with demo.store.read() as s:
        owners = s.execute(
            select(User.role, func.count()).join(Borrower, Borrower.officer_id == User.id)
            .group_by(User.role)
        ).all()  # fmt: skip
    assert dict(owners).keys() == {Role.OFFICER}


def test_the_demos_signed_visits_carry_real_signatures_of_its_test_ca(demo: Demo) -> None:
    store = demo.store
    ca = demo.result.demo_ca
    assert ca is not None
    signed = countersigned = 0
    for visit in store.visits():
        if not visit.status.locked:
            continue
        kept = store.latest_report(visit.id)
        if visit.status in (VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.RETURNED):
            assert kept is not None, visit  # the ones the demo's users act on
        if kept is None:
            continue
        with store.read() as s:
            officer = s.get_one(Visit, visit.id).officer.display_name
        checked = verify_pdf(report_path(store.data_dir, kept.sha256), [ca / "ca.pem"])
        assert checked.verdict, (visit, checked.signatures)
        assert all(sig.chains_to_trusted_root for sig in checked.signatures)
        assert checked.signatures[0].signer == officer
        signed += 1
        if visit.status is VisitStatus.APPROVED:
            assert kept.stage == "countersigned" and len(checked.signatures) == 2
            countersigned += 1
    assert signed == demo.result.signed_reports >= 4 and countersigned >= 1
    # Each demo user can sign in the app at once, and verify against the demo's root.
    assert certificate_info(store.data_dir, "officer") is not None
    assert trusted_ca_path(store.data_dir) is not None


def test_the_demos_older_approvals_are_not_shown_as_signed(demo: Demo, tmp_path: Path) -> None:
    store = demo.store
    old = next(v for v in store.visits(VisitStatus.APPROVED)
               if store.latest_report(v.id) is None)
    data = load_report_data(store, old.id, "zh")
    assert data.is_copy and data.signed_original_sha256 is None
    render_report(data, store.photos, tmp_path / "old.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "old.pdf").pages)
    assert "本机未存签署原件" in text.replace(" ", "").replace("\n", "")


def test_same_seed_same_portfolio_other_seed_another(demo: Demo, tmp_path: Path) -> None:
    build_demo(tmp_path / "again", today=TODAY, sign_reports=False)
    build_demo(tmp_path / "other", today=TODAY, seed=7, sign_reports=False)
    first = _names(demo.store.data_dir)
    assert _names(tmp_path / "again") == first
    assert _names(tmp_path / "other") != first


def test_refuses_to_write_over_existing_borrowers(demo: Demo) -> None:
    before = demo.store.due_list()
    with pytest.raises(ValueError, match="replace=True"):
        build_demo(demo.store.data_dir, today=TODAY)
    assert demo.store.due_list() == before


def test_refuses_when_a_demo_username_is_taken(store: LocalStore) -> None:
    with store.write() as s:
        # A placeholder hash: nobody logs in here, and Argon2 would only slow the test.
        s.add(User(username="admin", display_name="管理员", role=Role.ADMIN, password_hash="x"))
    with pytest.raises(ValueError, match="admin"):
        build_demo(store.data_dir, scale=5)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Borrower)) == 0


def test_replace_deletes_the_old_database_first(tmp_path: Path) -> None:
    build_demo(tmp_path, scale=20, today=TODAY)
    old = set(_names(tmp_path))
    result = build_demo(tmp_path, scale=30, today=TODAY, seed=99, replace=True)
    store = LocalStore.open(tmp_path)
    try:
        with store.read() as s:
            count = s.scalar(select(func.count()).select_from(Borrower))
            users = s.scalar(select(func.count()).select_from(User))
    finally:
        store.close()
    assert count == result.borrowers == 30
    assert users == len(result.users) + len(result.scale_officers)
    assert old != set(_names(tmp_path))


def test_scale_gives_n_borrowers_and_five_visits_each(tmp_path: Path) -> None:
    progress: list[float] = []
    result = build_demo(
        tmp_path, scale=200, today=TODAY, progress=lambda _m, f: progress.append(f)
    )
    assert (result.borrowers, result.visits) == (200, 1000)
    assert progress == sorted(progress) and progress[-1] == 1.0
    store = LocalStore.open(tmp_path)
    try:
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(Visit)) == 1000
            assert s.scalar(
                select(func.count()).select_from(Borrower).where(Borrower.next_due_on.is_(None))
            ) == 0
            hashes = set(s.scalars(
                select(User.password_hash).where(User.username.in_(result.scale_officers))
            ))  # fmt: skip
        assert len(hashes) == 1  # one Argon2 hash shared by every generated officer
        assert result.scale_password is not None
        store.authenticate(result.scale_officers[-1], result.scale_password)
        assert len(store.due_list("有限公司", limit=50)) == 50
    finally:
        store.close()
    assert result.scale_officers[0] in print_demo_summary(result)


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        build_demo(tmp_path, scale=0)
