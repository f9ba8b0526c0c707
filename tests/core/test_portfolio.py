"""The officer's work list: filters applied in the query, the numbers at a glance, and the
choices for starting a visit (templates chosen automatically or by the officer, drafts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    Role,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Loan, OutboxEntry, User, Visit
from inspector_app.store.portfolio import WorkFilter
from inspector_app.store.visit_start import TemplateChoiceError

TODAY = date(2026, 11, 25)


@pytest.fixture
def officers(store: LocalStore) -> tuple[User, User]:
    wang = store.create_user("wang", "pass-word-1", "王明", Role.OFFICER)
    li = store.create_user("li", "pass-word-2", "李强", Role.OFFICER)
    rows = [
        # code, name, industry, classification, signals, due in days, kind, officer
        ("C1", "宏达房地产开发有限公司", Industry.REAL_ESTATE, Classification.NORMAL, 0, 30,
         VisitKind.ROUTINE, wang),
        ("C2", "华东精密机械有限公司", Industry.MANUFACTURING, Classification.SPECIAL_MENTION,
         2, -12, VisitKind.SPECIAL, wang),
        ("C3", "绿野农业合作社", Industry.AGRICULTURE, Classification.NORMAL, 0, 3,
         VisitKind.FIRST, wang),
        ("C4", "陈建国", Industry.SERVICES, Classification.SUBSTANDARD, 1, 7, VisitKind.ROUTINE,
         wang),
        ("C5", "远洋贸易有限公司", Industry.WHOLESALE_TRADE, Classification.NORMAL, 0, -1,
         VisitKind.ROUTINE, li),
    ]
    with store.write() as s:
        for code, name, industry, classification, signals, days, kind, owner in rows:
            s.add(Borrower(
                code=code, name=name, industry=industry, classification=classification,
                kind=BorrowerKind.COMPANY, id_number=f"91330100{code}", officer_id=owner.id,
                open_signals=signals, next_due_on=TODAY + timedelta(days=days),
                next_due_kind=kind, address=f"{name}地址",
            ))
    return wang, li


def codes(store: LocalStore, where: WorkFilter, officer: User | None) -> list[str]:
    return [r.code for r in store.work_list(where, officer_id=officer and officer.id)]


def test_filters_narrow_the_list_in_due_order(store: LocalStore, officers) -> None:
    wang, _li = officers
    assert codes(store, WorkFilter(), wang) == ["C2", "C3", "C4", "C1"]
    assert codes(store, WorkFilter(), None) == ["C2", "C5", "C3", "C4", "C1"]
    assert codes(store, WorkFilter(kind=VisitKind.ROUTINE), wang) == ["C4", "C1"]
    assert codes(store, WorkFilter(kind=VisitKind.FIRST), wang) == ["C3"]
    assert codes(store, WorkFilter(classification=Classification.SUBSTANDARD), wang) == ["C4"]
    assert codes(store, WorkFilter(with_signals=True), wang) == ["C2", "C4"]
    # Filters combine with each other and with the search text.
    assert codes(store, WorkFilter(text="有限公司", with_signals=True), wang) == ["C2"]
    assert codes(store, WorkFilter(text="制造", kind=VisitKind.SPECIAL), wang) == ["C2"]
    assert codes(store, WorkFilter(text="制造", kind=VisitKind.ROUTINE), wang) == []
    assert codes(store, WorkFilter(text="100%"), None) == []  # LIKE wildcards are literal


def test_counts_are_the_officers_whole_portfolio(store: LocalStore, officers) -> None:
    wang, li = officers
    counts = store.officer_counts(wang.id, TODAY)
    assert (counts.overdue, counts.due_this_week, counts.borrowers) == (1, 2, 4)
    assert (counts.unsigned_visits, counts.unsynced) == (0, 0)
    everyone = store.officer_counts(None, TODAY)
    assert (everyone.overdue, everyone.due_this_week, everyone.borrowers) == (2, 2, 5)

    c2 = store.work_list(WorkFilter(text="C2"), officer_id=wang.id)[0].borrower_id
    draft = store.start_visit(c2, wang, VisitKind.SPECIAL, visit_date=TODAY)
    done = store.start_visit(c2, wang, VisitKind.SPECIAL, visit_date=TODAY)
    with store.write() as s:
        s.get_one(Visit, done.id).status = VisitStatus.COMPLETED
        s.add(Visit(borrower_id=c2, officer_id=wang.id, kind=VisitKind.ROUTINE,
                    status=VisitStatus.SIGNED, template_code="routine", template_version=1,
                    template_refs=["routine@1"], visit_date=TODAY))
    counts = store.officer_counts(wang.id, TODAY)
    assert counts.unsigned_visits == 2  # the draft and the completed one; not the signed one
    assert store.officer_counts(li.id, TODAY).unsigned_visits == 0
    with store.read() as s:
        queued = s.query(OutboxEntry).count()
    assert queued >= 2 and counts.unsynced == queued
    assert draft.id != done.id


def test_start_choices_suggest_the_due_kind_and_offer_the_draft(
    store: LocalStore, officers
) -> None:
    wang, li = officers
    c2 = store.work_list(WorkFilter(text="C2"), officer_id=wang.id)[0].borrower_id
    with store.write() as s:
        s.add(Loan(borrower_id=c2, contract_no="L-1", loan_type=LoanType.FIXED_ASSET,
                   amount_fen=100_00, disbursed_on=date(2026, 1, 1),
                   matures_on=date(2029, 1, 1), classification=Classification.NORMAL))
    choices = store.start_choices(c2, wang.id)
    assert choices.suggested_kind is VisitKind.SPECIAL
    assert choices.address == "华东精密机械有限公司地址"
    assert choices.draft is None
    assert choices.options[VisitKind.FIRST].default_refs == [
        "first@2", "fixed_asset@1", "fund_flow@1", "industry.manufacturing@1"]
    assert choices.options[VisitKind.ROUTINE].default_refs[0] == "routine@3"
    default_refs, available = store.checklist_options(c2, VisitKind.SPECIAL)
    assert default_refs == ["routine@3", "fixed_asset@1", "industry.manufacturing@1"]
    assert {t.ref for t in available} >= {"first@2", "routine@3", "industry.real_estate@1"}
    templates = choices.options[VisitKind.ROUTINE].templates
    assert [t.kind.value for t in templates[:2]] == ["base", "base"]

    started = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    visit = store.start_visit(c2, wang, VisitKind.ROUTINE, visit_date=TODAY,
                              template_refs=["first@2", "industry.real_estate@1"],
                              started_at=started)
    assert visit.template_refs == ["first@2", "industry.real_estate@1"]
    assert visit.template_code == "first"
    choices = store.start_choices(c2, wang.id)
    assert choices.draft is not None and choices.draft.id == visit.id
    assert choices.draft.answered == 0
    assert store.start_choices(c2, li.id).draft is None  # another officer's draft is theirs
    with store.read() as s:
        assert s.get_one(Visit, visit.id).started_at == started


@pytest.mark.parametrize("refs", [["fixed_asset@1"], ["routine@2", "first@2"], ["routine@9"]])
def test_a_bad_template_choice_is_refused_with_a_message(
    store: LocalStore, officers, refs: list[str]
) -> None:
    wang, _li = officers
    c1 = store.work_list(WorkFilter(text="C1"), officer_id=wang.id)[0].borrower_id
    with pytest.raises(TemplateChoiceError) as caught:
        store.start_visit(c1, wang, VisitKind.ROUTINE, visit_date=TODAY, template_refs=refs)
    assert " / " in str(caught.value)
    with store.read() as s:
        assert s.query(Visit).count() == 0  # nothing half-saved


def test_awaiting_review_narrows_to_submitted_visits_and_is_counted(
        store: LocalStore, officers) -> None:
    wang, li = officers
    borrower = {r.code: r.borrower_id for r in store.work_list(WorkFilter(), officer_id=None)}

    def visit(code: str, owner: User, status: VisitStatus) -> None:
        with store.write() as s:
            s.add(Visit(borrower_id=borrower[code], officer_id=owner.id,
                        kind=VisitKind.ROUTINE, status=status, template_code="routine",
                        template_version=1, template_refs=["routine@1"], visit_date=TODAY))

    visit("C1", wang, VisitStatus.SUBMITTED)
    visit("C3", wang, VisitStatus.APPROVED)  # decided: no longer waiting
    visit("C4", wang, VisitStatus.SIGNED)  # not at headquarters yet
    visit("C5", li, VisitStatus.SUBMITTED)
    visit("C5", li, VisitStatus.RETURNED)
    assert codes(store, WorkFilter(awaiting_review=True), None) == ["C5", "C1"]
    assert codes(store, WorkFilter(awaiting_review=True), wang) == ["C1"]
    assert codes(store, WorkFilter(awaiting_review=True, text="远洋"), None) == ["C5"]
    assert WorkFilter(awaiting_review=True).narrowed
    assert store.officer_counts(None, TODAY).awaiting_review == 2
    assert store.officer_counts(wang.id, TODAY).awaiting_review == 1
